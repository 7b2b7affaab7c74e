"""A stand-in Rasa server for the widget's connection tests: the real signed socket.io
channel on a Sanic app configured like ``rasa run`` (same CORS setup), with a scripted
bot instead of a model, so the server can be stopped and restarted in a second.

``python -m tests.browser.scripted_rasa --port P --var-dir D --cors ORIGIN [ORIGIN ...]``

Script: ``/greet`` gets a welcome and a question with two buttons; ``slow: X`` answers
after two seconds; anything else is echoed back as ``Echo: X``.
"""

from __future__ import annotations

import argparse
import asyncio
import os

from rasa.core.channels.channel import UserMessage
from rasa.server import configure_cors
from sanic import Sanic, response

from bot.channels.signed_socketio import SignedSocketIOInput

CREDENTIALS = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "session_persistence": True,
}


async def scripted_bot(message: UserMessage) -> None:
    out, to, text = message.output_channel, message.sender_id, message.text or ""
    if text == "/greet":
        await out.send_text_message(to, "Hi, I'm the **scripted** bot.")
        buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
        await out.send_text_with_buttons(to, "Shall we start?", buttons)
    elif text.startswith("slow:"):
        await asyncio.sleep(2)
        await out.send_text_message(to, f"Echo: {text}")
    else:
        await out.send_text_message(to, f"Echo: {text}")


def build(cors: list[str]) -> Sanic:
    app = Sanic("scripted_rasa")
    configure_cors(app, cors or "*")
    channel = SignedSocketIOInput.from_credentials(CREDENTIALS)
    app.blueprint(channel.blueprint(scripted_bot))

    @app.get("/health")
    async def health(_request):
        return response.json({"status": "ok"})

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--cors", nargs="*", default=[])
    args = parser.parse_args()
    os.environ["BACKCHAT_VAR_DIR"] = args.var_dir
    build(args.cors).run(host="127.0.0.1", port=args.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
