"""``blendcoach learners export|erase ID --org SLUG`` and ``blendcoach privacy sweep|requests``:
a person's data export and erasure, conversation retention, the erasure register.

``ID`` is the person's LMS id (or their blendcoach id). ``export``, ``sweep`` and
``requests`` open only the database; ``erase`` opens the index too (to delete anything
keyed to the person there), so with the embedded index it needs ``blendcoach serve``
stopped; with a running service, ``DELETE /v1/learners/{id}`` does the same.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from coach import privacy, storage
from coach.cli_users import db_session, fail
from coach.services import IndexBusyError, Services
from coach.settings import get_settings
from coach.storage import erasure_requests

learners_app = typer.Typer(help="A person's data: export it, erase it.", no_args_is_help=True)
privacy_app = typer.Typer(
    help="Data protection: conversation retention, the erasure register.", no_args_is_help=True
)
console = Console(soft_wrap=True)

IdArg = Annotated[str, typer.Argument(help="The person's LMS id (or blendcoach id)")]
OrgOpt = Annotated[str, typer.Option("--org", help="Organisation slug")]


def _person(session: Session, org: str, person: str) -> tuple[str, str]:
    """``(org_id, user_id)`` of ``person`` in ``org`` (exits 1 with the reason if none)."""
    found = storage.get_organisation_by_slug(session, slug=org)
    if found is None:
        raise fail(f"no organisation {org!r}")
    user = storage.find_user(session, org_id=found.id, external_id=person)
    if user is None:
        by_id = session.get(storage.User, person)
        user = by_id if by_id is not None and by_id.org_id == found.id else None
    if user is None:
        raise fail(f"no user {person!r} in organisation {org!r}")
    return found.id, user.id


@learners_app.command("export")
def export(
    person: IdArg,
    org: OrgOpt,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the JSON here (default: stdout)")
    ] = None,
) -> None:
    """Everything stored about a person, as JSON (the shape of ``GET /v1/me/export``)."""
    with db_session() as (session, _):
        org_id, user_id = _person(session, org, person)
        data = privacy.export_person(session, viewer=None, org_id=org_id, user_id=user_id)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    rows = sum(len(v) for v in data["data"].values())
    console.print(f"{rows} rows in {len(data['data'])} tables written to {out}")


@learners_app.command("erase")
def erase(
    person: IdArg,
    org: OrgOpt,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Erase a person: every row of theirs deleted or anonymised in one transaction, and
    anything keyed to them in the index deleted (see docs/privacy.md)."""
    if not yes:
        typer.confirm(f"Erase {person!r} of {org!r}? This cannot be undone", abort=True)
    try:
        services = Services.build(get_settings())
    except IndexBusyError as err:
        raise fail(f"{err}; or erase through the API: DELETE /v1/learners/{{id}}") from err
    try:
        with Session(services.engine) as session, session.begin():
            org_id, user_id = _person(session, org, person)
            report = privacy.erase_person(
                session, org_id=org_id, user_id=user_id, actor=None, index=services.index
            )
    finally:
        services.close()
    table = Table(title=f"{person} erased (register line {report.request_id})")
    for col in ("table", "deleted", "anonymised", "dropped (rebuilt later)"):
        table.add_column(col)
    names = sorted({n for counts in report.rows.values() for n in counts})
    for name in names:
        table.add_row(name, *(str(report.rows[k].get(name, "")) for k in report.rows))
    console.print(table)
    console.print(f"index points deleted: {report.index_points}")


@privacy_app.command("sweep")
def sweep(
    org: Annotated[str | None, typer.Option("--org", help="Only this organisation")] = None,
    now: Annotated[
        str | None, typer.Option(help="Sweep as of this time (ISO, UTC; default: now)")
    ] = None,
) -> None:
    """Delete conversations older than each organisation's retention (run it daily)."""
    try:
        when = datetime.fromisoformat(now) if now else None
    except ValueError as err:
        raise fail(f"--now must be an ISO date or time, got {now!r}") from err
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    with db_session() as (session, _):
        if org is None:
            results = privacy.sweep_all(session, now=when)
        else:
            found = storage.get_organisation_by_slug(session, slug=org)
            if found is None:
                raise fail(f"no organisation {org!r}")
            results = [privacy.sweep_org(session, org_id=found.id, now=when)]
        slugs = {o.id: o.slug for o in storage.list_organisations(session)}
    table = Table(title="conversation retention")
    for col in ("organisation", "kept (days)", "before", "conversations", "messages"):
        table.add_column(col)
    for r in results:
        before = f"{r.before:%Y-%m-%d %H:%M}" if r.before else "-"
        kept = "forever" if r.days is None else str(r.days)
        table.add_row(slugs[r.org_id], kept, before, str(r.conversations), str(r.messages))
    console.print(table)


@privacy_app.command("requests")
def requests(
    org: OrgOpt,
    status: Annotated[str | None, typer.Option(help="pending, declined, cancelled, done")] = None,
) -> None:
    """The organisation's erasure register: requests and erasures done, oldest first."""
    with db_session() as (session, _):
        found = storage.get_organisation_by_slug(session, slug=org)
        if found is None:
            raise fail(f"no organisation {org!r}")
        try:
            rows = erasure_requests.list_requests(session, org_id=found.id, status=status)
        except ValueError as err:
            raise fail(str(err)) from err
        table = Table(title=f"erasure register of {org}")
        for col in ("id", "status", "origin", "requested", "decided", "person"):
            table.add_column(col)
        for r in rows:
            who = storage.get_user(session, user_id=r.user_id).external_id if r.user_id else "-"
            decided = f"{r.decided_at:%Y-%m-%d}" if r.decided_at else "-"
            table.add_row(r.id, r.status, r.origin, f"{r.requested_at:%Y-%m-%d}", decided, who)
    console.print(table)
