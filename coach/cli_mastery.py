"""``blendcoach mastery ...``: import graded history, fit the learner model, show mastery."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table
from sqlalchemy.orm import Session

from coach import storage
from coach.cli_users import db_session, fail
from coach.learning.mastery import MIN_FIT_ATTEMPTS, FitReport, MasteryTracker, refit
from recommender.mastery import KnowledgeTracer

mastery_app = typer.Typer(help="Learner mastery: import history, fit the model, inspect.")
console = Console()
err_console = Console(stderr=True)

TRUE = {"1", "true", "yes", "y", "t", "correct"}
FALSE = {"0", "false", "no", "n", "f", "incorrect", "wrong"}


def _org(session: Session, slug: str) -> storage.Organisation:
    org = storage.get_organisation_by_slug(session, slug=slug)
    if org is None:
        raise fail(f"no organisation {slug!r} (blendcoach users list shows them)")
    return org


@mastery_app.command("import")
def import_history(
    path: Annotated[Path, typer.Argument(help="CSV: user,skill,correct[,timestamp]")],
    org: Annotated[str, typer.Option("--org", help="Organisation slug")],
    source: Annotated[str, typer.Option(help="Where the history comes from")] = "import",
    refit_after: Annotated[
        bool, typer.Option("--fit/--no-fit", help="Refit and replay mastery afterwards")
    ] = True,
) -> None:
    """Import graded attempts (the LMS's assessments...) as mastery evidence.

    Columns: ``user`` (the LMS id, as in ``users add``), ``skill``, ``correct`` (1/0,
    true/false), and optionally ``timestamp`` (ISO 8601); without timestamps, rows are in
    time order. Every row is checked first: one bad row stores nothing.
    """
    if not path.is_file():
        raise fail(f"{path} is not a file")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"user", "skill", "correct"} - set(reader.fieldnames or ())
        if missing:
            raise fail(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        rows = list(reader)
    with db_session() as (session, _):
        organisation = _org(session, org)
        users = {u.external_id: u.id for u in storage.list_users(session, org_id=organisation.id)}
        problems: list[str] = []
        parsed = []
        base = datetime.now(UTC) - timedelta(seconds=len(rows))
        for n, row in enumerate(rows, start=2):  # line 1 is the header
            user = users.get((row.get("user") or "").strip())
            value = (row.get("correct") or "").strip().lower()
            skill = (row.get("skill") or "").strip()
            when = base + timedelta(seconds=n)
            if stamp := (row.get("timestamp") or "").strip():
                try:
                    when = datetime.fromisoformat(stamp)
                    when = when if when.tzinfo else when.replace(tzinfo=UTC)
                except ValueError:
                    problems.append(f"line {n}: timestamp {stamp!r} is not ISO 8601")
            if user is None:
                problems.append(f"line {n}: no user {row.get('user')!r} in {org!r}")
            if not skill:
                problems.append(f"line {n}: empty skill")
            if value not in TRUE | FALSE:
                problems.append(f"line {n}: correct must be 1/0 or true/false, not {value!r}")
            parsed.append((user, skill, value in TRUE, when))
        if problems:
            for p in problems[:20]:
                err_console.print(p)
            more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
            raise fail(f"{len(problems)} bad row(s){more}; nothing was imported")
        for user_id, skill, correct, when in track(parsed, description="Importing"):
            assert user_id is not None
            storage.add_history(
                session,
                org_id=organisation.id,
                user_id=user_id,
                skill=skill,
                correct=correct,
                occurred_at=when,
                source=source,
            )
        console.print(f"imported {len(parsed)} attempt(s) into {org!r}")
        if refit_after:
            _report(refit(session, MasteryTracker(KnowledgeTracer.prior()), org_id=organisation.id))


@mastery_app.command("fit")
def fit(
    org: Annotated[str, typer.Option("--org", help="Organisation slug")],
    min_attempts: Annotated[
        int, typer.Option(min=1, help="Fewer graded attempts keep the default model")
    ] = MIN_FIT_ATTEMPTS,
) -> None:
    """Fit the learner model on the organisation's attempts and recompute every estimate."""
    with db_session() as (session, _):
        organisation = _org(session, org)
        with console.status("Fitting the learner model…"):
            report = refit(
                session,
                MasteryTracker(KnowledgeTracer.prior()),
                org_id=organisation.id,
                min_attempts=min_attempts,
            )
        _report(report)


def _report(report: FitReport) -> None:
    table = Table(title="Learner model")
    for col in ("attempts", "learners", "skills", "model"):
        table.add_column(col)
    model = "fitted" if report.fitted else "default (too few attempts to fit)"
    table.add_row(str(report.n_attempts), str(report.n_learners), str(report.n_skills), model)
    console.print(table)
