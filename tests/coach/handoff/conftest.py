"""Hand-off fixtures: trainers in northwind, the demo catalog, an HR contact."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import auth_secret
from coach.org_settings import OrgSettings
from coach.paths.imports import import_catalog
from coach.services import Services
from tests.utils.paths import DEMO
from tests.utils.users import TestUser, make_user

HR = {"name": "Sophie Martin (HR)", "email": "ecoute@northwind.example", "phone": "+33 1 23"}


@pytest.fixture
def other_trainer(services: Services, learner: TestUser) -> TestUser:
    return make_user(
        services.engine,
        secret=auth_secret(services.settings),
        role="trainer",
        external_id="owen",
        display_name="Owen Price",
    )


@pytest.fixture
def org_ready(services: Services, learner: TestUser, trainer: TestUser) -> str:
    """northwind with the demo catalog and an HR contact in English and French."""
    with Session(services.engine) as session, session.begin():
        org = storage.get_organisation(session, org_id=learner.org_id)
        import_catalog(session, org_id=org.id, path=DEMO)
        patch = {"handoff": {"contacts": {"en": HR, "fr": HR}}}
        org.settings = (
            OrgSettings.model_validate(org.settings).merged(patch).model_dump(mode="json")
        )
    return learner.org_id
