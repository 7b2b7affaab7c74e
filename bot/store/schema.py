"""The staff app's own tables: accounts, sessions, audit, reviews, and the read model.

``staff_summary`` (one row per sender_id, kept narrow so scans stay fast), ``staff_search``
(the visitor's typed words, lower-cased) and ``staff_fallback_turns`` are a read model
(with ``staff_fold_state``, what folding a visitor's next events needs) derived from
Rasa's events table by bot.store.summary, like ``staff_queue`` (the open review queue,
also kept in step with staff reviews); they can be dropped and rebuilt.
Everything else is the staff app's own data, including staff corrections
(``staff_message_labels``: per visitor message, the right intent and the facts it
carried; ``staff_conversation_labels``: the category staff would give). Visitor words
live in the events table, for search and the overview in the read model, and in a
staff rewrite of a message for export: retention deletes all of them.
"""

from __future__ import annotations

import sqlalchemy as sa

ROLES = ("staff", "admin")
CALLBACK_STATUSES = ("new", "called", "closed")


def staff_tables(metadata: sa.MetaData) -> dict:
    """Define the staff tables on ``metadata`` and return them by short name."""
    users = sa.Table(
        "staff_users",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    sessions = sa.Table(
        "staff_sessions",
        metadata,
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("staff_users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False, index=True),
    )
    login_failures = sa.Table(
        "staff_login_failures",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Index("ix_staff_login_failures_key_at", "key", "at"),
    )
    audit = sa.Table(
        "staff_audit",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float, nullable=False, index=True),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(255)),
        sa.Column("detail", sa.Text),
        sa.Column("ip", sa.String(64)),
    )
    state = sa.Table(
        "staff_state",
        metadata,
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(255), nullable=False),
    )
    summary = sa.Table(
        "staff_summary",
        metadata,
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("last_at", sa.Float, nullable=False),
        sa.Column("channel", sa.String(64)),
        sa.Column("turns", sa.Integer, nullable=False),
        sa.Column("fallbacks", sa.Integer, nullable=False),
        sa.Column("low_confidence", sa.Integer, nullable=False),
        sa.Column("triage_result", sa.String(32)),
        sa.Column("urgency", sa.String(32)),
        sa.Column("red_flag", sa.Boolean, nullable=False),
        sa.Column("red_flags", sa.String(255)),
        sa.Column("needs_review", sa.Boolean, nullable=False),
        sa.Column("callback_requested", sa.Boolean, nullable=False),
        sa.Column("reached_booking", sa.Boolean, nullable=False),
        sa.Column("event_count", sa.Integer, nullable=False),
        sa.Column("last_event_id", sa.Integer, nullable=False),
        # Why the review queue lists it (bot.store.reasons), and how high.
        sa.Column("review_score", sa.Integer, nullable=False, server_default="0"),
        sa.Column("review_reasons", sa.String(255)),
        # Starts with started_at (the list's default order) and covers the overview's
        # aggregates, so a year of figures is read from the index alone.
        sa.Index(
            "ix_staff_summary_started_cover",
            "started_at",
            "triage_result",
            "red_flag",
            "low_confidence",
            "turns",
            "reached_booking",
            "callback_requested",
            "red_flags",
        ),  # fmt: skip
        sa.Index("ix_staff_summary_last", "last_at"),
        sa.Index("ix_staff_summary_result_started", "triage_result", "started_at"),
        sa.Index("ix_staff_summary_flag_started", "red_flag", "started_at"),
        sa.Index("ix_staff_summary_callback_started", "callback_requested", "started_at"),
        sa.Index("ix_staff_summary_channel_started", "channel", "started_at"),
        sa.Index("ix_staff_summary_lowconf_started", "low_confidence", "started_at"),
        sa.Index("ix_staff_summary_turns", "turns"),
        # The weekly measure (bot.store.measure) reads these from the index alone.
        sa.Index("ix_staff_summary_started_weekly", "started_at", "turns", "fallbacks", "red_flag"),
    )
    search = sa.Table(
        "staff_search",
        metadata,
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    fallback_turns = sa.Table(
        "staff_fallback_turns",
        metadata,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("at", sa.Float, nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    fold_state = sa.Table(
        "staff_fold_state",
        metadata,
        # What folding the visitor's next events needs (bot.store.fold_state, JSON).
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
    )
    reviews = sa.Table(
        "staff_reviews",
        metadata,
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("reviewed_by", sa.String(64), nullable=False),
        sa.Column("reviewed_at", sa.Float, nullable=False),
    )
    tags = sa.Table(
        "staff_tags",
        metadata,
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("tag", sa.String(40), primary_key=True),
        sa.Index("ix_staff_tags_tag", "tag", "sender_id"),
    )
    notes = sa.Table(
        "staff_notes",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    callbacks = sa.Table(
        "staff_callbacks",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("event_id", sa.Integer, nullable=False, unique=True),
        sa.Column("requested_at", sa.Float, nullable=False, index=True),
        sa.Column("name", sa.Text),
        sa.Column("contact", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("updated_at", sa.Float),
        sa.Column("updated_by", sa.String(64)),
    )
    queue = sa.Table(
        "staff_queue",
        metadata,
        # One row per open conversation with reason "" (the whole queue) and one per reason
        # code, so each list and count is a range of one index (bot.store.queue).
        sa.Column("reason", sa.String(32), primary_key=True),
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("last_at", sa.Float, nullable=False),
        sa.Index("ix_staff_queue_rank", "reason", "score", "last_at", "sender_id"),
        sa.Index("ix_staff_queue_sender", "sender_id"),
    )
    message_labels = sa.Table(
        "staff_message_labels",
        metadata,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("intent", sa.String(64)),
        sa.Column("facts", sa.Text, nullable=False),  # JSON: [{fact, value, assertion}]
        sa.Column("text", sa.Text),  # staff's rewrite for export (details taken out)
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False, index=True),
    )
    conversation_labels = sa.Table(
        "staff_conversation_labels",
        metadata,
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False, index=True),
    )
    return {
        "users": users,
        "sessions": sessions,
        "login_failures": login_failures,
        "audit": audit,
        "state": state,
        "summary": summary,
        "search": search,
        "fallback_turns": fallback_turns,
        "fold_state": fold_state,
        "reviews": reviews,
        "tags": tags,
        "notes": notes,
        "callbacks": callbacks,
        "message_labels": message_labels,
        "conversation_labels": conversation_labels,
        "queue": queue,
    }


# Tables holding data about a visitor, keyed by sender_id: what "forget" deletes.
VISITOR_TABLES = (
    "summary", "search", "fallback_turns", "reviews", "tags", "notes", "callbacks",
    "message_labels", "conversation_labels", "queue", "fold_state",
)  # fmt: skip
