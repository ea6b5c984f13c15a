"""The ``blendcoach`` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from coach.cli_admin import admin_app
from coach.cli_db import db_app, upgrade_or_exit
from coach.cli_eval import eval_command
from coach.cli_import import import_app, paths_app
from coach.cli_insights import insights_app
from coach.cli_mastery import mastery_app
from coach.cli_nudges import nudges_app
from coach.cli_privacy import learners_app, privacy_app
from coach.cli_users import demo_users, users_app
from coach.managers.cli import managers_app
from coach.services import IndexUnavailableError, Services
from coach.settings import get_settings
from coach.surveys.cli import surveys_app  # also registers `import kpis`
from coach.xapi_lrs.cli import xapi_app
from retrieval.index.edge import writable_problem
from retrieval.search import QueryError
from retrieval.types import SearchFilter

app = typer.Typer(
    help="blendcoach: an AI learning coach for blended corporate training.", no_args_is_help=True
)
console = Console()
err_console = Console(stderr=True)


class RichProgress:
    """Draws ingest progress as a rich progress bar."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: int | None = None

    def start(self, total: int, description: str) -> None:
        self.task = self.progress.add_task(description, total=total)

    def advance(self, n: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, n)  # type: ignore[arg-type]

    def note(self, message: str) -> None:
        self.progress.console.print(f"[yellow]{message}")


def _services() -> Services:
    try:
        return Services.build(get_settings())
    except IndexUnavailableError as err:  # busy in another process, or read-only
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from err


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories of course content")],
    prune: Annotated[
        bool, typer.Option(help="Remove chunks of files deleted from these directories")
    ] = False,
) -> None:
    """Load, chunk, embed and index course content (unchanged files are skipped)."""
    services = _services()
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            report = services.ingestor().ingest(paths, prune=prune, progress=RichProgress(progress))
    finally:
        services.close()
    console.print(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.pruned)} pruned, {len(report.skipped)} skipped; "
        f"{report.chunks} chunks in {report.seconds:.1f}s"
    )
    for err in report.skipped:
        err_console.print(f"[red]skipped[/red] {err.path}: {err.reason}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="The question")],
    course: Annotated[
        list[str] | None, typer.Option("--course", "-c", help="Only this course id")
    ] = None,
    skill: Annotated[list[str] | None, typer.Option("--skill", help="Only this skill")] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", help="Only this language")
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many passages")] = 5,
) -> None:
    """Search the indexed content and show the best passages with citations."""
    services = _services()
    try:
        flt = SearchFilter(
            course_ids=tuple(course or ()),
            skills=tuple(skill or ()),
            languages=tuple(language or ()),
        )
        hits = services.retriever().search(query, k=k, flt=flt)
    except QueryError as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from err
    finally:
        services.close()
    table = Table(title=f"Results for {query!r}", show_lines=True)
    for col in ("#", "score", "citation", "passage"):
        table.add_column(col)
    for i, hit in enumerate(hits, 1):
        cite = hit.citation
        table.add_row(
            str(i),
            f"{hit.score:.3f}",
            f"{cite.breadcrumb}\n[dim]{cite.source_path}#{cite.anchor}",
            hit.text[:300] + ("…" if len(hit.text) > 300 else ""),
        )
    console.print(table)
    if not hits:
        console.print("No passage matched.")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Serve the API (one worker by default: the embedded index is single-process).

    The schema is migrated to head first, before the port opens; replicas starting at once
    on PostgreSQL take turns under an advisory lock (``blendcoach db upgrade``).
    """
    import uvicorn

    settings = get_settings()
    upgrade_or_exit(settings)
    problem = None if settings.qdrant_url else writable_problem(settings.index_path)
    if problem is not None:  # the embedded engine cannot even open it: say so, not a traceback
        err_console.print(
            f"[red]error:[/red] the index at {settings.index_path} is read-only ({problem}); "
            "make it writable, or use a Qdrant server"
        )
        raise typer.Exit(2)
    uvicorn.run(
        "coach.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
    )


app.add_typer(users_app, name="users")
app.add_typer(mastery_app, name="mastery")
app.add_typer(import_app, name="import")
app.add_typer(paths_app, name="paths")
app.add_typer(admin_app, name="admin")
app.add_typer(nudges_app, name="nudges")
app.add_typer(insights_app, name="insights")
app.add_typer(managers_app, name="managers")
app.add_typer(surveys_app, name="surveys")
app.add_typer(learners_app, name="learners")
app.add_typer(privacy_app, name="privacy")
app.add_typer(db_app, name="db")
app.add_typer(xapi_app, name="xapi")
app.command("demo-users")(demo_users)
app.command("eval")(eval_command)


if __name__ == "__main__":
    app()
