"""Organisations and users: unique names, validation, visible courses, erasure."""

import pytest
from sqlalchemy.orm import Session

from coach import storage
from tests.coach.storage.conftest import People


def test_organisation_slugs_are_unique_and_well_formed(session: Session) -> None:
    org = storage.create_organisation(session, slug="northwind", name="Northwind Traders")
    assert storage.get_organisation_by_slug(session, slug="northwind") is org
    assert storage.get_organisation_by_slug(session, slug="nobody") is None
    with pytest.raises(storage.AlreadyExists, match="northwind"):
        storage.create_organisation(session, slug="northwind")
    for bad in ("North Wind", "-x", "", "ÉCOLE"):
        with pytest.raises(ValueError, match="slug"):
            storage.create_organisation(session, slug=bad)
    with pytest.raises(storage.NotFound):
        storage.get_organisation(session, org_id="missing")


def test_visible_courses_all_some_or_none(session: Session) -> None:
    every = storage.create_organisation(session, slug="every")
    some = storage.create_organisation(session, slug="some", course_ids=["gdpr-basics"])
    nothing = storage.create_organisation(session, slug="nothing", course_ids=[])
    session.commit()
    session.expire_all()
    assert storage.visible_course_ids(storage.get_organisation(session, org_id=every.id)) is None
    assert storage.visible_course_ids(storage.get_organisation(session, org_id=some.id)) == [
        "gdpr-basics"
    ]
    assert storage.visible_course_ids(storage.get_organisation(session, org_id=nothing.id)) == []


def test_users_are_unique_per_organisation(session: Session, people: People) -> None:
    with pytest.raises(storage.AlreadyExists, match="ana"):
        storage.create_user(session, org_id=people.ana.org_id, external_id="ana")
    # The same LMS id in another organisation is another person.
    twin = storage.create_user(session, org_id=people.zoe.org_id, external_id="ana")
    assert twin.id != people.ana.id
    found = storage.find_user(session, org_id=people.ana.org_id, external_id="ana")
    assert found is not None and found.id == people.ana.id
    assert storage.find_user(session, org_id=people.ana.org_id, external_id="zoe") is None


def test_user_defaults_and_validation(session: Session, people: People) -> None:
    org_id = people.ana.org_id
    user = storage.create_user(session, org_id=org_id, external_id=" kim@example.com ")
    assert (user.external_id, user.display_name) == ("kim@example.com", "kim@example.com")
    assert (user.role, user.locale, user.disabled) == ("learner", "en", False)
    with pytest.raises(ValueError, match="role"):
        storage.create_user(session, org_id=org_id, external_id="x", role="root")
    with pytest.raises(ValueError, match="locale"):
        storage.create_user(session, org_id=org_id, external_id="x", locale="de")
    with pytest.raises(ValueError, match="empty"):
        storage.create_user(session, org_id=org_id, external_id="  ")
    with pytest.raises(storage.NotFound):
        storage.create_user(session, org_id="missing", external_id="x")
    with pytest.raises(storage.NotFound):
        storage.get_user(session, user_id="missing")


def test_list_users_by_organisation(session: Session, people: People) -> None:
    names = [u.external_id for u in storage.list_users(session, org_id=people.ana.org_id)]
    assert names == ["ana", "luc", "maria", "ravi"]
    assert [u.external_id for u in storage.list_users(session)][-1] == "ravi"  # acme first
    assert storage.list_users(session)[0].external_id == "zoe"
