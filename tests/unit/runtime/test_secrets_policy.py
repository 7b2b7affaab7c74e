"""The production profile refuses to start with a missing, short or placeholder secret."""

import pytest

from bot.runtime.secrets_policy import generated_secrets, production_secret_problems, weakness

STRONG = "9f2c7d41b8e05a63c1d9e7f204b6a8c3"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "is not set"),
        ("short-one", "shorter than 32"),
        ("a" * 40, "too few characters"),
        ("abababababababababababababababab12", "too few characters"),
        ("change-me-change-me-0123456789abcdef", "placeholder"),
        ("please-replace-this-with-a-real-value-123", "placeholder"),
        ("your-secret-here-0123456789abcdefghij", "placeholder"),
        (STRONG, ""),
    ],
)
def test_weakness(value, reason):
    if reason:
        assert reason in weakness(value)
    else:
        assert weakness(value) == ""


def test_rasa_needs_the_api_token_and_the_session_secret():
    problems = production_secret_problems({}, ["rasa"])
    assert [p.split()[0] for p in problems] == ["BACKCHAT_API_TOKEN", "BACKCHAT_SESSION_SECRET"]


def test_the_web_app_needs_the_staff_secret_and_actions_need_none():
    assert production_secret_problems({}, ["web"])[0].startswith("BACKCHAT_STAFF_SECRET")
    assert production_secret_problems({}, ["actions"]) == []


def test_equal_secrets_are_refused():
    env = {"BACKCHAT_API_TOKEN": STRONG, "BACKCHAT_SESSION_SECRET": STRONG}
    assert production_secret_problems(env, ["rasa"]) == [
        "BACKCHAT_API_TOKEN, BACKCHAT_SESSION_SECRET must all be different"
    ]


def test_generated_secrets_pass():
    assert production_secret_problems(generated_secrets(), ["actions", "rasa", "web"]) == []


def test_the_stack_refuses_the_production_profile_without_secrets(capsys, monkeypatch, tmp_path):
    from bot.runtime.stack import main

    monkeypatch.setenv("BACKCHAT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("BACKCHAT_PROFILE", "production")
    monkeypatch.setenv("BACKCHAT_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none")
    monkeypatch.setenv("BACKCHAT_REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("BACKCHAT_API_TOKEN", "test-token")
    monkeypatch.delenv("BACKCHAT_SESSION_SECRET", raising=False)
    monkeypatch.setenv("BACKCHAT_STAFF_SECRET", "change-me-change-me-0123456789abcdef")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "BackChat cannot start in the production profile:" in err
    assert "BACKCHAT_API_TOKEN is shorter than 32 characters" in err
    assert "BACKCHAT_SESSION_SECRET is not set" in err
    assert "BACKCHAT_STAFF_SECRET looks like a placeholder" in err
    assert not (tmp_path / "api-token").exists(), "nothing generated in production"
