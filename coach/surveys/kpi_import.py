"""Business KPIs per team and month, imported from a CSV (or YAML/JSON rows):
``team, month (YYYY-MM), indicator, value[, unit]``.

Same contract as the other imports: every row is checked (the team must be a team of the
organisation's learners, the month a real ``YYYY-MM``, the value a finite number; a decimal
comma as in ``12,5`` is read as 12.5, a thousands separator is refused), problems come with
their line numbers, and nothing is written unless the whole file is clean. Re-importing a
(team, month, indicator) replaces its value.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.paths.imports import Imported, ImportRefused, read_rows
from recommender.catalog import Problem

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
REQUIRED = ("team", "month", "indicator", "value")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "")
        if DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def known_teams(session: Session, *, org_id: str) -> set[str]:
    """The teams of the organisation's learners (from the learners import)."""
    return {p.team for _, p in storage.learner_profiles(session, org_id=org_id) if p.team}


def import_kpis(session: Session, *, org_id: str, path: Path) -> Imported:
    """Add or replace the file's indicators; :class:`ImportRefused` lists every problem."""
    source = str(path)
    rows = read_rows(path, "kpis")
    teams = known_teams(session, org_id=org_id)
    problems: list[Problem] = []
    if not rows:
        raise ImportRefused([Problem("no rows", source)])
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        raise ImportRefused([Problem(f"missing column(s): {', '.join(missing)}", source)])
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for r in rows:
        n = r["_row"]
        team = str(r.get("team") or "").strip()
        month = str(r.get("month") or "").strip()
        indicator = str(r.get("indicator") or "").strip()
        value = _number(r.get("value")) if r.get("value") not in (None, "") else None
        if team not in teams:
            near = ", ".join(sorted(teams)[:8]) or "none: import learners first"
            problems.append(Problem(f"unknown team '{team}' (known: {near})", source, n))
        if not MONTH.match(month):
            problems.append(Problem(f"bad month '{month}' (want YYYY-MM)", source, n))
        if not indicator:
            problems.append(Problem("missing indicator", source, n))
        elif len(indicator) > 200:
            problems.append(Problem("indicator longer than 200 characters", source, n))
        if value is None:
            problems.append(Problem(f"value is not a number: {r.get('value')!r}", source, n))
        key = (team, month, indicator)
        if key in seen:
            problems.append(
                Problem(f"same team, month and indicator as line {seen[key]}", source, n)
            )
        seen.setdefault(key, n)
        unit = str(r.get("unit") or "").strip()[:50]
        out.append(
            {"team": team, "month": month, "indicator": indicator, "value": value, "unit": unit}
        )
    if problems:
        raise ImportRefused(problems)
    added, updated = storage.save_business_kpis(session, org_id=org_id, rows=out, source=source)
    return Imported(counts={"added": added, "updated": updated})
