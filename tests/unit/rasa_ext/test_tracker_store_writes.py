"""BoundedSQLTrackerStore writes each event once, counting stored events only when it must."""

import asyncio
import copy

import pytest
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.tracker_store import BoundedSQLTrackerStore

DOMAIN = Domain.from_yaml("slots:\n  pain_location:\n    type: text\n    mappings: []\n")


class RecordingBroker(EventBroker):
    """An event broker that keeps what it is asked to publish."""

    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, event: dict) -> None:
        self.published.append(event)


def opening(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender,
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        DOMAIN.slots,
    )


def turn(text: str) -> list:
    return [UserUttered(text), ActionExecuted("utter_ask"), ActionExecuted("action_listen")]


@pytest.fixture
def store(tmp_path):
    made = BoundedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    counts = []

    @sa.event.listens_for(made.engine, "before_cursor_execute")
    def remember(_conn, _cursor, statement, *_args):
        if "count(" in statement.lower():
            counts.append(statement)

    made.count_queries = counts
    yield made
    made.engine.dispose()


def stored_texts(store, sender) -> list[str]:
    tracker = asyncio.run(store.retrieve_full_tracker(sender))
    return [e.text if isinstance(e, UserUttered) else type(e).__name__ for e in tracker.events]


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_tracker_read_from_the_store_is_saved_without_a_count_query(store):
    run(store.save(opening("a")))
    for text in ("my back hurts", "3 weeks", "no"):
        tracker = run(store.retrieve("a"))
        for event in turn(text):
            tracker.update(event)
        before = len(store.count_queries)
        run(store.save(tracker))
        assert len(store.count_queries) == before
    users = [e for e in run(store.retrieve_full_tracker("a")).events if isinstance(e, UserUttered)]
    assert [e.text for e in users] == ["my back hurts", "3 weeks", "no"]
    assert len(run(store.retrieve_full_tracker("a")).events) == 3 + 3 * 3


def test_saving_the_same_tracker_twice_writes_only_what_is_new(store):
    run(store.save(opening("b")))
    tracker = run(store.retrieve("b"))
    for event in turn("first"):
        tracker.update(event)
    run(store.save(tracker))
    tracker.update(SlotSet("pain_location", "low_back"))
    run(store.save(tracker))
    events = list(run(store.retrieve_full_tracker("b")).events)
    assert len(events) == 3 + 3 + 1
    assert [type(e).__name__ for e in events[-2:]] == ["ActionExecuted", "SlotSet"]


def test_a_copy_or_a_tracker_built_elsewhere_is_counted_as_rasa_does(store):
    run(store.save(opening("c")))
    tracker = copy.deepcopy(run(store.retrieve("c")))
    for event in turn("from a copy"):
        tracker.update(event)
    before = len(store.count_queries)
    run(store.save(tracker))
    assert len(store.count_queries) == before + 1
    assert len(run(store.retrieve_full_tracker("c")).events) == 6


def test_a_new_session_in_the_same_tracker_is_not_written_twice(store):
    run(store.save(opening("d")))
    tracker = run(store.retrieve("d"))
    for event in [ActionExecuted("action_session_start"), SessionStarted(), *turn("again")]:
        tracker.update(event)
    run(store.save(tracker))
    tracker.update(SlotSet("pain_location", "buttock"))
    run(store.save(tracker))
    assert len(run(store.retrieve_full_tracker("d")).events) == 3 + 2 + 3 + 1
    latest_session = list(run(store.retrieve("d")).events)  # from SessionStarted on
    assert [type(e).__name__ for e in latest_session] == [
        "SessionStarted", "UserUttered", "ActionExecuted", "ActionExecuted", "SlotSet",
    ]  # fmt: skip


def test_the_event_broker_gets_each_new_event_once(store):
    broker = RecordingBroker()
    store.event_broker = broker
    run(store.save(opening("e")))
    assert len(broker.published) == 3
    tracker = run(store.retrieve("e"))
    for event in turn("pins and needles"):
        tracker.update(event)
    run(store.save(tracker))
    assert [e["event"] for e in broker.published[3:]] == ["user", "action", "action"]
    assert broker.published[3]["text"] == "pins and needles"
    assert all(e["sender_id"] == "e" for e in broker.published)
