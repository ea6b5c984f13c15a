"""``blendcoach import KIND FILE`` and ``blendcoach paths generate``: the path builder's data
from the LMS, and paths for review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from coach import storage
from coach.admin.imports import import_attendance, import_enrolments
from coach.cli_users import db_session, fail
from coach.guard import make_guard
from coach.paths import NoCatalog, PathService, World
from coach.paths.imports import (
    Imported,
    ImportRefused,
    import_catalog,
    import_history,
    import_learners,
    import_sessions,
)
from coach.paths.xapi_import import import_xapi
from coach.settings import Settings, get_settings

import_app = typer.Typer(help="Import the catalog, sessions, learners and their history.")
paths_app = typer.Typer(help="Learning paths: generate them for L&D review.")
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

FileArg = Annotated[Path, typer.Argument(help="The file to import")]
OrgOpt = Annotated[str, typer.Option("--org", help="Organisation slug")]
ReplanOpt = Annotated[
    bool,
    typer.Option(
        "--replan/--no-replan", help="Re-plan the paths of learners whose history changed"
    ),
]


def _org(session: Session, slug: str) -> storage.Organisation:
    org = storage.get_organisation_by_slug(session, slug=slug)
    if org is None:
        raise fail(f"no organisation {slug!r} (blendcoach users add ... --org creates one)")
    return org


def _run(
    org: str,
    what: str,
    action: Callable[[Session, World, str], Imported],
    *,
    replan: bool = False,
) -> None:
    world = World()
    with db_session() as (session, settings):
        organisation = _org(session, org)
        try:
            done = action(session, world, organisation.id)
        except ImportRefused as err:
            for p in err.problems:
                err_console.print(f"  {p}", markup=False, highlight=False)
            raise fail(f"{what}: {len(err.problems)} problem(s); nothing imported") from err
        except NoCatalog as err:
            raise fail(str(err)) from err
        for w in done.warnings:
            err_console.print(f"[yellow]warning:[/yellow] {w}", highlight=False)
        counts = ", ".join(f"{v} {k}" for k, v in done.counts.items())
        console.print(f"imported {what}: {counts}")
        if replan and done.user_ids:
            service = _path_service(settings, world)
            with_paths = [
                uid for uid in done.user_ids if storage.path_of_user(session, user_id=uid)
            ]
            if with_paths:
                result = service.generate(
                    session, viewer=None, org_id=organisation.id, user_ids=with_paths
                )
                console.print(
                    f"re-planned {len(with_paths)} path(s): {len(result.paths)} changed "
                    "(back to review), "
                    f"{len(result.unchanged)} unchanged"
                )


@import_app.command("catalog")
def catalog(path: FileArg, org: OrgOpt) -> None:
    """A catalog: YAML/JSON with skills, roles, items (and sessions), or a directory in the
    demo layout. Replaces the stored skills, roles and items."""
    _run(org, "catalog", lambda s, w, o: import_catalog(s, org_id=o, path=path))


@import_app.command("sessions")
def sessions(path: FileArg, org: OrgOpt) -> None:
    """Sessions (CSV, YAML or JSON): id, item_id, start, seats[, seats_taken, place,
    trainer, enrol_by]. Adds or updates by id."""
    _run(org, "sessions", lambda s, w, o: import_sessions(s, org_id=o, path=path))


@import_app.command("learners")
def learners(path: FileArg, org: OrgOpt) -> None:
    """Learners (CSV, YAML or JSON): id, name, role, team, manager, language,
    hours_per_week, preferences, goals (or goal_role, goal_skills, goal_deadline columns),
    and optional nested history. Creates the learner users that do not exist."""
    _run(org, "learners", lambda s, w, o: import_learners(s, world=w, org_id=o, path=path))


@import_app.command("history")
def history(path: FileArg, org: OrgOpt, replan: ReplanOpt = True) -> None:
    """History (CSV, YAML or JSON): learner_id, kind (completion, quiz, attendance), date,
    item_id, skill, score, attended."""
    _run(
        org,
        "history",
        lambda s, w, o: import_history(s, world=w, org_id=o, path=path),
        replan=replan,
    )


@import_app.command("enrolments")
def enrolments(path: FileArg, org: OrgOpt) -> None:
    """Enrolments (CSV, YAML or JSON): learner_id, item_id, session_id (empty for an
    e-learning), status (enrolled, waitlisted, cancelled), enrolled_on, due_on. Adds or
    updates by learner, item and session."""
    _run(org, "enrolments", lambda s, w, o: import_enrolments(s, org_id=o, path=path))


@import_app.command("attendance")
def attendance(path: FileArg, org: OrgOpt) -> None:
    """Attendance sign-off (CSV, YAML or JSON): session_id, learner_id, signed (true or
    false), signed_at. Replaces the sign-off of the same learner and session."""
    base_url = get_settings().base_url  # xAPI "attended" statements of new sign-offs
    _run(
        org,
        "attendance",
        lambda s, w, o: import_attendance(s, org_id=o, path=path, base_url=base_url),
    )


@import_app.command("xapi")
def xapi(path: FileArg, org: OrgOpt, replan: ReplanOpt = True) -> None:
    """xAPI statements from an LRS (JSON array or JSON lines): completed, passed, failed,
    scored, attended."""
    _run(
        org,
        "xAPI statements",
        lambda s, w, o: import_xapi(s, world=w, org_id=o, path=path),
        replan=replan,
    )


def _path_service(settings: Settings, world: World | None = None) -> PathService:
    """Paths as the service plans them: on the planning date, through the runtime guard (a
    path needs no encoder to be judged)."""
    return PathService.planning_on(
        settings.planning_date, world, guard=make_guard(settings.guard, None)
    )


@paths_app.command("generate")
def generate(
    org: OrgOpt,
    learner: Annotated[
        list[str] | None, typer.Option("--learner", help="A learner's LMS id (repeatable)")
    ] = None,
    team: Annotated[str | None, typer.Option(help="Only this team")] = None,
    role: Annotated[str | None, typer.Option(help="Only this role")] = None,
) -> None:
    """Build or re-plan paths and send them to review."""
    with db_session() as (session, settings):
        organisation = _org(session, org)
        service = _path_service(settings)
        try:
            result = service.generate(
                session,
                viewer=None,
                org_id=organisation.id,
                external_ids=learner or None,
                team=team,
                role=role,
            )
        except NoCatalog as err:
            raise fail(str(err)) from err
        table = Table("learner", "status", "version", "steps", "hours", "problems")
        users = {u.id: u for u in storage.list_users(session, org_id=organisation.id)}
        for row in result.paths:
            table.add_row(
                users[row.user_id].external_id,
                row.status,
                str(row.version),
                str(row.n_steps),
                f"{row.hours:g}",
                str(row.blocking),
            )
        console.print(table)
        for p in result.problems:
            err_console.print(f"[yellow]{p['learner']}[/yellow]: {p['message']}")
        console.print(f"{len(result.paths)} written, {len(result.unchanged)} unchanged")
        if result.problems and not result.paths:
            raise typer.Exit(1)
