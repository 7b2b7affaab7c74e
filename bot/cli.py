"""``backchat``: the operator's command for the staff area.

    backchat staff add NAME [--role staff|admin]   password from a prompt, or one line on stdin
    backchat staff remove NAME
    backchat staff passwd NAME
    backchat staff list
    backchat purge [--days N]          delete conversations older than N days
                                       (default BACKCHAT_STAFF_RETENTION_DAYS)
    backchat forget SENDER_ID          delete everything about one visitor
    backchat refresh [--rebuild]       bring the staff read model up to date
    backchat review export --admin NAME [--nlu PATH] [--eval PATH]
                                       staff corrections as data/nlu-reviewed.yml and
                                       tests/eval/reviewed.yml (scrubbed; an admin's
                                       password from a prompt or stdin)

``pip install -e .`` installs the ``backchat`` command (pyproject.toml); from a checkout,
``python -m bot.cli ...`` does the same. Databases come from the same environment as the web
app (bot/web/staff/config.py); every change is written to the staff audit log.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.review import export as review_export
from bot.runtime.settings import load_settings
from bot.store import Store, accounts, audit, open_store, retention, summary
from bot.store.schema import ROLES
from bot.web.staff.config import load_config


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in this environment
        return "cli"


def read_password(stdin: TextIO, prompt: Callable[[str], str] = getpass.getpass) -> str:
    """From a prompt (asked twice) on a terminal, else the first line of stdin."""
    if stdin.isatty():
        first = prompt("Password: ")
        if prompt("Same password again: ") != first:
            raise accounts.AccountError("the two passwords differ")
        return first
    return stdin.readline().rstrip("\r\n")


def _staff(store: Store, args, out: TextIO, stdin: TextIO) -> int:
    if args.action == "list":
        for user in accounts.list_users(store):
            out.write(f"{user['name']}\t{user['role']}\n")
        return 0
    if args.action == "add":
        user = accounts.add_user(store, args.name, read_password(stdin), args.role)
        audit.record(store, _actor(), "account_add", user.name, {"role": user.role})
        out.write(f"added {user.name} ({user.role})\n")
        return 0
    if args.action == "passwd":
        if not accounts.set_password(store, accounts.check_name(args.name), read_password(stdin)):
            raise accounts.AccountError(f"there is no account named {args.name!r}")
        audit.record(store, _actor(), "account_password", args.name)
        out.write(f"password changed for {args.name}; its sessions have ended\n")
        return 0
    name = args.name.strip().lower()
    if not accounts.remove_user(store, name):
        raise accounts.AccountError(f"there is no account named {name!r}")
    audit.record(store, _actor(), "account_remove", name)
    out.write(f"removed {name}\n")
    return 0


def _review(store: Store, args, out: TextIO, stdin: TextIO) -> int:
    """Export staff corrections: only an admin, who gives their password; audited."""
    user = accounts.authenticate(store, args.admin, read_password(stdin))
    if user is None or not user.is_admin:
        audit.record(store, f"{_actor()} as {args.admin}", "review_export_refused")
        raise accounts.AccountError("an admin's name and password are needed to export")
    summary.refresh(store)
    done = review_export.export(store, Path(args.nlu), Path(args.eval))
    detail = dict(done.summary(), nlu=str(args.nlu), eval=str(args.eval))
    audit.record(store, f"{user.name} ({_actor()})", "review_export", None, detail)
    out.write(
        f"{args.nlu}: {done.examples} example(s); {done.duplicates} already in data/ skipped\n"
        f"{args.eval}: {done.conversations} conversation(s)\n"
    )
    for conflict in done.conflicts:
        intents = ", ".join(conflict.intents)
        out.write(f"conflict ({conflict.where}), not written: {conflict.text!r} -> {intents}\n")
    for sender, event_id, why in done.held_messages:
        out.write(f"held back for a person to rewrite: message {event_id} of {sender}: {why}\n")
    for sender, why in done.held_conversations:
        out.write(f"conversation held back: {sender}: {why}\n")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="backchat", description="BackChat operator commands")
    sub = p.add_subparsers(dest="command", required=True)
    staff = sub.add_parser("staff", help="staff accounts")
    actions = staff.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add an account (password from a prompt or stdin)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="staff")
    for name, text in (("remove", "remove an account"), ("passwd", "set a new password")):
        actions.add_parser(name, help=text).add_argument("name")
    actions.add_parser("list", help="list accounts")
    purge = sub.add_parser("purge", help="delete conversations older than N days")
    purge.add_argument("--days", type=int, help="default: BACKCHAT_STAFF_RETENTION_DAYS")
    forget = sub.add_parser("forget", help="delete everything about one visitor")
    forget.add_argument("sender_id")
    refresh = sub.add_parser("refresh", help="update the staff read model from Rasa's events")
    refresh.add_argument("--rebuild", action="store_true", help="drop it and fold everything")
    review = sub.add_parser("review", help="staff corrections as training and evaluation data")
    review_actions = review.add_subparsers(dest="action", required=True)
    exporting = review_actions.add_parser("export", help="write the reviewed data (admins only)")
    exporting.add_argument("--admin", required=True, help="an admin account (password asked)")
    exporting.add_argument("--nlu", default=str(review_export.NLU_PATH), help="NLU YAML to write")
    exporting.add_argument("--eval", default=str(review_export.EVAL_PATH), help="visitors file")
    return p


def main(
    argv: list[str] | None = None,
    out: TextIO = sys.stdout,
    stdin: TextIO = sys.stdin,
    err: TextIO = sys.stderr,
) -> int:
    args = parser().parse_args(argv)
    config = load_config(load_settings())
    store = open_store(config.tracker_url, config.staff_url, low_confidence=config.low_confidence)
    try:
        store.migrate()
        if args.command == "staff":
            return _staff(store, args, out, stdin)
        if args.command == "review":
            return _review(store, args, out, stdin)
        if args.command == "refresh":
            done = summary.rebuild(store) if args.rebuild else summary.refresh(store)
            out.write(f"folded {done.events} new event(s) of {done.visitors} visitor(s)\n")
            return 0
        if args.command == "forget":
            done = retention.forget(store, args.sender_id)
            name = done.pseudonyms.get(args.sender_id)  # the log must not keep the id
            audit.record(store, _actor(), "forget", name, {"events": done.events})
            out.write(f"deleted {done.events} event(s) and the staff records of {args.sender_id}\n")
            return 0
        days = args.days or config.retention_days
        if not days or days < 1:
            err.write("backchat: give --days N (or set BACKCHAT_STAFF_RETENTION_DAYS)\n")
            return 2
        summary.refresh(store)
        done = retention.purge(store, days)
        detail = {"days": days, "conversations": done.conversations, "events": done.events}
        audit.record(store, _actor(), "purge", None, detail)
        out.write(f"deleted {done.conversations} conversation(s), {done.events} event(s)\n")
        return 0
    except accounts.AccountError as problem:
        err.write(f"backchat: {problem}\n")
        return 1
    finally:
        store.dispose()


if __name__ == "__main__":
    sys.exit(main())
