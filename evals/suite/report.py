"""The suite's HTML report: tables and inline SVG plots in one self-contained file."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from evals.suite import svg
from evals.suite.gates import lookup

TREND = (
    "answers.slop_rate",
    "answers.means.grounding",
    "answers.means.non_llm_context_recall",
    "quizzes.validity_rate",
    "paths.goal_coverage",
)
HISTOGRAMS = (
    "grounding",
    "relevance",
    "specificity",
    "non_llm_context_recall",
    "rouge_score",
    "faithfulness",
    "answer_relevancy",
)
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
    "td:first-child,th:first-child{text-align:left}"
    ".crossed{background:#f8d7da}.passed{background:#d4edda}.skipped{color:#888}"
    "svg{margin:.3em;border:1px solid #eee}"
)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return escape(str(value))


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], classes: Sequence[str] = ()) -> str:
    """An HTML table; ``classes`` gives each row's CSS class."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        f'<tr class="{classes[i] if i < len(classes) else ""}">'
        + "".join(f"<td>{_fmt(v)}</td>" for v in row)
        + "</tr>"
        for i, row in enumerate(rows)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _gates(summary: dict[str, Any]) -> str:
    gates = summary.get("gates", [])
    rows = [[g["name"], g["bound"], g["limit"], g["value"], g["status"]] for g in gates]
    return "<h2>Release gates</h2>" + table(
        ["gate", "bound", "limit", "value", "status"], rows, [g["status"] for g in gates]
    )


def _trend(summary: dict[str, Any], history: Sequence[dict[str, Any]]) -> str:
    t = summary.get("trend", {})
    out = "<h2>Trend</h2>"
    if t.get("previous") is None:
        out += "<p>No previous run to compare with.</p>"
    else:
        rows = [[k, v["before"], v["now"], v["change"]] for k, v in t["figures"].items()]
        out += f"<p>Against run {escape(str(t['previous']))}.</p>"
        out += table(["figure", "previous", "now", "change"], rows)
    series = {k: [_num(lookup(h, k)) for h in history] for k in TREND}
    series = {k: v for k, v in series.items() if any(x is not None for x in v)}
    if series:
        out += svg.lines(
            series, [str(h.get("run", "")) for h in history], "Headline figures by run"
        )
    return out


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _answers(a: dict[str, Any]) -> str:
    out = "<h2>Answers</h2>"
    out += f"<p>Golden sets: {escape(', '.join(a.get('sets', [])))}.</p>"
    means = a.get("means", {})
    rows = [
        ["questions", a["n_questions"]],
        ["checked (covered and cited)", a["n_checked"]],
        ["coverage", a["coverage"]],
        ["gold section retrieved (top 5)", a["gold_retrieved"]],
        ["slop rate (blocked)", a["slop_rate"]],
        ["revise rate", a["revise_rate"]],
        *[[f"mean {k}", v] for k, v in means.items()],
    ]
    out += table(["figure", "value"], rows)
    if len(a.get("responders", {})) > 1:
        out += "<h3>By responder</h3>" + _breakdown(a["responders"], "responder")
    out += "<h3>By course</h3>" + _breakdown(a.get("per_course", {}), "course")
    checked = [r for r in a.get("rows", []) if r["verdict"] is not None]
    for name in HISTOGRAMS:
        values = [r["metrics"][name] for r in checked if name in r["metrics"]]
        if values:
            out += svg.histogram(values, name)
    per_course = {c: f["means"].get("grounding") for c, f in a.get("per_course", {}).items()}
    per_course = {c: v for c, v in per_course.items() if v is not None}
    if per_course:
        out += svg.bars(per_course, "Mean grounding by course")
    blocked = [r for r in checked if r["verdict"] == "block"][:10]
    if blocked:
        out += "<h3>Blocked answers (first 10)</h3>" + table(
            ["question", "course", "reasons"],
            [[r["id"], r["course"], "; ".join(r.get("reasons", []))[:300]] for r in blocked],
        )
    return out


def _breakdown(groups: dict[str, Any], label: str) -> str:
    names = sorted({k for f in groups.values() for k in f.get("means", {})})
    rows = [
        [g, f["n_questions"], f["coverage"], f["slop_rate"], *[f["means"].get(n) for n in names]]
        for g, f in groups.items()
    ]
    return table([label, "n", "coverage", "slop rate", *names], rows)


def _quizzes(q: dict[str, Any]) -> str:
    out = "<h2>Quizzes</h2>"
    out += table(
        ["figure", "value"],
        [
            ["quizzes", q["n_quizzes"]],
            ["items", q["n_items"]],
            ["validity rate", q["validity_rate"]],
            ["mean stem redundancy score", q["mean_redundancy"]],
            *[[f"quiz verdict {k}", v] for k, v in q["verdicts"].items()],
        ],
    )
    out += "<h3>Items failing each rule</h3>"
    out += table(["rule", "items"], list(q["failed_by_rule"].items()))
    per_course = {
        c: f["validity_rate"] for c, f in q["per_course"].items() if f["validity_rate"] is not None
    }
    out += "<h3>By course</h3>" + table(
        ["course", "quizzes", "items", "validity rate"],
        [[c, f["n_quizzes"], f["n_items"], f["validity_rate"]] for c, f in q["per_course"].items()],
    )
    if per_course:
        out += svg.bars(per_course, "Quiz validity by course")
    return out


def _paths(p: dict[str, Any]) -> str:
    out = "<h2>Paths</h2>"
    out += table(
        ["figure", "value"],
        [
            ["paths", p["n_paths"]],
            ["steps", p["n_steps"]],
            ["problems", p["problems"]],
            ["blocking checks", p["blocking_checks"]],
            ["goals left open", p["open_goals"]],
            ["goal coverage", p["goal_coverage"]],
        ],
    )
    out += table(
        ["learner", "role", "steps", "verdict", "problems", "reasons"],
        [
            [
                r["learner"],
                r["course"],
                r["n_steps"],
                r["verdict"],
                r["problems"],
                "; ".join(r["reasons"]),
            ]
            for r in p.get("rows", [])
        ],
    )
    return out


def render(summary: dict[str, Any], history: Sequence[dict[str, Any]]) -> str:
    """The whole report as one HTML page."""
    crossed = summary.get("crossed", [])
    status = (
        f"<p class='crossed'>Gates crossed: {escape('; '.join(crossed))}</p>"
        if crossed
        else "<p class='passed'>Every gate passed.</p>"
    )
    seconds = summary.get("seconds", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>blendcoach eval {escape(summary['run'])}</title><style>{STYLE}</style></head><body>",
        f"<h1>blendcoach eval, run {escape(summary['run'])}</h1>",
        f"<p>Data: {escape(str(summary.get('data') or 'the demo'))}; {seconds.get('total', 0)} s.</p>",
        status,
        _gates(summary),
        _trend(summary, history),
    ]
    suites = summary["suites"]
    for name, render_suite in (("answers", _answers), ("quizzes", _quizzes), ("paths", _paths)):
        if name in suites:
            parts.append(render_suite(suites[name]))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(path: Path, summary: dict[str, Any], history: Sequence[dict[str, Any]]) -> None:
    """Write :func:`render`'s page to ``path``."""
    path.write_text(render(summary, history), encoding="utf-8")
