"""Survey routes: respondents see, answer and edit their own open surveys; every route is 404
for another learner's survey or another organisation's; admins manage templates and rates."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.api.surveys_admin import get_theme_model, get_today
from coach.auth import auth_secret
from coach.llm.openai import OpenAIChatModel
from coach.services import Services
from coach.surveys.sweep import open_due
from tests.coach.surveys.conftest import DAY
from tests.utils.fake_openai import FakeOpenAI, Reply
from tests.utils.users import TestUser, make_user

HOT = {"satisfaction": 4, "usefulness": 5, "confidence": 3, "comment": "Role plays helped"}


@pytest.fixture
def today(client: TestClient) -> list:
    """The service's day, moved by tests (``today[0] = ...``)."""
    day = [DAY]
    client.app.dependency_overrides[get_today] = lambda: day[0]  # type: ignore[attr-defined]
    return day


@pytest.fixture
def opened(
    services: Services,
    learner: TestUser,
    other_learner: TestUser,
    manager: TestUser,
    admin: TestUser,
    outsider: TestUser,
) -> dict[str, str]:
    """Ana and Luc signed the session of DAY (Tom manages Ana): their hot survey ids."""
    with Session(services.engine) as s, s.begin():
        for who, boss in ((learner, "tom"), (other_learner, "")):
            storage.save_learner_profile(
                s,
                org_id=learner.org_id,
                user_id=who.id,
                role="rep",
                team="Sales",
                manager=boss,
                data={"id": who.external_id},
            )
        storage.save_catalog_rows(
            s,
            org_id=learner.org_id,
            rows={
                "item": [
                    {"id": "cl-nego", "title": "Negotiation", "modality": "in-person", "hours": 7}
                ],
                "session": [
                    {"id": "s1", "item_id": "cl-nego", "start": DAY.isoformat(), "seats": 8}
                ],
            },
        )
        storage.save_attendance(
            s,
            org_id=learner.org_id,
            rows=[
                {"session_id": "s1", "user_id": u.id, "signed": True}
                for u in (learner, other_learner)
            ],
        )
        open_due(s, org_id=learner.org_id, today=DAY)
        ids = {}
        for who in (learner, other_learner):
            rows = storage.survey_instances(s, org_id=learner.org_id, respondent_id=who.id)
            ids[who.external_id] = rows[0].id
    return ids


def test_a_learner_answers_then_edits_their_survey(
    client: TestClient, learner: TestUser, opened: dict, today: list
) -> None:
    mine = client.get("/v1/surveys", headers=learner.headers).json()
    assert [(s["kind"], s["item_title"], s["answered"]) for s in mine] == [
        ("hot", "Negotiation", False)
    ]
    form = client.get(f"/v1/surveys/{opened['ana']}?lang=fr", headers=learner.headers).json()
    assert form["form"]["questions"][0]["anchors"]["5"] == "Très satisfait(e)"
    url = f"/v1/surveys/{opened['ana']}/answer"
    r = client.post(url, json={"answers": HOT}, headers=learner.headers)
    assert r.status_code == 201 and r.json()["answer"]["satisfaction"] == 4
    again = client.post(url, json={"answers": HOT}, headers=learner.headers)
    assert again.status_code == 409 and "PUT" in again.json()["detail"]
    edited = client.put(url, json={"answers": {**HOT, "satisfaction": 2}}, headers=learner.headers)
    assert edited.status_code == 200 and edited.json()["answer"]["satisfaction"] == 2
    assert client.get("/v1/surveys", headers=learner.headers).json()[0]["answered"] is True


def test_bad_answers_and_closed_surveys_are_refused_clearly(
    client: TestClient, learner: TestUser, other_learner: TestUser, opened: dict, today: list
) -> None:
    url = f"/v1/surveys/{opened['ana']}/answer"
    out = client.post(url, json={"answers": {**HOT, "satisfaction": 9}}, headers=learner.headers)
    assert out.status_code == 422 and out.json()["detail"].startswith(
        "satisfaction: a whole number from 1 to 5"
    )
    missing = client.post(url, json={"answers": {"satisfaction": 3}}, headers=learner.headers)
    assert missing.status_code == 422 and "usefulness" in missing.json()["detail"]
    assert client.put(url, json={"answers": HOT}, headers=learner.headers).status_code == 404
    today[0] = DAY + timedelta(days=15)  # the hot survey's last day was DAY + 14
    closed = client.post(url, json={"answers": HOT}, headers=learner.headers)
    assert closed.status_code == 409 and "closed after" in closed.json()["detail"]
    assert client.get("/v1/surveys", headers=learner.headers).json() == []
    assert len(client.get("/v1/surveys?closed=true", headers=learner.headers).json()) == 1


@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("post", "/answer"), ("put", "/answer")]
)
def test_another_persons_or_organisations_survey_is_404_on_every_route(
    client: TestClient,
    method: str,
    suffix: str,
    other_learner: TestUser,
    outsider: TestUser,
    admin: TestUser,
    manager: TestUser,
    opened: dict,
    today: list,
) -> None:
    url = f"/v1/surveys/{opened['ana']}{suffix}"
    body = {"json": {"answers": HOT}} if method != "get" else {}
    for who in (other_learner, outsider, admin, manager):
        r = getattr(client, method)(url, headers=who.headers, **body)
        assert r.status_code == 404, (who.external_id, r.text)
    assert client.get(url.removesuffix("/answer"), headers={}).status_code == 401


def test_the_manager_answers_the_cold_survey_about_their_report(
    client: TestClient,
    manager: TestUser,
    learner: TestUser,
    admin: TestUser,
    opened: dict,
    today: list,
) -> None:
    today[0] = DAY + timedelta(days=30)
    swept = client.post("/v1/admin/surveys/sweep", headers=admin.headers).json()
    assert swept == {"opened": 3, "closed": 2}
    mine = client.get("/v1/surveys", headers=manager.headers).json()
    assert [(s["kind"], s["audience"], s["about"]) for s in mine] == [("cold", "manager", "Ana")]
    body = {
        "answers": {
            "applied": "partly",
            "obstacles": ["time"],
            "change": 3,
            "comment": "Uses the checklist",
        }
    }
    r = client.post(f"/v1/surveys/{mine[0]['id']}/answer", json=body, headers=manager.headers)
    assert r.status_code == 201
    assert client.get(f"/v1/surveys/{mine[0]['id']}", headers=learner.headers).status_code == 404


def test_admin_template_override_is_validated_and_rates_are_counted(
    client: TestClient,
    admin: TestUser,
    learner: TestUser,
    outsider: TestUser,
    opened: dict,
    today: list,
) -> None:
    listed = client.get("/v1/admin/surveys/templates", headers=admin.headers).json()
    assert [(t["kind"], t["audience"], t["overridden"]) for t in listed] == [
        ("hot", "learner", False),
        ("cold", "learner", False),
        ("cold", "manager", False),
    ]
    data = listed[0]["template"]
    data["questions"][0]["max"] = 7  # anchors stop at 5
    url = "/v1/admin/surveys/templates/hot/learner"
    bad = client.put(url, json=data, headers=admin.headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][:3] == ["body", "questions", 0]
    assert (
        client.put(
            "/v1/admin/surveys/templates/hot/manager",
            json=listed[0]["template"],
            headers=admin.headers,
        ).status_code
        == 422
    )
    data["questions"][0]["max"] = 5
    data["title"]["en"] = "Quick check"
    assert client.put(url, json=data, headers=admin.headers).status_code == 200
    assert client.get("/v1/admin/surveys/templates", headers=admin.headers).json()[0]["overridden"]
    assert client.delete(url, headers=admin.headers).status_code == 204
    assert client.delete(url, headers=admin.headers).status_code == 404
    assert client.get("/v1/admin/surveys/templates", headers=learner.headers).status_code == 403

    client.post(
        f"/v1/surveys/{opened['ana']}/answer", json={"answers": HOT}, headers=learner.headers
    )
    today[0] = DAY + timedelta(days=30)
    assert client.post("/v1/admin/surveys/sweep", headers=admin.headers).status_code == 200
    by_survey = client.get("/v1/admin/surveys/rates?group_by=survey", headers=admin.headers).json()
    assert [(r["group"], r["sent"], r["answered"]) for r in by_survey] == [
        ("cold D+30 · learner", 2, 0),
        ("cold D+30 · manager", 1, 0),
        ("hot · learner", 2, 1),
    ]
    by_team = client.get("/v1/admin/surveys/rates?group_by=team", headers=admin.headers).json()
    assert by_team == [{"group": "Sales", "sent": 5, "answered": 1, "rate": 0.2, "open": 3}]
    by_course = client.get("/v1/admin/surveys/rates?group_by=course", headers=admin.headers).json()
    assert [(r["group"], r["sent"]) for r in by_course] == [("Negotiation", 5)]
    assert client.get("/v1/admin/surveys/rates", headers=outsider.headers).status_code == 403


def test_the_kirkpatrick_route_is_for_admins_of_the_organisation(
    client: TestClient,
    admin: TestUser,
    learner: TestUser,
    manager: TestUser,
    outsider: TestUser,
    services: Services,
    opened: dict,
    today: list,
) -> None:
    client.post(
        f"/v1/surveys/{opened['ana']}/answer", json={"answers": HOT}, headers=learner.headers
    )
    confirmed: list = []

    class Conf:
        report_id, item_id, level = learner.id, "cl-nego", 3

    def fn(session: Session, *, org_id: str, since, until) -> list:  # careless: any org
        confirmed.append((org_id, since, until))
        return [Conf()]

    client.app.state.application_confirmations = fn  # type: ignore[attr-defined]
    url = "/v1/admin/kirkpatrick?group_by=course&since=2026-03-01&until=2026-03-31"
    got = client.get(url, headers=admin.headers)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["period"] == ["2026-03-01", "2026-03-31"]
    (row,) = body["levels"]["rows"]
    cells = dict(zip(body["levels"]["columns"], row, strict=True))
    assert (cells["group"], cells["reaction_n"], cells["satisfaction"]) == ("Negotiation", 1, 4.0)
    assert (cells["confirmations_n"], cells["confirmed_rate"]) == (1, 1.0)
    assert confirmed[0][0] == admin.org_id
    assert body["charts"][0]["svg"].startswith("<svg")
    for who in (learner, manager):
        assert client.get(url, headers=who.headers).status_code == 403
    other = make_user(
        services.engine, secret=auth_secret(services.settings), org="acme", role="admin"
    )
    empty = client.get(url, headers=other.headers).json()  # northwind's confirmation dropped
    assert empty["levels"]["rows"] == []
    bad = client.get(
        "/v1/admin/kirkpatrick?since=2026-04-01&until=2026-03-01", headers=admin.headers
    )
    assert bad.status_code == 422
    assert (
        client.get("/v1/admin/kirkpatrick?group_by=role", headers=admin.headers).status_code == 422
    )


def test_the_kirkpatrick_figures_say_when_they_were_computed_and_refresh_on_demand(
    client: TestClient,
    admin: TestUser,
    learner: TestUser,
    other_learner: TestUser,
    opened: dict,
    today: list,
) -> None:
    url = "/v1/admin/kirkpatrick?charts=false&since=2026-03-01&until=2026-03-31"
    client.post(
        f"/v1/surveys/{opened['ana']}/answer", json={"answers": HOT}, headers=learner.headers
    )
    first = client.get(url, headers=admin.headers).json()  # the rollup is built for it
    assert first["levels"]["rows"][0][:2] == ["Negotiation", 1]
    client.post(
        f"/v1/surveys/{opened['luc']}/answer", json={"answers": HOT}, headers=other_learner.headers
    )
    same = client.get(url, headers=admin.headers).json()
    assert same["as_of"] == first["as_of"] and same["levels"] == first["levels"]
    assert client.post("/v1/admin/kirkpatrick/refresh", headers=learner.headers).status_code == 403
    done = client.post("/v1/admin/kirkpatrick/refresh", headers=admin.headers)
    assert done.status_code == 200 and done.json()["as_of"] >= first["as_of"]
    fresh = client.get(url, headers=admin.headers).json()
    assert fresh["as_of"] == done.json()["as_of"]
    assert fresh["levels"]["rows"][0][:2] == ["Negotiation", 2]


def test_comment_summary_links_phrases_and_themes_to_comments(
    client: TestClient,
    admin: TestUser,
    learner: TestUser,
    other_learner: TestUser,
    opened: dict,
    today: list,
    fake_openai: FakeOpenAI,
) -> None:
    for who, text in ((learner, "The role plays were great"), (other_learner, "More role plays")):
        body = {"answers": {**HOT, "comment": text}}
        client.post(f"/v1/surveys/{opened[who.external_id]}/answer", json=body, headers=who.headers)
    url = "/v1/admin/surveys/comments?since=2026-03-01&until=2026-03-31"
    offline = client.get(url, headers=admin.headers).json()
    (group,) = offline["groups"]
    ids = {c["text"]: c["id"] for c in group["comments"]}
    assert group["phrases"][0]["phrase"] == "role plays"
    assert sorted(group["phrases"][0]["comment_ids"]) == sorted(ids.values())
    assert (group["themes"], group["themes_error"]) == (None, "no LLM configured")

    model = OpenAIChatModel(base_url=fake_openai.base_url, model="m", api_key="k")
    client.app.dependency_overrides[get_theme_model] = lambda: model  # type: ignore[attr-defined]
    theme = {
        "label": "Jeux de rôle",
        "summary": "Appréciés.",
        "quotes": [{"text": "More role plays"}],
    }
    fake_openai.add(Reply.text(json.dumps({"themes": [theme]})))
    (group,) = client.get(url, headers=admin.headers).json()["groups"]
    assert group["themes"][0]["quotes"] == [
        {"text": "More role plays", "comment_ids": [ids["More role plays"]]}
    ]
    assert client.get(url, headers=learner.headers).status_code == 403
