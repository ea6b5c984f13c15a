"""Nudges as stored: planning (idempotent inserts), delivery claims, the notification
feed, preferences and the hold-out draw.

A delivery is claimed with one guarded UPDATE (``planned`` → ``sending``): of two workers
running the same job, one gets the row and the other nothing, so a retried job cannot send
twice. A claim older than the lease (a worker that died mid-send) can be taken again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coach.storage.access import NotFound
from coach.storage.models import new_id, utcnow
from coach.storage.nudge_models import Nudge, NudgeHoldout, NudgePreference

_CHUNK = 2000


def save_planned_nudges(session: Session, *, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Insert planned nudge rows; one whose (user, key, channel) exists is left alone.
    Returns the ids of the rows inserted, in the order given.

    A row may bring its own ``id``. Rows go in as a plain executemany, then one lookup per
    batch tells which ids were stored: on PostgreSQL that is a third of the wall time and a
    quarter of the client CPU of ``INSERT ... RETURNING`` over batches of rows.
    """
    dialect = session.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = Nudge.__table__  # Core, not the ORM's bulk path: 10,000s of rows a day
    stmt = upsert(table).on_conflict_do_nothing(index_elements=["user_id", "key", "channel"])
    conn = session.connection()
    now, added = utcnow(), []
    defaults = {"status": "planned", "attempts": 0, "last_error": "", "created_at": now}
    for i in range(0, len(rows), _CHUNK):
        chunk = rows[i : i + _CHUNK]
        # an id brought along may be stored already (a row saved twice): not counted as new
        before = _stored_ids(conn, [r["id"] for r in chunk if r.get("id")])
        batch = [{**defaults, **r, "id": r.get("id") or new_id()} for r in chunk]
        conn.execute(stmt, batch)
        after = _stored_ids(conn, [r["id"] for r in batch])
        added += [r["id"] for r in batch if r["id"] in after and r["id"] not in before]
    session.flush()
    return added


def _stored_ids(conn: Connection, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` are stored nudges."""
    if not ids:
        return set()
    return set(conn.scalars(select(Nudge.__table__.c.id).where(Nudge.__table__.c.id.in_(ids))))


def nudge_keys_since(
    session: Session, *, org_id: str, since: datetime
) -> list[Row[tuple[str, str, datetime, str]]]:
    """(user, key, send_at, status) of the organisation's nudges sent or due since ``since``
    (one row per channel): what the planner's ledger is built from."""
    query = select(Nudge.user_id, Nudge.key, Nudge.send_at, Nudge.status).where(
        Nudge.org_id == org_id, Nudge.send_at >= since
    )
    return list(session.execute(query))


def due_nudge_ids(
    session: Session,
    *,
    now: datetime,
    org_id: str | None = None,
    lease: timedelta | None = None,
    limit: int = 1000,
) -> list[str]:
    """Nudges whose time has come and that are not sent yet, oldest first; with ``lease``,
    also those claimed longer ago than that by a worker that never finished them."""
    waiting = Nudge.status == "planned"
    if lease is not None:
        waiting = or_(waiting, (Nudge.status == "sending") & (Nudge.claimed_at < now - lease))
    query = select(Nudge.id).where(waiting, Nudge.send_at <= now)
    if org_id is not None:
        query = query.where(Nudge.org_id == org_id)
    return list(session.scalars(query.order_by(Nudge.send_at, Nudge.id).limit(limit)))


def claim_nudge(
    session: Session, *, nudge_id: str, now: datetime, lease: timedelta
) -> Nudge | None:
    """Take a due nudge for delivery (None: another worker has it, or it is done)."""
    stale = now - lease
    result = session.execute(
        update(Nudge)
        .where(
            Nudge.id == nudge_id,
            Nudge.send_at <= now,
            or_(
                Nudge.status == "planned",
                (Nudge.status == "sending") & (Nudge.claimed_at < stale),
            ),
        )
        .values(status="sending", claimed_at=now, attempts=Nudge.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    nudge = session.get(Nudge, nudge_id, populate_existing=True)
    return nudge


def finish_nudge(
    session: Session,
    *,
    nudge: Nudge,
    status: str,
    now: datetime,
    error: str = "",
    retry_at: datetime | None = None,
) -> None:
    """Record a delivery's outcome: ``sent``, ``skipped`` (why in ``error``), ``failed``,
    or back to ``planned`` at ``retry_at`` after an error."""
    nudge.status = status
    nudge.last_error = error
    if status == "sent":
        nudge.sent_at = now
    if retry_at is not None:
        nudge.send_at = retry_at
    session.flush()


def notifications(
    session: Session, *, user_id: str, unread: bool = False, limit: int = 50
) -> list[Nudge]:
    """The user's in-widget notifications, newest first."""
    query = select(Nudge).where(
        Nudge.user_id == user_id, Nudge.channel == "feed", Nudge.status == "sent"
    )
    if unread:
        query = query.where(Nudge.read_at.is_(None))
    return list(session.scalars(query.order_by(Nudge.sent_at.desc(), Nudge.id).limit(limit)))


def unread_notifications(session: Session, *, user_id: str) -> int:
    """How many of the user's notifications are unread."""
    query = (
        select(func.count())
        .select_from(Nudge)
        .where(
            Nudge.user_id == user_id,
            Nudge.channel == "feed",
            Nudge.status == "sent",
            Nudge.read_at.is_(None),
        )
    )
    return session.scalar(query) or 0


def mark_notification_read(session: Session, *, user_id: str, nudge_id: str) -> Nudge:
    """Mark one of the user's notifications read (404 for anyone else's)."""
    nudge = session.get(Nudge, nudge_id)
    if nudge is None or nudge.user_id != user_id or nudge.channel != "feed":
        raise NotFound("no such notification")
    if nudge.status != "sent":
        raise NotFound("no such notification")
    if nudge.read_at is None:
        nudge.read_at = utcnow()
        session.flush()
    return nudge


def org_nudges(session: Session, *, org_id: str, since: datetime | None = None) -> list[Nudge]:
    """The organisation's nudge rows (every channel and status), by send time."""
    query = select(Nudge).where(Nudge.org_id == org_id)
    if since is not None:
        query = query.where(Nudge.send_at >= since)
    return list(session.scalars(query.order_by(Nudge.send_at, Nudge.id)))


def nudge_preferences(session: Session, *, user_id: str) -> NudgePreference | None:
    """A user's preferences (None: every channel open, no webhook of their own)."""
    return session.get(NudgePreference, user_id)


def org_nudge_preferences(session: Session, *, org_id: str) -> dict[str, NudgePreference]:
    """Every stored preference of the organisation's users, by user id."""
    rows = session.scalars(select(NudgePreference).where(NudgePreference.org_id == org_id))
    return {r.user_id: r for r in rows}


def set_nudge_preferences(
    session: Session,
    *,
    org_id: str,
    user_id: str,
    opted_out: Iterable[str] | None = None,
    webhook_url: str | None = None,
    clear_webhook: bool = False,
) -> NudgePreference:
    """Change a user's opt-outs and/or webhook URL (fields left None stay as they are)."""
    pref = session.get(NudgePreference, user_id)
    if pref is None:
        pref = NudgePreference(user_id=user_id, org_id=org_id, opted_out=[])
        session.add(pref)
    if opted_out is not None:
        pref.opted_out = sorted(set(opted_out))
    if webhook_url is not None or clear_webhook:
        pref.webhook_url = webhook_url
    pref.updated_at = utcnow()
    session.flush()
    return pref


def holdout_draws(
    session: Session, *, org_id: str
) -> dict[str, Row[tuple[str, str, int, bool, int, float]]]:
    """The organisation's recorded hold-out draws by user id: rows of (user_id, team,
    position, holdout, seed, share)."""
    query = select(
        NudgeHoldout.user_id,
        NudgeHoldout.team,
        NudgeHoldout.position,
        NudgeHoldout.holdout,
        NudgeHoldout.seed,
        NudgeHoldout.share,
    ).where(NudgeHoldout.org_id == org_id)
    return {r.user_id: r for r in session.execute(query)}


def save_holdout_draws(
    session: Session,
    *,
    org_id: str,
    draws: Iterable[Mapping[str, Any]],
    seed: int,
    share: float,
    replace: bool = False,
) -> int:
    """Record draws (``user_id, team, position, holdout``); ``replace`` forgets the old
    ones first (a new seed or share is a new draw). Returns how many were recorded."""
    if replace:
        session.execute(delete(NudgeHoldout).where(NudgeHoldout.org_id == org_id))
    now = utcnow()
    rows = [
        {**d, "org_id": org_id, "seed": seed, "share": share, "assigned_at": now} for d in draws
    ]
    for i in range(0, len(rows), _CHUNK):
        session.connection().execute(insert(NudgeHoldout.__table__), rows[i : i + _CHUNK])
    session.flush()
    return len(rows)
