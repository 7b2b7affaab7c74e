"""``python -m bot.web --host H --port P``: serve the web app."""

import argparse

from bot.web.app import build_app


def main() -> None:
    parser = argparse.ArgumentParser(description="BackChat web app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    build_app().run(host=args.host, port=args.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
