"""The manager page in Chromium: Tom signs in with his token, sees Ana and Priya with their
overdue mandatory training, opens Ana's detail, answers a pending application confirmation
and sees it leave the list; a learner is refused; French strings for a French manager."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import auth_secret, issue_token
from coach.managers.applications import open_due_requests
from tests.browser.live import TIMEOUT_MS
from tests.browser.test_review_page import PathsApp, serve_paths_app
from tests.utils.paths import DEMO_TODAY

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def team_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PathsApp]:
    yield from serve_paths_app(tmp_path_factory.mktemp("manager-page"))


def _token(app: PathsApp, external_id: str, locale: str = "en") -> str:
    """A token for a manager the learners import created, and the day's confirmations."""
    with Session(app.services.engine) as s, s.begin():
        org = storage.get_organisation_by_slug(s, slug="northwind")
        assert org is not None
        user = storage.find_user(s, org_id=org.id, external_id=external_id)
        assert user is not None and user.role == "manager"
        user.locale = locale
        open_due_requests(s, org_id=org.id, today=DEMO_TODAY)
        secret = auth_secret(app.services.settings)
        return issue_token(s, user=user, secret=secret, days=1, label="test").token


def test_a_manager_answers_a_confirmation_and_it_leaves_the_list(
    page: Page, team_app: PathsApp
) -> None:
    token = _token(team_app, "mgr-tom-hughes")
    page.goto(f"{team_app.url}/manager#token={token}")
    assert "token" not in page.url
    expect(page.locator("#who")).to_have_text("Tom Hughes")
    rows = page.locator("#people tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("Ana")
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("1")  # cyber-awareness renewal
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("Priya")
    page.get_by_role("button", name="Ana").click()
    expect(page.locator("#person-title")).to_have_text("Ana")
    expect(page.locator("#person-overdue li")).to_have_text(
        ["Cybersecurity awareness (2026-10-02)"]
    )
    pending = page.locator("#pending > li")
    expect(pending).to_have_count(5)
    first = pending.first
    expect(first.locator("legend")).to_contain_text("Ana")
    first.get_by_role("button", name="Send").click()  # nothing chosen: explained, not sent
    expect(page.get_by_role("alert")).to_have_text("Choose a level or “No opportunity yet”.")
    first.get_by_label("Applies it on their own").check()
    first.get_by_label("Comment (optional)").fill("Leads the Monday feedback round")
    first.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("your answer for Ana")
    expect(pending).to_have_count(4)
    answered = team_app.api("GET", "/v1/me/manager-view", who=team_app.learners["ana"])
    levels = [c["level"] for c in answered["confirmations"] if c["status"] == "answered"]
    assert levels == [3]
    # the person's detail lists the answer given
    page.get_by_role("button", name="Ana").click()
    expect(page.locator("#person-confirmations li")).to_have_count(1)
    expect(page.locator("#person-confirmations li")).to_contain_text("Applies it on their own")


def test_a_learner_is_refused_and_a_french_manager_reads_french(
    page: Page, team_app: PathsApp
) -> None:
    page.goto(f"{team_app.url}/manager#token={team_app.learners['luc'].token}")
    expect(page.get_by_role("alert")).to_have_text("This page is for managers.")
    expect(page.locator("#app")).to_be_hidden()
    token = _token(team_app, "mgr-sophie-garnier", locale="fr")
    page.goto(f"{team_app.url}/manager#token={token}")
    page.reload()  # only the fragment changed: load the page again
    expect(page.locator("h1")).to_have_text("Mon équipe")
    expect(page.locator("#people tbody tr")).to_have_count(2)  # Chloé and Luc
    expect(page.locator("#no-pending")).to_have_text("Rien à confirmer.")
    assert page.request.get(f"{team_app.url}/review/manager.html").status == 404
