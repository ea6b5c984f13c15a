"""What the path builder needs, read from storage: the catalog (cached per revision), the
learners with their history and mastery, the collaborative signal and the seats held."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from recommender.catalog import Catalog, CatalogError
from recommender.collaborative import CoCompletion
from recommender.mastery import MasteryEstimate
from recommender.model import Learner
from recommender.records import load_catalog, load_learners
from recommender.schedule import SeatLedger


class NoCatalog(LookupError):
    """The organisation has imported no catalog yet."""


def record_row(rec: storage.LearningRecord) -> dict[str, Any]:
    """A stored record as the row ``recommender.records`` reads."""
    return {
        "learner_id": rec.user_id,
        "kind": rec.kind,
        "date": rec.on.isoformat(),
        "item_id": rec.item_id,
        "skill": rec.skill,
        "score": rec.score,
        "attended": rec.attended,
    }


def profile_row(user: storage.User, profile: storage.LearnerProfile) -> dict[str, Any]:
    """A stored profile as the learner row ``recommender.records`` reads, keyed by user id."""
    return {**profile.data, "id": user.id, "name": user.display_name}


@dataclass(frozen=True)
class Person:
    """A learner as stored (user and profile) and as the path builder sees them."""

    user: storage.User
    profile: storage.LearnerProfile
    learner: Learner


class World:
    """Per-organisation catalogs and collaborative signals, rebuilt when their data change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._catalogs: dict[str, tuple[int, Catalog]] = {}
        self._signals: dict[str, tuple[tuple[int, int], CoCompletion]] = {}

    def catalog(self, session: Session, org_id: str) -> Catalog:
        """The organisation's catalog (:class:`NoCatalog` when none is imported)."""
        revision = storage.catalog_revision(session, org_id=org_id)
        if revision == 0:
            raise NoCatalog("no catalog imported yet: run `blendcoach import catalog FILE`")
        with self._lock:
            cached = self._catalogs.get(org_id)
            if cached is not None and cached[0] == revision:
                return cached[1]
        rows = storage.catalog_rows(session, org_id=org_id)
        loaded = load_catalog(
            skills=rows["skill"], items=rows["item"], sessions=rows["session"], roles=rows["role"]
        )
        if loaded.catalog is None:  # stored rows were validated on import: a bug if reached
            raise CatalogError(loaded.problems)
        with self._lock:
            self._catalogs[org_id] = (revision, loaded.catalog)
        return loaded.catalog

    def people(
        self,
        session: Session,
        org_id: str,
        *,
        external_ids: Sequence[str] | None = None,
        user_ids: Sequence[str] | None = None,
        team: str | None = None,
        role: str | None = None,
    ) -> list[Person]:
        """Learners with a profile, their history attached (learner ids are user ids)."""
        pairs = storage.learner_profiles(
            session,
            org_id=org_id,
            external_ids=external_ids,
            user_ids=user_ids,
            team=team,
            role=role,
        )
        records = storage.learning_records(session, user_ids=[u.id for u, _ in pairs])
        loaded = load_learners(
            [profile_row(u, p) for u, p in pairs],
            history=[record_row(r) for u, _ in pairs for r in records.get(u.id, [])],
        )
        by_id = {lr.id: lr for lr in loaded.learners}
        return [Person(u, p, by_id[u.id]) for u, p in pairs if u.id in by_id]

    def signal(self, session: Session, org_id: str) -> CoCompletion:
        """Co-completion similarities over every learner of the organisation."""
        key = (
            storage.catalog_revision(session, org_id=org_id),
            storage.count_learning_records(session, org_id=org_id),
        )
        with self._lock:
            cached = self._signals.get(org_id)
            if cached is not None and cached[0] == key:
                return cached[1]
        fitted = CoCompletion().fit(p.learner for p in self.people(session, org_id))
        with self._lock:
            self._signals[org_id] = (key, fitted)
        return fitted


def mastery_of(session: Session, user_id: str) -> dict[str, MasteryEstimate]:
    """The learner model's estimates of a learner, per skill."""
    return {
        row.skill: MasteryEstimate(row.skill, row.p_mastery, row.low, row.high, row.n_attempts)
        for row in storage.list_mastery(session, user_id=user_id)
        if row.skill != "*"
    }


def ledger_for(session: Session, org_id: str, *, except_users: Sequence[str] = ()) -> SeatLedger:
    """Seats held by the organisation's other paths, as a ledger the builder respects."""
    ledger = SeatLedger()
    ledger.seats.update(storage.booked_sessions(session, org_id=org_id, except_users=except_users))
    for key, n in storage.booked_slots(session, org_id=org_id, except_users=except_users).items():
        item, year, month = key.rsplit("|", 2)
        ledger.slots[(item, int(year), int(month))] += n
    return ledger
