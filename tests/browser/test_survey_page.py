"""The survey form in Chromium: a French learner opens the link a nudge carries, is told
a required question is missing, answers, sees the answer stored, edits it; a closed-looking
survey of someone else is refused without showing anything."""

from __future__ import annotations

import re
import uuid
from datetime import date

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import auth_secret
from coach.surveys.sweep import open_due
from tests.browser.live import TIMEOUT_MS, LiveApp
from tests.utils.users import TestUser, make_user

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def survey(live_app: LiveApp) -> tuple[TestUser, TestUser, str]:
    """Léa (French) completed an e-learning today: her hot survey's id; and Noé."""
    engine, secret = live_app.services.engine, auth_secret(live_app.services.settings)
    org = f"surveyco-{uuid.uuid4().hex[:8]}"  # one organisation per test: figures of its own
    lea = make_user(engine, secret=secret, org=org, display_name="Léa", locale="fr")
    noe = make_user(engine, secret=secret, org=org, display_name="Noé")
    with Session(engine) as s, s.begin():
        storage.save_catalog_rows(
            s,
            org_id=lea.org_id,
            rows={
                "item": [
                    {
                        "id": "el-rgpd",
                        "title": "RGPD : l'essentiel",
                        "modality": "e-learning",
                        "hours": 1,
                    }
                ]
            },
        )
        today = date.today()  # the live app's clock (no planning date)
        storage.add_learning_records(
            s,
            org_id=lea.org_id,
            records=[{"user_id": lea.id, "kind": "completion", "on": today, "item_id": "el-rgpd"}],
        )
        open_due(s, org_id=lea.org_id, today=today)
        (inst,) = storage.survey_instances(s, org_id=lea.org_id, respondent_id=lea.id)
        return lea, noe, inst.id


def _stored(app: LiveApp, survey_id: str) -> storage.SurveyAnswer | None:
    with Session(app.services.engine) as s:
        return storage.survey_answers(s, instance_ids=[survey_id]).get(survey_id)


def test_a_learner_answers_the_survey_and_edits_it(page: Page, live_app: LiveApp, survey) -> None:
    lea, _, survey_id = survey
    page.goto(f"{live_app.url}/surveys/{survey_id}#token={lea.token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Qu'en avez-vous pensé ?")
    expect(page.locator("#about")).to_have_text("Formation : RGPD : l'essentiel")
    assert "token" not in page.url  # wiped from the address bar
    satisfaction = page.get_by_role("group", name="Dans l'ensemble, êtes-vous satisfait(e)")
    satisfaction.get_by_label("4 · Satisfait(e)").check()
    page.get_by_role("group", name="Quelle est son utilité").get_by_label(
        "5 · Indispensable"
    ).check()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("#err-confidence")).to_have_text("Merci de répondre à cette question.")
    assert _stored(live_app, survey_id) is None
    page.get_by_role("group", name="Dans quelle mesure vous sentez-vous").get_by_label(
        "3 · Assez capable"
    ).check()
    page.get_by_label("Qu'est-ce que vous garderiez").fill("Les exemples concrets")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_have_text("Merci : votre réponse est enregistrée.")
    stored = _stored(live_app, survey_id)
    assert stored is not None and stored.language == "fr"
    assert stored.values == {
        "satisfaction": 4,
        "usefulness": 5,
        "confidence": 3,
        "comment": "Les exemples concrets",
    }

    page.reload()  # the token stays in the tab; the answer comes back
    expect(satisfaction.get_by_label("4 · Satisfait(e)")).to_be_checked()
    satisfaction.get_by_label("2 · Insatisfait(e)").check()
    page.get_by_role("button", name="Enregistrer mes modifications").click()
    expect(page.get_by_role("status")).to_have_text("Vos modifications sont enregistrées.")
    edited = _stored(live_app, survey_id)
    assert edited is not None and edited.values["satisfaction"] == 2 and edited.edits == 1

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How was it?")
    expect(page.get_by_label("2 · Dissatisfied")).to_be_checked()


def test_someone_elses_survey_shows_nothing(page: Page, live_app: LiveApp, survey) -> None:
    _, noe, survey_id = survey
    page.goto(f"{live_app.url}/surveys/{survey_id}#token={noe.token}")
    expect(page.get_by_role("alert")).to_have_text("This survey does not exist or is not yours.")
    expect(page.locator("#app")).to_be_hidden()


def test_the_admin_sees_the_answer_in_the_kirkpatrick_page(
    page: Page, live_app: LiveApp, survey
) -> None:
    lea, _, survey_id = survey
    body = {"answers": {"satisfaction": 5, "usefulness": 4, "confidence": 4}}
    sent = httpx.post(
        f"{live_app.url}/v1/surveys/{survey_id}/answer", json=body, headers=lea.headers, timeout=10
    )
    assert sent.status_code == 201, sent.text
    admin = make_user(
        live_app.services.engine,
        secret=auth_secret(live_app.services.settings),
        org=lea.org,
        role="admin",
    )
    page.goto(f"{live_app.url}/admin/kirkpatrick#token={admin.token}")
    row = page.locator("#levels tbody tr").filter(has_text="RGPD : l'essentiel")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(1)).to_have_text("1")  # reaction_n
    expect(cells.nth(2)).to_have_text("5")  # satisfaction
    expect(page.locator("#as-of")).to_contain_text("Figures as of")
    page.get_by_role("button", name="Refresh figures").click()
    expect(page.get_by_role("status")).to_have_text("1 group(s).")
    expect(page.get_by_role("img", name=re.compile(r"^Reaction \(1-5\) by course"))).to_be_visible()
    page.get_by_label("By").select_option("modality")
    expect(page.locator("#levels tbody tr").first.locator("td").first).to_have_text("e-learning")
