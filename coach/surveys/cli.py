"""``blendcoach import kpis FILE --org SLUG``, ``blendcoach surveys sweep --org SLUG`` and
``blendcoach surveys rollup --org SLUG``.

``import kpis`` registers itself on the import command group when :mod:`coach.cli_import`
imports this module (its last line), so it shares that group's error reporting.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from coach.cli_import import FileArg, OrgOpt, _org, _run, import_app
from coach.cli_users import db_session
from coach.surveys.kpi_import import import_kpis
from coach.surveys.rollup import refresh
from coach.surveys.sweep import open_due

surveys_app = typer.Typer(help="Hot and cold evaluation surveys.")
console = Console(soft_wrap=True)


@import_app.command("kpis")
def kpis(path: FileArg, org: OrgOpt) -> None:
    """Business KPIs per team and month (CSV): team, month (YYYY-MM), indicator, value[,
    unit]. Unknown teams or non-numeric values are reported with their line; nothing is
    imported unless every line is right."""
    _run(org, "KPIs", lambda s, w, o: import_kpis(s, org_id=o, path=path))


@surveys_app.command("sweep")
def sweep(
    org: OrgOpt,
    today: Annotated[
        str | None, typer.Option(help="The day to sweep for (YYYY-MM-DD; default: today)")
    ] = None,
) -> None:
    """Open the surveys due and close those past their deadline, then rebuild the
    Kirkpatrick dashboard's rollup (run it daily)."""
    with db_session() as (session, settings):
        day = date.fromisoformat(today) if today else settings.planning_date or date.today()
        org_id = _org(session, org).id
        done = open_due(session, org_id=org_id, today=day)
        console.print(f"{day}: opened {done.opened} survey(s), closed {done.closed}")
        _rollup(session, org_id)


@surveys_app.command("rollup")
def rollup(org: OrgOpt) -> None:
    """Rebuild the Kirkpatrick dashboard's rollup now (the dashboard shows when it was built;
    the sweep rebuilds it daily)."""
    with db_session() as (session, _):
        _rollup(session, _org(session, org).id)


def _rollup(session: Session, org_id: str) -> None:
    state = refresh(session, org_id=org_id)
    console.print(
        f"Kirkpatrick rollup built at {state.built_at:%Y-%m-%d %H:%M} UTC in {state.seconds:.1f} s"
    )
