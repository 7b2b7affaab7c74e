"""``backchat review export`` (bot/review/export.py, bot/cli.py): corrections become Rasa
NLU examples and evaluation visitors, scrubbed; duplicates skipped, conflicts listed,
personal leftovers held back; admins only, audited."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.evaluation.visitors import load_visitors
from bot.harness.staff import PASSWORD
from bot.review import export
from bot.review.facts import Fact
from bot.store import accounts, audit, labels, open_store, summary
from bot.store.seed import Built, ensure_events_table
from tests.support.staff import fresh_store, insert_rows, run_cli
from tests.unit.review.test_review_scrub import MIXED, PERSONAL

ROOT = Path(__file__).resolve().parents[3]
T0 = time.time() - 3600


def user_ids(store, sender):
    events = store.events
    with store.tracker.connect() as conn:
        rows = conn.execute(
            events.select()
            .where(events.c.sender_id == sender, events.c.type_name == "user")
            .order_by(events.c.id)
        ).all()
    return [r.id for r in rows]


@pytest.fixture
def store(tmp_path):
    with fresh_store("sqlite", tmp_path) as opened:
        yield opened


def run_export(store, tmp_path):
    nlu, visitors = tmp_path / "nlu-reviewed.yml", tmp_path / "reviewed.yml"
    done = export.export(store, nlu, visitors, ROOT / "data")
    return done, nlu, visitors


def nlu_examples(path: Path):
    data = RasaYAMLReader().reads(path.read_text(encoding="utf-8"))
    return {
        (m.get("text"), m.get("intent"), len(m.get("entities") or [])) for m in data.nlu_examples
    }


def test_corrections_become_examples_and_a_visitor(store, tmp_path):
    b = Built("sciatica-visitor", T0).session().loop("triage_form")
    b.user("my bum hurts and it zings down to my foot", "nlu_fallback", 0.3)
    b.action("action_handle_fallback").slot("requested_slot", "pain_duration_days")
    b.user("since the long weekend", "inform", 0.4).slot("requested_slot", "radiation")
    b.user("yeah down past the knee, call me Sarah at 780-555-0142", "affirm", 0.5)
    b.loop(None).action("action_assess_triage").slot("triage_result", "acute")
    insert_rows(store, b.rows)
    summary.refresh(store)
    first, second, third = user_ids(store, "sciatica-visitor")
    radiating = [Fact("radiation", "foot"), Fact("side", "left")]
    labels.set_message_label(store, "sciatica-visitor", first, "sam", "inform", radiating)
    labels.set_message_label(
        store, "sciatica-visitor", second, "sam", None, [Fact("duration_days", 10.0)]
    )
    labels.set_message_label(store, "sciatica-visitor", third, "sam", "affirm")
    labels.set_conversation_label(store, "sciatica-visitor", "sam", "sciatica")

    done, nlu, visitors = run_export(store, tmp_path)
    assert done.summary() == {
        **dict.fromkeys(("duplicates", "conflicts", "held_messages", "held_conversations"), 0),
        "examples": 2,
        "conversations": 1,
    }
    assert nlu_examples(nlu) == {
        ("my bum hurts and it zings down to my foot", "inform", 0),
        ("yeah down past the knee, call me [NAME] at [PHONE]", "affirm", 0),
    }
    [visitor] = load_visitors(visitors)
    assert visitor.opener == "my bum hurts and it zings down to my foot"
    assert dict(visitor.answers) == {
        "pain_duration_days": "since the long weekend",
        "radiation": "yeah down past the knee, call me [NAME] at [PHONE]",
    }
    assert visitor.expected == "sciatica" and visitor.expected_days == 10
    assert visitor.id.startswith("reviewed-") and "sciatica-visitor" not in visitors.read_text()


def test_duplicates_skipped_conflicts_listed_personal_held_back(store, tmp_path):
    rows = []
    said = {"a": "hi", "b": "Hello", "c": "what time do you open", "d": "what time do you open"}
    said["e"] = "my card is 1 2 3 4 5 6 7 8 9"
    for sender, text in said.items():
        rows += Built(sender, T0).session().user(text, "nlu_fallback", 0.3).rows
    insert_rows(store, rows)
    summary.refresh(store)
    [a], [b], [c], [d], [e] = (user_ids(store, s) for s in "abcde")
    labels.set_message_label(store, "a", a, "sam", "greet")  # already in data/nlu.yml
    labels.set_message_label(store, "b", b, "sam", "goodbye")  # data/ says greet
    labels.set_message_label(store, "c", c, "sam", "faq_hours")
    labels.set_message_label(store, "d", d, "ann", "faq_location")  # staff disagree
    labels.set_message_label(store, "e", e, "sam", "inform")
    done, nlu, _ = run_export(store, tmp_path)
    assert done.duplicates == 1 and done.examples == 0
    assert {(c.text, c.intents, c.where) for c in done.conflicts} == {
        ("Hello", ("goodbye", "greet"), "data/"),
        ("what time do you open", ("faq_hours", "faq_location"), "staff corrections"),
    }
    assert [(s, n) for s, n, _ in done.held_messages] == [("e", e)]
    assert nlu_examples(nlu) == set()
    # A person rewrites the held message in the staff area; the next export takes it.
    labels.set_message_label(store, "e", e, "sam", "inform", [], "my card number is here")
    done, nlu, _ = run_export(store, tmp_path)
    assert done.held_messages == [] and ("my card number is here", "inform", 0) in nlu_examples(nlu)


def test_an_emergency_names_its_red_flag_and_message(store, tmp_path):
    b = Built("urgent", T0).session()
    b.user("back pain and I cant feel my groin", "red_flag", 1.0)
    b.slot("red_flags", ["saddle_numbness"]).action("action_assess_triage")
    b.slot("triage_result", "emergency")
    insert_rows(store, b.rows)
    summary.refresh(store)
    labels.set_conversation_label(store, "urgent", "sam", "emergency")
    done, _, visitors = run_export(store, tmp_path)
    [visitor] = load_visitors(visitors)
    assert (visitor.red_flag.id, visitor.red_flag.said_in) == ("saddle_numbness", "opener")
    labels.set_conversation_label(store, "urgent", "sam", "acute")
    [visitor] = load_visitors(run_export(store, tmp_path)[2])
    assert visitor.red_flag is None and visitor.expected == "acute"


def test_an_emergency_without_a_red_flag_is_held_back(store, tmp_path):
    insert_rows(store, Built("vague", T0).session().user("it is bad", "inform").rows)
    summary.refresh(store)
    labels.set_conversation_label(store, "vague", "sam", "emergency")
    done, _, visitors = run_export(store, tmp_path)
    assert done.held_conversations == [("vague", "an emergency without a red flag marked present")]
    assert load_visitors(visitors) == []


def test_a_conversation_full_of_personal_details_exports_none_of_them(store, tmp_path):
    texts = [text for text, _, _ in PERSONAL] + [text for text, _ in MIXED]
    secrets = [secret for _, _, secret in PERSONAL] + [s for _, group in MIXED for s in group]
    b = Built("leaky", T0).session()
    for text in texts:
        b.user(text, "inform", 0.9)
    b.action("action_assess_triage").slot("triage_result", "acute")
    insert_rows(store, b.rows)
    summary.refresh(store)
    for n, event_id in enumerate(user_ids(store, "leaky")):
        labels.set_message_label(
            store, "leaky", event_id, "sam", "inform" if n % 2 else "ask_question"
        )
    labels.set_conversation_label(store, "leaky", "sam", "acute")
    done, nlu, visitors = run_export(store, tmp_path)
    written = nlu.read_text(encoding="utf-8") + visitors.read_text(encoding="utf-8")
    accounted = done.examples + done.duplicates + len(done.held_messages) + len(done.conflicts)
    assert accounted > 50 and done.examples > 50
    leaked = [s for s in secrets if s.lower() in written.lower()]
    assert leaked == []
    assert "[PHONE]" in written and "[NAME]" in written and "[HEALTH_CARD]" in written
    assert load_visitors(visitors)  # still a valid visitors file


def test_no_corrections_write_files_rasa_and_the_evaluation_accept(store, tmp_path):
    done, nlu, visitors = run_export(store, tmp_path)
    assert done.summary()["examples"] == 0
    assert yaml.safe_load(nlu.read_text())["nlu"] == []
    assert RasaYAMLReader().reads(nlu.read_text()).nlu_examples == []
    assert load_visitors(visitors) == []


def test_placeholders_never_become_rasa_entities():
    from bot.review.nlu_file import one_line, render

    text = one_line("call [NAME][PHONE] or [EMAIL](home) {x}")
    assert text == "call [NAME] [PHONE] or [EMAIL] (home) {x}"
    parsed = RasaYAMLReader().reads(render({"inform": [text]}))
    [message] = parsed.nlu_examples
    assert message.get("text") == text and not message.get("entities")


def test_only_an_admin_exports_and_the_export_is_audited(var_dir):
    store = open_store(f"sqlite:///{var_dir / 'tracker.db'}")
    try:
        store.migrate()
        ensure_events_table(store.tracker)
        insert_rows(
            store, Built("v", T0).session().user("pain in my lumbar area", "inform", 0.4).rows
        )
        summary.refresh(store)
        [event_id] = user_ids(store, "v")
        labels.set_message_label(store, "v", event_id, "sam", "inform")
        accounts.add_user(store, "ann", PASSWORD, "admin")
        accounts.add_user(store, "sam", PASSWORD, "staff")
        paths = ["--nlu", str(var_dir / "n.yml"), "--eval", str(var_dir / "e.yml")]
        code, _, err = run_cli("review", "export", "--admin", "sam", *paths, stdin=PASSWORD + "\n")
        assert code == 1 and "admin" in err and not (var_dir / "n.yml").exists()
        code, _, _ = run_cli("review", "export", "--admin", "ann", *paths, stdin="wrong password\n")
        assert code == 1
        code, out, _ = run_cli("review", "export", "--admin", "ann", *paths, stdin=PASSWORD + "\n")
        assert code == 0 and "1 example(s)" in out
        assert "pain in my lumbar area" in (var_dir / "n.yml").read_text()
        [entry] = audit.recent(store, action="review_export")
        assert entry["actor"].startswith("ann (cli")
        assert json.loads(entry["detail"])["examples"] == 1
        assert len(audit.recent(store, action="review_export_refused")) == 2
    finally:
        store.dispose()
