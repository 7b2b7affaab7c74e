"""What Rasa sends the action server: the domain only to the form validators."""

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime.profiles import ENDPOINTS
from bot.runtime.settings import PROJECT_ROOT

DOMAIN = Domain.load(PROJECT_ROOT / "domain.yml")
VALIDATORS = {"validate_triage_form", "validate_callback_form"}


@pytest.fixture(params=sorted(ENDPOINTS))
def action_endpoint(request, monkeypatch):
    for name in ("BACKCHAT_ACTIONS_PORT", "BACKCHAT_ACTIONS_URL", "BACKCHAT_VAR_DIR"):
        monkeypatch.setenv(name, "5055" if name.endswith("PORT") else "http://127.0.0.1:5055")
    for name in ("BACKCHAT_DATABASE_URL", "BACKCHAT_REDIS_URL", "BACKCHAT_REDIS_KEY_PREFIX"):
        monkeypatch.setenv(name, "unused")
    return read_endpoints_from_path(ENDPOINTS[request.param]).action


def request_for(action_name, endpoint):
    tracker = DialogueStateTracker.from_events("visitor", [UserUttered("my back hurts")])
    return RemoteAction(action_name, endpoint)._action_call_format(tracker, DOMAIN)


def test_only_the_form_validators_get_the_domain(action_endpoint):
    custom = {a for a in DOMAIN.user_actions if not a.startswith("utter_")}
    assert custom >= VALIDATORS and len(custom) > len(VALIDATORS)
    for name in custom:
        call = request_for(name, action_endpoint)
        assert ("domain" in call) == (name in VALIDATORS), name
        assert call["tracker"]["sender_id"] == "visitor"


def test_the_validators_get_their_forms_required_slots(action_endpoint):
    domain = request_for("validate_triage_form", action_endpoint)["domain"]
    assert "pain_location" in domain["forms"]["triage_form"]["required_slots"]
