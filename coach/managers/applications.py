"""On-the-job application confirmations: asking a manager, some weeks after a step that
taught a skill, whether the learner applies it at work.

A step teaches a skill when the learner attended a session (an ``attendance`` record with
``attended``, or a signed sign-off) or completed an item with a passed quiz (a
``completion`` scored at least :data:`PASS_MARK`); each skill the item teaches is one
request. :func:`open_due_requests` opens, ``application_delay_days`` after the step, one
request per learner, item and skill for the learner's current manager; it is idempotent
and skips steps whose request would be more than :data:`STALE_AFTER_DAYS` overdue (nobody
should be asked about a course from two years ago when the feature is switched on).

The manager answers on :data:`LEVELS` with a comment, or "no opportunity yet"; the answer
is final (a second one is 409: a correction is a new fact, and the behaviour figures must
not move under the dashboard's feet). It is stored with its xAPI statement and logged as
``manager.application_confirmed``.

Not fed into the learner model: the knowledge tracer folds binary graded answers with full
weight and has no notion of a weaker observation; counting "applies it" as a right answer
would weigh one manager's impression like a quiz item and bias the fitted parameters.
The confirmations are shown in the learner's record and read by the behaviour level of
the Kirkpatrick dashboard through :func:`application_confirmations` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.admin.tools import PASS_MARK
from coach.managers.team import team_of
from coach.managers.xapi import application_confirmed
from coach.nudges.candidate import Candidate
from coach.paths import NoCatalog, World
from recommender.catalog import Catalog

STALE_AFTER_DAYS = 90
LEVELS = {
    1: {"en": "does not apply it yet", "fr": "ne l'applique pas encore"},
    2: {"en": "applies it with help", "fr": "l'applique avec de l'aide"},
    3: {"en": "applies it on their own", "fr": "l'applique en autonomie"},
    4: {"en": "applies it with ease and helps others", "fr": "l'applique avec aisance et aide"},
}


@dataclass(frozen=True)
class TaughtStep:
    """A learner's first step that taught ``skill`` through ``item_id``."""

    user_id: str
    item_id: str
    skill: str
    kind: str  # attendance | completion
    on: date


def catalog_or_none(session: Session, world: World, org_id: str) -> Catalog | None:
    """The organisation's catalog, or None before one is imported (titles fall back to ids)."""
    try:
        return world.catalog(session, org_id)
    except NoCatalog:
        return None


def taught_steps(session: Session, *, org_id: str, catalog: Catalog) -> list[TaughtStep]:
    """Every (learner, item, skill) a step taught, at its earliest date."""
    found: list[tuple[str, str, str, date]] = []  # user, item or session, kind, on
    people = storage.learner_ids(session, org_id=org_id)
    for uid, records in storage.learning_records(session, user_ids=people).items():
        for r in records:
            if r.kind == "attendance" and r.attended and r.item_id:
                found.append((uid, r.item_id, "attendance", r.on))
            elif r.kind == "completion" and r.item_id and (r.score or 0) >= PASS_MARK:
                found.append((uid, r.item_id, "completion", r.on))
    for a in storage.attendance(session, org_id=org_id):
        if a.signed and a.session_id in catalog.sessions:
            on = a.signed_at.date() if a.signed_at else catalog.sessions[a.session_id].start.date()
            found.append((a.user_id, a.session_id, "attendance", on))
    first: dict[tuple[str, str, str], TaughtStep] = {}
    for uid, ref, kind, on in sorted(found, key=lambda f: f[3]):
        session_of = catalog.sessions.get(ref)
        item = catalog.items.get(session_of.item_id if session_of else ref)
        if item is None:
            continue
        for sl in item.skills:
            key = (uid, item.id, sl.skill)
            if key not in first:
                first[key] = TaughtStep(uid, item.id, sl.skill, kind, on)
    return list(first.values())


def open_due_requests(
    session: Session, *, org_id: str, today: date, world: World | None = None
) -> list[storage.ApplicationRequest]:
    """Open the requests due by ``today`` that are not open yet (idempotent); the new ones."""
    catalog = catalog_or_none(session, world or World(), org_id)
    if catalog is None:
        return []
    delay = storage.org_settings(session, org_id=org_id).managers.application_delay_days
    managers = storage.current_managers(session, org_id=org_id)
    known = storage.request_keys(session, org_id=org_id)
    opened = []
    for step in taught_steps(session, org_id=org_id, catalog=catalog):
        due = step.on + timedelta(days=delay)
        manager = managers.get(step.user_id)
        if due > today or (today - due).days > STALE_AFTER_DAYS or manager is None:
            continue
        if (step.user_id, step.item_id, step.skill) in known:
            continue
        opened.append(
            storage.open_request(
                session,
                org_id=org_id,
                report_id=step.user_id,
                manager_id=manager,
                item_id=step.item_id,
                skill=step.skill,
                step_kind=step.kind,
                learned_on=step.on,
                due_on=due,
            )
        )
    return opened


def request_json(
    session: Session, req: storage.ApplicationRequest, catalog: Catalog | None = None
) -> dict[str, Any]:
    """A request as the manager page and the learner's record show it."""
    learner = storage.get_user(session, user_id=req.report_id)
    item = catalog.items.get(req.item_id) if catalog else None
    skill = catalog.skills.get(req.skill) if catalog else None
    return {
        "id": req.id,
        "learner": {
            "id": learner.id,
            "external_id": learner.external_id,
            "name": learner.display_name,
        },
        "item_id": req.item_id,
        "item_title": item.title if item else req.item_id,
        "skill": req.skill,
        "skill_label": skill.label if skill else req.skill,
        "step_kind": req.step_kind,
        "learned_on": req.learned_on.isoformat(),
        "due_on": req.due_on.isoformat(),
        "status": req.status,
        "level": req.level,
        "comment": req.comment,
        "answered_at": None if req.answered_at is None else req.answered_at.isoformat(),
    }


def pending_for(
    session: Session, *, viewer: storage.Viewer, today: date, world: World
) -> list[dict[str, Any]]:
    """The confirmations due by ``today`` about the viewer's direct reports."""
    team = team_of(session, viewer=viewer)
    rows = storage.pending_requests(session, org_id=viewer.org_id, due_by=today)
    catalog = catalog_or_none(session, world, viewer.org_id)
    return [request_json(session, r, catalog) for r in rows if r.report_id in team.direct_ids]


def answer(
    session: Session,
    *,
    viewer: storage.Viewer,
    request_id: str,
    level: int | None,
    comment: str,
    base_url: str,
    world: World,
) -> storage.ApplicationRequest:
    """The viewer answers a request about someone in their team (404 otherwise, 409 when
    answered already); ``level`` None is "no opportunity yet"."""
    req = storage.get_request(session, org_id=viewer.org_id, request_id=request_id)
    team_of(session, viewer=viewer).check_member(req.report_id)
    catalog = catalog_or_none(session, world, viewer.org_id)
    learner = storage.get_user(session, user_id=req.report_id)
    org = storage.get_organisation(session, org_id=viewer.org_id)
    manager = storage.get_user(session, user_id=viewer.id)
    now = datetime.now(UTC)
    item = catalog.items.get(req.item_id) if catalog else None
    skill = catalog.skills.get(req.skill) if catalog else None
    statement = application_confirmed(
        statement_id=req.id,
        base_url=base_url,
        org_home=f"{base_url}/orgs/{org.slug}",
        learner=(learner.external_id, learner.display_name),
        manager=(manager.external_id, manager.display_name),
        skill=req.skill,
        skill_label=skill.label if skill else req.skill,
        item_id=req.item_id,
        item_title=item.title if item else req.item_id,
        learned_on=req.learned_on,
        level=level,
        comment=comment,
        language=manager.locale,
        timestamp=now,
    )
    storage.answer_request(
        session,
        request=req,
        answered_by=viewer.id,
        level=level,
        comment=comment,
        statement=statement,
        at=now,
    )
    storage.log_event(
        session,
        org_id=viewer.org_id,
        user_id=viewer.id,
        type="manager.application_confirmed",
        payload={"request_id": req.id, "report_id": req.report_id, "xapi": statement},
    )
    return req


@dataclass(frozen=True)
class Confirmation:
    """One answered request, as the behaviour level of the Kirkpatrick dashboard reads it."""

    request_id: str
    report_id: str
    manager_id: str | None  # who answered
    team: str  # the learner's team now
    item_id: str
    skill: str
    step_kind: str
    learned_on: date
    answered_at: datetime
    level: int | None  # 1..4; None: no opportunity yet
    applied: bool | None  # level >= 3; None: no opportunity yet
    comment: str


def _moment(day: date | datetime) -> datetime:
    """A datetime as is; a date as its midnight, UTC."""
    if isinstance(day, datetime):
        return day
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def application_confirmations(
    session: Session, *, org_id: str, since: date | datetime, until: date | datetime
) -> list[Confirmation]:
    """Answers given in ``[since, until)`` (days count from midnight UTC), oldest first."""
    start, end = _moment(since), _moment(until)
    rows = storage.application_answers(session, org_id=org_id, since=start, until=end)
    ids = sorted({r.report_id for r in rows})
    teams = {
        u.id: p.team for u, p in storage.learner_profiles(session, org_id=org_id, user_ids=ids)
    }
    return [
        Confirmation(
            request_id=r.id,
            report_id=r.report_id,
            manager_id=r.answered_by,
            team=teams.get(r.report_id, ""),
            item_id=r.item_id,
            skill=r.skill,
            step_kind=r.step_kind,
            learned_on=r.learned_on,
            answered_at=r.answered_at or start,
            level=r.level,
            applied=None if r.level is None else r.level >= 3,
            comment=r.comment,
        )
        for r in rows
    ]


class PendingConfirmations:
    """The nudge engine's source of "please confirm" nudges for managers.

    Runs the idempotent sweep for the day first (so opening requests needs no separate
    job), then proposes one nudge per pending request to the report's current manager.
    """

    def __init__(self, world: World | None = None) -> None:
        self.world = world or World()

    def candidates(self, session: Session, *, org_id: str, day: date) -> Iterator[Candidate]:
        """One ``manager.confirm_application`` candidate per pending request due by ``day``."""
        open_due_requests(session, org_id=org_id, today=day, world=self.world)
        managers = storage.current_managers(session, org_id=org_id)
        catalog = catalog_or_none(session, self.world, org_id)
        for req in storage.pending_requests(session, org_id=org_id, due_by=day):
            manager = managers.get(req.report_id)
            if manager is None:
                continue
            shown = request_json(session, req, catalog)
            yield Candidate(
                org_id=org_id,
                user_id=manager,
                kind="manager.confirm_application",
                # stable even if the sweep that opened the request is rolled back and rerun
                key=f"manager.confirm_application:{req.report_id}:{req.item_id}:{req.skill}",
                not_before=datetime.combine(day, time(0, 0), tzinfo=UTC),
                reason=(
                    f"{shown['learner']['name']} learned '{shown['skill_label']}' through "
                    f"'{shown['item_title']}' on {shown['learned_on']}; their manager has not "
                    "said yet whether they apply it at work"
                ),
                link=f"/manager#confirm/{req.id}",
                params={
                    "learner": shown["learner"]["name"],
                    "skill": shown["skill_label"],
                    "item": shown["item_title"],
                    "learned_on": shown["learned_on"],
                    "due_on": shown["due_on"],
                },
                priority=40,
            )
