"""Small SVG charts for data answers (matplotlib, Agg backend: no display, no files)."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from coach.admin.schemas import Chart

_LOCK = threading.Lock()  # pyplot's figure manager is not thread-safe
COLOURS = ("#2f6db5", "#e08a2e")


def _svg(fig: plt.Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]  # drop the XML prologue and DOCTYPE: inlined in HTML


def bars(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    title: str,
    percent: bool = False,
) -> Chart:
    """Horizontal bars, one group per label and one bar per series."""
    with _LOCK:
        height = 0.6 + 0.42 * len(labels) * max(len(series), 1)
        fig, ax = plt.subplots(figsize=(6.4, min(max(height, 1.8), 9)))
        n = max(len(series), 1)
        width = 0.8 / n
        for k, (name, values) in enumerate(series.items()):
            ys = [i + k * width - 0.4 + width / 2 for i in range(len(labels))]
            vals = [v * 100 if percent else v for v in values]
            ax.barh(ys, vals, height=width, label=name, color=COLOURS[k % len(COLOURS)])
            for y, v in zip(ys, vals, strict=True):
                ax.text(v, y, f" {v:.1f}%" if percent else f" {v:g}", va="center", fontsize=8)
        ax.set_yticks(range(len(labels)), labels=list(labels), fontsize=8)
        ax.invert_yaxis()
        if percent:
            ax.set_xlim(0, 110)
        ax.set_title(title, fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            ax.legend(fontsize=8, loc="lower right")
        svg = _svg(fig)
    alt = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{name} {(v[i] * 100 if percent else v[i]):.1f}{'%' if percent else ''}"
            for name, v in series.items()
        )
        for i, label in enumerate(labels)
    )
    return Chart(svg=svg, alt=f"{title}. {alt}")


def line(labels: Sequence[str], series: dict[str, Sequence[float]], *, title: str) -> Chart:
    """A line per series over ``labels`` (weeks, months): a trend."""
    with _LOCK:
        fig, ax = plt.subplots(figsize=(6.4, 2.8))
        for k, (name, values) in enumerate(series.items()):
            ax.plot(list(labels), list(values), marker="o", label=name, color=COLOURS[k % 2])
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylim(bottom=0)
        svg = _svg(fig)
    alt = "; ".join(
        f"{name}: " + ", ".join(f"{x} {v:g}" for x, v in zip(labels, values, strict=True))
        for name, values in series.items()
    )
    return Chart(svg=svg, alt=f"{title}. {alt}")
