"""``blendcoach xapi``: send the outbox to the LRS now, see its state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from coach.cli_users import fail
from coach.db import make_engine, migrate
from coach.settings import get_settings
from coach.xapi_lrs.outbox import outbox_state, requeue_failed
from coach.xapi_lrs.sender import Forwarder

xapi_app = typer.Typer(help="xAPI: forward the statements to the LRS.")
console = Console(soft_wrap=True)


@xapi_app.command("flush")
def flush(
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="First put failed statements back in the queue")
    ] = False,
) -> None:
    """Send every due statement to the LRS (``BLENDCOACH_LRS_URL``) now; exit 1 when the
    LRS failed (the statements stay queued, retried with back-off)."""
    settings = get_settings()
    db = make_engine(settings.db_url)
    try:
        migrate(db)
        forwarder = Forwarder.from_settings(db, settings.lrs)
        if forwarder is None:
            raise fail("no LRS configured: set BLENDCOACH_LRS_URL")
        try:
            if retry_failed:
                with Session(db) as session, session.begin():
                    n = requeue_failed(session, now=datetime.now(UTC))
                console.print(f"{n} failed statements queued again")
            report = forwarder.flush()
        finally:
            forwarder.close()
        console.print(report.summary())
        if report.errors:
            raise typer.Exit(1)
    finally:
        db.dispose()


@xapi_app.command("status")
def status() -> None:
    """The outbox: statements by status, those retrying, the last error."""
    settings = get_settings()
    db = make_engine(settings.db_url)
    try:
        migrate(db)
        with Session(db) as session:
            state = outbox_state(session)
        counts = ", ".join(f"{k} {v}" for k, v in state.counts.items())
        console.print(f"xAPI outbox: {counts}; retrying {state.retrying}")
        if state.last_error:
            console.print(
                f"last error ({state.last_error_at:%Y-%m-%d %H:%M} UTC): {state.last_error}"
            )
    finally:
        db.dispose()
