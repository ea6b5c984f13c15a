"""The admins' guard page in Chromium: the verdicts on the demo's generated paths by kind
and day, a chart, and a learner or reviewer refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from coach.auth import auth_secret
from tests.browser.live import TIMEOUT_MS
from tests.browser.test_review_page import PathsApp, serve_paths_app
from tests.utils.users import make_user

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def guarded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PathsApp]:
    yield from serve_paths_app(tmp_path_factory.mktemp("guard-page"))


def test_an_admin_sees_the_guard_verdicts_by_kind_and_day(
    page: Page, guarded_app: PathsApp
) -> None:
    services = guarded_app.services
    admin = make_user(
        services.engine,
        secret=auth_secret(services.settings),
        role="admin",
        external_id="ines",
        display_name="Inès",
    )
    page.goto(f"{guarded_app.url}/admin/guard#token={admin.token}")
    assert "token" not in page.url
    expect(page.locator("#who")).to_have_text("Inès")
    totals = page.locator("#totals tbody tr")
    expect(totals).to_have_count(1)
    # The five demo learners' generated paths were judged once each.
    expect(totals.first.locator("td").nth(0)).to_have_text("path")
    expect(totals.first.locator("td").nth(1)).to_have_text("5")
    expect(page.locator("#trend svg polyline[data-kind=path]")).to_have_count(1)
    expect(page.locator("#by-day tbody tr")).to_have_count(1)
    page.select_option("#days", "7")
    expect(totals.first.locator("td").nth(1)).to_have_text("5")


def test_a_reviewer_is_refused_and_the_page_files_are_served_safely(
    page: Page, guarded_app: PathsApp
) -> None:
    page.goto(f"{guarded_app.url}/admin/guard#token={guarded_app.reviewer.token}")
    expect(page.get_by_role("alert")).to_have_text("This page needs the admin role.")
    expect(page.locator("#app")).to_be_hidden()
    # The page itself is not one of the review page's files.
    assert page.request.get(f"{guarded_app.url}/review/guard.html").status == 404
