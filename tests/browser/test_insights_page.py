"""The Insights page in Chromium: an admin refreshes the topics and sees the one asked by
enough learners (not the smaller one), its chart, weak content and a CSV export, in English
and French; a learner is refused."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from coach.auth import auth_secret
from tests.browser.live import TIMEOUT_MS, LiveApp
from tests.coach.insights.conftest import seed_gaps
from tests.utils.users import make_user

expect.set_options(timeout=TIMEOUT_MS)

ORG = "insightful"
ASKED = [
    ("i-ana", "docker container image build"),
    ("i-luc", "docker image container registry"),
    ("i-eva", "build a docker container image"),
    ("i-ana", "excel pivot table totals"),
    ("i-luc", "excel pivot table filter"),
]


def test_an_admin_refreshes_and_reads_the_insights_in_both_languages(
    page: Page, live_app: LiveApp
) -> None:
    services = live_app.services
    seed_gaps(services.engine, ASKED, org=ORG)
    admin = make_user(
        services.engine,
        secret=auth_secret(services.settings),
        org=ORG,
        role="admin",
        external_id="i-admin",
        display_name="Inès",
    )
    page.goto(f"{live_app.url}/admin/insights#token={admin.token}")
    assert "token" not in page.url
    expect(page.locator("#who")).to_have_text("Inès")
    topics = page.locator("#topics tbody tr")
    expect(topics).to_have_count(1)
    expect(topics.first).to_contain_text("No topic has enough learners yet.")
    page.get_by_role("button", name="Refresh topics").click()
    expect(page.locator("#status")).to_have_text("2 topics found, 1 shown.")
    expect(topics.first.locator("td").nth(1)).to_contain_text("docker")
    expect(topics.first.locator("td").nth(2)).to_have_text("3")
    expect(page.locator("#topics-note")).to_contain_text("at least 3 different learners (1 smaller")
    chart = page.locator("#topics-chart img")
    expect(chart).to_have_attribute("alt", re.compile(r"^Uncovered topics by learners\. .*docker"))
    expect(page.get_by_text("pivot")).to_have_count(0)
    expect(page.locator("#sections tbody tr").first).to_contain_text("unused")
    with page.expect_download() as download:
        page.locator("[data-csv=topics]").click()
    assert download.value.suggested_filename == "topics.csv"
    page.select_option("#lang", "fr")
    expect(page.locator("#topics-title")).to_have_text(
        "Ce que les apprenants demandent et que les cours ne traitent pas"
    )
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(topics).to_have_count(1)


def test_a_learner_is_refused(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/admin/insights#token={live_app.ana.token}")
    expect(page.get_by_role("alert")).to_have_text("This page needs the admin or reviewer role.")
    expect(page.locator("#app")).to_be_hidden()
