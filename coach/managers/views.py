"""What the manager routes and the learner's "what my manager sees" return."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.managers.applications import catalog_or_none, request_json
from coach.managers.figures import aggregate, people_figures
from coach.managers.goals import goals_json
from coach.managers.team import Team, team_of
from coach.paths import PathService


def _settings(team: Team) -> dict[str, Any]:
    s = team.settings
    return {
        "visibility": s.visibility,
        "min_group_size": s.min_group_size,
        "include_indirect": s.include_indirect,
    }


def team_overview(
    session: Session, *, service: PathService, viewer: storage.Viewer
) -> dict[str, Any]:
    """Each report's figures (``individual``) or the team's (``aggregates``, 403 when the
    team is smaller than ``min_group_size``)."""
    team = team_of(session, viewer=viewer)
    people = people_figures(
        session, service=service, org_id=viewer.org_id, user_ids=team.report_ids
    )
    out = {"settings": _settings(team), "today": service.today().isoformat()}
    if team.individual:
        for p in people:
            p["direct"] = p["id"] in team.direct_ids
        return {**out, "people": people}
    team.check_group(len(people))
    return {**out, "aggregate": aggregate(people, min_group_size=team.settings.min_group_size)}


def person_detail(
    session: Session, *, service: PathService, team: Team, user_id: str
) -> dict[str, Any]:
    """One report's figures, goals and answered confirmations (individual visibility)."""
    team.check_member(user_id)
    team.check_individual()
    found = people_figures(session, service=service, org_id=team.manager.org_id, user_ids=[user_id])
    if not found:
        raise storage.NotFound("this person has no learner profile yet")
    person = found[0]
    person["goals"] = goals_json(session, report_id=user_id)
    catalog = catalog_or_none(session, service.world, team.manager.org_id)
    person["confirmations"] = [
        request_json(session, r, catalog)
        for r in storage.requests_about(session, report_ids=[user_id])
    ]
    return person


def my_manager_view(
    session: Session, *, service: PathService, viewer: storage.Viewer
) -> dict[str, Any]:
    """Exactly what the viewer's managers can see of them, with the rules that apply."""
    settings = storage.org_settings(session, org_id=viewer.org_id).managers
    managers: list[dict[str, str]] = []
    lines = storage.current_managers(session, org_id=viewer.org_id)
    person, seen = viewer.id, {viewer.id}
    while person in lines and lines[person] not in seen:
        manager = storage.get_user(session, user_id=lines[person])
        managers.append({"id": manager.id, "name": manager.display_name})
        seen.add(manager.id)
        person = manager.id
        if not settings.include_indirect:
            break
    catalog = catalog_or_none(session, service.world, viewer.org_id)
    out: dict[str, Any] = {
        "settings": {
            "visibility": settings.visibility,
            "min_group_size": settings.min_group_size,
            "include_indirect": settings.include_indirect,
        },
        "managers": managers,
        "goals": goals_json(session, report_id=viewer.id),
        "confirmations": [
            request_json(session, r, catalog)
            for r in storage.requests_about(session, report_ids=[viewer.id])
        ],
    }
    if not managers:
        return {**out, "sees": "nothing", "detail": None}
    if settings.visibility == "aggregates":
        return {**out, "sees": "team figures only", "detail": None}
    found = people_figures(session, service=service, org_id=viewer.org_id, user_ids=[viewer.id])
    return {**out, "sees": "your detail", "detail": found[0] if found else None}
