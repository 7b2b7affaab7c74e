"""The signed socket.io channel, served by Sanic in-process and driven by socket.io clients.

A scripted bot stands in for Rasa: it records (sender, text) and answers ``echo: text``
through the channel's output, exactly as Rasa's agent would.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import socketio
from sanic import Sanic

from bot.channels.session_tokens import SECRET_ENV, SessionSigner, session_id_of
from bot.channels.signed_socketio import SignedSocketIOInput, SignedSocketIOOutput
from tests.support.servers import serving_app

SECRET = b"unit-test secret, long enough to sign"
QUIET_S = 0.4  # how long "receives nothing" waits after the legitimate reply arrived
_app_names = itertools.count()


class ScriptedBot:
    def __init__(self, fail_on: str | None = None):
        self.handled: list[tuple[str, str]] = []
        self.fail_on = fail_on

    async def __call__(self, message) -> None:
        self.handled.append((message.sender_id, message.text))
        if message.text == self.fail_on:
            raise RuntimeError("the bot broke")
        await message.output_channel.send_text_message(message.sender_id, f"echo: {message.text}")


def make_channel(**kwargs: Any) -> SignedSocketIOInput:
    channel = SignedSocketIOInput(session_persistence=True, **kwargs)
    channel.signer = SessionSigner(SECRET)
    return channel


@contextlib.asynccontextmanager
async def serving(channel: SignedSocketIOInput, bot: ScriptedBot):
    app = Sanic(f"signed_socketio_test_{next(_app_names)}")
    app.blueprint(channel.blueprint(bot))
    async with serving_app(app) as url:
        yield url


class Visitor:
    """One browser tab, as far as the protocol goes."""

    def __init__(self, url: str):
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.bot_messages: list[dict] = []
        self.confirmations: asyncio.Queue = asyncio.Queue()
        self.client.on("bot_uttered", self._on_bot)
        self.client.on("session_confirm", self._on_confirm)

    async def _on_bot(self, data):
        self.bot_messages.append(data)

    async def _on_confirm(self, data):
        await self.confirmations.put(data)

    async def __aenter__(self) -> Visitor:
        await self.client.connect(self.url, transports=["polling"])
        return self

    async def __aexit__(self, *exc) -> None:
        # Without waiting for the pending long-poll (aiohttp 3.9 has no websocket client
        # for engine.io 4.15, so these clients poll).
        await self.client.eio.disconnect(abort=True)

    async def session(self, data: Any = None) -> str:
        await self.client.emit("session_request", data)
        return await asyncio.wait_for(self.confirmations.get(), 5)

    async def say(self, text: str, **extra: Any) -> dict:
        return await self.client.call("user_uttered", {"message": text, **extra}, timeout=5)

    def texts(self) -> list[str]:
        return [m.get("text") for m in self.bot_messages]


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch):
    """Several Sanic apps in one process, one after the other."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@contextlib.asynccontextmanager
async def visitors(url: str, count: int):
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(Visitor(url)) for _ in range(count)]


def run(scenario) -> Any:
    """asyncio.run in a thread of its own, so that it works whatever loop this thread has
    (Playwright's sync API keeps one running when the browser tests share the session)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result()


def test_a_new_visitor_gets_a_signed_session_and_the_replies():
    bot = ScriptedBot()

    async def scenario():
        async with serving(make_channel(), bot) as url, Visitor(url) as visitor:
            token = await visitor.session({"session_id": None})
            assert SessionSigner(SECRET).verify(token) == session_id_of(token)
            assert await visitor.say("hello", session_id=token) == {"status": "ok"}
            assert visitor.texts() == ["echo: hello"]
            return token

    token = run(scenario)
    assert bot.handled == [(f"socketio:{session_id_of(token)}", "hello")]


def test_a_session_request_without_data_also_gets_a_session():
    async def scenario():
        async with serving(make_channel(), ScriptedBot()) as url, Visitor(url) as visitor:
            return await visitor.session()

    assert SessionSigner(SECRET).verify(run(scenario))


def test_a_signed_session_is_resumed_and_its_replies_reach_every_tab():
    """enter_room is awaited: the resumed socket joins the room the replies go to."""
    bot = ScriptedBot()

    async def scenario():
        async with serving(make_channel(), bot) as url:
            async with Visitor(url) as first:
                token = await first.session({"session_id": None})
            async with visitors(url, 2) as (tab, other_tab):
                resumed = await tab.session({"session_id": token})
                await other_tab.session({"session_id": token})
                assert session_id_of(resumed) == session_id_of(token)
                await tab.say("I'm back")
                await asyncio.sleep(QUIET_S)
                assert tab.texts() == ["echo: I'm back"]
                assert other_tab.texts() == ["echo: I'm back"]
                return token

    token = run(scenario)
    assert {sender for sender, _ in bot.handled} == {f"socketio:{session_id_of(token)}"}


def forgeries(token: str) -> list[Any]:
    session_id, issued, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    foreign = SessionSigner(b"someone else's secret, long too").issue(session_id)
    return [
        session_id,  # the bare id, as Rasa's own channel accepts
        f"{session_id}.{issued}.{flipped}",  # altered signature
        foreign,  # right id, signed with another secret
        f"{session_id}.{issued}",  # signature dropped
        f"{session_id}..{signature}",
        token.upper(),
        token + " ",
    ]


def test_a_forged_or_guessed_session_receives_nothing():
    bot = ScriptedBot()

    async def scenario():
        async with serving(make_channel(), bot) as url, Visitor(url) as owner:
            token = await owner.session({"session_id": None})
            attackers = []
            for forged in forgeries(token):
                attacker = Visitor(url)
                await attacker.__aenter__()
                given = await attacker.session({"session_id": forged})
                assert session_id_of(given) != session_id_of(token), forged
                attackers.append(attacker)
            await owner.say("my private symptoms")
            await asyncio.sleep(QUIET_S)
            assert owner.texts() == ["echo: my private symptoms"]
            for attacker in attackers:
                assert attacker.bot_messages == []
                await attacker.__aexit__()

    run(scenario)


def test_a_message_naming_another_session_stays_in_the_senders_own_session():
    bot = ScriptedBot()

    async def scenario():
        async with serving(make_channel(), bot) as url, visitors(url, 2) as (owner, attacker):
            token = await owner.session({"session_id": None})
            own = await attacker.session({"session_id": None})
            await attacker.say("injected", session_id=token)
            await asyncio.sleep(QUIET_S)
            assert owner.bot_messages == []
            assert attacker.texts() == ["echo: injected"]
            return token, own

    token, own = run(scenario)
    assert bot.handled == [(f"socketio:{session_id_of(own)}", "injected")]


def test_a_message_before_any_session_is_refused():
    bot = ScriptedBot()

    async def scenario():
        async with serving(make_channel(), bot) as url, Visitor(url) as visitor:
            return await visitor.say("hello", session_id="0" * 32)

    assert run(scenario) == {"status": "error", "error": "no_session"}
    assert bot.handled == []


def test_starting_over_leaves_the_old_conversation():
    bot = ScriptedBot()

    async def scenario():
        async with serving(make_channel(), bot) as url, visitors(url, 2) as (tab, old_tab):
            first = await tab.session({"session_id": None})
            await old_tab.session({"session_id": first})
            second = await tab.session({"session_id": None})
            assert session_id_of(second) != session_id_of(first)
            await old_tab.say("still in the old one")
            await tab.say("new start")
            await asyncio.sleep(QUIET_S)
            assert tab.texts() == ["echo: new start"]
            assert old_tab.texts() == ["echo: still in the old one"]

    run(scenario)


def test_a_resent_message_is_handled_once():
    bot = ScriptedBot()

    async def scenario():
        async with serving(make_channel(), bot) as url, Visitor(url) as visitor:
            await visitor.session()
            first = await visitor.say("my back hurts", message_id="m-1")
            again = await visitor.say("my back hurts", message_id="m-1")
            other = await visitor.say("my back hurts", message_id="m-2")
            return first, again, other

    assert run(scenario) == ({"status": "ok"}, {"status": "duplicate"}, {"status": "ok"})
    assert [text for _, text in bot.handled] == ["my back hurts", "my back hurts"]


@pytest.mark.parametrize(
    "payload, error",
    [
        ({"message": 42}, "bad_message"),
        ("just a string", "bad_message"),
    ],
)
def test_bad_messages_are_refused(payload, error):
    bot = ScriptedBot()

    async def scenario():
        async with serving(make_channel(), bot) as url, Visitor(url) as visitor:
            await visitor.session()
            return await visitor.client.call("user_uttered", payload, timeout=5)

    assert run(scenario) == {"status": "error", "error": error}
    assert bot.handled == []


def test_a_long_message_is_cut_with_a_notice():
    bot = ScriptedBot()

    async def scenario():
        async with serving(make_channel(), bot) as url, Visitor(url) as visitor:
            await visitor.session()
            ack = await visitor.say("x" * 100_000)
            await asyncio.sleep(QUIET_S)
            return ack, [m.get("text") for m in visitor.bot_messages]

    ack, texts = run(scenario)
    assert ack == {"status": "ok"}
    assert bot.handled and len(bot.handled[0][1]) == 2000
    assert "first 2,000 characters" in texts[0] and texts[1] == "echo: " + "x" * 2000


def test_a_failure_in_the_bot_is_acknowledged_as_an_error():
    async def scenario():
        broken = ScriptedBot(fail_on="boom")
        async with serving(make_channel(), broken) as url, Visitor(url) as visitor:
            await visitor.session()
            return await visitor.say("boom")

    assert run(scenario) == {"status": "error", "error": "server_error"}


def test_metadata_reaches_the_bot_as_a_dict():
    seen = []

    async def bot(message):
        seen.append(message.metadata)

    async def scenario():
        async with serving(make_channel(), bot) as url, Visitor(url) as visitor:
            await visitor.session()
            await visitor.say("a", metadata={"page": "/back-pain"})
            await visitor.say("b", metadata='{"page": "/faq"}')
            await visitor.say("c", metadata="not json")
            await visitor.say("d", metadata=["not", "a", "dict"])

    run(scenario)
    assert seen == [{"page": "/back-pain"}, {"page": "/faq"}, {}, {}]


def test_large_or_deep_metadata_is_refused_and_never_reaches_the_bot():
    """Issue 17: metadata is stored in every event; it was unbounded."""
    seen = []

    async def bot(message):
        seen.append(message.metadata)

    async def scenario():
        async with serving(make_channel(), bot) as url, Visitor(url) as visitor:
            await visitor.session()
            big = await visitor.say("a", metadata={"page": "x" * 5000})
            deep = await visitor.say("b", metadata={"a": {"b": {"c": {"d": {"e": 1}}}}})
            as_text = await visitor.say("c", metadata='{"page": "' + "x" * 5000 + '"}')
            return big, deep, as_text

    big, deep, as_text = run(scenario)
    assert big == deep == {"status": "error", "error": "bad_metadata"}
    assert as_text == {"status": "ok"}  # a long JSON string is not parsed: no metadata
    assert seen == [{}]


def test_custom_payloads_cannot_choose_their_room():
    class FakeSio:
        def __init__(self):
            self.emitted = []

        async def emit(self, event, data=None, room=None, namespace=None, **kwargs):
            self.emitted.append((event, data, room, namespace, kwargs))

    sio = FakeSio()
    output = SignedSocketIOOutput(sio, "bot_uttered", namespace="/chat")

    async def scenario():
        await output.send_custom_json("victim-room", {"room": "elsewhere", "data": "x"})
        await output.send_text_message("victim-room", "one\n\ntwo")

    run(scenario)
    assert [(room, ns) for _, _, room, ns, _ in sio.emitted] == [("victim-room", "/chat")] * 3
    assert sio.emitted[0][1] == {"custom": {"room": "elsewhere", "data": "x"}}


def test_from_credentials_generates_the_secret_in_the_state_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    monkeypatch.setenv("BACKCHAT_VAR_DIR", str(tmp_path))
    channel = SignedSocketIOInput.from_credentials(
        {
            "user_message_evt": "user_uttered",
            "bot_message_evt": "bot_uttered",
            "session_persistence": True,
            "session_max_age_s": 60,
            "max_message_length": 500,
        }
    )
    path = tmp_path / "session-secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert channel.signer.secret == path.read_text().strip().encode()
    assert channel.signer.max_age_s == 60
    assert channel.guard.limit == 500
    assert channel.user_message_evt == "user_uttered"
    again = SignedSocketIOInput.from_credentials({})
    assert again.signer.secret == channel.signer.secret, "the secret is reused"


def test_from_credentials_prefers_the_environment_secret(tmp_path, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "a secret from the environment")
    monkeypatch.setenv("BACKCHAT_VAR_DIR", str(tmp_path))
    channel = SignedSocketIOInput.from_credentials(None)
    assert channel.signer.secret == b"a secret from the environment"
    assert not (tmp_path / "session-secret").exists()


def test_the_channel_refuses_to_serve_without_a_signer():
    with pytest.raises(RuntimeError, match="signer"):
        SignedSocketIOInput().blueprint(ScriptedBot())
