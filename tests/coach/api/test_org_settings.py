"""Each organisation's settings: admins read and change them, validated as a whole."""

from __future__ import annotations

import jsonschema_rs
from fastapi.testclient import TestClient

from coach.auth import auth_secret
from coach.services import Services
from tests.utils.users import TestUser, make_user


def test_defaults_until_an_admin_changes_a_section(client: TestClient, admin: TestUser) -> None:
    got = client.get("/v1/admin/settings", headers=admin.headers).json()
    assert got["managers"] == {
        "visibility": "individual",
        "min_group_size": 5,
        "include_indirect": False,
        "application_delay_days": 30,
    }
    assert got["surveys"]["cold_after_days"] == [30, 60]
    changed = client.patch(
        "/v1/admin/settings",
        headers=admin.headers,
        json={"managers": {"visibility": "aggregates"}, "nudges": {"max_per_week": 2}},
    )
    assert changed.status_code == 200
    again = client.get("/v1/admin/settings", headers=admin.headers).json()
    assert again["managers"]["visibility"] == "aggregates"
    assert again["managers"]["min_group_size"] == 5
    assert again["nudges"]["max_per_week"] == 2


def test_a_bad_value_names_the_field_and_changes_nothing(
    client: TestClient, admin: TestUser
) -> None:
    bad = client.patch(
        "/v1/admin/settings",
        headers=admin.headers,
        json={"managers": {"visibility": "aggregates", "min_group_size": 1}},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "managers.min_group_size"
    zone = client.patch(
        "/v1/admin/settings", headers=admin.headers, json={"nudges": {"timezone": "Mars/Base"}}
    )
    assert zone.status_code == 422 and "Mars/Base" in str(zone.json()["detail"])
    unknown = client.patch("/v1/admin/settings", headers=admin.headers, json={"payroll": {}})
    assert unknown.status_code == 422 and "payroll" in unknown.json()["detail"]
    got = client.get("/v1/admin/settings", headers=admin.headers).json()
    assert got["managers"]["visibility"] == "individual"
    assert got["nudges"]["timezone"] == "Europe/Paris"


def test_only_admins_and_only_their_own_organisation(
    client: TestClient, services: Services, admin: TestUser, learner: TestUser, manager: TestUser
) -> None:
    for user in (learner, manager):
        assert client.get("/v1/admin/settings", headers=user.headers).status_code == 403
        patch = {"managers": {"visibility": "individual"}}
        assert (
            client.patch("/v1/admin/settings", headers=user.headers, json=patch).status_code == 403
        )
    client.patch("/v1/admin/settings", headers=admin.headers, json={"nudges": {"max_per_week": 1}})
    acme_admin = make_user(
        services.engine, secret=auth_secret(services.settings), org="acme", role="admin"
    )
    theirs = client.get("/v1/admin/settings", headers=acme_admin.headers).json()
    assert theirs["nudges"]["max_per_week"] == 3  # northwind's change is northwind's alone


def test_quiet_hours_match_their_documented_schema(client: TestClient, admin: TestUser) -> None:
    # schemathesis: GET /v1/admin/settings answered quiet_end "08:00:00", documented with
    # JSON Schema's "time" format, which needs an offset ("08:00:00Z"): a local time has none.
    got = client.get("/v1/admin/settings", headers=admin.headers).json()["nudges"]
    schema = client.get("/openapi.json").json()["components"]["schemas"]["NudgeSettings"]
    for name, value in (("quiet_start", "20:00:00"), ("quiet_end", "08:00:00")):
        assert got[name] == value
        field = schema["properties"][name]
        assert jsonschema_rs.validator_for(field, validate_formats=True).is_valid(value), field
