"""The admin assistant's tools as an LLM sees them: one pydantic model of arguments per
capability (its JSON schema is what the model is offered), and the checks a call must pass
against the organisation before anything runs.

Parsing a call (:func:`coach.admin.llm_schemas.parse`) only checks its shape; :meth:`Tool.problems` then checks
every name against this organisation's data: item and session ids of its catalog, LMS ids
of its learners, its teams, managers, roles and skills, and ISO dates with the start no
later than the end. A call with any problem never runs (see :mod:`coach.admin.llm`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach.admin.org import OrgData, Period, Scope


@dataclass(frozen=True)
class Problem:
    """Why a call cannot run: ``what`` was wrong (session, course, person, team, manager,
    role, skill, date, period, cancelled, future, mismatch, target) and the value given."""

    what: str
    value: str = ""


class Tool(BaseModel):
    """A tool call's arguments; ``intent`` is the offline intent it answers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    intent: ClassVar[str | None] = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        # Models often send "" or null for an argument they mean to leave out.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v not in ("", None)}
        return data

    def problems(self, org: OrgData) -> list[Problem]:
        """What in this call does not exist in the organisation (empty: it may run)."""
        return []

    @classmethod
    def tool_name(cls) -> str:
        return str(cls.model_config.get("title") or cls.__name__)


def missing(what: str, values: Iterable[str | None], known: Iterable[str]) -> list[Problem]:
    """A problem for each value given (None: not given) that is not among ``known``."""
    have = set(known)
    return [Problem(what, v) for v in values if v is not None and v not in have]


def session_problems(org: OrgData, session_id: str, *, live: bool = False) -> list[Problem]:
    """An unknown session; with ``live``, also a cancelled one."""
    if session_id not in org.catalog.sessions:
        return [Problem("session", session_id)]
    if live and session_id in org.cancelled:
        return [Problem("cancelled", org.session_label(session_id))]
    return []


def learner_problems(org: OrgData, ids: Iterable[str]) -> list[Problem]:
    return missing("person", ids, (p.id for p in org.people))


def item_problems(org: OrgData, *ids: str | None) -> list[Problem]:
    return missing("course", ids, org.catalog.items)


class Scoped(Tool):
    """A filter on who is counted: a team, a manager's team, a role."""

    team: str | None = Field(None, description="a team name from <teams>")
    manager: str | None = Field(None, description="a manager's name from <managers>")
    role: str | None = Field(None, description="a role id from <roles>")

    def scope(self, learners: tuple[str, ...] | None = None) -> Scope:
        return Scope(team=self.team, manager=self.manager, role=self.role, learners=learners)

    def problems(self, org: OrgData) -> list[Problem]:
        return [
            *super().problems(org),
            *missing("team", [self.team], org.teams),
            *missing("manager", [self.manager], org.managers),
            *missing("role", [self.role], org.catalog.roles),
        ]


class Dated(Tool):
    """A period, both ends inclusive."""

    period_start: str | None = Field(None, description="first day, YYYY-MM-DD")
    period_end: str | None = Field(None, description="last day, YYYY-MM-DD (default today)")

    def period(self, today: date, *, default_days: int | None = None) -> Period | None:
        """The period asked for (None when neither end is given); a missing end is today, a
        missing start ``default_days`` before the end, or the beginning of the records."""
        if self.period_start is None and self.period_end is None:
            return None
        end = date.fromisoformat(self.period_end) if self.period_end else today
        if self.period_start:
            start = date.fromisoformat(self.period_start)
        else:
            start = end - timedelta(days=default_days - 1) if default_days else date.min
        return Period(start, end, "")

    def problems(self, org: OrgData) -> list[Problem]:
        found = [*super().problems(org)]
        ends = [v for v in (self.period_start, self.period_end) if v is not None]
        bad = [Problem("date", v) for v in ends if not _is_iso(v)]
        if bad:
            return found + bad
        period = self.period(org.today)
        if period is not None and period.start > period.end:
            found.append(Problem("period", f"{period.start} – {period.end}"))
        return found


def _is_iso(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
