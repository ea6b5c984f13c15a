"""The state of the generated organisation's activity and the small draws it is made of.

:class:`Draws` holds the rows being written (learning records, enrolments, sign-offs) and the
helpers that add them; :class:`evals.admin.activity.Activity` decides what happens.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from evals.admin import org

if TYPE_CHECKING:
    from evals.admin.generate import Person, Sess

HORIZON = 540  # days of history (~18 months); older completions only for 730-day renewals


def rule(item_id: str, role: str) -> tuple[bool, int | None]:
    """Whether the item is mandatory for the role, and its renewal in days."""
    for rule_role, renewal in org.ITEMS[item_id].get("mandatory", []):
        if rule_role in ("*", role):
            return True, renewal
    return False, None


def interest(item_id: str, role: str) -> float:
    """The chance that a learner of the role enrols in the item unasked."""
    table = org.ITEMS[item_id].get("interest", {})
    return float(table.get(role, table.get("*", 0.0)))


class Draws:
    """The rows drawn so far and the helpers that add them."""

    def __init__(
        self, rng: random.Random, today: date, people: list[Person], sessions: list[Sess]
    ) -> None:
        self.rng, self.today, self.people, self.sessions = rng, today, people, sessions
        self.records: list[dict[str, Any]] = []
        self.enrolments: list[dict[str, Any]] = []
        self.attendance: list[dict[str, Any]] = []
        self.last_done: dict[tuple[str, str], date] = {}  # (learner, item): latest completion
        self._placed: dict[str, set[str]] = {i: set() for i in org.ITEMS}
        self._kept_out = {"fire-safety": {"Ana Ribeiro"}}  # so she can be enrolled

    def _between(self, lo: date, hi: date) -> date | None:
        if lo > hi:
            return None
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def _window(self, p: Person) -> tuple[date, date]:
        return max(p.start, self.today - timedelta(days=HORIZON)), p.until

    def _score(self, mean: float, spread: float = 0.12) -> float:
        return round(min(max(self.rng.gauss(mean, spread), 0.0), 1.0), 2)

    def _minutes(self, typical: float) -> int | None:
        if self.rng.random() < 0.1:
            return None  # the LMS did not track the time
        return max(1, round(typical * self.rng.uniform(0.6, 1.5)))

    def _record(self, p: Person, kind: str, day: date, **fields: Any) -> None:
        self.records.append({"learner_id": p.id, "kind": kind, "date": day, **fields})

    def _complete(self, p: Person, item_id: str, day: date, **fields: Any) -> None:
        self._record(p, "completion", day, item_id=item_id, **fields)
        key = (p.id, item_id)
        self.last_done[key] = max(day, self.last_done.get(key, day))

    def _enrol(
        self,
        p: Person,
        item_id: str,
        enrolled_on: date,
        *,
        session_id: str | None = None,
        status: str = "enrolled",
        due_on: date | None = None,
    ) -> None:
        self.enrolments.append(
            {
                "learner_id": p.id,
                "item_id": item_id,
                "session_id": session_id,
                "status": status,
                "enrolled_on": min(max(enrolled_on, p.start), self.today),
                "due_on": due_on,
            }
        )

    def _elearning_done(self, p: Person, item_id: str, day: date) -> None:
        spec = org.ITEMS[item_id]
        score = self._score(p.ability + 0.12, 0.08)
        self._complete(p, item_id, day, score=score, minutes=self._minutes(spec["minutes"]))

    # e-learning ------------------------------------------------------------------------

    def seats_taken(self) -> dict[str, int]:
        """Enrolled learners per session (the catalog's ``seats_taken`` agrees with them)."""
        return dict(
            Counter(
                e["session_id"]
                for e in self.enrolments
                if e["session_id"] and e["status"] == "enrolled"
            )
        )

    def sorted_records(self) -> list[dict[str, Any]]:
        rows = [{**r, "date": r["date"].isoformat()} for r in self.records]
        return sorted(
            rows,
            key=lambda r: (
                r["date"],
                r["learner_id"],
                r["kind"],
                r.get("item_id") or "",
                r.get("skill") or "",
            ),
        )

    def sorted_enrolments(self) -> list[dict[str, Any]]:
        rows = [
            {
                **e,
                "enrolled_on": e["enrolled_on"].isoformat(),
                "due_on": e["due_on"].isoformat() if e["due_on"] else None,
            }
            for e in self.enrolments
        ]
        return sorted(rows, key=lambda e: (e["enrolled_on"], e["learner_id"], e["item_id"]))

    def sorted_attendance(self) -> list[dict[str, Any]]:
        return sorted(self.attendance, key=lambda a: (a["session_id"], a["learner_id"]))
