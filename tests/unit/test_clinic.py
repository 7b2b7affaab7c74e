"""clinic.yml validation names the bad key."""

import copy
import re

import pytest
import yaml

from bot.clinic import DEFAULT_PATH, ClinicConfigError, load_clinic, parse_clinic

GOOD = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def with_change(path, value):
    data = copy.deepcopy(GOOD)
    *parents, key = path.split(".")
    node = data
    for parent in parents:
        node = node[parent]
    if value is KeyError:
        del node[key]
    else:
        node[key] = value
    return data


def test_the_repository_clinic_yml_is_valid():
    clinic = load_clinic()
    assert clinic.thresholds.acute_below_days == 42
    assert clinic.thresholds.chronic_above_days == 84
    assert clinic.template_values()["link_booking"].startswith("https://")
    assert clinic.template_values()["emergency_number"] == "911"


@pytest.mark.parametrize(
    "path, value, named",
    [
        ("links.booking", "example.com/book", "links.booking"),
        ("links.faq", KeyError, "links.faq"),
        ("clinic.phone", "", "clinic.phone"),
        ("clinic.first_visit", KeyError, "clinic.first_visit"),
        ("clinic.name", ["a"], "clinic.name"),
        ("emergency.number", KeyError, "emergency.number"),
        ("triage.acute_below_weeks", "six", "triage.acute_below_weeks"),
        ("triage.chronic_above_weeks", 0, "triage.chronic_above_weeks"),
        ("triage.acute_below_weeks", 20, "triage.acute_below_weeks"),
        ("web.allowed_origins", ["ftp://x"], "web.allowed_origins"),
        ("links", "nope", "links"),
    ],
)
def test_a_bad_value_is_reported_with_its_key(path, value, named):
    with pytest.raises(ClinicConfigError, match=named.replace(".", r"\.")):
        parse_clinic(with_change(path, value))


def test_thresholds_follow_the_configuration():
    data = with_change("triage.acute_below_weeks", 4)
    assert parse_clinic(data).thresholds.acute_below_days == 28


def test_an_unreadable_or_broken_file_is_a_clear_error(tmp_path):
    with pytest.raises(ClinicConfigError, match="cannot read"):
        load_clinic(tmp_path / "missing.yml")
    broken = tmp_path / "clinic.yml"
    broken.write_text("clinic: [unclosed", encoding="utf-8")
    with pytest.raises(ClinicConfigError, match="not valid YAML"):
        load_clinic(broken)
    broken.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ClinicConfigError, match="expected sections"):
        load_clinic(broken)


def test_every_placeholder_in_the_responses_is_filled():
    """A ``{name}`` in domain.yml comes from clinic.yml, is passed by an action, or is a
    slot (Rasa fills slot values into responses)."""
    domain = yaml.safe_load((DEFAULT_PATH.parent / "domain.yml").read_text(encoding="utf-8"))
    sources = (DEFAULT_PATH.parent / "actions").glob("*.py")
    actions = "".join(path.read_text(encoding="utf-8") for path in sources)
    clinic_values = load_clinic().template_values()
    for name, variants in domain["responses"].items():
        for variant in variants:
            for placeholder in re.findall(r"\{(\w+)\}", variant.get("text", "")):
                passed = re.search(rf"\b{placeholder}\s*=|[\"']{placeholder}[\"']", actions)
                is_slot = placeholder in domain["slots"]
                assert placeholder in clinic_values or passed or is_slot, (name, placeholder)
