"""Goals a manager proposes for a report, the comments on them, and the re-plan they cause.

A goal names target skills with levels, or a target role, a deadline after today and a
reason. Stored in ``manager_goals``, it is also written into the learner's profile goals
(marked ``manager_goal: <id>``) where the path builder reads goals, then the learner's path
is re-planned through :class:`~coach.paths.PathService`: the new version lands ``pending``
for L&D review as any re-plan does, and the learner keeps their approved version meanwhile.
A learners re-import replaces the profile, so the import writes the open goals back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.managers.team import Team, reports_of
from coach.paths import PathService
from recommender.catalog import Catalog

GOAL_KEY = "manager_goal"


class GoalInputError(ValueError):
    """A goal that cannot be accepted (HTTP 422), every reason listed."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("; ".join(p["reason"] for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class GoalDraft:
    """What the manager asks for."""

    label: str
    reason: str
    deadline: date
    target_role: str | None = None
    skills: Sequence[tuple[str, int]] = ()


def goal_problems(catalog: Catalog, draft: GoalDraft, today: date) -> list[dict[str, str]]:
    """Every reason ``draft`` cannot be a goal, each with the field it is about."""
    out = []
    if not draft.skills and not draft.target_role:
        out.append({"field": "skills", "reason": "give target skills with levels or a role"})
    if draft.target_role and draft.target_role not in catalog.roles:
        out.append({"field": "target_role", "reason": f"unknown role '{draft.target_role}'"})
    for skill, level in draft.skills:
        known = catalog.skills.get(skill)
        if known is None:
            out.append({"field": "skills", "reason": f"unknown skill '{skill}'"})
        elif not 1 <= level <= known.levels:
            out.append(
                {
                    "field": "skills",
                    "reason": f"skill '{skill}' has levels 1 to {known.levels}, not {level}",
                }
            )
    if draft.deadline <= today:
        out.append(
            {
                "field": "deadline",
                "reason": f"the deadline {draft.deadline} is not in the future (today is {today})",
            }
        )
    if not draft.reason.strip():
        out.append({"field": "reason", "reason": "say why this goal matters (reason)"})
    return out


def _profile_goal(goal: storage.ManagerGoal) -> dict[str, Any]:
    return {
        "label": goal.label,
        "role": goal.target_role,
        "skills": [f"{s['skill']}:{s['level']}" for s in goal.skills],
        "deadline": goal.deadline.isoformat(),
        GOAL_KEY: goal.id,
    }


def apply_goals(session: Session, *, org_id: str, user_ids: Sequence[str]) -> None:
    """Write the open manager goals of these learners into their profile goals."""
    with_goals = storage.reports_with_goals(session, org_id=org_id)
    user_ids = [u for u in user_ids if u in with_goals]  # a re-import replaced the others'
    if not user_ids:
        return
    for user, profile in storage.learner_profiles(session, org_id=org_id, user_ids=user_ids):
        goals = storage.goals_of(session, report_id=user.id, status="open")
        kept = [
            g
            for g in (profile.data.get("goals") or [])
            if not (isinstance(g, dict) and GOAL_KEY in g)
        ]
        new = [*kept, *(_profile_goal(g) for g in goals)]
        if new == (profile.data.get("goals") or []):
            continue
        storage.save_learner_profile(
            session,
            org_id=org_id,
            user_id=user.id,
            role=profile.role,
            team=profile.team,
            manager=profile.manager,
            data={**profile.data, "goals": new},
        )


def propose_goal(
    session: Session, *, service: PathService, team: Team, report_id: str, draft: GoalDraft
) -> tuple[storage.ManagerGoal, dict[str, Any]]:
    """Store the goal and re-plan the report's path (pending L&D review); the goal and
    what the re-plan did. Raises :class:`GoalInputError`, NotFound, NoCatalog."""
    team.check_member(report_id)
    org_id = team.manager.org_id
    catalog = service.world.catalog(session, org_id)
    problems = goal_problems(catalog, draft, service.today())
    if problems:
        raise GoalInputError(problems)
    goal = storage.create_goal(
        session,
        org_id=org_id,
        report_id=report_id,
        manager_id=team.manager.id,
        label=draft.label.strip() or "goal",
        target_role=draft.target_role,
        skills=[{"skill": s, "level": n} for s, n in draft.skills],
        deadline=draft.deadline,
        reason=draft.reason.strip(),
    )
    apply_goals(session, org_id=org_id, user_ids=[report_id])
    result = service.generate(session, viewer=team.manager, org_id=org_id, user_ids=[report_id])
    replan: dict[str, Any] = {"changed": bool(result.paths)}
    row = storage.path_of_user(session, user_id=report_id)
    if row is not None:
        replan.update(path_id=row.id, status=row.status, version=row.version)
    storage.log_event(
        session,
        org_id=org_id,
        user_id=team.manager.id,
        type="manager.goal_proposed",
        payload={"goal_id": goal.id, "report_id": report_id, **replan},
    )
    return goal, replan


def goals_json(session: Session, *, report_id: str) -> list[dict[str, Any]]:
    """The goals proposed for a report, with their comments."""
    goals = storage.goals_of(session, report_id=report_id)
    comments = storage.goal_comments(session, goal_ids=[g.id for g in goals])
    managers = {
        g.manager_id: storage.get_user(session, user_id=g.manager_id).display_name
        for g in goals
        if g.manager_id
    }
    return [
        {
            "id": g.id,
            "label": g.label,
            "target_role": g.target_role,
            "skills": g.skills,
            "deadline": g.deadline.isoformat(),
            "reason": g.reason,
            "status": g.status,
            "proposed_by": managers.get(g.manager_id or ""),
            "created_at": g.created_at.isoformat(),
            "comments": [
                {"author": c.author_name, "text": c.text, "at": c.created_at.isoformat()}
                for c in comments[g.id]
            ],
        }
        for g in goals
    ]


def comment_goal(
    session: Session, *, viewer: storage.Viewer, goal_id: str, text: str
) -> storage.GoalComment:
    """The learner, or a manager whose team they are in, comments on a goal (404 else)."""
    goal = storage.get_goal(session, org_id=viewer.org_id, goal_id=goal_id)
    if goal.report_id != viewer.id:
        settings = storage.org_settings(session, org_id=viewer.org_id).managers
        team = reports_of(
            session,
            org_id=viewer.org_id,
            manager_id=viewer.id,
            include_indirect=settings.include_indirect,
        )
        if goal.report_id not in team:
            raise storage.NotFound("no such goal")
    text = text.strip()
    if not text:
        raise GoalInputError([{"field": "text", "reason": "the comment is empty"}])
    author = storage.get_user(session, user_id=viewer.id)
    return storage.add_goal_comment(session, goal=goal, author=author, text=text)
