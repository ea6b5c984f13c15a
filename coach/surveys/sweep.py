"""The daily sweep: open the surveys that events call for, close those past their deadline.

Events are attendance signed for a live session and a module completed (a completion record
of an item with no signed session of the same item for that learner: the session's survey
covers it). For each event and each respondent:

- hot (learner): opens on the event's day, closes ``hot_close_days`` later;
- cold (learner, and the learner's manager when known): opens ``d`` days after the event
  for each ``d`` in ``cold_after_days``, closes ``cold_close_days`` after it opens.

An instance is created only while its window is open (``opens_on <= today <= closes_on``):
importing years of history opens nothing stale. Each has a unique key (kind, audience,
learner, item, session, offset), so running the sweep twice opens nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.storage.events import log_events
from coach.surveys.catalog import catalog_view
from coach.surveys.store import template_for
from coach.surveys.templates import Audience, Kind

ManagerOf = Callable[[Session, str], Mapping[str, str]]
"""(session, org id) → learner user id → their manager's user id."""


@dataclass(frozen=True)
class Event:
    """A step a learner finished: a session signed, or a module completed."""

    user_id: str
    item_id: str
    session_id: str  # "" for a module
    on: date
    trigger: str  # attendance | completion


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did."""

    opened: int
    closed: int


def profile_managers(session: Session, org_id: str) -> dict[str, str]:
    """Learner → manager from the learners import (the profile's ``manager`` is the
    manager's LMS id); learners whose manager has no account are left out."""
    users = {u.external_id: u.id for u in storage.list_users(session, org_id=org_id)}
    pairs = storage.learner_profiles(session, org_id=org_id)
    return {u.id: users[p.manager] for u, p in pairs if p.manager and p.manager in users}


def events(session: Session, *, org_id: str, since: date, until: date) -> list[Event]:
    """Signed sessions and completed modules dated in [since, until]."""
    view = catalog_view(session, org_id=org_id)
    out: list[Event] = []
    signed_items: set[tuple[str, str]] = set()
    for a in storage.attendance(session, org_id=org_id):
        item_id, start = view.sessions.get(a.session_id, ("", None))
        on = a.signed_at.date() if a.signed_at else start
        if not a.signed or not item_id:
            continue
        signed_items.add((a.user_id, item_id))
        if on is not None and since <= on <= until:
            out.append(Event(a.user_id, item_id, a.session_id, on, "attendance"))
    for r in storage.completion_records(session, org_id=org_id, since=since, until=until):
        if r.item_id and (r.user_id, r.item_id) not in signed_items:
            signed_items.add((r.user_id, r.item_id))  # one module survey per learner and item
            out.append(Event(r.user_id, r.item_id, "", r.on, "completion"))
    return out


def _row(
    e: Event,
    kind: Kind,
    audience: Audience,
    respondent: str,
    offset: int,
    close: int,
    template: dict[str, Any],
) -> dict[str, Any]:
    opens = e.on + timedelta(days=offset)
    return {
        "key": f"{kind}|{audience}|{e.user_id}|{e.item_id}|{e.session_id}|{offset}",
        "kind": kind,
        "audience": audience,
        "respondent_id": respondent,
        "subject_id": e.user_id,
        "item_id": e.item_id,
        "session_id": e.session_id,
        "trigger": e.trigger,
        "trigger_on": e.on,
        "offset_days": offset,
        "opens_on": opens,
        "closes_on": opens + timedelta(days=close),
        "template": template,
    }


def open_due(
    session: Session,
    *,
    org_id: str,
    today: date,
    manager_of: ManagerOf = profile_managers,
    close: bool = True,
) -> SweepResult:
    """Open the surveys due ``today`` and close those past their last day (idempotent).

    Args:
        manager_of: who manages whom (default: the learners import's ``manager`` column);
            the managers module may pass its reporting lines instead.
        close: False to only open (the nudge source, which may plan for a later day than
            today, must not close a survey still open today; answers are refused after the
            last day whatever the status).
    """
    s = storage.org_settings(session, org_id=org_id).surveys
    longest = max(s.hot_close_days, max(s.cold_after_days) + s.cold_close_days)
    found = events(session, org_id=org_id, since=today - timedelta(days=longest), until=today)
    active = {u.id for u in storage.list_users(session, org_id=org_id) if not u.disabled}
    managers = manager_of(session, org_id) if found else {}
    templates = {
        (k, a): template_for(session, org_id=org_id, kind=k, audience=a).model_dump(mode="json")
        for k, a in (("hot", "learner"), ("cold", "learner"), ("cold", "manager"))
    }
    rows = []
    for e in found:
        if e.user_id not in active:
            continue
        plans = [("hot", "learner", e.user_id, 0, s.hot_close_days)]
        for d in s.cold_after_days:
            plans.append(("cold", "learner", e.user_id, d, s.cold_close_days))
            boss = managers.get(e.user_id)
            if boss in active and boss != e.user_id:
                plans.append(("cold", "manager", boss, d, s.cold_close_days))
        for kind, audience, who, offset, days_open in plans:
            row = _row(e, kind, audience, who, offset, days_open, templates[(kind, audience)])
            if row["opens_on"] <= today <= row["closes_on"]:
                rows.append(row)
    opened = storage.add_survey_instances(session, org_id=org_id, rows=rows)
    closed = storage.close_survey_instances(session, org_id=org_id, today=today) if close else 0
    # one bulk insert for the whole sweep (a flush per event was ~45% of a day's planning)
    log_events(
        session,
        org_id=org_id,
        events=[
            (
                i.respondent_id,
                "survey.opened",
                {"instance": i.id, "kind": i.kind, "item": i.item_id},
            )
            for i in opened
        ],
    )
    return SweepResult(opened=len(opened), closed=closed)
