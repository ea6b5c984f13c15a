"""Sending the outbox to the LRS: batches of statements, POSTed as xAPI 1.0.3 asks.

One :func:`flush` pass claims the due rows a batch at a time and POSTs each batch to
``{lrs}/statements`` (a JSON array, ``X-Experience-API-Version: 1.0.3``, basic auth).
The statement ids are stored with the events, so a resend carries the same ids and an LRS
never stores a statement twice: 200/204 mark the batch sent; a 409 on one statement means
the LRS already holds that id (a pass that died after the LRS answered), so it is sent too
(Open edX's event-routing-backends do the same since openedx/event-routing-backends#298).
A 400 or 409 on a batch is narrowed down by sending its statements one by one, so one bad
statement never holds the others back. The LRS being down, 5xx, 429, refused credentials
or any other answer leave the rows pending with exponential back-off (``lrs.retry_base_s``
doubled per attempt, at most ``lrs.retry_max_s``), the reason kept for the admins; the
pass then stops (no hammering an LRS that is down).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach.settings import LrsSettings
from coach.xapi import VERSION
from coach.xapi_lrs import outbox
from coach.xapi_lrs.outbox import Claimed

log = logging.getLogger(__name__)


class LrsUnavailable(Exception):
    """The LRS did not take the batch, for now (down, 5xx, refused credentials...)."""


@dataclass(frozen=True)
class Answer:
    """What the LRS said to one POST."""

    status: int
    body: str


class LrsClient:
    """POSTs statements to an LRS's xAPI endpoint (``transport`` for tests' fakes)."""

    def __init__(self, cfg: LrsSettings, transport: httpx.BaseTransport | None = None) -> None:
        if not cfg.url:
            raise ValueError("no LRS configured (BLENDCOACH_LRS_URL)")
        auth = None
        if cfg.username is not None and cfg.password is not None:
            auth = httpx.BasicAuth(cfg.username, cfg.password.get_secret_value())
        self.url = f"{cfg.url.rstrip('/')}/statements"
        self.http = httpx.Client(
            auth=auth,
            timeout=cfg.timeout_s,
            transport=transport,
            headers={"X-Experience-API-Version": VERSION},
        )

    def post(self, statements: list[dict[str, Any]]) -> Answer:
        """POST a batch; raises :class:`LrsUnavailable` when the LRS cannot be reached."""
        try:
            r = self.http.post(
                self.url,
                content=json.dumps(statements),
                headers={"Content-Type": "application/json"},
            )
        except httpx.HTTPError as err:
            raise LrsUnavailable(f"LRS unreachable: {type(err).__name__}: {err}") from err
        return Answer(r.status_code, r.text[:500])

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def __enter__(self) -> LrsClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@dataclass
class FlushReport:
    """What one pass did."""

    sent: int = 0
    failed: int = 0
    retried: int = 0
    dropped: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and the CLI."""
        line = (
            f"sent {self.sent}, retrying {self.retried}, failed {self.failed}, "
            f"dropped {self.dropped} in {self.batches} batches"
        )
        return line + (f"; last error: {self.errors[-1]}" if self.errors else "")


def _reason(answer: Answer) -> str:
    if answer.status in (401, 403):
        return f"LRS refused the credentials ({answer.status}): {answer.body}"
    return f"LRS answered {answer.status}: {answer.body}"


def flush(
    db: Engine,
    cfg: LrsSettings,
    client: LrsClient,
    *,
    clock: Callable[[], datetime] | None = None,
    max_batches: int = 1000,
) -> FlushReport:
    """Send every due row (a batch of ``cfg.batch_size`` at a time) until none is left, the
    LRS fails, or ``max_batches`` were sent."""
    now_of = clock or (lambda: datetime.now(UTC))
    report = FlushReport()
    lease = timedelta(seconds=cfg.lease_s)
    while report.batches < max_batches:
        with Session(db) as session, session.begin():
            token, rows = outbox.claim_due(session, now=now_of(), limit=cfg.batch_size, lease=lease)
        if not rows:
            break
        report.batches += 1
        gone = [r.event_id for r in rows if r.statement is None]
        live = [r for r in rows if r.statement is not None]
        with Session(db) as session, session.begin():
            outbox.mark_dropped(session, token=token, ids=gone, reason="statement erased")
        report.dropped += len(gone)
        if live and not _send(db, cfg, client, token, live, report, now_of):
            break
    if report.errors:
        log.warning("xAPI outbox: %s", report.summary())
    return report


def _send(
    db: Engine,
    cfg: LrsSettings,
    client: LrsClient,
    token: str,
    rows: list[Claimed],
    report: FlushReport,
    now_of: Callable[[], datetime],
) -> bool:
    """Send ``rows``; False when the LRS failed (they and any not yet sent wait)."""
    try:
        answer = client.post([r.statement for r in rows if r.statement is not None])
        reason = None if answer.status in (200, 204) else _reason(answer)
    except LrsUnavailable as err:
        answer, reason = Answer(0, ""), str(err)
    single = len(rows) == 1
    with Session(db) as session, session.begin():
        ids = [r.event_id for r in rows]
        if reason is None or (single and answer.status == 409):  # 409: it holds that id
            outbox.mark_sent(session, token=token, ids=ids, now=now_of())
            report.sent += len(rows)
            return True
        if single and answer.status == 400:  # this statement, for good
            outbox.mark_failed(session, token=token, ids=ids, reason=reason, now=now_of())
            report.failed += 1
            report.errors.append(f"statement {rows[0].statement_id}: {reason}")
            return True
        if answer.status not in (400, 409, 413):  # the LRS, not the statements
            report.failed += outbox.mark_retry(
                session,
                token=token,
                rows=rows,
                reason=reason,
                now=now_of(),
                base_s=cfg.retry_base_s,
                max_s=cfg.retry_max_s,
                max_attempts=cfg.max_attempts,
            )
            report.retried += len(rows)
            report.errors.append(reason)
            return False
    # One statement of the batch is refused (400), already there (409), or the batch is too
    # big (413): one by one, each row keeping the claim.
    for i, row in enumerate(rows):
        if not _send(db, cfg, client, token, [row], report, now_of):
            with Session(db) as session, session.begin():
                rest = rows[i + 1 :]
                report.failed += outbox.mark_retry(
                    session,
                    token=token,
                    rows=rest,
                    reason=report.errors[-1],
                    now=now_of(),
                    base_s=cfg.retry_base_s,
                    max_s=cfg.retry_max_s,
                    max_attempts=cfg.max_attempts,
                )
                report.retried += len(rest)
            return False
    return True


@dataclass
class Forwarder:
    """The outbox's sender as a worker holds it: database, LRS settings and client."""

    db: Engine
    cfg: LrsSettings
    client: LrsClient

    @classmethod
    def from_settings(cls, db: Engine, cfg: LrsSettings) -> Forwarder | None:
        """None when no LRS is configured (statements then wait in the outbox)."""
        return cls(db, cfg, LrsClient(cfg)) if cfg.url else None

    def flush(self, *, max_batches: int = 1000) -> FlushReport:
        """One pass over the due rows."""
        return flush(self.db, self.cfg, self.client, max_batches=max_batches)

    def close(self) -> None:
        """Close the LRS client."""
        self.client.close()
