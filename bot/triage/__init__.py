"""Pure triage logic for BackChat: visitor Facts -> Assessment (clinical.md section 1).

No Rasa, spaCy or YAML here; the action server translates slots with Facts.from_slots
and thresholds come from clinic.yml.
"""

from .assessment import Assessment, assess
from .facts import Facts
from .red_flags import RED_FLAGS, RedFlag
from .slots import SCREEN_SLOTS
from .summary import summarise_facts
from .thresholds import Thresholds

__all__ = [
    "RED_FLAGS",
    "SCREEN_SLOTS",
    "Assessment",
    "Facts",
    "RedFlag",
    "Thresholds",
    "assess",
    "summarise_facts",
]
