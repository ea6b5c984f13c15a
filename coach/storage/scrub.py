"""What erasure does beyond deleting a person's rows: their event log lines the
organisation's figures count (kept anonymised), values that name them in other people's
rows without a foreign key (``refs`` in :mod:`coach.storage.user_data`), and the derived
tables they fed.

Every function works in the caller's transaction and adds what it changed to ``done``
(an :class:`coach.storage.personal_data.ErasedRows`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from coach.storage.models import metadata

if TYPE_CHECKING:
    from coach.storage.personal_data import ErasedRows, Person

ERASED = "[erased]"

# The event types the organisation's figures count, and the payload fields they read:
# the guard's verdicts (the admin's guard page) and answered turns (content use in the
# insights). The rest of a person's events go with them.
ANONYMISED_EVENTS: dict[str, tuple[str, ...]] = {
    "chat.answered": (
        "covered", "responder", "language", "latency_ms", "chunks", "retrieved",
        "suggested_module",
    ),
    "guard.verdict": ("kind", "verdict", "reasons", "scores", "first", "outcome", "items"),
}  # fmt: skip

# Columns naming a person by value in others' rows: (JSON columns, text columns).
REFERENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "events": (("payload",), ()),
    "admin_actions": (("args", "result"), ("summary", "question")),
    "handoffs": (("options",), ()),
}

KIRKPATRICK = (
    "kirkpatrick_survey_cells",
    "kirkpatrick_span_cells",
    "kirkpatrick_group_teams",
    "kirkpatrick_rollups",
)
# What the rollup is built from (coach.surveys.rollup.refresh): a person with rows here fed it.
FEEDS_KIRKPATRICK = (
    "survey_answers",
    "survey_instances",
    "learning_records",
    "skill_mastery",
    "attendance",
    "learner_profiles",
)


def _t(name: str) -> Table:
    return metadata.tables[name]


def _count(result: Any) -> int:
    return int(result.rowcount)


def _anonymous(type_: str, payload: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in payload.items() if k in ANONYMISED_EVENTS[type_]}
    if isinstance(kept.get("reasons"), list):  # "check: detail": the check alone is counted
        kept["reasons"] = [str(r).split(":", 1)[0] for r in kept["reasons"]]
    return kept


def erase_events(session: Session, *, person: Person, done: ErasedRows) -> None:
    """The person's own event log: lines the figures count lose who, which conversation and
    the time of day (kept at midnight UTC of their day); every other line is deleted."""
    events = _t("events")
    mine = events.c.user_id == person.id
    counted = tuple(ANONYMISED_EVENTS)
    gone = session.execute(delete(events).where(mine, events.c.type.not_in(counted)))
    done.add("deleted", "events", _count(gone))
    rows = session.execute(
        select(events.c.id, events.c.type, events.c.payload, events.c.created_at).where(
            mine, events.c.type.in_(counted)
        )
    ).all()
    if rows:
        session.execute(
            update(events)
            .where(events.c.id == bindparam("row_id"))
            .values(user_id=None, payload=bindparam("new_payload"), created_at=bindparam("day")),
            [
                {
                    "row_id": r.id,
                    "new_payload": _anonymous(r.type, r.payload or {}),
                    "day": datetime.combine(r.created_at.date(), datetime.min.time(), UTC),
                }
                for r in rows
            ],
        )
    done.add("anonymised", "events", len(rows))


def _pattern(person: Person) -> re.Pattern[str]:
    """The person's id, LMS id, name or email as a whole word, in any case."""
    words = {w for w in (*person.identifiers, person.display_name) if len(w) > 1}
    if not words:
        return re.compile(r"(?!)")  # matches nothing
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrub_value(value: Any, *, exact: frozenset[str], pattern: re.Pattern[str]) -> Any:
    """``value`` (JSON) with every string naming the person replaced by ``[erased]``:
    exactly one of ``exact`` (ids), or containing a name ``pattern`` matches."""
    if isinstance(value, str):
        return ERASED if value in exact else pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [scrub_value(v, exact=exact, pattern=pattern) for v in value]
    if isinstance(value, dict):
        return {
            (ERASED if k in exact else k): scrub_value(v, exact=exact, pattern=pattern)
            for k, v in value.items()
        }
    return value


def _mentions(columns: Sequence[ColumnElement[Any]], needles: Sequence[str]) -> ColumnElement[bool]:
    """Rows where a column's text holds a needle (in JSON, as JSON would escape it)."""
    forms = {n for needle in needles for n in (needle, json.dumps(needle)[1:-1])}
    return or_(
        *(
            func.lower(cast(c, Text)).contains(n.lower(), autoescape=True)
            for c in columns
            for n in sorted(forms)
        )
    )


def scrub_references(session: Session, *, person: Person, done: ErasedRows) -> None:
    """Others' rows that name the person by value: scrubbed (audit lines, hand-off options,
    admin actions); their manager field emptied in others' profiles; nudges to others about
    them deleted."""
    exact = frozenset(person.identifiers)
    pattern = _pattern(person)
    for name, (json_cols, text_cols) in REFERENCES.items():
        table = _t(name)
        cols = [table.c[c] for c in (*json_cols, *text_cols)]
        query = select(table.c.id, *cols).where(
            table.c.org_id == person.org_id, _mentions(cols, person.identifiers)
        )
        if "user_id" in table.c:  # the person's own rows are erased with them
            query = query.where(or_(table.c.user_id.is_(None), table.c.user_id != person.id))
        changes = []
        for row in session.execute(query).mappings():
            new = {c: scrub_value(row[c], exact=exact, pattern=pattern) for c in json_cols}
            new |= {c: pattern.sub(ERASED, row[c] or "") for c in text_cols}
            if any(new[c] != row[c] for c in new):
                changes.append({"row_id": row["id"], **{f"new_{c}": v for c, v in new.items()}})
        if changes:
            session.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values({c: bindparam(f"new_{c}") for c in (*json_cols, *text_cols)}),
                changes,
            )
        done.add("anonymised", name, len(changes))
    _profiles(session, person, done)
    nudges = _t("nudges")
    gone = session.execute(
        delete(nudges).where(nudges.c.about == person.id, nudges.c.user_id != person.id)
    )
    done.add("deleted", "nudges", _count(gone))


def _profiles(session: Session, person: Person, done: ErasedRows) -> None:
    """Others' LMS profiles naming the person as their manager (by name or LMS id)."""
    profiles = _t("learner_profiles")
    names = {person.display_name, *person.identifiers}
    rows = session.execute(
        select(profiles.c.user_id, profiles.c.data).where(
            profiles.c.org_id == person.org_id,
            profiles.c.user_id != person.id,
            profiles.c.manager.in_(sorted(names)),
        )
    ).all()
    for row in rows:
        data = {
            k: ("" if k == "manager" and v in names else v) for k, v in (row.data or {}).items()
        }
        session.execute(
            update(profiles).where(profiles.c.user_id == row.user_id).values(manager="", data=data)
        )
    done.add("anonymised", "learner_profiles", len(rows))


def drop_derived(
    session: Session, *, org_id: str, gap_question_ids: Sequence[str], done: ErasedRows
) -> None:
    """Derived tables: gap topics holding one of the person's questions are deleted (the
    next refresh rebuilds them), and the organisation's Kirkpatrick rollup is dropped when
    the person fed it (the dashboard rebuilds it from the raw tables on its next read)."""
    topics = _t("gap_topics")
    ids = set(gap_question_ids)
    if ids:
        rows = session.execute(
            select(topics.c.id, topics.c.question_ids).where(topics.c.org_id == org_id)
        ).all()
        hit = [r.id for r in rows if ids & set(r.question_ids or ())]
        if hit:
            gone = session.execute(delete(topics).where(topics.c.id.in_(hit)))
            done.add("dropped", "gap_topics", _count(gone))
    if not any(done.deleted.get(t) for t in FEEDS_KIRKPATRICK):
        return
    for name in KIRKPATRICK:
        table = _t(name)
        gone = session.execute(delete(table).where(table.c.org_id == org_id))
        done.add("dropped", name, _count(gone))
