"""The organisation chart with its history, and the goals managers propose for reports.

A reporting line is valid from ``valid_from`` (inclusive) to ``valid_to`` (exclusive). A
change of manager closes the open line on the day of the change and opens a new one, so
"who managed X on day D" stays answerable; a line opened and closed on the same day never
held and is deleted rather than kept with an empty validity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from coach.storage.access import NotFound
from coach.storage.manager_models import GoalComment, ManagerGoal, ReportingLine
from coach.storage.models import User, utcnow


def _valid_on(on: date | None) -> Any:
    """Lines valid on ``on``; None: the lines open now, whatever today's date (a service
    planning on a fixed date still sees the chart as last imported)."""
    if on is None:
        return ReportingLine.valid_to.is_(None)
    return (ReportingLine.valid_from <= on) & (
        or_(ReportingLine.valid_to.is_(None), ReportingLine.valid_to > on)
    )


def manager_on(session: Session, *, report_id: str, on: date) -> str | None:
    """The user id of ``report_id``'s manager on day ``on`` (None: nobody)."""
    return session.scalar(
        select(ReportingLine.manager_id).where(ReportingLine.report_id == report_id, _valid_on(on))
    )


def reporting_history(session: Session, *, report_id: str) -> list[ReportingLine]:
    """Every line of ``report_id``, oldest first."""
    query = select(ReportingLine).where(ReportingLine.report_id == report_id)
    return list(session.scalars(query.order_by(ReportingLine.valid_from, ReportingLine.id)))


def current_managers(session: Session, *, org_id: str, on: date | None = None) -> dict[str, str]:
    """Report id → manager id of every line of the organisation valid on ``on`` (None: open
    now)."""
    query = select(ReportingLine.report_id, ReportingLine.manager_id).where(
        ReportingLine.org_id == org_id, _valid_on(on)
    )
    return {r: m for r, m in session.execute(query)}


def direct_reports(
    session: Session, *, org_id: str, manager_id: str, on: date | None = None
) -> list[str]:
    """User ids of the people reporting to ``manager_id`` on ``on`` (None: now)."""
    query = select(ReportingLine.report_id).where(
        ReportingLine.org_id == org_id, ReportingLine.manager_id == manager_id, _valid_on(on)
    )
    return sorted(session.scalars(query))


def set_manager(
    session: Session,
    *,
    org_id: str,
    report_id: str,
    manager_id: str | None,
    on: date,
    source: str = "import",
) -> bool:
    """Make ``manager_id`` (None: nobody) the manager of ``report_id`` from ``on``;
    whether anything changed. Raises ValueError for a self-managed report."""
    if manager_id == report_id:
        raise ValueError("a person cannot be their own manager")
    current = session.scalar(
        select(ReportingLine).where(ReportingLine.report_id == report_id, _valid_on(None))
    )
    if current is not None and current.manager_id == manager_id:
        return False
    if current is None and manager_id is None:
        return False
    if current is not None and current.valid_from > on:
        raise ValueError(f"the current line starts on {current.valid_from}, after {on}")
    if current is not None:
        if current.valid_from == on:
            session.delete(current)  # never held: opened and replaced on the same day
        else:
            current.valid_to = on
    session.flush()
    if manager_id is not None:
        session.add(
            ReportingLine(
                org_id=org_id,
                report_id=report_id,
                manager_id=manager_id,
                valid_from=on,
                source=source,
            )
        )
        session.flush()
    return True


def open_lines(
    session: Session, *, org_id: str, managers: Mapping[str, str], on: date, source: str = "import"
) -> int:
    """Open a line from ``on`` for each report → manager given, in one flush: for reports
    with no open line (the caller checked; :func:`set_manager` changes an open one)."""
    session.add_all(
        ReportingLine(org_id=org_id, report_id=r, manager_id=m, valid_from=on, source=source)
        for r, m in managers.items()
    )
    session.flush()
    return len(managers)


def users_matching(session: Session, *, org_id: str, value: str) -> dict[str, list[User]]:
    """The organisation's users whose external id, email or display name is ``value``
    (email and name compared without case), by what matched."""
    value = value.strip()
    users = session.scalars(
        select(User).where(
            User.org_id == org_id,
            or_(
                User.external_id == value,
                func.lower(User.email) == value.lower(),
                func.lower(User.display_name) == value.lower(),
            ),
        )
    ).all()
    return {
        "external_id": [u for u in users if u.external_id == value],
        "email": [u for u in users if (u.email or "").lower() == value.lower()],
        "name": [u for u in users if u.display_name.lower() == value.lower()],
    }


# goals ------------------------------------------------------------------------------------


def create_goal(
    session: Session,
    *,
    org_id: str,
    report_id: str,
    manager_id: str,
    label: str,
    target_role: str | None,
    skills: Sequence[dict[str, Any]],
    deadline: date,
    reason: str,
) -> ManagerGoal:
    """Store a goal a manager proposes for a report (validated by the caller)."""
    goal = ManagerGoal(
        org_id=org_id,
        report_id=report_id,
        manager_id=manager_id,
        label=label,
        target_role=target_role,
        skills=[dict(s) for s in skills],
        deadline=deadline,
        reason=reason,
        status="open",
    )
    session.add(goal)
    session.flush()
    return goal


def get_goal(session: Session, *, org_id: str, goal_id: str) -> ManagerGoal:
    """A goal of the organisation (raises :class:`NotFound`)."""
    goal = session.get(ManagerGoal, goal_id)
    if goal is None or goal.org_id != org_id:
        raise NotFound("no such goal")
    return goal


def goals_of(session: Session, *, report_id: str, status: str | None = None) -> list[ManagerGoal]:
    """The goals proposed for ``report_id``, oldest first."""
    query = select(ManagerGoal).where(ManagerGoal.report_id == report_id)
    if status is not None:
        query = query.where(ManagerGoal.status == status)
    return list(session.scalars(query.order_by(ManagerGoal.created_at, ManagerGoal.id)))


def reports_with_goals(session: Session, *, org_id: str, status: str = "open") -> set[str]:
    """User ids of the organisation's people with a goal in ``status``."""
    query = select(ManagerGoal.report_id).where(
        ManagerGoal.org_id == org_id, ManagerGoal.status == status
    )
    return set(session.scalars(query))


def add_goal_comment(
    session: Session, *, goal: ManagerGoal, author: User, text: str
) -> GoalComment:
    """Add a comment to a goal."""
    row = GoalComment(
        goal_id=goal.id, author_id=author.id, author_name=author.display_name, text=text
    )
    goal.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row


def goal_comments(session: Session, *, goal_ids: Sequence[str]) -> dict[str, list[GoalComment]]:
    """Each goal's comments, oldest first."""
    out: dict[str, list[GoalComment]] = {g: [] for g in goal_ids}
    if not goal_ids:
        return out
    query = select(GoalComment).where(GoalComment.goal_id.in_(list(goal_ids)))
    for row in session.scalars(query.order_by(GoalComment.id)):
        out[row.goal_id].append(row)
    return out
