"""Load and validate ``clinic.yml``: what differs between clinics.

Every problem is reported with the dotted key that is wrong, e.g.
``clinic.yml: links.booking: expected an http(s) URL, got 'example.com'``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.triage import Thresholds

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "clinic.yml"

REQUIRED_LINKS = (
    "booking",
    "low_back_pain",
    "acute_and_chronic",
    "sciatica_piriformis",
    "treatment_approach",
    "causes_blog",
    "medication_research",
    "nccih_summary",
    "faq",
)
REQUIRED_TEXTS = {
    "clinic": (
        "name",
        "city",
        "phone",
        "email",
        "address",
        "hours",
        "prices",
        "insurance",
        "first_visit",
    ),
    "emergency": ("number", "nurse_line", "nurse_line_name"),
}


class ClinicConfigError(ValueError):
    """clinic.yml is missing a key or holds a value of the wrong shape."""


@dataclass(frozen=True)
class Clinic:
    """The validated contents of clinic.yml."""

    name: str
    city: str
    phone: str
    email: str
    address: str
    hours: str
    prices: str
    insurance: str
    first_visit: str
    emergency_number: str
    nurse_line: str
    nurse_line_name: str
    links: dict[str, str]
    acute_below_weeks: int
    chronic_above_weeks: int
    allowed_origins: tuple[str, ...]

    @property
    def thresholds(self) -> Thresholds:
        """Duration thresholds for bot.triage, in days."""
        return Thresholds(
            acute_below_days=self.acute_below_weeks * 7,
            chronic_above_days=self.chronic_above_weeks * 7,
        )

    def template_values(self) -> dict[str, str]:
        """Values that response templates in domain.yml may reference."""
        values = {
            "clinic_name": self.name,
            "clinic_city": self.city,
            "clinic_phone": self.phone,
            "clinic_email": self.email,
            "clinic_address": self.address,
            "clinic_hours": self.hours,
            "clinic_prices": self.prices,
            "clinic_insurance": self.insurance,
            "clinic_first_visit": self.first_visit,
            "emergency_number": self.emergency_number,
            "nurse_line": self.nurse_line,
            "nurse_line_name": self.nurse_line_name,
        }
        values.update({f"link_{key}": url for key, url in self.links.items()})
        return values


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ClinicConfigError(f"clinic.yml: {key}: expected a section of key: value lines")
    return value


def _text(section: Mapping[str, Any], prefix: str, key: str) -> str:
    value = section.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ClinicConfigError(f"clinic.yml: {prefix}.{key}: expected non-empty text")
    return value.strip()


def _url(section: Mapping[str, Any], key: str) -> str:
    value = _text(section, "links", key)
    if not value.startswith(("https://", "http://")) or " " in value:
        raise ClinicConfigError(f"clinic.yml: links.{key}: expected an http(s) URL, got {value!r}")
    return value


def _weeks(section: Mapping[str, Any], key: str) -> int:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 104:
        raise ClinicConfigError(
            f"clinic.yml: triage.{key}: expected a whole number of weeks (1-104), got {value!r}"
        )
    return value


def parse_clinic(data: Any) -> Clinic:
    """Validate the parsed YAML and build a Clinic."""
    if not isinstance(data, Mapping):
        raise ClinicConfigError("clinic.yml: expected sections clinic, emergency, links, triage")
    texts = {
        (section, key): _text(_section(data, section), section, key)
        for section, keys in REQUIRED_TEXTS.items()
        for key in keys
    }
    links_section = _section(data, "links")
    links = {key: _url(links_section, key) for key in REQUIRED_LINKS}
    triage = _section(data, "triage")
    acute, chronic = _weeks(triage, "acute_below_weeks"), _weeks(triage, "chronic_above_weeks")
    if acute > chronic:
        raise ClinicConfigError(
            "clinic.yml: triage.acute_below_weeks: must not be more than chronic_above_weeks"
        )
    origins = data.get("web", {}).get("allowed_origins", []) if "web" in data else []
    if not isinstance(origins, list) or not all(
        isinstance(o, str) and o.startswith(("http://", "https://")) for o in origins
    ):
        raise ClinicConfigError("clinic.yml: web.allowed_origins: expected a list of http(s) URLs")
    return Clinic(
        name=texts["clinic", "name"],
        city=texts["clinic", "city"],
        phone=texts["clinic", "phone"],
        email=texts["clinic", "email"],
        address=texts["clinic", "address"],
        hours=texts["clinic", "hours"],
        prices=texts["clinic", "prices"],
        insurance=texts["clinic", "insurance"],
        first_visit=texts["clinic", "first_visit"],
        emergency_number=texts["emergency", "number"],
        nurse_line=texts["emergency", "nurse_line"],
        nurse_line_name=texts["emergency", "nurse_line_name"],
        links=links,
        acute_below_weeks=acute,
        chronic_above_weeks=chronic,
        allowed_origins=tuple(o.rstrip("/") for o in origins),
    )


def load_clinic(path: str | os.PathLike[str] | None = None) -> Clinic:
    """Read clinic.yml (``BACKCHAT_CLINIC_FILE`` or the repository's copy) and validate it."""
    path = Path(path or os.environ.get("BACKCHAT_CLINIC_FILE") or DEFAULT_PATH)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ClinicConfigError(f"{path}: cannot read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise ClinicConfigError(f"{path}: not valid YAML: {error}") from error
    return parse_clinic(data)
