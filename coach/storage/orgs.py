"""Organisations and their users.

``get_*`` by id raise :class:`NotFound`; lookups by a natural key (``get_organisation_by_slug``,
``find_user``) return ``None`` when there is no match, which is a normal answer there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach.org_settings import OrgSettings
from coach.storage.access import AlreadyExists, NotFound
from coach.storage.models import LOCALES, ROLES, Organisation, User

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def create_organisation(
    session: Session, *, slug: str, name: str | None = None, course_ids: Sequence[str] | None = None
) -> Organisation:
    """Create an organisation; ``course_ids=None`` lets it see every course.

    Raises:
        ValueError: the slug is not lowercase letters, digits and dashes.
        AlreadyExists: the slug is taken.
    """
    if not SLUG.match(slug):
        raise ValueError(f"invalid organisation slug {slug!r}: use a-z, 0-9 and dashes")
    if get_organisation_by_slug(session, slug=slug) is not None:
        raise AlreadyExists(f"organisation {slug!r} already exists")
    org = Organisation(
        slug=slug,
        name=name or slug,
        course_ids=list(course_ids) if course_ids is not None else None,
    )
    session.add(org)
    _flush(session, f"organisation {slug!r} already exists")
    return org


def get_organisation(session: Session, *, org_id: str) -> Organisation:
    """The organisation with this id (raises :class:`NotFound`)."""
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFound("organisation not found")
    return org


def get_organisation_by_slug(session: Session, *, slug: str) -> Organisation | None:
    """The organisation with this slug, or ``None``."""
    return session.scalar(select(Organisation).where(Organisation.slug == slug))


def list_organisations(session: Session) -> list[Organisation]:
    """Every organisation, by slug."""
    return list(session.scalars(select(Organisation).order_by(Organisation.slug)))


def visible_course_ids(org: Organisation) -> list[str] | None:
    """The courses the organisation's users may see; ``None`` means every course."""
    return None if org.course_ids is None else list(org.course_ids)


def org_settings(session: Session, *, org_id: str) -> OrgSettings:
    """The organisation's settings, defaults filled in (raises :class:`NotFound`)."""
    return OrgSettings.model_validate(get_organisation(session, org_id=org_id).settings or {})


def update_org_settings(session: Session, *, org_id: str, patch: dict[str, Any]) -> OrgSettings:
    """Apply ``patch`` (section → fields) and store the result once it validates as a whole.

    Raises:
        ValueError: an unknown section, or a pydantic ``ValidationError`` naming the field.
    """
    org = get_organisation(session, org_id=org_id)
    merged = OrgSettings.model_validate(org.settings or {}).merged(patch)
    org.settings = merged.model_dump(mode="json")
    session.flush()
    return merged


def create_user(
    session: Session,
    *,
    org_id: str,
    external_id: str,
    display_name: str | None = None,
    email: str | None = None,
    role: str = "learner",
    locale: str = "en",
) -> User:
    """Create a user of an organisation, known there by ``external_id`` (LMS id or email).

    Raises:
        ValueError: empty external id, unknown role or locale.
        AlreadyExists: the organisation has a user with this external id.
    """
    external_id = external_id.strip()
    if not external_id:
        raise ValueError("external id is empty")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}: one of {', '.join(LOCALES)}")
    get_organisation(session, org_id=org_id)
    if find_user(session, org_id=org_id, external_id=external_id) is not None:
        raise AlreadyExists(f"user {external_id!r} already exists")
    user = User(
        org_id=org_id,
        external_id=external_id,
        display_name=(display_name or "").strip() or external_id,
        email=email,
        role=role,
        locale=locale,
        disabled=False,
    )
    session.add(user)
    _flush(session, f"user {external_id!r} already exists")
    return user


def get_user(session: Session, *, user_id: str) -> User:
    """The user with this id (raises :class:`NotFound`)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user not found")
    return user


def find_user(session: Session, *, org_id: str, external_id: str) -> User | None:
    """The organisation's user with this external id, or ``None``."""
    return session.scalar(
        select(User).where(User.org_id == org_id, User.external_id == external_id.strip())
    )


def list_users(session: Session, *, org_id: str | None = None) -> list[User]:
    """Users of one organisation (or of all), by organisation then external id."""
    query = select(User).join(Organisation, Organisation.id == User.org_id)
    if org_id is not None:
        query = query.where(User.org_id == org_id)
    return list(session.scalars(query.order_by(Organisation.slug, User.external_id)))


def set_user_disabled(session: Session, *, user_id: str, disabled: bool) -> User:
    """Disable (every token is refused) or re-enable a user."""
    user = get_user(session, user_id=user_id)
    user.disabled = disabled
    session.flush()
    return user


def _flush(session: Session, conflict: str) -> None:
    """Flush; a duplicate created concurrently since our check is still a clear conflict."""
    try:
        session.flush()
    except IntegrityError as err:
        raise AlreadyExists(conflict) from err
