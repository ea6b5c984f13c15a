"""Nudges as the learner sees them: the in-widget feed and their channel preferences; and
for admins, whether nudging works (nudged vs hold-out learners)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from coach import storage
from coach.api.deps import CurrentUser, ServicesDep, SessionDep, require_role
from coach.nudges.channels import allowed_webhook
from coach.nudges.effect import effect_report
from coach.nudges.schemas import (
    NotificationList,
    NotificationPublic,
    PreferencesPublic,
    PreferencesUpdate,
)

router = APIRouter(tags=["nudges"])

AdminUser = Annotated[storage.Viewer, Depends(require_role("admin"))]


@router.get("/v1/me/notifications", response_model=NotificationList)
def read_notifications(
    user: CurrentUser,
    session: SessionDep,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> NotificationList:
    """The caller's notifications, newest first, and how many are unread."""
    items = storage.notifications(session, user_id=user.id, unread=unread, limit=limit)
    n_unread = storage.unread_notifications(session, user_id=user.id)
    return NotificationList(
        items=[NotificationPublic.model_validate(n) for n in items], unread=n_unread
    )


@router.post("/v1/me/notifications/{nudge_id}/read", response_model=NotificationPublic)
def read_notification(nudge_id: str, user: CurrentUser, session: SessionDep) -> Any:
    """Mark one of the caller's notifications read (404 for anyone else's)."""
    return storage.mark_notification_read(session, user_id=user.id, nudge_id=nudge_id)


@router.get("/v1/me/nudge-preferences", response_model=PreferencesPublic)
def read_preferences(user: CurrentUser, session: SessionDep) -> PreferencesPublic:
    """The channels the caller opted out of and their webhook URL."""
    pref = storage.nudge_preferences(session, user_id=user.id)
    if pref is None:
        return PreferencesPublic()
    return PreferencesPublic(opted_out=pref.opted_out, webhook_url=pref.webhook_url)  # type: ignore[arg-type]


@router.patch("/v1/me/nudge-preferences", response_model=PreferencesPublic)
def change_preferences(
    change: PreferencesUpdate, user: CurrentUser, session: SessionDep, services: ServicesDep
) -> PreferencesPublic:
    """Opt out of (or back into) channels, set or remove the webhook URL; an opt-out holds
    from this moment, for nudges already planned too."""
    hosts = services.settings.nudges.webhook_hosts
    url = change.webhook_url
    if url is not None and not allowed_webhook(url, hosts):
        raise HTTPException(
            status_code=422,
            detail=f"webhook_url must be an https URL on one of: {', '.join(hosts)}",
        )
    pref = storage.set_nudge_preferences(
        session,
        org_id=user.org_id,
        user_id=user.id,
        opted_out=change.opted_out,
        webhook_url=url,
        clear_webhook="webhook_url" in change.model_fields_set and url is None,
    )
    storage.log_event(
        session,
        org_id=user.org_id,
        user_id=user.id,
        type="nudges.preferences",
        payload={"opted_out": pref.opted_out, "webhook": pref.webhook_url is not None},
    )
    return PreferencesPublic(opted_out=pref.opted_out, webhook_url=pref.webhook_url)  # type: ignore[arg-type]


@router.get("/v1/admin/nudges/effect")
def nudge_effect(
    user: AdminUser, session: SessionDep, since: date | None = None, until: date | None = None
) -> Any:
    """Nudged vs hold-out learners: on-time step completion, attendance and review
    completion, each with a 95% confidence interval on the difference."""
    return effect_report(session, org_id=user.org_id, since=since, until=until)
