"""``blendcoach nudges``: plan an organisation's day, run the delivery worker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from coach import storage
from coach.cli_users import fail
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
        rt.db.dispose()


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
