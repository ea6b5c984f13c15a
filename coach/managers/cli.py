"""``blendcoach managers ...``: the organisation chart, a person's reporting history, and the
sweep that opens on-the-job application confirmations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from coach import storage
from coach.cli_users import db_session, fail
from coach.managers.applications import open_due_requests

managers_app = typer.Typer(help="Managers: the organisation chart and application confirmations.")
console = Console(soft_wrap=True)

OrgOpt = Annotated[str, typer.Option("--org", help="Organisation slug")]
DayOpt = Annotated[
    str | None, typer.Option(help="A day (YYYY-MM-DD); default: the planning date, else today")
]


def _org(session: Session, slug: str) -> storage.Organisation:
    org = storage.get_organisation_by_slug(session, slug=slug)
    if org is None:
        raise fail(f"no organisation {slug!r} (blendcoach users list shows them)")
    return org


def _day(value: str | None, fallback: date | None) -> date:
    if value is None:
        return fallback or datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise fail(f"not a day: {value!r} (use YYYY-MM-DD)") from err


@managers_app.command("chart")
def chart(org: OrgOpt, on: DayOpt = None) -> None:
    """Who reports to whom (the lines open now, or on the day given)."""
    with db_session() as (session, _):
        organisation = _org(session, org)
        day = None if on is None else _day(on, None)
        lines = storage.current_managers(session, org_id=organisation.id, on=day)
        users = {u.id: u for u in storage.list_users(session, org_id=organisation.id)}
        table = Table("manager", "report", "report's LMS id")
        for report, manager in sorted(
            lines.items(), key=lambda x: (users[x[1]].display_name, users[x[0]].display_name)
        ):
            table.add_row(
                f"{users[manager].display_name} ({users[manager].external_id})",
                users[report].display_name,
                users[report].external_id,
            )
        console.print(table)
        console.print(f"{len(lines)} reporting line(s)")


@managers_app.command("history")
def history(
    learner: Annotated[str, typer.Argument(help="The learner's LMS id")], org: OrgOpt
) -> None:
    """A person's managers over time."""
    with db_session() as (session, _):
        organisation = _org(session, org)
        user = storage.find_user(session, org_id=organisation.id, external_id=learner)
        if user is None:
            raise fail(f"no user {learner!r} in {org}")
        table = Table("from", "until", "manager")
        for line in storage.reporting_history(session, report_id=user.id):
            manager = storage.get_user(session, user_id=line.manager_id)
            until = "" if line.valid_to is None else line.valid_to.isoformat()
            table.add_row(line.valid_from.isoformat(), until, manager.display_name)
        console.print(table)


@managers_app.command("sweep")
def sweep(org: OrgOpt, today: DayOpt = None) -> None:
    """Open the application confirmations due (idempotent: run it daily)."""
    with db_session() as (session, settings):
        organisation = _org(session, org)
        day = _day(today, settings.planning_date)
        opened = open_due_requests(session, org_id=organisation.id, today=day)
        pending = storage.pending_requests(session, org_id=organisation.id, due_by=day)
        console.print(
            f"{day}: {len(opened)} confirmation request(s) opened, {len(pending)} pending"
        )
