"""A person's rows in every table of :mod:`coach.storage.user_data`: read them all (the
export) or erase them all (in the caller's transaction).

Both walk the registry, so a table registered there is exported and erased without a
change here. Erasure deletes children before parents (``messages`` before
``conversations``) and the account last, each statement counted; the value references the
registry declares (``refs``) and the derived tables are :mod:`coach.storage.scrub`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, Table, and_, delete, false, not_, or_, select, update
from sqlalchemy.orm import Session

from coach.storage import scrub
from coach.storage.access import NotFound
from coach.storage.models import User, UTCDateTime, metadata
from coach.storage.user_data import USER_TABLES

REDACTED = "[redacted]"


@dataclass(frozen=True, slots=True)
class Person:
    """Who is exported or erased: their id and what names them elsewhere."""

    id: str
    org_id: str
    external_id: str
    display_name: str
    email: str | None

    @property
    def identifiers(self) -> tuple[str, ...]:
        """Values that name exactly this person (id, LMS id, email)."""
        return tuple(v for v in (self.id, self.external_id, self.email) if v)


@dataclass
class ErasedRows:
    """What an erasure changed, per table: rows deleted, rows kept anonymised, and rows of
    derived tables dropped to be rebuilt without the person."""

    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, table: str, n: int) -> None:
        if n:
            counts: dict[str, int] = getattr(self, kind)
            counts[table] = counts.get(table, 0) + n

    def as_dict(self) -> dict[str, dict[str, int]]:
        """``{"deleted": {table: n}, "anonymised": {...}, "dropped": {...}}``, tables sorted."""
        kinds = ("deleted", "anonymised", "dropped")
        return {k: dict(sorted(getattr(self, k).items())) for k in kinds}


def find_person(session: Session, *, org_id: str, user_id: str) -> Person:
    """The user ``user_id`` of ``org_id`` (raises :class:`NotFound` for anyone else)."""
    user = session.get(User, user_id)
    if user is None or user.org_id != org_id:
        raise NotFound("learner not found")
    return Person(user.id, user.org_id, user.external_id, user.display_name, user.email)


def _table(name: str) -> Table:
    return metadata.tables[name]


def owned(name: str, user_id: str) -> ColumnElement[bool]:
    """The rows of table ``name`` that are the person's (by owner column or parent)."""
    entry, table = USER_TABLES[name], _table(name)
    conditions: list[ColumnElement[bool]] = [table.c[c] == user_id for c in entry.owner]
    for column in entry.via:
        (fk,) = table.c[column].foreign_keys
        parent = fk.column.table.name
        conditions.append(table.c[column].in_(select(fk.column).where(owned(parent, user_id))))
    return or_(*conditions) if conditions else false()


def _mentioned(name: str, user_id: str) -> ColumnElement[bool]:
    table = _table(name)
    return or_(*(table.c[c] == user_id for c in USER_TABLES[name].mentions))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"[{len(value)} bytes]"
    return value


def _row(row: Mapping[str, Any], secret: tuple[str, ...]) -> dict[str, Any]:
    return {
        key: (REDACTED if key in secret and value is not None else _plain(value))
        for key, value in row.items()
    }


def _chronological(table: Table) -> list[ColumnElement[Any]]:
    """Oldest first where a table has a time (its first date or time column), then by key."""
    times = [c for c in table.columns if isinstance(c.type, UTCDateTime | Date)]
    return [*times[:1], *table.primary_key.columns]


def export_rows(session: Session, *, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row that is the person's, per registered table (every such table is a key,
    empty or not; the account itself is left to the caller)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, entry in USER_TABLES.items():
        if name == "users" or not (entry.owner or entry.via):
            continue
        table = _table(name)
        query = select(table).where(owned(name, user_id)).order_by(*_chronological(table))
        out[name] = [_row(dict(r), entry.secret) for r in session.execute(query).mappings()]
    return out


def export_mentions(session: Session, *, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """Rows of others that name the person as who acted: the row's key and the columns.

    Only the key, not the row: the row is someone else's data (a reviewer sees the ids
    of the path audit lines they wrote, not the paths).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for name, entry in USER_TABLES.items():
        if not entry.mentions:
            continue
        table = _table(name)
        keys = list(table.primary_key.columns)
        mentioned = _mentioned(name, user_id)
        if entry.owner or entry.via:
            mentioned = and_(mentioned, not_(owned(name, user_id)))
        cols = [table.c[c] for c in entry.mentions]
        query = select(*keys, *cols).where(mentioned).order_by(*keys)
        rows = [
            {
                "key": {k.name: _plain(r[k.name]) for k in keys},
                "as": [c for c in entry.mentions if r[c] == user_id],
            }
            for r in session.execute(query).mappings()
        ]
        if rows:
            out[name] = rows
    return out


def erase_rows(session: Session, *, person: Person, keep_request: str | None) -> ErasedRows:
    """Erase the person from every table, in the caller's transaction.

    Their rows are deleted, children first; the event log keeps the lines the organisation's
    figures count, anonymised (:func:`coach.storage.scrub.erase_events`); rows of others
    that name them get NULL instead (and a copied name emptied); values naming them
    without a foreign key are scrubbed, derived tables dropped where they fed them; the
    account goes last. ``keep_request``: the erasure register's row of this erasure,
    kept (its ``user_id`` set NULL) as the anonymous audit line.
    """
    session.flush()  # pending changes first: the statements below go around the session
    done = ErasedRows()
    gap_ids = list(
        session.scalars(
            select(_table("gap_questions").c.id).where(owned("gap_questions", person.id))
        )
    )
    scrub.scrub_references(session, person=person, done=done)
    order = [t.name for t in reversed(metadata.sorted_tables) if t.name in USER_TABLES]
    for name in order:
        entry, table = USER_TABLES[name], _table(name)
        if entry.owner or entry.via:
            if entry.erase == "events":
                scrub.erase_events(session, person=person, done=done)
            elif entry.erase == "requests":
                _erase_requests(session, table, person, keep_request, done)
            else:
                result = session.execute(delete(table).where(owned(name, person.id)))
                done.add("deleted", name, result.rowcount)  # type: ignore[attr-defined]
        for column in entry.mentions:
            values: dict[str, Any] = {column: None} | {b: "" for b in entry.blank}
            result = session.execute(
                update(table).where(table.c[column] == person.id).values(values)
            )
            done.add("anonymised", name, result.rowcount)  # type: ignore[attr-defined]
    scrub.drop_derived(session, org_id=person.org_id, gap_question_ids=gap_ids, done=done)
    session.expire_all()  # the session may hold rows these statements changed
    return done


def _erase_requests(
    session: Session, table: Table, person: Person, keep: str | None, done: ErasedRows
) -> None:
    mine = owned("erasure_requests", person.id)
    others = and_(mine, table.c.id != keep) if keep else mine
    done.add("deleted", table.name, session.execute(delete(table).where(others)).rowcount)  # type: ignore[attr-defined]
    if keep:
        result = session.execute(
            update(table).where(table.c.id == keep).values(user_id=None, reason="")
        )
        done.add("anonymised", table.name, result.rowcount)  # type: ignore[attr-defined]
