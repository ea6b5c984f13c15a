"""An organisation's catalog rows, learner profiles and learning records.

The catalog is written only whole-file-validated (the caller checks the merged catalog
with ``recommender.records.load_catalog`` before calling :func:`save_catalog_rows`), and
every write bumps the catalog revision that in-process caches key on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from coach.storage.models import User, utcnow
from coach.storage.path_models import (
    CATALOG_KINDS,
    CatalogRow,
    CatalogState,
    LearnerProfile,
    LearningRecord,
)


def catalog_rows(session: Session, *, org_id: str) -> dict[str, list[dict[str, Any]]]:
    """The stored catalog as rows per kind (``skill``, ``role``, ``item``, ``session``), in
    import order."""
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in CATALOG_KINDS}
    rows = session.scalars(
        select(CatalogRow)
        .where(CatalogRow.org_id == org_id)
        .order_by(CatalogRow.kind, CatalogRow.position)
    )
    for row in rows:
        out[row.kind].append(dict(row.data))
    return out


def save_catalog_rows(
    session: Session,
    *,
    org_id: str,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    replace: Sequence[str] = (),
) -> int:
    """Insert or replace rows by (kind, id), new ones after the stored ones; the kinds in
    ``replace`` are emptied first. Returns the new catalog revision. Rows carry an ``id``."""
    now = utcnow()
    for kind in replace:
        session.execute(
            delete(CatalogRow).where(CatalogRow.org_id == org_id, CatalogRow.kind == kind)
        )
    for kind, values in rows.items():
        if kind not in CATALOG_KINDS:
            raise ValueError(f"unknown catalog kind {kind!r}")
        stored = {
            r.key: r
            for r in session.scalars(
                select(CatalogRow).where(CatalogRow.org_id == org_id, CatalogRow.kind == kind)
            )
        }
        last = max((r.position for r in stored.values()), default=-1)
        for value in values:
            data = {k: v for k, v in value.items() if k != "_row"}
            key = str(data["id"])
            row = stored.get(key)
            if row is None:
                last += 1
                row = CatalogRow(org_id=org_id, kind=kind, key=key, position=last, data=data)
                session.add(row)
                stored[key] = row
            else:
                row.data = data
                row.updated_at = now
    state = session.get(CatalogState, org_id)
    if state is None:
        state = CatalogState(org_id=org_id, revision=0)
        session.add(state)
    state.revision += 1
    state.updated_at = now
    session.flush()
    return state.revision


def catalog_revision(session: Session, *, org_id: str) -> int:
    """The organisation's catalog revision (0: no catalog imported)."""
    state = session.get(CatalogState, org_id)
    return 0 if state is None else state.revision


def save_learner_profile(
    session: Session,
    *,
    org_id: str,
    user_id: str,
    role: str | None,
    team: str,
    manager: str,
    data: Mapping[str, Any],
) -> LearnerProfile:
    """Create or replace a learner's profile."""
    profile = session.get(LearnerProfile, user_id)
    if profile is None:
        profile = LearnerProfile(user_id=user_id, org_id=org_id)
        session.add(profile)
    profile.role, profile.team, profile.manager = role, team, manager
    profile.data = dict(data)
    profile.updated_at = utcnow()
    session.flush()
    return profile


def learner_ids(session: Session, *, org_id: str) -> list[str]:
    """User ids of the organisation's learners with a profile, by external id (ids only:
    no objects built for a whole organisation)."""
    query = (
        select(User.id)
        .join(LearnerProfile, LearnerProfile.user_id == User.id)
        .where(LearnerProfile.org_id == org_id, User.org_id == org_id)
    )
    return list(session.scalars(query.order_by(User.external_id)))


def learner_profiles(
    session: Session,
    *,
    org_id: str,
    external_ids: Sequence[str] | None = None,
    user_ids: Sequence[str] | None = None,
    team: str | None = None,
    role: str | None = None,
) -> list[tuple[User, LearnerProfile]]:
    """Learners of the organisation with a profile, filtered, by external id."""
    query = (
        select(User, LearnerProfile)
        .join(LearnerProfile, LearnerProfile.user_id == User.id)
        .where(LearnerProfile.org_id == org_id, User.org_id == org_id)
    )
    if external_ids is not None:
        query = query.where(User.external_id.in_(list(external_ids)))
    if user_ids is not None:
        query = query.where(User.id.in_(list(user_ids)))
    if team:
        query = query.where(LearnerProfile.team == team)
    if role:
        query = query.where(LearnerProfile.role == role)
    return [(u, p) for u, p in session.execute(query.order_by(User.external_id))]


def add_learning_records(
    session: Session, *, org_id: str, records: Iterable[Mapping[str, Any]]
) -> int:
    """Store records (``user_id, kind, on, item_id, skill, score, attended, source, ref``);
    one whose ``ref`` is already stored is skipped. Returns how many were added."""
    records = list(records)
    refs = [r["ref"] for r in records if r.get("ref")]
    known: set[str] = set()
    for chunk in range(0, len(refs), 500):
        known |= set(
            session.scalars(
                select(LearningRecord.ref).where(
                    LearningRecord.org_id == org_id,
                    LearningRecord.ref.in_(refs[chunk : chunk + 500]),
                )
            )
        )
    added = 0
    for r in records:
        ref = r.get("ref")
        if ref and ref in known:
            continue
        if ref:
            known.add(ref)
        session.add(LearningRecord(org_id=org_id, **dict(r)))
        added += 1
    session.flush()
    return added


def learning_records(
    session: Session, *, user_ids: Sequence[str]
) -> dict[str, list[LearningRecord]]:
    """Each learner's records, oldest first."""
    out: dict[str, list[LearningRecord]] = defaultdict(list)
    ids = list(user_ids)
    for chunk in range(0, len(ids), 500):
        rows = session.scalars(
            select(LearningRecord)
            .where(LearningRecord.user_id.in_(ids[chunk : chunk + 500]))
            .order_by(LearningRecord.on, LearningRecord.id)
        )
        for row in rows:
            out[row.user_id].append(row)
    return out


def count_learning_records(session: Session, *, org_id: str) -> int:
    """How many records the organisation has (a cheap change marker for caches)."""
    return (
        session.scalar(select(func.count(LearningRecord.id)).where(LearningRecord.org_id == org_id))
        or 0
    )
