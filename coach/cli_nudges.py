"""``blendcoach nudges``: plan an organisation's day, run the delivery worker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from coach import storage
from coach.cli_users import fail
from coach.db import make_engine, migrate
from coach.nudges.queue import InProcessQueue, configure, plan_job
from coach.nudges.runtime import build_runtime
from coach.settings import get_settings

nudges_app = typer.Typer(help="Nudges: plan a day, run the delivery worker.")
console = Console(soft_wrap=True)


@nudges_app.command("plan")
def plan(
    org: Annotated[str, typer.Option("--org", help="Organisation slug")],
    day: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today, UTC)")] = None,
) -> None:
    """Plan the organisation's nudges for a day (idempotent) and queue their delivery."""
    try:
        when = date.fromisoformat(day) if day else datetime.now(UTC).date()
    except ValueError as err:
        raise fail(f"--day must be YYYY-MM-DD, got {day!r}") from err
    rt = build_runtime(get_settings())
    try:
        with Session(rt.db) as session:
            found = storage.get_organisation_by_slug(session, slug=org)
            if found is None:
                raise fail(f"no organisation {org!r}")
            org_id = found.id
        configure(rt)
        summary = plan_job(rt, org_id, when.isoformat())
        with Session(rt.db) as session:
            rows = [r for r in storage.org_nudges(session, org_id=org_id) if r.status == "planned"]
        table = Table(title=f"nudges planned for {org} ({when})")
        for col in ("kind", "channel", "rows"):
            table.add_column(col)
        counts: dict[tuple[str, str], int] = {}
        for r in rows:
            counts[r.kind, r.channel] = counts.get((r.kind, r.channel), 0) + 1
        for (kind, channel), n in sorted(counts.items()):
            table.add_row(kind, channel, str(n))
        console.print(table)
        console.print(summary)
        if isinstance(rt.queue, InProcessQueue):
            console.print(
                "no job queue (nudges.redis_url unset): `blendcoach nudges worker` delivers "
                "them when due"
            )
    finally:
        configure(None)
        rt.nudges.close()
        rt.queue.close()
        if rt.xapi is not None:
            rt.xapi.close()
        rt.db.dispose()


@nudges_app.command("settings")
def settings_command(
    org: Annotated[str, typer.Option("--org", help="Organisation slug")],
    quiet: Annotated[
        str | None,
        typer.Option(help="Quiet hours HH:MM-HH:MM in each learner's zone (00:00-00:00: none)"),
    ] = None,
    max_per_week: Annotated[int | None, typer.Option(help="Nudges per learner per 7 days")] = None,
    holdout: Annotated[
        float | None, typer.Option(help="Share of learners held out of nudges (0 to 0.5)")
    ] = None,
) -> None:
    """Set the organisation's nudge guard rails (what ``PATCH /v1/admin/settings`` sets in
    its ``nudges`` section), validated as a whole; without options, show them."""
    patch: dict[str, object] = {}
    if quiet is not None:
        start, sep, end = quiet.partition("-")
        if not sep:
            raise fail(f"--quiet must be HH:MM-HH:MM, got {quiet!r}; nothing changed")
        patch |= {"quiet_start": start.strip(), "quiet_end": end.strip()}
    if max_per_week is not None:
        patch["max_per_week"] = max_per_week
    if holdout is not None:
        patch["holdout_share"] = holdout
    engine = make_engine(get_settings().db_url)
    try:
        migrate(engine)
        with Session(engine) as session, session.begin():
            found = storage.get_organisation_by_slug(session, slug=org)
            if found is None:
                raise fail(f"no organisation {org!r}")
            try:
                current = (
                    storage.update_org_settings(session, org_id=found.id, patch={"nudges": patch})
                    if patch
                    else storage.org_settings(session, org_id=found.id)
                )
            except ValidationError as err:
                why = "; ".join(
                    f"{'.'.join(map(str, e['loc'][1:])) or 'nudges'}: {e['msg']}"
                    for e in err.errors()
                )
                raise fail(f"invalid nudge settings, nothing changed: {why}") from err
            except ValueError as err:
                raise fail(f"invalid nudge settings, nothing changed: {err}") from err
        console.print(current.nudges.model_dump(mode="json"))
    finally:
        engine.dispose()


@nudges_app.command("worker")
def worker(
    burst: Annotated[bool, typer.Option(help="Run what is due now, then stop")] = False,
) -> None:
    """Run planning and delivery jobs: every organisation's day, then deliveries as they
    come due (rq on Redis when ``BLENDCOACH_NUDGES__REDIS_URL`` is set, else in-process)."""
    rt = build_runtime(get_settings())
    configure(rt)
    try:
        stamp = f"{datetime.now(UTC):%Y%m%d%H%M}"
        rt.queue.enqueue("daily", job_id=f"nudges-daily-start-{stamp}")
        rt.queue.enqueue("sweep", job_id=f"nudges-sweep-start-{stamp}")
        if rt.xapi is not None:  # the xAPI outbox to the LRS, on the same queue
            rt.queue.enqueue("xapi-flush", job_id=f"xapi-flush-start-{stamp}")
        rt.queue.work(burst=burst)
        with Session(rt.db) as session:
            states: dict[str, int] = {}
            for o in storage.list_organisations(session):
                for r in storage.org_nudges(session, org_id=o.id):
                    states[r.status] = states.get(r.status, 0) + 1
        console.print(
            "nudges by status: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items()))
        )
    finally:
        configure(None)
        rt.nudges.close()
        rt.queue.close()
        if rt.xapi is not None:
            rt.xapi.close()
        rt.db.dispose()
