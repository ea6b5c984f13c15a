"""The organisation settings' hand-off section: defaults, and bad values refused by name."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from coach.handoff.offer import contact_option
from coach.org_settings import OrgSettings

HR = {"name": "Écoute RH", "email": "ecoute@example.org", "phone": "+33 1 23 45 67 89"}


def test_defaults_name_no_contact() -> None:
    settings = OrgSettings().handoff
    assert (settings.failed_attempts, settings.failure_window_days) == (3, 14)
    assert contact_option(settings, "fr") == {
        "kind": "contact",
        "name": None,
        "email": None,
        "phone": None,
        "hours": "",
    }


def test_a_contact_in_one_language_serves_the_other() -> None:
    settings = OrgSettings().merged({"handoff": {"contacts": {"fr": HR}}}).handoff
    assert contact_option(settings, "en")["name"] == "Écoute RH"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"contacts": {"de": HR}}, "contacts"),
        ({"contacts": {"en": {"email": "x@example.org"}}}, "name"),
        ({"failed_attempts": 1}, "failed_attempts"),
        ({"unknown": True}, "unknown"),
    ],
)
def test_bad_values_are_refused_with_the_fields_name(patch: dict, field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        OrgSettings().merged({"handoff": patch})
