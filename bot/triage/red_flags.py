"""The red flags that end triage (clinical.md section 2)."""

from __future__ import annotations

from dataclasses import dataclass

EMERGENCY = "emergency"  # 911 / emergency department now
URGENT = "urgent"  # see a doctor today / nurse line


@dataclass(frozen=True)
class RedFlag:
    """One warning sign; `label` is plain words that fit after "You mentioned"."""

    id: str
    level: str
    label: str


def _flags(level: str, labels: dict[str, str]) -> dict[str, RedFlag]:
    return {flag_id: RedFlag(flag_id, level, label) for flag_id, label in labels.items()}


RED_FLAGS: dict[str, RedFlag] = {
    **_flags(
        EMERGENCY,
        {
            "bladder_dysfunction": "new trouble passing urine or controlling your bladder",
            "bowel_dysfunction": "new trouble controlling your bowels",
            "saddle_numbness": "numbness or a different feeling around your genitals, "
            "bottom or inner thighs",
            "bilateral_leg_symptoms": "pain, numbness or weakness in both legs",
            "leg_weakness": "a weak leg, a dragging foot or a leg giving way",
            "sexual_dysfunction": "new sexual problems along with the back pain",
            "major_trauma": "a major injury, such as a car crash or a fall from a height",
            "chest_pain": "chest pain",
            "fainting": "fainting along with the back pain",
            "cauda_equina_screen_positive": "a change in bladder, bowel or feeling "
            "between your legs",
        },
    ),
    **_flags(
        URGENT,
        {
            "fever": "a fever or chills",
            "feeling_unwell": "feeling very unwell",
            "recent_infection": "a recent infection",
            "iv_drug_use": "injecting drugs",
            "immunosuppression": "a weakened immune system",
            "cancer_history": "a history of cancer",
            "weight_loss": "weight loss you can't explain",
            "night_pain": "severe pain at night or at rest that no position eases",
            "osteoporosis_fall": "a fall or a strain with osteoporosis",
            "steroid_use": "taking steroid medicines for a long time",
            "serious_illness_screen_positive": "a fever, infection, cancer or weight loss",
            "injury_or_night_pain_screen_positive": "a recent fall or severe pain at night",
        },
    ),
}
