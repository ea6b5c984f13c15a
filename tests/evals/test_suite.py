"""The golden-set suite end to end on a tiny book and the demo (fake encoder): summary,
report, release gates, trend, and the ``blendcoach eval`` exit status."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import count, islice
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bench.common import holdout
from coach.cli import app
from coach.settings import get_settings
from evals.suite import SuiteRun, run_suites
from evals.suite.progress import Progress
from evals.verdict import THRESHOLDS_FILE, Thresholds, load_thresholds
from retrieval.embedding import FakeEmbedder
from tests.utils.paths import DEMO

SECTIONS = {
    "Lists": (
        "A list is an ordered collection of items. A list is mutable, so its items can be "
        "changed after the list is created. The append() method adds one item at the end."
    ),
    "Tuples": (
        "A tuple is an ordered collection of items that cannot be changed once it is created. "
        "Tuples are written with round brackets."
    ),
    "Loops": (
        "A for loop repeats its body once for each item of a sequence. The range() function "
        "gives a sequence of numbers to loop over."
    ),
}
QUESTIONS = [
    (
        "q1",
        "Can the items of a list be changed after it is created?",
        "Lists",
        "Yes: a list is mutable.",
    ),
    (
        "q2",
        "Which method adds an item at the end of a list?",
        "Lists",
        "append() adds one item at the end.",
    ),
    ("q3", "Can a tuple be changed once created?", "Tuples", "No, a tuple cannot be changed."),
    ("q4", "What does a for loop repeat?", "Loops", "Its body, once for each item."),
]


def held_out_modules(n: int) -> list[str]:
    """Module ids the suite's held-out split keeps (it indexes only those)."""
    return list(islice((m for m in (f"m{i:03d}" for i in count()) if holdout(m)), n))


def make_book(folder: Path) -> Path:
    """A two-module book in the shared data's layout."""
    (folder / "content").mkdir(parents=True)
    sections, questions = [], []
    mods = held_out_modules(2)
    for n, (title, text) in enumerate(SECTIONS.items()):
        module = mods[0] if n < 2 else mods[1]
        name = f"{module}.md"
        path = folder / "content" / name
        head = f"---\ntitle: Python {module}\nmodule: {module}\n---\n\n# Python {module}\n"
        if not path.exists():
            path.write_text(head, encoding="utf-8")
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"\n## {title}\n\n{text}\n")
        sections.append(
            {
                "doc_id": f"s{n}",
                "file": name,
                "module": module,
                "section_title": title,
                "text": text,
            }
        )
    ids = {s["section_title"]: s["doc_id"] for s in sections}
    for qid, question, title, solution in QUESTIONS:
        questions.append(
            {"id": qid, "question": question, "type": "mcq", "solution": solution}
            | {"options": [], "gold_doc_id": ids[title], "key": "re-derived"}
        )
    for name, rows in (("sections.jsonl", sections), ("questions.jsonl", questions)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def with_gates(thresholds: Thresholds, gates: dict[str, dict[str, float]]) -> Thresholds:
    return thresholds.model_copy(update={"suite": {"gates": gates}})


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_book(tmp_path_factory.mktemp("data") / "tiny-book")


def clock(start: datetime):
    times = (start + timedelta(minutes=k) for k in count())
    return lambda: next(times)


def run(out: Path, book: Path, thresholds: Thresholds, suites=("answers", "paths"), **kw):
    return run_suites(
        SuiteRun(
            suites=suites,
            demo=DEMO,
            out=out,
            embedder=FakeEmbedder(dim=64),
            thresholds=thresholds,
            data=book.parent,
            progress=Progress(quiet=True),
            **kw,
        )
    )


def test_a_run_writes_the_summary_the_report_and_its_history(tmp_path: Path, book: Path) -> None:
    summary = run(tmp_path, book, load_thresholds(), clock=clock(datetime(2026, 1, 1, tzinfo=UTC)))
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert saved["run"] == summary["run"] == "20260101T000000"
    assert set(saved) >= {"suites", "gates", "crossed", "trend", "seconds"}
    answers = saved["suites"]["answers"]
    assert answers["sets"] == ["tiny-book"] and answers["n_questions"] == 4
    assert set(answers) >= {"slop_rate", "coverage", "means", "per_course", "verdicts"}
    assert "non_llm_context_recall" in answers["means"] and "rouge_score" in answers["means"]
    assert set(answers["per_course"]) == {"tiny-book"}
    assert saved["suites"]["paths"]["n_paths"] == 5
    gates = {g["name"]: g["status"] for g in saved["gates"]}
    assert gates["quizzes.validity_rate"] == "skipped"  # its suite did not run
    assert gates["paths.problems"] == "passed"
    html = (tmp_path / "report.html").read_text()
    assert "<table>" in html and "<svg" in html and "Release gates" in html
    assert "non_llm_context_recall" in html and "No previous run" in html
    history = list((tmp_path / "history").glob("*.json"))
    assert [p.name for p in history] == ["20260101T000000.json"]
    assert "rows" not in json.loads(history[0].read_text())["suites"]["answers"]


def test_the_trend_compares_with_the_previous_run(tmp_path: Path, book: Path) -> None:
    tick = clock(datetime(2026, 1, 1, tzinfo=UTC))
    first = run(tmp_path, book, load_thresholds(), suites=("paths",), clock=tick)
    second = run(tmp_path, book, load_thresholds(), suites=("paths",), clock=tick)
    trend = second["trend"]
    assert trend["previous"] == first["run"] != second["run"]
    assert trend["figures"]["paths.problems"] == {"now": 0, "before": 0, "change": 0}
    html = (tmp_path / "report.html").read_text()
    assert f"Against run {first['run']}" in html and "<polyline" in html


def test_a_crossed_gate_is_named(tmp_path: Path, book: Path) -> None:
    strict = with_gates(
        load_thresholds(), {"paths.goal_coverage": {"min": 1.01}, "paths.problems": {"max": 0}}
    )
    summary = run(tmp_path, book, strict, suites=("paths",))
    assert summary["crossed"] == ["paths.goal_coverage = 1, must be >= 1.01"]


def test_the_quiz_suite_judges_generated_quizzes(tmp_path: Path, book: Path) -> None:
    summary = run(tmp_path, book, load_thresholds(), suites=("quizzes",), quiz_items=3)
    quizzes = summary["suites"]["quizzes"]
    assert quizzes["n_quizzes"] == 7 and quizzes["n_items"] > 0  # one module per demo course
    assert 0.0 <= quizzes["validity_rate"] <= 1.0
    assert set(quizzes["failed_by_rule"]) >= {"one_correct", "answer_in_stem"}
    assert "Quiz validity by course" in (tmp_path / "report.html").read_text()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings for a CLI run: a temp data dir and the fake embedder."""
    monkeypatch.setenv("BLENDCOACH_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("BLENDCOACH_EMBEDDING_MODEL", "fake")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("cli_env")
def test_the_command_exits_non_zero_naming_each_gate_crossed(tmp_path: Path) -> None:
    raw = yaml.safe_load(THRESHOLDS_FILE.read_text())
    raw["suite"] = {"gates": {"paths.problems": {"max": -1}, "paths.goal_coverage": {"min": 2}}}
    strict = tmp_path / "thresholds.yaml"
    strict.write_text(yaml.safe_dump(raw))
    out = tmp_path / "out"
    args = ["eval", "--suite", "paths", "--no-llm", "--out", str(out), "--thresholds", str(strict)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "paths.problems = 0, must be <= -1" in result.output
    assert "paths.goal_coverage = 1, must be >= 2" in result.output
    assert (tmp_path / "out" / "report.html").is_file()
    raw["suite"] = {"gates": {"paths.problems": {"max": 0}}}
    strict.write_text(yaml.safe_dump(raw))
    assert CliRunner().invoke(app, args).exit_code == 0
