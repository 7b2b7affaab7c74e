"""``backchat review export``: staff corrections as project data, scrubbed.

Writes the corrected messages as Rasa NLU examples (data/nlu-reviewed.yml) and the
categorised conversations as evaluation visitors (tests/eval/reviewed.yml). A message
whose scrubbed text still looks personal is held back for a person to rewrite in the
staff area; an example already in data/ under the same intent is skipped; one that
data/ (or another correction) gives another intent is a conflict: listed, not written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.store import Store, labels
from bot.store.events import conversation_events, has_events_table
from bot.store.transcript import final_slots
from bot.store.turns import Turn, split_turns

from . import nlu_file, regression
from .scrub import scrub, still_personal

ROOT = Path(__file__).resolve().parents[2]
NLU_PATH = ROOT / "data" / nlu_file.REVIEWED_NAME
EVAL_PATH = ROOT / "tests" / "eval" / "reviewed.yml"
EVAL_HEADER = (
    "# Written by `backchat review export` from conversations staff categorised (scrubbed).\n"
    "# Schema: bot/evaluation/visitors.py. Do not edit by hand: export again.\n"
)


@dataclass(frozen=True)
class Conflict:
    text: str
    intents: tuple[str, ...]  # every intent the text was given
    where: str  # "data/" or "staff corrections"


@dataclass
class Exported:
    examples: int = 0
    duplicates: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    held_messages: list[tuple[str, int, str]] = field(default_factory=list)
    conversations: int = 0
    held_conversations: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "examples": self.examples,
            "duplicates": self.duplicates,
            "conflicts": len(self.conflicts),
            "held_messages": len(self.held_messages),
            "conversations": self.conversations,
            "held_conversations": len(self.held_conversations),
        }


def _turns(store: Store, sender_id: str) -> tuple[list[Turn], dict]:
    if not has_events_table(store.tracker):
        return [], {}
    with store.tracker.connect() as conn:
        events = conversation_events(conn, store.events, sender_id)
    return split_turns(events, store.low_confidence), final_slots(events)


def _examples(store: Store, turns_of, data_dir: Path, done: Exported) -> dict[str, list[str]]:
    """intent -> texts to write; fills duplicates, conflicts and held messages."""
    existing = nlu_file.existing_examples(data_dir)
    wanted: dict[str, tuple[str, set[str]]] = {}  # normalised -> (text, staff intents)
    for label in labels.all_message_labels(store):
        if not label.intent:
            continue
        turn = next((t for t in turns_of(label.sender_id)[0] if t.event_id == label.event_id), None)
        said = label.text or (turn.text if turn else None)
        if not said:
            continue
        text = nlu_file.one_line(scrub(said).text)
        left = still_personal(text)
        if left:
            done.held_messages.append((label.sender_id, label.event_id, ", ".join(left)))
            continue
        key = nlu_file.normalise(text)
        wanted.setdefault(key, (text, set()))[1].add(label.intent)
    by_intent: dict[str, list[str]] = {}
    for key, (text, intents) in sorted(wanted.items()):
        if len(intents) > 1:
            done.conflicts.append(Conflict(text, tuple(sorted(intents)), "staff corrections"))
            continue
        [intent] = intents
        known = existing.get(key, set())
        if known - {intent}:
            done.conflicts.append(Conflict(text, tuple(sorted(known | {intent})), "data/"))
        elif intent in known:
            done.duplicates += 1
        else:
            by_intent.setdefault(intent, []).append(text)
            done.examples += 1
    return by_intent


def _visitors(store: Store, turns_of, done: Exported) -> list[dict]:
    visitors = []
    for conversation in labels.all_conversation_labels(store):
        turns, slots = turns_of(conversation.sender_id)
        by_event = labels.message_labels_of(store, conversation.sender_id)
        flags = slots.get("red_flags") if isinstance(slots.get("red_flags"), list) else []
        built = regression.build(conversation.sender_id, turns, conversation, by_event, flags)
        if built.visitor is None:
            done.held_conversations.append((conversation.sender_id, "; ".join(built.held)))
            continue
        visitors.append(built.visitor)
    done.conversations = len(visitors)
    return visitors


def export(
    store: Store,
    nlu_path: Path = NLU_PATH,
    eval_path: Path = EVAL_PATH,
    data_dir: Path = ROOT / "data",
) -> Exported:
    """Write both files from the staff corrections; returns what was written and left."""
    cache: dict[str, tuple[list[Turn], dict]] = {}

    def turns_of(sender_id: str) -> tuple[list[Turn], dict]:
        if sender_id not in cache:
            cache[sender_id] = _turns(store, sender_id)
        return cache[sender_id]

    done = Exported()
    by_intent = _examples(store, turns_of, Path(data_dir), done)
    visitors = _visitors(store, turns_of, done)
    Path(nlu_path).parent.mkdir(parents=True, exist_ok=True)
    Path(nlu_path).write_text(nlu_file.render(by_intent), encoding="utf-8")
    body = yaml.safe_dump({"visitors": visitors}, sort_keys=False, allow_unicode=True, width=100)
    Path(eval_path).parent.mkdir(parents=True, exist_ok=True)
    Path(eval_path).write_text(EVAL_HEADER + body, encoding="utf-8")
    return done
