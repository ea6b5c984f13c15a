"""A person's data export: every row that is theirs, as readable JSON (``GET /v1/me/export``,
``GET /v1/learners/{id}/export``, ``blendcoach learners export``).

The shape (``format`` ``blendcoach-personal-data/1``) is documented in docs/privacy.md:
the account, the organisation, ``data`` (table → rows, every table of the registry present,
empty or not), ``mentions`` (rows of others naming them as who acted: keys only) and
``about`` (what each table holds). Sign-in token ids and webhook URLs are ``[redacted]``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.storage import personal_data
from coach.storage.models import utcnow
from coach.storage.user_data import USER_TABLES

FORMAT = "blendcoach-personal-data/1"


def check_export(viewer: storage.Viewer, *, user_id: str) -> None:
    """Raise :class:`~coach.storage.Forbidden` unless ``viewer`` may export ``user_id`` at
    all: themself, or anyone of their organisation for an admin (decided on the role
    alone, before any lookup, so it reveals nothing; the lookup then gives 404)."""
    if user_id != viewer.id and not viewer.is_admin:
        raise storage.Forbidden("only an admin can export another person's data")


def export_person(
    session: Session,
    *,
    viewer: storage.Viewer | None,
    org_id: str,
    user_id: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Everything stored about ``user_id`` of ``org_id`` (``viewer`` None: the command line).

    The export itself is logged (``privacy.exported``, on the person's own event log).

    Raises:
        Forbidden: a non-admin asking for someone else.
        NotFound: no such person in the organisation.
    """
    if viewer is not None:
        check_export(viewer, user_id=user_id)
    person = personal_data.find_person(session, org_id=org_id, user_id=user_id)
    user = storage.get_user(session, user_id=person.id)
    org = storage.get_organisation(session, org_id=org_id)
    data = personal_data.export_rows(session, user_id=person.id)
    mentions = personal_data.export_mentions(session, user_id=person.id)
    out = {
        "format": FORMAT,
        "exported_at": (now or utcnow()).isoformat(),
        "person": {
            "id": user.id,
            "external_id": user.external_id,
            "display_name": user.display_name,
            "email": user.email,
            "role": user.role,
            "locale": user.locale,
            "disabled": user.disabled,
            "created_at": user.created_at.isoformat(),
        },
        "organisation": {"id": org.id, "slug": org.slug, "name": org.name},
        "data": data,
        "mentions": mentions,
        "about": {name: USER_TABLES[name].what for name in (*data, *mentions)},
    }
    by = "command line" if viewer is None else ("self" if viewer.id == user_id else viewer.id)
    storage.log_event(
        session, org_id=org_id, user_id=person.id, type="privacy.exported", payload={"by": by}
    )
    return out
