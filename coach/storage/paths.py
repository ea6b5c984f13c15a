"""Paths under review: versions, status changes with an optimistic lock, and the audit trail.

Access: reviewers and admins read and review the paths of their organisation; a learner
reads only the approved version of their own path; another organisation's paths do not
exist. A write carries the ``revision`` the reviewer saw: a stale one is :class:`Conflict`
(HTTP 409), and SQLAlchemy's version counter refuses a write that raced past the check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach.storage.access import AccessError, Forbidden, NotFound, Viewer
from coach.storage.models import User, utcnow
from coach.storage.path_models import LearningPath, PathAudit, PathVersion

REVIEWERS = ("reviewer", "admin")


class Conflict(AccessError):
    """The object changed since the client read it (HTTP 409)."""

    status_code = 409


def check_reviewer(viewer: Viewer) -> None:
    """Refuse a viewer whose role does not review paths (HTTP 403)."""
    if viewer.role not in REVIEWERS:
        raise Forbidden("paths are reviewed by reviewers and admins")


def get_path(session: Session, *, viewer: Viewer, path_id: str) -> LearningPath:
    """A path of the reviewer's organisation (404 for any other)."""
    check_reviewer(viewer)
    path = session.get(LearningPath, path_id)
    if path is None or path.org_id != viewer.org_id:
        raise NotFound("no such path")
    return path


def path_of_user(session: Session, *, user_id: str) -> LearningPath | None:
    """A learner's path, whatever its status (for the service, not for a viewer)."""
    return session.scalars(select(LearningPath).where(LearningPath.user_id == user_id)).first()


def my_approved_path(session: Session, *, viewer: Viewer) -> tuple[LearningPath, PathVersion]:
    """The viewer's own approved path version (404 when none is approved yet)."""
    path = path_of_user(session, user_id=viewer.id)
    if path is None or path.approved_version is None:
        raise NotFound("no approved path yet")
    return path, path_version(session, path_id=path.id, version=path.approved_version)


def path_version(session: Session, *, path_id: str, version: int) -> PathVersion:
    """One stored version of a path."""
    row = session.get(PathVersion, (path_id, version))
    if row is None:
        raise NotFound(f"path has no version {version}")
    return row


def list_paths(
    session: Session,
    *,
    viewer: Viewer,
    status: str | None = None,
    team: str | None = None,
    role: str | None = None,
    item: str | None = None,
    ids: Sequence[str] | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> tuple[list[tuple[LearningPath, User]], int]:
    """The organisation's paths matching every filter given, newest change first, and how
    many match in all. ``item`` keeps paths with that catalog item in their current version."""
    check_reviewer(viewer)
    query = (
        select(LearningPath, User)
        .join(User, User.id == LearningPath.user_id)
        .where(LearningPath.org_id == viewer.org_id)
    )
    if status:
        query = query.where(LearningPath.status == status)
    if team:
        query = query.where(LearningPath.team == team)
    if role:
        query = query.where(LearningPath.role == role)
    if ids is not None:
        query = query.where(LearningPath.id.in_(list(ids)))
    query = query.order_by(LearningPath.updated_at.desc(), LearningPath.id)
    if item:  # a JSON list: filter in Python, portable across SQLite and PostgreSQL
        rows = [(p, u) for p, u in session.execute(query) if item in p.item_ids]
        end = None if limit is None else offset + limit
        return rows[offset:end], len(rows)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if limit is not None:
        query = query.limit(limit)
    return [(p, u) for p, u in session.execute(query.offset(offset))], total


def check_revision(path: LearningPath, *, revision: int) -> None:
    """Refuse a write based on a stale read."""
    if path.revision != revision:
        raise Conflict(
            f"the path changed since you read it (revision {revision}, now {path.revision}): "
            "reload it"
        )


def create_path(
    session: Session, *, org_id: str, user_id: str, status: str, team: str, role: str | None
) -> LearningPath:
    """A new, empty path record of a learner (its first version comes next)."""
    path = LearningPath(
        org_id=org_id, user_id=user_id, status=status, version=0, team=team, role=role
    )
    session.add(path)
    session.flush()
    return path


def add_version(
    session: Session,
    *,
    path: LearningPath,
    content: Mapping[str, Any],
    problems: Sequence[Mapping[str, Any]],
    origin: str,
    actor_id: str | None,
    comment: str = "",
    summary: Mapping[str, Any],
    guard: Mapping[str, Any] | None = None,
) -> PathVersion:
    """Store ``content`` as the path's next version and copy its ``summary`` figures
    (item_ids, session_ids, n_steps, hours, start, end, blocking, warnings) onto the path."""
    path.version += 1
    row = PathVersion(
        path_id=path.id,
        version=path.version,
        content=dict(content),
        problems=[dict(p) for p in problems],
        origin=origin,
        created_by=actor_id,
        comment=comment,
        guard=dict(guard) if guard is not None else None,
    )
    session.add(row)
    for key, value in summary.items():
        setattr(path, key, value)
    path.updated_at = utcnow()
    session.flush()
    return row


def set_status(
    session: Session,
    *,
    path: LearningPath,
    status: str,
    action: str,
    actor: Viewer | None,
    comment: str = "",
    changes: Sequence[Mapping[str, Any]] = (),
    from_status: str | None = None,
    new: bool = False,
) -> PathAudit:
    """Move the path to ``status`` and write the audit row (who, when, what, why);
    ``from_status`` defaults to the current status (None for a ``new`` path)."""
    before = None if new else (path.status if from_status is None else from_status)
    path.status = status
    if status == "approved":
        path.approved_version = path.version
    path.updated_at = utcnow()
    session.flush()  # bumps the revision (and refuses a raced write)
    audit = PathAudit(
        path_id=path.id,
        version=path.version,
        revision=path.revision,
        action=action,
        actor_id=None if actor is None else actor.id,
        actor_name="path builder" if actor is None else (actor.display_name or actor.id),
        from_status=before,
        to_status=status,
        comment=comment,
        changes=[dict(c) for c in changes],
    )
    session.add(audit)
    session.flush()
    return audit


def path_history(session: Session, *, path_id: str) -> list[PathAudit]:
    """The audit trail of a path, oldest first."""
    return list(
        session.scalars(
            select(PathAudit).where(PathAudit.path_id == path_id).order_by(PathAudit.id)
        )
    )


def booked_sessions(
    session: Session,
    *,
    org_id: str,
    except_user: str | None = None,
    except_users: Sequence[str] = (),
) -> Counter[str]:
    """Seats held by the organisation's paths (every status but rejected), per session id;
    the paths of ``except_user`` / ``except_users`` left out."""
    excluded = [*except_users, *([except_user] if except_user else [])]
    return _held(session, LearningPath.session_ids, org_id, excluded)


def booked_slots(
    session: Session, *, org_id: str, except_users: Sequence[str] = ()
) -> Counter[str]:
    """Coaching slots held by the organisation's paths, per ``item|year|month``."""
    return _held(session, LearningPath.slots, org_id, except_users)


def _held(session: Session, column: Any, org_id: str, excluded: Sequence[str]) -> Counter[str]:
    held: Counter[str] = Counter()
    query = select(column).where(LearningPath.org_id == org_id, LearningPath.status != "rejected")
    if excluded:
        query = query.where(LearningPath.user_id.not_in(list(excluded)))
    for ids in session.scalars(query):
        held.update(ids)
    return held
