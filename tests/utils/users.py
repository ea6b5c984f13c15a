"""Test-data factory: organisations, users and their bearer tokens, in any migrated engine."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import issue_token

_names = itertools.count(1)


@dataclass(frozen=True)
class TestUser:
    """A user made for a test, with the headers that authenticate as them."""

    __test__ = False  # not a test class, whatever its name

    id: str
    org_id: str
    org: str
    external_id: str
    role: str
    locale: str
    display_name: str
    token: str
    headers: dict[str, str] = field(repr=False)

    @property
    def viewer(self) -> storage.Viewer:
        """The user as storage functions see them."""
        return storage.Viewer(
            id=self.id,
            org_id=self.org_id,
            role=self.role,  # type: ignore[arg-type]
            locale=self.locale,
            display_name=self.display_name,
        )


def make_user(
    engine: Engine,
    *,
    secret: str,
    org: str = "northwind",
    role: str = "learner",
    external_id: str | None = None,
    display_name: str | None = None,
    locale: str = "en",
    course_ids: Sequence[str] | None = None,
    days: int = 30,
) -> TestUser:
    """Create ``external_id`` (a fresh name by default) in ``org`` (created if missing).

    ``course_ids`` applies only when the organisation is created here.
    """
    external_id = external_id or f"{role}-{next(_names)}"
    with Session(engine) as session, session.begin():
        organisation = storage.get_organisation_by_slug(session, slug=org)
        if organisation is None:
            organisation = storage.create_organisation(
                session, slug=org, name=org.title(), course_ids=course_ids
            )
        user = storage.create_user(
            session,
            org_id=organisation.id,
            external_id=external_id,
            display_name=display_name,
            role=role,
            locale=locale,
        )
        token = issue_token(session, user=user, secret=secret, days=days, label="test").token
        made = TestUser(
            id=user.id,
            org_id=organisation.id,
            org=org,
            external_id=external_id,
            role=role,
            locale=locale,
            display_name=user.display_name,
            token=token,
            headers={"Authorization": f"Bearer {token}"},
        )
    return made
