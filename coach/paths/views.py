"""Paths as the API shows them: a summary for lists, the detail for review and learners."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.paths.progress import done_items
from coach.paths.service import PathService, figures
from coach.paths.world import ledger_for
from recommender.paths import diff_paths
from recommender.plan import path_from_json


def summary_json(row: storage.LearningPath, user: storage.User) -> dict[str, Any]:
    """One line of the review list."""
    return {
        "id": row.id,
        "learner": {
            "id": user.external_id,
            "name": user.display_name,
            "team": row.team,
            "role": row.role,
        },
        "status": row.status,
        "version": row.version,
        "approved_version": row.approved_version,
        "revision": row.revision,
        "n_steps": row.n_steps,
        "hours": row.hours,
        "start": row.start,
        "end": row.end,
        "blocking": row.blocking,
        "warnings": row.warnings,
        "updated_at": row.updated_at,
    }


def detail_json(
    session: Session,
    service: PathService,
    row: storage.LearningPath,
    user: storage.User,
    *,
    version: int | None = None,
    against: int | None = None,
    reviewer: bool = True,
) -> dict[str, Any]:
    """A version of the path (default: the current one) with its problems checked now, the
    sessions it books, and for reviewers the diff and the audit trail."""
    version = version or row.version
    stored = storage.path_version(session, path_id=row.id, version=version)
    content = stored.content
    path = path_from_json(content)
    out = summary_json(row, user)
    out["shown_version"] = version
    out["path"] = content
    out["sessions"] = _sessions(session, service, row, [s.session_id for s in path.steps])
    out["diff"] = None
    out["history"] = []
    out.update(figures(path))  # the figures of the version shown, not of the current one
    if not reviewer:  # the learner sees the approved version, not the review behind it
        out.update(
            status="approved",
            version=version,
            problems=[],
            blocking=0,
            warnings=len(path.warnings),
        )
        for key in ("revision", "approved_version"):
            out.pop(key)
        # Where the learner stands: the steps done (the manager's view counts them alike).
        records = storage.learning_records(session, user_ids=[row.user_id]).get(row.user_id, [])
        out["done_items"] = done_items(path, records)
        return out
    out["guard"] = stored.guard  # the runtime guard's verdict when it was generated
    out["problems"] = service.current_problems(session, row, version)
    out["blocking"] = sum(1 for p in out["problems"] if p["blocking"])
    out["warnings"] = len(path.warnings) + len(out["problems"]) - out["blocking"]
    if against is None:
        if row.approved_version is not None and row.approved_version < version:
            against = row.approved_version
        elif version > 1:
            against = version - 1
    if against is not None:
        old = path_from_json(storage.path_version(session, path_id=row.id, version=against).content)
        diff = diff_paths(old, path)
        out["diff"] = {
            "against": against,
            "changes": [
                {
                    "kind": c.kind,
                    "item_id": c.item_id,
                    "title": c.title,
                    "text": c.text,
                    "before": c.before,
                    "after": c.after,
                }
                for c in diff.changes
            ],
            "warnings_added": diff.warnings_added,
            "warnings_removed": diff.warnings_removed,
            "text": diff.text(),
        }
    out["history"] = [
        {
            "version": a.version,
            "revision": a.revision,
            "action": a.action,
            "actor": a.actor_name,
            "at": a.at,
            "from_status": a.from_status,
            "to_status": a.to_status,
            "comment": a.comment,
            "changes": a.changes,
        }
        for a in storage.path_history(session, path_id=row.id)
    ]
    return out


def _sessions(
    session: Session, service: PathService, row: storage.LearningPath, ids: list[str | None]
) -> dict[str, Any]:
    catalog = service.world.catalog(session, row.org_id)
    ledger = ledger_for(session, row.org_id, except_users=[row.user_id])
    out: dict[str, Any] = {}
    for sid in ids:
        s = catalog.sessions.get(sid or "")
        if s is None:
            continue
        out[s.id] = {
            "start": s.start.isoformat(),
            "place": s.place,
            "trainer": s.trainer,
            "seats": s.seats,
            "free_seats": max(ledger.free(s), 0),
            "enrol_by": s.enrol_by,
        }
    return out
