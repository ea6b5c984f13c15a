"""Response rates: answered / sent, per survey, course or team, over instances opened in a
window (an instance counts as sent once it has opened)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from coach import storage
from coach.surveys.catalog import catalog_view

RatesBy = Literal["survey", "course", "team"]


class Rate(BaseModel):
    """One group's response rate (``rate`` None when nothing was sent)."""

    group: str
    sent: int
    answered: int
    rate: float | None
    open: int
    """Still open today (their rate may yet rise)."""


def survey_label(kind: str, audience: str, offset: int) -> str:
    """``hot · learner``, ``cold D+30 · manager``."""
    return f"{kind} · {audience}" if kind == "hot" else f"cold D+{offset} · {audience}"


def teams_of(session: Session, org_id: str) -> dict[str, str]:
    """Learner user id → team ("—" when none)."""
    return {u.id: (p.team or "—") for u, p in storage.learner_profiles(session, org_id=org_id)}


def response_rates(
    session: Session,
    *,
    org_id: str,
    group_by: RatesBy,
    today: date,
    since: date | None = None,
    until: date | None = None,
) -> list[Rate]:
    """Rates per group, groups sorted by name; the team is the learner's the survey is
    about (a manager's cold survey counts for their report's team)."""
    rows = storage.survey_instances(
        session, org_id=org_id, opened_since=since, opened_until=min(until or today, today)
    )
    answered = storage.survey_answers(session, instance_ids=[i.id for i in rows])
    view = catalog_view(session, org_id=org_id) if group_by == "course" else None
    teams = teams_of(session, org_id) if group_by == "team" else {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for i in rows:
        if group_by == "survey":
            key = survey_label(i.kind, i.audience, i.offset_days)
        elif view is not None:
            key = view.title(i.item_id)
        else:
            key = teams.get(i.subject_id, "—")
        c = counts[key]
        c[0] += 1
        c[1] += i.id in answered
        c[2] += i.status == "open" and today <= i.closes_on
    return [
        Rate(group=k, sent=s, answered=a, rate=round(a / s, 4) if s else None, open=o)
        for k, (s, a, o) in sorted(counts.items())
    ]
