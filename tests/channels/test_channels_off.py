"""With no platform variables set, Rasa builds its app from credentials.yml as before.

Each platform channel is off, says so in one log line, and serves no webhook; the
REST and widget channels are unaffected. (What `rasa run` does at start-up, without
starting a server.)
"""

import logging

from rasa.core.run import configure_app, create_http_input_channels

from tests.channels.server import SECRETS, credentials_text

VARIABLES = [
    *SECRETS,
    "FACEBOOK_API_URL",
    "TELEGRAM_API_URL",
    "TELEGRAM_WEBHOOK_URL",
    "TWILIO_API_URL",
]
PLATFORM_LOGGERS = {f"bot.channels.{name}" for name in ("messenger", "telegram", "twilio")}


def test_unset_channels_are_off_with_one_line_each(tmp_path, monkeypatch, caplog):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BACKCHAT_VAR_DIR", str(tmp_path))  # the widget channel's secret
    credentials = tmp_path / "credentials.yml"
    credentials.write_text(credentials_text(), encoding="utf-8")
    caplog.set_level(logging.INFO, logger="bot.channels")

    channels = create_http_input_channels(None, str(credentials))
    app = configure_app(channels, enable_api=False, port=0)

    uris = {route.uri.rstrip("/") for route in app.router.routes}
    assert "/webhooks/rest/webhook" in uris
    for name in ("facebook", "telegram", "twilio"):
        assert not any(uri.startswith(f"/webhooks/{name}") for uri in uris), uris
    records = [r for r in caplog.records if r.name in PLATFORM_LOGGERS]
    lines = [r.getMessage() for r in records]
    assert len(lines) == 3, lines
    assert [line.split(" channel off")[0] for line in lines] == [
        "Messenger",
        "Telegram",
        "Twilio (SMS and WhatsApp)",
    ]
    assert all(r.levelno == logging.INFO for r in records)
