"""Actions the assistant proposes and an admin confirms: enrol, remind, mark attendance,
cancel a session. Proposing stores the action and changes nothing; confirming runs it
once, for an admin of the same organisation, before it expires, and records who did it
and what changed (the action row is the audit; an event is logged too)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coach import storage, xapi
from coach.admin.schemas import ActionPublic, ProposedAction

TTL = timedelta(hours=24)


class ActionRefused(storage.AccessError):
    """The action cannot run (already decided, expired, or its target is gone): HTTP 409."""

    status_code = 409


def propose(
    session: Session,
    *,
    org_id: str,
    admin_id: str,
    kind: str,
    args: dict[str, Any],
    summary: str,
    question: str,
    now: datetime | None = None,
) -> ProposedAction:
    """Store the action for confirmation (nothing else changes)."""
    now = now or datetime.now(UTC)
    action = storage.create_action(
        session,
        org_id=org_id,
        kind=kind,
        args=args,
        summary=summary,
        proposed_by=admin_id,
        question=question,
        expires_at=now + TTL,
    )
    return public(action)


def public(action: storage.AdminAction) -> ProposedAction:
    return ProposedAction(
        id=action.id,
        kind=action.kind,
        args=action.args,
        summary=action.summary,
        status=action.status,
        expires_at=action.expires_at,
        confirm_url=f"/v1/admin/actions/{action.id}/confirm",
    )


def audit_row(action: storage.AdminAction) -> ActionPublic:
    return ActionPublic.model_validate(action, from_attributes=True)


def confirm(
    session: Session,
    *,
    org_id: str,
    admin_id: str,
    action_id: str,
    today: date,
    now: datetime | None = None,
    base_url: str | None = None,
) -> storage.AdminAction:
    """Run a proposed action once (404 for another organisation's action); ``base_url``:
    the service's public URL, for the xAPI statements of sign-offs (None: none)."""
    now = now or datetime.now(UTC)
    action = storage.get_action(session, org_id=org_id, action_id=action_id, lock=True)
    if action.status != "proposed":
        raise ActionRefused(f"this action was already {action.status}")
    if action.expires_at <= now:
        action.status, action.decided_at = "expired", now
        session.flush()
        raise ActionRefused("this action expired: ask the assistant again")
    fresh: list[dict[str, Any]] = []
    if base_url and action.kind == "mark_attendance" and action.args.get("signed"):
        rows = [
            {"session_id": action.args["session_id"], "user_id": uid, "signed": True}
            for uid in _user_ids(session, org_id, action.args["learner_ids"]).values()
        ]
        fresh = xapi.new_sign_offs(session, org_id=org_id, rows=rows)
    result = RUNNERS[action.kind](session, org_id, action.args, today)
    if base_url and fresh:  # xAPI "attended" for learners signed off just now
        xapi.log_attendance(session, base_url=base_url, org_id=org_id, rows=fresh, at=now)
    action.status, action.confirmed_by, action.decided_at, action.result = (
        "executed",
        admin_id,
        now,
        result,
    )
    storage.log_event(
        session,
        org_id=org_id,
        user_id=admin_id,
        type="admin.action",
        payload={"action_id": action.id, "kind": action.kind, "args": action.args, **result},
    )
    session.flush()
    return action


def decline(session: Session, *, org_id: str, admin_id: str, action_id: str) -> storage.AdminAction:
    """Mark a proposed action as declined (it will never run)."""
    action = storage.get_action(session, org_id=org_id, action_id=action_id, lock=True)
    if action.status != "proposed":
        raise ActionRefused(f"this action was already {action.status}")
    action.status, action.confirmed_by = "declined", admin_id
    action.decided_at = datetime.now(UTC)
    session.flush()
    return action


def _user_ids(session: Session, org_id: str, learner_ids: list[str]) -> dict[str, str]:
    pairs = storage.learner_profiles(session, org_id=org_id, external_ids=learner_ids)
    found = {u.external_id: u.id for u, _ in pairs}
    missing = sorted(set(learner_ids) - set(found))
    if missing:
        raise ActionRefused(f"unknown learner(s): {', '.join(missing)}")
    return found


def _enrol(session: Session, org_id: str, args: dict[str, Any], today: date) -> dict[str, Any]:
    users = _user_ids(session, org_id, args["learner_ids"])
    sid = args.get("session_id") or ""
    rows = [
        {
            "user_id": uid,
            "item_id": args["item_id"],
            "session_id": sid,
            "status": args.get("status", "enrolled"),
            "enrolled_on": today,
        }
        for uid in users.values()
    ]
    added, updated = storage.save_enrolments(
        session, org_id=org_id, rows=rows, source="admin-action"
    )
    return {"enrolled": sorted(users), "added": added, "updated": updated}


def _remind(session: Session, org_id: str, args: dict[str, Any], today: date) -> dict[str, Any]:
    users = _user_ids(session, org_id, args["learner_ids"])
    for ext, uid in users.items():
        storage.log_event(
            session,
            org_id=org_id,
            user_id=uid,
            type="reminder.queued",
            payload={k: v for k, v in args.items() if k != "learner_ids"} | {"learner": ext},
        )
    return {"reminded": sorted(users)}


def _mark(session: Session, org_id: str, args: dict[str, Any], today: date) -> dict[str, Any]:
    users = _user_ids(session, org_id, args["learner_ids"])
    now = datetime.now(UTC)
    rows = [
        {
            "session_id": args["session_id"],
            "user_id": uid,
            "signed": args["signed"],
            "signed_at": now if args["signed"] else None,
        }
        for uid in users.values()
    ]
    storage.save_attendance(session, org_id=org_id, rows=rows, source="admin-action")
    return {"marked": sorted(users), "signed": args["signed"]}


def _cancel(session: Session, org_id: str, args: dict[str, Any], today: date) -> dict[str, Any]:
    storage.set_session_status(
        session,
        org_id=org_id,
        session_id=args["session_id"],
        status="cancelled",
        reason=args.get("reason", ""),
    )
    return {"cancelled": args["session_id"]}


RUNNERS = {"enrol": _enrol, "remind": _remind, "mark_attendance": _mark, "cancel_session": _cancel}
