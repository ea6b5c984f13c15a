"""``blendcoach admin ask QUESTION --org SLUG --as ADMIN``: the admin assistant from the
command line (what the page shows, as text and tables). Proposed actions are stored for
confirmation in the page or the API, as always: nothing runs from here."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from coach import storage
from coach.admin.schemas import AdminAnswer
from coach.cli_users import fail
from coach.services import IndexBusyError, Services
from coach.settings import get_settings

admin_app = typer.Typer(help="The admin assistant: ask it from the command line.")
console = Console(soft_wrap=True)


@admin_app.command("ask")
def ask(
    question: Annotated[str, typer.Argument(help="The question, as an admin would ask it")],
    org: Annotated[str, typer.Option("--org", help="Organisation slug")],
    as_: Annotated[str, typer.Option("--as", help="The asking admin's LMS id")],
    language: Annotated[str | None, typer.Option(help="en or fr (default: detected)")] = None,
) -> None:
    """Ask the admin assistant one question and print its answer."""
    if language not in (None, "en", "fr"):
        raise fail("--language must be en or fr")
    try:
        services = Services.build(get_settings())
    except IndexBusyError as err:
        raise fail(str(err)) from err
    try:
        assistant = services.admin_assistant(services.retriever())
        with Session(services.engine) as session, session.begin():
            organisation = storage.get_organisation_by_slug(session, slug=org)
            if organisation is None:
                raise fail(f"no organisation {org!r}")
            admin = storage.find_user(session, org_id=organisation.id, external_id=as_)
            if admin is None or admin.role != "admin":
                raise fail(f"{as_!r} is not an admin of {org!r}")
            answer = assistant.ask(
                session,
                org_id=organisation.id,
                admin_id=admin.id,
                question=question,
                language=language,
            )
    finally:
        services.close()
    show(answer)


def show(answer: AdminAnswer) -> None:
    """Print an answer: its text, then its table, citations, options or proposed action."""
    console.print(f"[bold]{answer.kind}[/bold] {answer.text}", highlight=False)
    if answer.data is not None:
        d = answer.data
        console.print(f"[dim]filters: {d.filters}[/dim]", highlight=False)
        table = Table(title=d.title)
        for col in d.table.columns:
            table.add_column(str(col))
        for row in d.table.rows:
            table.add_row(*("" if cell is None else str(cell) for cell in row))
        if d.table.rows:
            console.print(table)
    for c in answer.citations:
        console.print(f"[{c.n}] {c.title} › {c.section} [dim]({c.source})[/dim]", highlight=False)
    for o in answer.options:
        console.print(f"  - {o.label}", highlight=False)
    if answer.action is not None:
        a = answer.action
        console.print(
            f"proposed action {a.id}: confirm with POST {a.confirm_url} (expires {a.expires_at})",
            highlight=False,
        )
