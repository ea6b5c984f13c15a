"""Small inline SVG charts for the report: histograms, bars and trend lines (no JS)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

W, H = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 24, 36
COLOURS = ("#3b6ea5", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6")


def _frame(title: str, body: list[str], x_labels: Sequence[tuple[float, str]]) -> str:
    x0, y0, y1 = LEFT, H - BOTTOM, TOP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}">',
        f'<text x="{W / 2}" y="14" text-anchor="middle" font-size="12">{escape(title)}</text>',
        f'<line x1="{x0}" y1="{y0}" x2="{W - RIGHT}" y2="{y0}" stroke="#999"/>',
        f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#999"/>',
        *body,
    ]
    parts += [
        f'<text x="{x:.1f}" y="{y0 + 12}" text-anchor="middle" font-size="9">{escape(t)}</text>'
        for x, t in x_labels
    ]
    parts.append("</svg>")
    return "".join(parts)


def _y(value: float, top: float) -> float:
    span = H - BOTTOM - TOP
    return H - BOTTOM - (value / top if top else 0.0) * span


def _y_axis(top: float, fmt: str = "{:g}") -> list[str]:
    return [
        f'<text x="{LEFT - 4}" y="{_y(v, top) + 3:.1f}" text-anchor="end" font-size="9">'
        f"{escape(fmt.format(v))}</text>"
        for v in (0.0, top / 2, top)
    ]


def histogram(values: Sequence[float], title: str, bins: int = 10) -> str:
    """Counts of ``values`` (0..1 scores) in ``bins`` equal bins."""
    counts = [0] * bins
    for v in values:
        counts[min(max(int(v * bins), 0), bins - 1)] += 1
    top = max(counts, default=0) or 1
    width = (W - LEFT - RIGHT) / bins
    body = _y_axis(top, "{:.0f}")
    for i, c in enumerate(counts):
        y = _y(c, top)
        body.append(
            f'<rect x="{LEFT + i * width + 1:.1f}" y="{y:.1f}" width="{width - 2:.1f}" '
            f'height="{H - BOTTOM - y:.1f}" fill="{COLOURS[0]}"><title>{c}</title></rect>'
        )
    labels = [(LEFT + i * width, f"{i / bins:.1f}") for i in range(0, bins + 1, 2)]
    return _frame(f"{title} (n={len(values)})", body, labels)


def bars(values: Mapping[str, float], title: str, top: float = 1.0) -> str:
    """One bar per label (e.g. a figure per course)."""
    n = max(len(values), 1)
    width = (W - LEFT - RIGHT) / n
    body = _y_axis(top)
    labels = []
    for i, (label, v) in enumerate(values.items()):
        y = _y(min(v, top), top)
        x = LEFT + i * width
        body.append(
            f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{width - 4:.1f}" height="{H - BOTTOM - y:.1f}" '
            f'fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(label)}: {v:.3f}</title></rect>'
        )
        labels.append((x + width / 2, label[:14]))
    return _frame(title, body, labels)


def lines(series: Mapping[str, Sequence[float | None]], runs: Sequence[str], title: str) -> str:
    """One line per figure across runs (oldest first); gaps where a run lacks the figure."""
    top = max([v for s in series.values() for v in s if v is not None] + [1.0])
    n = max(len(runs), 2)
    step = (W - LEFT - RIGHT) / (n - 1)
    body = _y_axis(top)
    for k, (name, values) in enumerate(series.items()):
        colour = COLOURS[k % len(COLOURS)]
        points = [(LEFT + i * step, _y(v, top)) for i, v in enumerate(values) if v is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in points]
        body.append(
            f'<text x="{W - RIGHT}" y="{TOP + 10 + 11 * k}" text-anchor="end" font-size="9" '
            f'fill="{colour}">{escape(name)}</text>'
        )
    labels = [(LEFT + i * step, r[-6:]) for i, r in enumerate(runs)]
    return _frame(title, body, labels)
