"""Reading and moving outbox rows (the sender's side) and the statements feed.

A sender pass *claims* the due rows it will send (a token and a lease, in one UPDATE), so
two passes (the worker's job and ``blendcoach xapi flush``, or two workers) never send the
same row; a pass that dies leaves its claim to expire after the lease.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session

from coach.storage.models import Event
from coach.xapi import STATEMENT_EVENTS
from coach.xapi_lrs.models import OUTBOX_STATUSES, XapiOutbox


@dataclass(frozen=True)
class Claimed:
    """A row a sender pass holds, with its statement (None: the event lost it)."""

    event_id: int
    statement_id: str
    attempts: int
    statement: dict[str, Any] | None


def claim_due(
    session: Session, *, now: datetime, limit: int, lease: timedelta
) -> tuple[str, list[Claimed]]:
    """Claim up to ``limit`` pending rows due at ``now`` (oldest first) for this pass."""
    free = or_(XapiOutbox.claimed_until.is_(None), XapiOutbox.claimed_until < now)
    due = and_(XapiOutbox.status == "pending", XapiOutbox.next_attempt_at <= now, free)
    ids = list(
        session.scalars(
            select(XapiOutbox.event_id).where(due).order_by(XapiOutbox.event_id).limit(limit)
        )
    )
    token = str(uuid.uuid4())
    if not ids:
        return token, []
    # The same condition again: a row another pass claimed meanwhile is not taken twice.
    session.execute(
        update(XapiOutbox)
        .where(XapiOutbox.event_id.in_(ids), due)
        .values(claim=token, claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(
        select(XapiOutbox.event_id, XapiOutbox.statement_id, XapiOutbox.attempts, Event.payload)
        .join(Event, Event.id == XapiOutbox.event_id)
        .where(XapiOutbox.claim == token)
        .order_by(XapiOutbox.event_id)
    ).all()
    claimed = [
        Claimed(r.event_id, r.statement_id, r.attempts, (r.payload or {}).get("xapi") or None)
        for r in rows
    ]
    return token, claimed


def _set(session: Session, token: str, ids: list[int], **values: Any) -> None:
    if ids:
        session.execute(
            update(XapiOutbox)
            .where(XapiOutbox.event_id.in_(ids), XapiOutbox.claim == token)
            .values(claim=None, claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )


def mark_sent(session: Session, *, token: str, ids: list[int], now: datetime) -> None:
    """The LRS holds these statements (stored now, or already)."""
    _set(session, token, ids, status="sent", sent_at=now, last_attempt_at=now, last_error="")


def mark_dropped(session: Session, *, token: str, ids: list[int], reason: str) -> None:
    """Nothing to send any more (the statement was erased with its learner)."""
    _set(session, token, ids, status="dropped", last_error=reason)


def mark_failed(
    session: Session, *, token: str, ids: list[int], reason: str, now: datetime
) -> None:
    """The LRS refused these for good (kept: ``requeue_failed`` tries them again)."""
    _set(session, token, ids, status="failed", last_error=reason[:2000], last_attempt_at=now)


def mark_retry(
    session: Session,
    *,
    token: str,
    rows: list[Claimed],
    reason: str,
    now: datetime,
    base_s: float,
    max_s: float,
    max_attempts: int,
) -> int:
    """Back off: the next attempt after ``base_s * 2**attempts`` (capped at ``max_s``);
    rows out of attempts become failed. Returns how many failed."""
    failed = 0
    for row in rows:
        attempts = row.attempts + 1
        if attempts >= max_attempts:
            failed += 1
            values: dict[str, Any] = {"status": "failed", "attempts": attempts}
        else:
            wait = min(base_s * 2 ** (attempts - 1), max_s)
            values = {"attempts": attempts, "next_attempt_at": now + timedelta(seconds=wait)}
        _set(
            session, token, [row.event_id], last_error=reason[:2000], last_attempt_at=now, **values
        )
    return failed


def requeue_failed(session: Session, *, org_id: str | None = None, now: datetime) -> int:
    """Failed rows back to pending, due now, attempts from zero; how many."""
    query = update(XapiOutbox).where(XapiOutbox.status == "failed")
    if org_id is not None:
        query = query.where(XapiOutbox.org_id == org_id)
    result = session.execute(
        query.values(
            status="pending", attempts=0, next_attempt_at=now, claim=None
        ).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass
class OutboxState:
    """What an admin sees of the outbox: rows by status, retries, the last error."""

    counts: dict[str, int] = field(default_factory=dict)
    retrying: int = 0
    """Pending rows that failed at least once (waiting for their back-off)."""
    oldest_pending: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None

    def public(self) -> dict[str, Any]:
        """The JSON an admin route returns."""
        return {
            "counts": self.counts,
            "retrying": self.retrying,
            "oldest_pending": self.oldest_pending.isoformat() if self.oldest_pending else None,
            "last_error": self.last_error or None,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
        }


def outbox_state(session: Session, *, org_id: str | None = None) -> OutboxState:
    """The outbox of one organisation (None: all of them)."""
    scope = [] if org_id is None else [XapiOutbox.org_id == org_id]
    counts = dict.fromkeys(OUTBOX_STATUSES, 0)
    for status, n in session.execute(
        select(XapiOutbox.status, func.count()).where(*scope).group_by(XapiOutbox.status)
    ):
        counts[status] = n
    pending = [*scope, XapiOutbox.status == "pending"]
    retrying = session.scalar(select(func.count()).where(*pending, XapiOutbox.attempts > 0))
    oldest = session.scalar(select(func.min(XapiOutbox.created_at)).where(*pending))
    last = session.execute(
        select(XapiOutbox.last_error, XapiOutbox.last_attempt_at)
        .where(*scope, XapiOutbox.last_error != "", XapiOutbox.status.in_(("pending", "failed")))
        .order_by(XapiOutbox.last_attempt_at.desc())
        .limit(1)
    ).first()
    return OutboxState(
        counts=counts,
        retrying=int(retrying or 0),
        oldest_pending=oldest,
        last_error=last.last_error if last else "",
        last_error_at=None if last is None else last.last_attempt_at,
    )


def statement_events(
    session: Session, *, org_id: str, since: datetime | None, after_id: int | None, limit: int
) -> list[Event]:
    """The organisation's statement-bearing events, in the order they were stored."""
    query = select(Event).where(Event.org_id == org_id, Event.type.in_(STATEMENT_EVENTS))
    if since is not None:
        query = query.where(Event.created_at >= since)
    if after_id is not None:
        query = query.where(Event.id > after_id)
    return list(session.scalars(query.order_by(Event.id).limit(limit)))


def queue_depths(engine: Engine) -> Callable[[], dict[tuple[str, str], int]]:
    """``/metrics``' source: statements waiting for the LRS (``blendcoach_queue_depth{queue=
    "xapi_outbox"}``): ``pending`` (``retrying`` of them failed at least once) and
    ``failed`` (refused for good or out of attempts; re-queueable)."""

    def depths() -> dict[tuple[str, str], int]:
        with Session(engine) as session:
            state = outbox_state(session)
        return {
            ("xapi_outbox", "pending"): state.counts["pending"],
            ("xapi_outbox", "retrying"): state.retrying,
            ("xapi_outbox", "failed"): state.counts["failed"],
        }

    return depths
