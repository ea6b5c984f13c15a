"""Who a manager's reports are, and what the organisation lets the manager see of them.

- The team is the people whose reporting line to the manager is open now; with
  ``include_indirect`` it also holds their reports, and further down (cycles are cut).
- ``visibility = individual``: per-person detail. ``aggregates``: team figures only, and
  only over at least ``min_group_size`` people; per-person routes are refused (403).
- Anyone outside the team is unknown to the manager (404), as is anyone of another
  organisation; someone who manages nobody and is not a manager is refused (403).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from coach import storage
from coach.org_settings import ManagerSettings


def reports_of(
    session: Session, *, org_id: str, manager_id: str, include_indirect: bool
) -> list[str]:
    """User ids of the manager's current reports (and theirs, with ``include_indirect``)."""
    direct = storage.direct_reports(session, org_id=org_id, manager_id=manager_id)
    if not include_indirect:
        return direct
    lines = storage.current_managers(session, org_id=org_id)
    below: dict[str, list[str]] = {}
    for report, manager in lines.items():
        below.setdefault(manager, []).append(report)
    seen: set[str] = set()
    todo = list(direct)
    while todo:
        person = todo.pop()
        if person in seen or person == manager_id:
            continue
        seen.add(person)
        todo += below.get(person, [])
    return sorted(seen)


@dataclass(frozen=True)
class Team:
    """A manager's team as they may see it."""

    manager: storage.Viewer
    settings: ManagerSettings
    report_ids: tuple[str, ...]
    direct_ids: tuple[str, ...]

    @property
    def individual(self) -> bool:
        return self.settings.visibility == "individual"

    def check_member(self, user_id: str) -> None:
        """404 unless ``user_id`` is in the team (whatever the visibility)."""
        if user_id not in self.report_ids:
            raise storage.NotFound("no such person in your team")

    def check_individual(self) -> None:
        """403 when the organisation shows managers team figures only."""
        if not self.individual:
            raise storage.Forbidden(
                "your organisation shows managers team figures only (visibility: aggregates), "
                "never one person's detail"
            )

    def check_group(self, n: int) -> None:
        """403 when ``n`` people are too few for figures that would not single anyone out."""
        least = self.settings.min_group_size
        if n < least:
            raise storage.Forbidden(
                f"your team has {n} {'person' if n == 1 else 'people'}: your organisation "
                f"shows team figures over at least {least} people (min_group_size), so that "
                "no one can be singled out"
            )


def team_of(session: Session, *, viewer: storage.Viewer) -> Team:
    """The viewer's team (403 for someone who manages nobody and is not a manager)."""
    settings = storage.org_settings(session, org_id=viewer.org_id).managers
    direct = storage.direct_reports(session, org_id=viewer.org_id, manager_id=viewer.id)
    if not direct and viewer.role != "manager":
        raise storage.Forbidden("this is for managers: nobody reports to you")
    reports = reports_of(
        session,
        org_id=viewer.org_id,
        manager_id=viewer.id,
        include_indirect=settings.include_indirect,
    )
    return Team(viewer, settings, tuple(reports), tuple(direct))
