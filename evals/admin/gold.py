"""The figures of docs/admin-assistant.md, computed from the files of the import layout.

Independent of the assistant under test (nothing from ``coach/``): :func:`load` reads the
files (:mod:`evals.admin.files`); every figure is a pure function of that ``OrgData``.
Populations are sets of learner ids (:func:`team`, :func:`managed_by`, :func:`with_role`); a
``learners`` argument of None means everyone. Periods are inclusive ``(start, end)`` pairs, ``start`` None
for all time (see :mod:`evals.admin.periods`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from evals.admin.files import OrgData, Record, load
from evals.admin.periods import Range, in_range, last_days

__all__ = [
    "OrgData",
    "Range",
    "completion_by",
    "completion_rate",
    "engagement",
    "load",
    "managed_by",
    "mandatory_status",
    "next_session",
    "overdue",
    "progression",
    "quiz_results",
    "seats",
    "session_enrolments",
    "sessions_of",
    "sign_off",
    "team",
    "with_role",
]

PASS = 0.7


# populations ---------------------------------------------------------------------------


def team(data: OrgData, name: str) -> set[str]:
    """The learners whose profile team is ``name``."""
    return {p.id for p in data.people.values() if p.team == name}


def managed_by(data: OrgData, manager: str) -> set[str]:
    """A manager's team: the learners whose profile names that manager."""
    return {p.id for p in data.people.values() if p.manager == manager}


def with_role(data: OrgData, role: str) -> set[str]:
    return {p.id for p in data.people.values() if p.role == role}


def _within(learner_id: str, learners: Iterable[str] | None) -> bool:
    return learners is None or learner_id in learners


# sessions ------------------------------------------------------------------------------


def session_enrolments(data: OrgData, session_id: str, status: str = "enrolled") -> list[str]:
    """Sorted ids of the learners with an enrolment of ``status`` in the session."""
    return sorted(
        {e.learner_id for e in data.enrolments if e.session_id == session_id and e.status == status}
    )


def seats(data: OrgData, session_id: str) -> dict[str, int]:
    """Capacity, enrolled, waitlisted and free seats; rows win over ``seats_taken``."""
    sess = data.sessions[session_id]
    has_rows = any(e.session_id == session_id for e in data.enrolments)
    enrolled = len(session_enrolments(data, session_id)) if has_rows else sess.seats_taken
    waitlisted = len(session_enrolments(data, session_id, "waitlisted"))
    return {
        "capacity": sess.seats,
        "enrolled": enrolled,
        "waitlisted": waitlisted,
        "free": max(sess.seats - enrolled, 0),
    }


def sign_off(
    data: OrgData, session_id: str, learners: Iterable[str] | None = None
) -> tuple[list[str], list[str]]:
    """(signed, not signed) among the learners enrolled in the session, sorted ids."""
    enrolled = [i for i in session_enrolments(data, session_id) if _within(i, learners)]
    signed = {s.learner_id for s in data.signatures if s.session_id == session_id and s.signed}
    return [i for i in enrolled if i in signed], [i for i in enrolled if i not in signed]


# mandatory training --------------------------------------------------------------------


def _completions(data: OrgData, learner_id: str, item_id: str) -> list[date]:
    return sorted(
        r.on
        for r in data.records
        if r.kind == "completion" and r.learner_id == learner_id and r.item_id == item_id
    )


def mandatory_status(data: OrgData, learner_id: str, item_id: str) -> tuple[str, date | None]:
    """``(status, due)``: status is ``not_required``, ``compliant``, ``due`` (not yet),
    ``overdue`` or ``not_assigned`` (never completed, no dated non-cancelled enrolment)."""
    role = data.people[learner_id].role
    rule = next((r for r in data.items[item_id].rules if r[0] in ("*", role)), None)
    if rule is None:
        return "not_required", None
    done = _completions(data, learner_id, item_id)
    if done and rule[1] is None:
        return "compliant", None
    if done:
        due = done[-1] + timedelta(days=int(rule[1] or 0))
    else:
        dues = [
            e.due_on
            for e in data.enrolments
            if e.learner_id == learner_id
            and e.item_id == item_id
            and e.status != "cancelled"
            and e.due_on is not None
        ]
        if not dues:
            return "not_assigned", None
        due = min(dues)
    return ("overdue" if due < data.today else "due"), due


def overdue(
    data: OrgData, item_id: str | None = None, learners: Iterable[str] | None = None
) -> list[str]:
    """Sorted ids of the learners overdue on the item (on any mandatory item when None)."""
    items = [item_id] if item_id else [i.id for i in data.items.values() if i.rules]
    pool = sorted(data.people) if learners is None else sorted(set(learners))
    return [
        lid
        for lid in pool
        if any(mandatory_status(data, lid, item)[0] == "overdue" for item in items)
    ]


# completion ----------------------------------------------------------------------------


def _completion_counts(
    data: OrgData, item_id: str, period: Range, learners: Iterable[str] | None
) -> dict[str, bool]:
    """Population of the completion rate: learner id -> completed in the period."""
    start, end = period
    enrolled = {
        e.learner_id
        for e in data.enrolments
        if e.item_id == item_id and e.status != "cancelled" and e.enrolled_on <= end
    }
    out = {}
    for lid in sorted(enrolled):
        if not _within(lid, learners):
            continue
        done = _completions(data, lid, item_id)
        if start is not None and done and done[0] < start:
            continue
        out[lid] = any(in_range(d, period) for d in done)
    return out


def completion_rate(
    data: OrgData,
    item_id: str,
    period: Range | None = None,
    learners: Iterable[str] | None = None,
) -> float | None:
    """Completed / population in the period (all time up to today by default)."""
    counts = _completion_counts(data, item_id, period or (None, data.today), learners)
    return round(sum(counts.values()) / len(counts), 4) if counts else None


def completion_by(
    data: OrgData, item_id: str, group: str, period: Range | None = None
) -> dict[str, float]:
    """The completion rate per profile ``team`` or ``role``; empty groups omitted."""
    out = {}
    for name in sorted({getattr(p, group) for p in data.people.values()}):
        members = {p.id for p in data.people.values() if getattr(p, group) == name}
        rate = completion_rate(data, item_id, period, members)
        if rate is not None:
            out[name] = rate
    return out


# tests and quizzes ---------------------------------------------------------------------


def progression(
    data: OrgData, item_id: str, learners: Iterable[str] | None = None
) -> dict[str, Any] | None:
    """Average pre, post and gain over learners with both tests of the item (latest each)."""
    latest: dict[tuple[str, str], Record] = {}
    for r in sorted(data.records, key=lambda r: r.on):  # stable: file order breaks ties
        if (
            r.kind == "quiz"
            and r.item_id == item_id
            and r.phase in ("pre", "post")
            and r.score is not None
            and _within(r.learner_id, learners)
        ):
            latest[(r.learner_id, r.phase)] = r
    both = sorted({lid for lid, _ in latest if (lid, "pre") in latest and (lid, "post") in latest})
    if not both:
        return None
    pre = [float(latest[(lid, "pre")].score or 0) for lid in both]
    post = [float(latest[(lid, "post")].score or 0) for lid in both]
    gain = [b - a for a, b in zip(pre, post, strict=True)]
    n = len(both)
    return {
        "pre": round(sum(pre) / n, 4),
        "post": round(sum(post) / n, 4),
        "gain": round(sum(gain) / n, 4),
        "n": n,
    }


def quiz_results(
    data: OrgData,
    *,
    item_id: str | None = None,
    skill: str | None = None,
    period: Range | None = None,
    learners: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Attempts, average score and pass rate (score >= 0.7) of an item's or a skill's
    quizzes (any phase) in the period (all time up to today by default)."""
    scores = [
        float(r.score)
        for r in data.records
        if r.kind == "quiz"
        and r.score is not None
        and (
            (item_id is not None and r.item_id == item_id)
            or (skill is not None and r.skill == skill)
        )
        and in_range(r.on, period or (None, data.today))
        and _within(r.learner_id, learners)
    ]
    if not scores:
        return {"attempts": 0, "average": None, "pass_rate": None}
    return {
        "attempts": len(scores),
        "average": round(sum(scores) / len(scores), 4),
        "pass_rate": round(sum(s >= PASS for s in scores) / len(scores), 4),
    }


# engagement ----------------------------------------------------------------------------


def engagement(
    data: OrgData, period: Range | None = None, learners: Iterable[str] | None = None
) -> dict[str, Any]:
    """Active learners, minutes spent and minutes per active learner in the period
    (default: the last 30 days up to today)."""
    period = period or last_days(data.today, 30)
    rows = [r for r in data.records if in_range(r.on, period) and _within(r.learner_id, learners)]
    active = len({r.learner_id for r in rows})
    minutes = round(sum(r.minutes or 0.0 for r in rows), 4)
    return {
        "active": active,
        "minutes": minutes,
        "per_learner": round(minutes / active, 4) if active else None,
    }


# sessions as people name them ----------------------------------------------------------


def sessions_of(data: OrgData, item_id: str, period: Range) -> list[str]:
    """Ids of the item's sessions starting in the period, by date."""
    found = [s for s in data.sessions.values() if s.item_id == item_id and in_range(s.day, period)]
    return [s.id for s in sorted(found, key=lambda s: (s.day, s.id))]


def next_session(data: OrgData, item_id: str) -> str | None:
    """The item's first session after today."""
    later = sessions_of(data, item_id, (data.today + timedelta(days=1), date.max))
    return later[0] if later else None
