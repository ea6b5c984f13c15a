"""``blendcoach db``: the schema's revision, upgrade to head, downgrade.

Light on imports (no encoder, no index) so that ``python -m coach.cli_db upgrade`` is a quick
init step of a deployment; ``blendcoach serve`` runs :func:`upgrade_or_exit` itself.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine, make_url

from coach.db import current_revision, downgrade, head_revision, make_engine, migrate
from coach.settings import Settings, get_settings

db_app = typer.Typer(
    help="The database schema: show its revision, upgrade it to head, downgrade it.",
    no_args_is_help=True,
)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def shown(url: str) -> str:
    """The URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: say so rather than echo what may hold a secret
        return "the configured database (BLENDCOACH_DATABASE_URL is not a valid URL)"


def _fail(url: str, doing: str, err: Exception) -> typer.Exit:
    # The first line says it all (SQLAlchemy appends its SQL and a link to its docs).
    reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    err_console.print(f"[red]error:[/red] could not {doing} {shown(url)}: {reason}")
    return typer.Exit(1)


def _engine(url: str) -> Engine:
    try:
        return make_engine(url)
    except Exception as err:  # a bad URL, a driver missing, a directory that cannot be made
        raise _fail(url, "open", err) from err


def upgrade_or_exit(settings: Settings) -> str:
    """Migrate the configured database to head (under the migration lock on PostgreSQL);
    print what happened and return the revision, or exit with status 1 saying why."""
    url = settings.db_url
    engine = _engine(url)
    try:
        before, after = migrate(engine)
    except Exception as err:
        raise _fail(url, "migrate", err) from err
    finally:
        engine.dispose()
    assert after is not None, "alembic left no revision after an upgrade to head"
    if before == after:
        console.print(f"database {shown(url)} is at head ({after})")
    else:
        console.print(f"database {shown(url)} upgraded from {before or 'empty'} to {after}")
    return after


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Upgrade the schema to head (safe while other replicas start: they wait their turn)."""
    upgrade_or_exit(get_settings())


@db_app.command("current")
def current_command(
    check: Annotated[
        bool, typer.Option("--check", help="Exit with status 1 unless the schema is at head")
    ] = False,
) -> None:
    """Show the schema's revision and the newest one this version ships."""
    url = get_settings().db_url
    engine = _engine(url)
    try:
        revision = current_revision(engine)
    except Exception as err:
        raise _fail(url, "read the revision of", err) from err
    finally:
        engine.dispose()
    head = head_revision()
    state = "at head" if revision == head else f"behind head {head}: run `blendcoach db upgrade`"
    console.print(f"database {shown(url)}: {revision or 'empty (never migrated)'}, {state}")
    if check and revision != head:
        raise typer.Exit(1)


@db_app.command("downgrade")
def downgrade_command(
    revision: Annotated[
        str, typer.Argument(help="Target revision: an id, base, or a step back (`-- -1`)")
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Take the schema back to REVISION (what later revisions added is dropped, data too)."""
    url = get_settings().db_url
    if not yes and not typer.confirm(f"Downgrade {shown(url)} to {revision}, dropping data?"):
        raise typer.Exit(1)
    engine = _engine(url)
    try:
        downgrade(engine, revision)
        now = current_revision(engine)
    except Exception as err:
        raise _fail(url, f"downgrade to {revision}", err) from err
    finally:
        engine.dispose()
    console.print(f"database {shown(url)} downgraded to {now or 'base (no tables)'}")


if __name__ == "__main__":
    db_app()
