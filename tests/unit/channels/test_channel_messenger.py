"""The Messenger channel in-process: a scripted bot, the fake Graph API, signed webhooks."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels.buttons import needs_numbers, quick_reply_message
from bot.channels.env_credentials import expand, read_config
from bot.channels.messenger import REQUIRED, VerifiedMessengerInput
from bot.channels.verification import Verdict, check_meta_signature
from tests.support import payloads
from tests.support.channel_harness import YES_NO, ScriptedBot, mutations, post, serving, text
from tests.support.fake_platforms import FakePlatforms

SECRET = "app-secret-for-unit-tests"
ENV = {
    "FACEBOOK_VERIFY_TOKEN": "verify",
    "FACEBOOK_APP_SECRET": SECRET,
    "FACEBOOK_PAGE_ACCESS_TOKEN": "PAGE-TOKEN",
}
RED_FLAG_CHECK = [
    {"title": "Trouble with bladder or bowel control", "payload": "/red_flag_1"},
    {"title": "Numbness around groin or bottom", "payload": "/red_flag_2"},
    {"title": "None of these", "payload": "/inform"},
]


def run(scenario) -> Any:
    return asyncio.run(scenario())


async def with_channel(bot: ScriptedBot, requests: list[bytes], channel=None):
    """Post each (signed) body; return the responses and the fake's recorded calls."""
    fake = FakePlatforms()
    async with fake.serve() as api:
        channel = channel or VerifiedMessengerInput(
            "verify", SECRET, "PAGE-TOKEN", api_url=f"{api}/facebook"
        )
        async with serving(channel, bot) as url:
            results = [await post(url, b, payloads.messenger_headers(SECRET, b)) for b in requests]
    return results, fake


# ---- signatures -----------------------------------------------------------------------


def test_the_sha256_signature_is_checked_over_the_raw_body():
    body = b'{"object":"page"}'
    good = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert check_meta_signature(SECRET, body, good) is Verdict.VALID
    assert check_meta_signature(SECRET, body, good.upper().replace("SHA256", "sha256")) is (
        Verdict.VALID
    )
    assert check_meta_signature(SECRET, body, None) is Verdict.MISSING
    assert check_meta_signature(SECRET, body, "") is Verdict.MISSING
    assert check_meta_signature(SECRET, body + b" ", good) is Verdict.FORGED
    assert check_meta_signature("other", body, good) is Verdict.FORGED
    sha1 = "sha1=" + hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest()
    assert check_meta_signature(SECRET, body, sha1) is Verdict.FORGED
    assert check_meta_signature(SECRET, body, "sha256") is Verdict.FORGED


def test_the_comparison_is_constant_time(monkeypatch):
    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: compared.append(1) or real(a, b))
    check_meta_signature(SECRET, b"{}", "sha256=00")
    assert compared


# ---- quick replies --------------------------------------------------------------------


def test_up_to_13_short_options_are_quick_replies_in_order():
    buttons = [{"title": f"Option {n}", "payload": f"/p{n}"} for n in range(13)]
    message = quick_reply_message("Pick one", buttons)
    assert message["text"] == "Pick one"
    assert [q["payload"] for q in message["quick_replies"]] == [f"/p{n}" for n in range(13)]
    assert all(q["content_type"] == "text" for q in message["quick_replies"])


def test_long_titles_are_cut_and_listed_in_full():
    message = quick_reply_message("Is it any of these?", RED_FLAG_CHECK)
    assert message["text"].endswith(
        "1. Trouble with bladder or bowel control\n"
        "2. Numbness around groin or bottom\n"
        "3. None of these"
    )
    titles = [q["title"] for q in message["quick_replies"]]
    assert titles == ["Trouble with bladde…", "Numbness around gro…", "None of these"]
    assert all(len(t) <= 20 for t in titles)


def test_more_than_13_options_are_all_listed_and_13_are_quick_replies():
    buttons = [{"title": f"Choice {n}", "payload": f"/p{n}"} for n in range(1, 16)]
    assert needs_numbers(buttons)
    message = quick_reply_message("Pick", buttons)
    assert len(message["quick_replies"]) == 13
    assert "15. Choice 15" in message["text"]


def test_link_buttons_go_in_the_text():
    buttons = [*YES_NO[:2], {"title": "Book", "url": "https://example-clinic.ca/book"}]
    message = quick_reply_message("Ready?", buttons)
    assert message["text"] == "Ready?\n\nBook: https://example-clinic.ca/book"
    assert [q["title"] for q in message["quick_replies"]] == ["Yes", "No"]


# ---- the webhook ----------------------------------------------------------------------


def test_replies_reach_the_graph_api_with_quick_replies_and_appsecret_proof():
    bot = ScriptedBot(lambda said: [text("Hello!"), text("Numb?", buttons=YES_NO)])
    results, fake = run(lambda: with_channel(bot, [payloads.messenger_text("42", "hi")]))
    assert results == [(200, "success")]
    assert bot.handled[0][:2] == ("facebook:42", "hi")
    assert bot.handled[0][2].startswith("m_")  # Meta's message id goes to the tracker
    assert fake.messenger_messages("42") == [
        {"text": "Hello!"},
        {"text": "Numb?", "quick_replies": [dict(content_type="text", **b) for b in YES_NO]},
    ]
    assert fake.messenger_actions("42") == ["mark_seen", "typing_on", "typing_off"]
    proof = hmac.new(SECRET.encode(), b"PAGE-TOKEN", hashlib.sha256).hexdigest()
    assert fake.calls[0].query == {"access_token": "PAGE-TOKEN", "appsecret_proof": proof}


def test_every_event_of_a_batch_is_handled_and_echoes_are_not():
    body = json.loads(payloads.messenger_text("1", "first"))
    second = json.loads(payloads.messenger_postback("2", "Yes", "/affirm"))
    echo = json.loads(payloads.messenger_text("3", "echo"))
    echo["entry"][0]["messaging"][0]["message"]["is_echo"] = True
    read = {"sender": {"id": "1"}, "recipient": {"id": "p"}, "read": {"watermark": 1}}
    body["entry"] += second["entry"] + echo["entry"]
    body["entry"][0]["messaging"].append(read)
    bot = ScriptedBot()
    results, _ = run(lambda: with_channel(bot, [json.dumps(body).encode()]))
    assert results == [(200, "success")]
    handled = [(s, t) for s, t, _ in bot.handled]
    assert handled == [("facebook:1", "first"), ("facebook:2", "/affirm")]


def test_a_request_with_only_reads_and_deliveries_reaches_no_bot():
    body = json.loads(payloads.messenger_text("1", "x"))
    body["entry"][0]["messaging"] = [
        {"sender": {"id": "1"}, "recipient": {"id": "p"}, "delivery": {"mids": ["m_1"]}}
    ]
    bot = ScriptedBot()
    results, _ = run(lambda: with_channel(bot, [json.dumps(body).encode()]))
    assert results == [(200, "success")] and bot.handled == []


def test_a_bot_failure_still_answers_200_and_stops_typing():
    bot = ScriptedBot()
    results, fake = run(lambda: with_channel(bot, [payloads.messenger_text("7", "crash")]))
    assert results == [(200, "success")]
    assert fake.messenger_actions("7")[-1] == "typing_off"


def test_a_typed_number_picks_from_a_numbered_list_only():
    def events(buttons):
        async def events_of(app, sender_id):
            return [UserUttered("hi"), BotUttered("Which?", {"buttons": buttons})]

        return events_of

    for buttons, expected in ((RED_FLAG_CHECK, "/red_flag_2"), (YES_NO, "2")):
        bot = ScriptedBot()

        async def scenario(buttons=buttons, bot=bot):
            fake = FakePlatforms()
            async with fake.serve() as api:
                channel = VerifiedMessengerInput("v", SECRET, "T", api_url=f"{api}/facebook")
                channel.events_of = events(buttons)
                async with serving(channel, bot) as url:
                    body = payloads.messenger_text("5", "2")
                    return await post(url, body, payloads.messenger_headers(SECRET, body))

        assert run(scenario) == (200, "success")
        assert bot.texts == [expected]


def test_the_verify_handshake_needs_the_token():
    import aiohttp

    async def scenario():
        channel = VerifiedMessengerInput("the-token", SECRET, "T")
        async with serving(channel, ScriptedBot()) as url, aiohttp.ClientSession() as http:
            answers = []
            for token in ("the-token", "wrong", ""):
                query = {"hub.mode": "subscribe", "hub.challenge": "31", "hub.verify_token": token}
                async with http.get(url, params=query) as response:
                    answers.append((response.status, await response.text()))
            return answers

    assert run(scenario) == [
        (200, "31"),
        (403, "invalid verify token"),
        (403, "invalid verify token"),
    ]


# ---- credentials ----------------------------------------------------------------------


def test_references_expand_from_the_environment_and_unset_means_unset():
    env = {"A": "x", "EMPTY": ""}
    assert expand("${A}", env) == ("x", [])
    assert expand("https://${A}/path", env) == ("https://x/path", [])
    assert expand("literal", env) == ("literal", [])
    assert expand("${B}", env) == (None, ["B"])
    assert expand("${EMPTY}", env) == (None, ["EMPTY"])
    assert expand(None, env) == (None, [])


def test_the_channel_is_off_with_one_line_when_its_variables_are_unset(monkeypatch, caplog):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.INFO, logger="bot.channels")
    channel = VerifiedMessengerInput.from_credentials(dict(REQUIRED))
    assert not channel.enabled and channel.get_output_channel() is None
    lines = [r for r in caplog.records if r.name.startswith("bot.channels")]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO
    assert "FACEBOOK_VERIFY_TOKEN, FACEBOOK_APP_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN" in (
        lines[0].getMessage()
    )

    async def scenario():
        async with serving(channel, ScriptedBot()) as url:
            body = payloads.messenger_text("1", "hi")
            return await post(url, body, payloads.messenger_headers(SECRET, body))

    assert run(scenario)[0] == 404  # no webhook at all


def test_a_partly_configured_channel_warns(monkeypatch, caplog):
    monkeypatch.setenv("FACEBOOK_VERIFY_TOKEN", "v")
    monkeypatch.delenv("FACEBOOK_APP_SECRET", raising=False)
    monkeypatch.delenv("FACEBOOK_PAGE_ACCESS_TOKEN", raising=False)
    VerifiedMessengerInput.from_credentials(None)  # an empty entry reads the same variables
    assert [r.levelno for r in caplog.records if r.name.startswith("bot.channels")] == [
        logging.WARNING
    ]


def test_all_variables_set_turn_it_on_with_the_api_url(monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("FACEBOOK_API_URL", "http://127.0.0.1:9/facebook")
    channel = VerifiedMessengerInput.from_credentials(
        {**REQUIRED, "api_url": "${FACEBOOK_API_URL}"}
    )
    assert channel.enabled and channel.fb_secret == SECRET
    graph = channel.get_output_channel().messenger_client.graph_url
    assert graph.startswith("http://127.0.0.1:9/facebook/v")
    config = read_config({"verify": "typed-in"}, REQUIRED, env=ENV)
    assert config.get("verify") == "typed-in"  # a value without ${...} is used as written


def test_no_signed_body_makes_it_answer_500():
    documents = [
        json.loads(payloads.messenger_text("1", "hi")),
        json.loads(payloads.messenger_quick_reply("1", "Yes", "/affirm")),
        json.loads(payloads.messenger_postback("1", "Yes", "/affirm")),
    ]
    bodies = []
    for document in documents:
        event = document["entry"][0]["messaging"][0]
        mid = (event.get("message") or event["postback"])["mid"]
        for variant in mutations(document):  # each with a message id of its own
            bodies.append(json.dumps(variant).replace(mid, f"{mid}-{len(bodies)}").encode())
    results, _ = run(lambda: with_channel(ScriptedBot(), bodies))
    assert len(bodies) > 300
    assert {status for status, _ in results} <= {200, 400}
