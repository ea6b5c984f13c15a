"""``blendcoach insights refresh --org SLUG``: group the organisation's recent uncovered,
weakly answered and disliked questions into named, ranked topics (with a progress bar)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from coach import storage
from coach.cli_users import db_session, fail
from coach.insights.refresh import refresh_topics
from coach.llm import make_chat_model
from coach.org_settings import OrgSettings
from retrieval.embedding import make_embedder

insights_app = typer.Typer(help="Content gap insights: what learners ask that courses miss.")
console = Console()


@insights_app.command("refresh")
def refresh(
    org: Annotated[str, typer.Option("--org", help="Organisation slug")],
    no_llm: Annotated[
        bool, typer.Option("--no-llm", help="Key phrases only, even with an LLM configured")
    ] = False,
) -> None:
    """Recompute the organisation's topics and print those shown to L&D."""
    with db_session() as (session, settings):
        organisation = storage.get_organisation_by_slug(session, slug=org)
        if organisation is None:
            raise fail(f"no organisation {org!r}")
        embedder = make_embedder(settings.embedding_model, batch_size=settings.embedding_batch_size)
        model = None if no_llm else make_chat_model(settings.llm)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=console) as bar:
            tasks: dict[str, int] = {}

            def report(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = int(bar.add_task(stage, total=max(total, 1)))
                bar.update(tasks[stage], completed=done, total=max(total, 1))  # type: ignore[arg-type]

            topics = refresh_topics(
                session,
                org_id=organisation.id,
                embed=embedder.embed_documents,
                chat_model=model,
                progress=report,
            )
        minimum = OrgSettings.model_validate(organisation.settings).insights.min_learners
    shown = [t for t in topics if t.learners >= minimum]
    table = Table(title=f"{len(shown)} topics shown of {len(topics)} (≥ {minimum} learners)")
    for col in ("#", "topic", "learners", "questions", "last asked", "nearest module"):
        table.add_column(col)
    for i, t in enumerate(shown, 1):
        near = (t.nearest or {}).get("title") or "—"
        table.add_row(
            str(i), t.label, str(t.learners), str(t.questions), f"{t.last_asked:%Y-%m-%d}", near
        )
    console.print(table)
