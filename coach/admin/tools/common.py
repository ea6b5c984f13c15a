"""What the admin tools share: learner lists, people tables, short name lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from coach.admin.org import Person
from coach.admin.phrases import say
from coach.admin.schemas import Table


def _learners(people: Sequence[Person]) -> dict[str, Any]:
    return {"type": "learners", "ids": sorted(p.id for p in people)}


def _people_table(people: Sequence[Person], lang: str, *extra: tuple[str, Callable]) -> Table:
    cols = [say(lang, "col_name"), "LMS id", say(lang, "col_team"), say(lang, "col_role")]
    rows = [
        [p.name, p.id, p.team, p.role or "", *[f(p) for _, f in extra]]
        for p in sorted(people, key=lambda p: (p.team, p.name))
    ]
    return Table(columns=cols + [name for name, _ in extra], rows=rows)


def _names(people: Sequence[Person], limit: int = 8) -> str:
    names = [p.name for p in sorted(people, key=lambda p: p.name)]
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" (+{more})" if more > 0 else "")


def columns(lang: str, *keys: str) -> list[str]:
    """Column headers in the admin's language."""
    return [say(lang, k) for k in keys]
