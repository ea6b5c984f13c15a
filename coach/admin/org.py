"""One organisation's data as the admin tools read it: people, catalog, sessions,
enrolments, sign-offs and records, loaded once per question and filtered by scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.paths.world import World
from recommender.catalog import Catalog
from recommender.model import Session as LiveSession


@dataclass(frozen=True)
class Person:
    """A learner as admins name them (``id`` is the LMS id)."""

    user_id: str
    id: str
    name: str
    team: str
    role: str | None
    manager: str


@dataclass(frozen=True)
class Period:
    """Inclusive dates; ``label`` as the admin said it."""

    start: date
    end: date
    label: str = ""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def describe(self) -> list[str]:
        return [self.start.isoformat(), self.end.isoformat()]


@dataclass(frozen=True)
class Scope:
    """Who is counted: a team, a manager's team, a role, named learners (any combination)."""

    team: str | None = None
    manager: str | None = None
    role: str | None = None
    learners: tuple[str, ...] | None = None  # LMS ids

    def admits(self, p: Person) -> bool:
        return (
            (self.team is None or p.team == self.team)
            and (self.manager is None or p.manager == self.manager)
            and (self.role is None or p.role == self.role)
            and (self.learners is None or p.id in self.learners)
        )

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("team", "manager", "role"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.learners is not None:
            out["learners"] = list(self.learners)
        return out


class OrgData:
    """Read-only view of one organisation for one question (nothing here writes)."""

    def __init__(self, session: Session, *, org_id: str, world: World, today: date) -> None:
        self.session, self.org_id, self.world, self.today = session, org_id, world, today

    @cached_property
    def catalog(self) -> Catalog:
        return self.world.catalog(self.session, self.org_id)

    @cached_property
    def people(self) -> list[Person]:
        pairs = storage.learner_profiles(self.session, org_id=self.org_id)
        return [
            Person(u.id, u.external_id, u.display_name, p.team or "", p.role, p.manager or "")
            for u, p in pairs
            if not u.disabled
        ]

    @cached_property
    def by_user(self) -> dict[str, Person]:
        return {p.user_id: p for p in self.people}

    def scoped(self, scope: Scope) -> list[Person]:
        return [p for p in self.people if scope.admits(p)]

    @cached_property
    def teams(self) -> list[str]:
        return sorted({p.team for p in self.people if p.team})

    @cached_property
    def managers(self) -> list[str]:
        return sorted({p.manager for p in self.people if p.manager})

    @cached_property
    def cancelled(self) -> set[str]:
        statuses = storage.session_statuses(self.session, org_id=self.org_id)
        return {sid for sid, status in statuses.items() if status == "cancelled"}

    def live_session(self, session_id: str) -> LiveSession:
        return self.catalog.sessions[session_id]

    def item_title(self, item_id: str) -> str:
        item = self.catalog.items.get(item_id)
        return item.title if item else item_id

    def session_label(self, session_id: str) -> str:
        s = self.catalog.sessions[session_id]
        where = f", {s.place}" if s.place else ""
        return f"{self.item_title(s.item_id)} ({s.start.strftime('%Y-%m-%d %H:%M')}{where})"

    @cached_property
    def enrolments(self) -> list[storage.Enrolment]:
        return storage.enrolments(self.session, org_id=self.org_id)

    def session_enrolments(self, session_id: str) -> list[storage.Enrolment]:
        return [e for e in self.enrolments if e.session_id == session_id]

    def signoffs(self, session_id: str) -> dict[str, bool]:
        rows = storage.attendance(self.session, org_id=self.org_id, session_ids=[session_id])
        return {r.user_id: r.signed for r in rows}

    @cached_property
    def records(self) -> dict[str, list[storage.LearningRecord]]:
        """Each learner's records, oldest first (keyed by user id)."""
        return storage.learning_records(self.session, user_ids=[p.user_id for p in self.people])

    def completions(self, item_id: str) -> dict[str, list[date]]:
        """User id → dates of their completions of the item, oldest first."""
        out: dict[str, list[date]] = defaultdict(list)
        for uid, recs in self.records.items():
            for r in recs:
                if r.kind == "completion" and r.item_id == item_id:
                    out[uid].append(r.on)
        return out
