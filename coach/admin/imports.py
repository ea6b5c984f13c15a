"""Imports of the LMS's operational data: enrolments and attendance sign-off.

Same contract as :mod:`coach.paths.imports`: the whole file is checked against the stored
catalog and learners, and written only when no row has a problem.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from coach import storage, xapi
from coach.paths.imports import Imported, ImportRefused, Row, read_rows
from coach.storage.admin_models import ENROLMENT_STATUSES
from recommender.catalog import Problem
from recommender.records import as_date

TRUE = ("1", "true", "yes", "y", "signed", "present", "oui")
FALSE = ("0", "false", "no", "n", "absent", "non", "unsigned")


def _catalog(session: Session, org_id: str, source: str) -> tuple[set[str], dict[str, str]]:
    stored = storage.catalog_rows(session, org_id=org_id)
    if not stored["item"]:
        raise ImportRefused([Problem("no catalog yet: import the catalog first", source)])
    items = {str(r["id"]) for r in stored["item"]}
    sessions = {str(r["id"]): str(r.get("item_id") or "") for r in stored["session"]}
    return items, sessions


def _learners(session: Session, org_id: str, rows: list[Row]) -> dict[str, str]:
    ext = sorted({str(r.get("learner_id") or "").strip() for r in rows} - {""})
    users = storage.learner_profiles(session, org_id=org_id, external_ids=ext)
    return {u.external_id: u.id for u, _ in users}


def _day(value: Any, what: str, problems: list[Problem], source: str, row: int) -> date | None:
    if value in (None, ""):
        return None
    try:
        return as_date(value)
    except (TypeError, ValueError):
        problems.append(Problem(f"bad {what} {value!r} (want YYYY-MM-DD)", source, row))
        return None


def _who_where(
    r: Row,
    learners: dict[str, str],
    sessions: dict[str, str],
    problems: list[Problem],
    source: str,
    *,
    need_session: bool,
) -> tuple[int, str, str]:
    """A row's line, learner and session, with a problem for each that is unknown."""
    n = r["_row"]
    learner = str(r.get("learner_id") or "").strip()
    sid = str(r.get("session_id") or "").strip()
    if learner not in learners:
        problems.append(Problem(f"unknown learner '{learner}' (import learners first)", source, n))
    if (sid or need_session) and sid not in sessions:
        problems.append(Problem(f"unknown session '{sid}'", source, n))
    return n, learner, sid


def import_enrolments(session: Session, *, org_id: str, path: Path) -> Imported:
    """Add or update enrolments: ``learner_id, item_id, session_id, status, enrolled_on,
    due_on`` (item_id may be left out when session_id names the session)."""
    source = str(path)
    rows = read_rows(path, "enrolments")
    items, sessions = _catalog(session, org_id, source)
    learners = _learners(session, org_id, rows)
    problems: list[Problem] = []
    out = []
    for r in rows:
        n, learner, sid = _who_where(r, learners, sessions, problems, source, need_session=False)
        item = str(r.get("item_id") or "").strip() or sessions.get(sid, "")
        status = str(r.get("status") or "enrolled").strip().lower()
        if sid and sid in sessions and sessions[sid] != item:
            problems.append(Problem(f"session '{sid}' is not a session of '{item}'", source, n))
        if item not in items:
            problems.append(Problem(f"unknown item '{item}'", source, n))
        if status not in ENROLMENT_STATUSES:
            problems.append(Problem(f"bad status '{status}'", source, n))
        on = _day(r.get("enrolled_on") or r.get("date"), "enrolled_on", problems, source, n)
        if on is None and not (r.get("enrolled_on") or r.get("date")):
            problems.append(Problem("missing enrolled_on", source, n))
        due = _day(r.get("due_on"), "due_on", problems, source, n)
        out.append(
            {
                "user_id": learners.get(learner, ""),
                "item_id": item,
                "session_id": sid,
                "status": status,
                "enrolled_on": on,
                "due_on": due,
            }
        )
    if problems:
        raise ImportRefused(problems)
    added, updated = storage.save_enrolments(session, org_id=org_id, rows=out, source=source)
    return Imported(counts={"added": added, "updated": updated})


def _signed(value: Any) -> bool | None:
    text = str(value if value is not None else "").strip().lower()
    return True if text in TRUE else False if text in FALSE else None


def _moment(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def import_attendance(
    session: Session, *, org_id: str, path: Path, base_url: str | None = None
) -> Imported:
    """Add or replace sign-offs: ``session_id, learner_id, signed, signed_at``."""
    source = str(path)
    rows = read_rows(path, "attendance")
    _, sessions = _catalog(session, org_id, source)
    learners = _learners(session, org_id, rows)
    problems: list[Problem] = []
    out = []
    for r in rows:
        n, learner, sid = _who_where(r, learners, sessions, problems, source, need_session=True)
        signed = _signed(r.get("signed"))
        if signed is None:
            problems.append(
                Problem(f"signed must be true or false, not {r.get('signed')!r}", source, n)
            )
        at = None
        if r.get("signed_at") not in (None, ""):
            try:
                at = _moment(r["signed_at"])
            except ValueError:
                problems.append(Problem(f"bad signed_at {r['signed_at']!r}", source, n))
        out.append(
            {
                "session_id": sid,
                "user_id": learners.get(learner, ""),
                "signed": signed,
                "signed_at": at,
            }
        )
    if problems:
        raise ImportRefused(problems)
    fresh = xapi.new_sign_offs(session, org_id=org_id, rows=out) if base_url else []
    written = storage.save_attendance(session, org_id=org_id, rows=out, source=source)
    if base_url and fresh:  # xAPI "attended" for learners signed off by this file
        xapi.log_attendance(
            session, base_url=base_url, org_id=org_id, rows=fresh, at=datetime.now(UTC)
        )
    return Imported(counts={"sign-offs": written})
