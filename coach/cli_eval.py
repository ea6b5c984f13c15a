"""``blendcoach eval``: the golden-set suites, their release gates and the HTML report."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from coach.settings import Settings, get_settings

if TYPE_CHECKING:  # ragas loads in ~3 s: only when the suite runs
    from coach.responders.base import Responder
    from evals.suite.rag import LLMJudge
    from retrieval.embedding import Embedder

DEMO = Path(__file__).resolve().parents[1] / "demo"
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


class SuiteName(StrEnum):
    answers = "answers"
    quizzes = "quizzes"
    paths = "paths"
    all = "all"


def eval_command(
    suite: Annotated[SuiteName, typer.Option(help="Which suite to run")] = SuiteName.all,
    data: Annotated[
        Path | None,
        typer.Option(help="Books with labelled questions (shared/data); default: the demo's"),
    ] = None,
    out: Annotated[Path, typer.Option(help="Where summary, report and history go")] = Path(
        "eval-results"
    ),
    limit: Annotated[int, typer.Option(min=1, help="Questions per course (answers suite)")] = 40,
    quiz_items: Annotated[int, typer.Option(min=1, help="Items per module quiz")] = 5,
    quiz_modules: Annotated[
        int, typer.Option(min=1, help="Modules quizzed per course (quizzes suite)")
    ] = 1,
    demo: Annotated[Path, typer.Option(help="The demo directory")] = DEMO,
    thresholds: Annotated[
        Path | None, typer.Option(help="Thresholds file (default: evals/thresholds.yaml)")
    ] = None,
    llm: Annotated[
        bool, typer.Option("--llm/--no-llm", help="Use the configured LLM endpoint, if any")
    ] = True,
) -> None:
    """Run the golden sets; write JSON and HTML; exit 1 naming each release gate crossed."""
    from evals.suite import SUITES, SuiteRun, run_suites
    from evals.suite.progress import Progress
    from evals.verdict import load_thresholds
    from retrieval.embedding import make_embedder

    settings = get_settings()
    try:
        loaded = load_thresholds(thresholds)
    except ValueError as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from err
    embedder = make_embedder(settings.embedding_model, batch_size=settings.embedding_batch_size)
    responder = judge = None
    if llm and settings.llm.base_url is not None:
        responder, judge = _llm(settings, embedder)
    run = SuiteRun(
        suites=SUITES if suite is SuiteName.all else (suite.value,),
        demo=demo,
        out=out,
        embedder=embedder,
        thresholds=loaded,
        data=data,
        limit=limit,
        quiz_items=quiz_items,
        quiz_modules=quiz_modules,
        llm=responder,
        judge=judge,
        progress=Progress(err_console),
    )
    try:
        summary = run_suites(run)
    except ValueError as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(2) from err
    console.print(f"wrote {out / 'summary.json'} and {out / 'report.html'}")
    for gate in summary["gates"]:
        colour = {"passed": "green", "crossed": "red"}.get(gate["status"], "dim")
        console.print(f"[{colour}]{gate['status']:>8}[/{colour}] {gate['name']}")
    if summary["crossed"]:
        for line in summary["crossed"]:
            err_console.print(f"[red]gate crossed:[/red] {line}")
        raise typer.Exit(1)


def _llm(settings: Settings, embedder: Embedder) -> tuple[Responder, LLMJudge]:
    """The LLM responder (offline fallback) and the ragas judge on the configured endpoint."""
    from coach.llm import make_chat_model
    from coach.responders.llm import LLMResponder
    from coach.responders.offline import OfflineResponder
    from evals.suite.rag import JudgeConfig

    cfg = settings.llm
    model = make_chat_model(cfg)
    assert model is not None and cfg.base_url is not None  # checked by the caller
    responder = LLMResponder(model, OfflineResponder(embedder), embedder=embedder)
    key = cfg.api_key.get_secret_value() if cfg.api_key else "not-needed"
    return responder, LLMJudge(JudgeConfig(cfg.base_url, cfg.model, key, cfg.timeout_s), embedder)
