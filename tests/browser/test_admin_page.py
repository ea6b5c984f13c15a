"""The admin assistant page in Chromium: figures with their filters and table, a chart as an
image with its text alternative, the key-figure buttons, a cited how-to, an enrolment that
runs only once confirmed (and lands in the database and the audit), a declined one, one
decided elsewhere first (409), a refusal, the JSON route when the stream fails, and a
learner refused.

The demo organisation (catalog, learners, one path pending review) on the demo's date,
with enrolments in the GDPR course, November learning records and the admin guide ingested.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Locator, Page, Route, expect
from sqlalchemy.orm import Session

from coach import storage
from coach.admin.imports import import_enrolments
from coach.app import create_app
from coach.auth import auth_secret
from coach.paths import World
from coach.paths.imports import import_history
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import FakeEmbedder
from tests.browser.live import TIMEOUT_MS, listen, wait_until
from tests.utils.paths import DEMO, DEMO_TODAY, seed_demo_paths
from tests.utils.users import TestUser, make_user

expect.set_options(timeout=TIMEOUT_MS)

CLINIC = "vc-python-clinic-2027-01-1"  # "Python clinic: bring your own dataset", 2027-01-21
ENROLMENTS = """learner_id,item_id,session_id,status,enrolled_on,due_on
ana,gdpr-basics,,enrolled,2026-09-01,2026-12-31
priya,gdpr-basics,,enrolled,2026-09-01,2026-12-31
sam,gdpr-basics,,enrolled,2026-09-01,2026-12-31
luc,gdpr-basics,,enrolled,2026-09-01,2026-12-31
"""
HISTORY = """learner_id,kind,date,item_id,skill,score,minutes
ana,completion,2026-11-05,gdpr-basics,,0.9,45
priya,completion,2026-11-10,gdpr-basics,,0.8,30
sam,quiz,2026-11-12,,project.planning,0.6,15
"""


@dataclass
class AdminApp:
    """The running app, its organisation, an admin (Maria) and a learner (Ana)."""

    url: str
    services: Services
    org_id: str
    admin: TestUser
    learner: TestUser

    def page_url(self, who: TestUser | None = None) -> str:
        return f"{self.url}/admin/assistant#token={(who or self.admin).token}"

    def enrolments_in(self, session_id: str, learner: str) -> list[storage.Enrolment]:
        """The stored enrolments of the demo learner ``learner`` in ``session_id``."""
        with Session(self.services.engine) as s:
            [(user, _)] = storage.learner_profiles(s, org_id=self.org_id, external_ids=[learner])
            return storage.enrolments(
                s, org_id=self.org_id, session_ids=[session_id], user_ids=[user.id]
            )


def seed_operations(services: Services, folder: Path, org_id: str) -> None:
    """Enrolments and learning records, through the LMS imports."""
    (folder / "enrolments.csv").write_text(ENROLMENTS, encoding="utf-8")
    (folder / "history.csv").write_text(HISTORY, encoding="utf-8")
    with Session(services.engine) as session, session.begin():
        import_enrolments(session, org_id=org_id, path=folder / "enrolments.csv")
        import_history(session, world=World(), org_id=org_id, path=folder / "history.csv")


@pytest.fixture(scope="module")
def admin_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminApp]:
    folder = tmp_path_factory.mktemp("assistant")
    settings = Settings(
        data_dir=folder / "var",
        embedding_model="fake",
        planning_date=DEMO_TODAY,
        _env_file=None,  # type: ignore[call-arg]
    )
    services = Services.build(settings, embedder=FakeEmbedder(dim=64))
    services.ingestor().ingest([DEMO / "admin-docs"])
    secret = auth_secret(settings)
    # Made before the import, which keeps the account (and its token).
    ana = make_user(services.engine, secret=secret, external_id="ana", display_name="Ana Ribeiro")
    admin = make_user(
        services.engine, secret=secret, role="admin", external_id="maria", display_name="Maria"
    )
    org_id = seed_demo_paths(services.engine, folder)
    seed_operations(services, folder, org_id)
    sock = listen()
    host, port = sock.getsockname()
    server = uvicorn.Server(
        uvicorn.Config(create_app(services=services), log_level="warning", ws="none")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_until(lambda: server.started, "the app")
    url = f"http://{host}:{port}"
    # One path pending review: with two or more, equal waits make coach.admin.tools'
    # path_backlog compare Person objects when it sorts them (TypeError, a 500).
    made = httpx.post(
        f"{url}/v1/paths", json={"learners": ["priya"]}, headers=admin.headers, timeout=30
    ).raise_for_status()
    assert len(made.json()["paths"]) == 1, made.text
    yield AdminApp(url=url, services=services, org_id=org_id, admin=admin, learner=ana)
    server.should_exit = True
    thread.join(timeout=10)
    services.close()


def sign_in(page: Page, app: AdminApp) -> None:
    page.goto(app.page_url())
    assert "token" not in page.url
    expect(page.locator("#who")).to_have_text("Maria")


def ask(page: Page, question: str) -> Locator:
    """Type ``question`` and send it with Enter; the assistant's answer."""
    exchanges = page.locator(".exchange")
    n = exchanges.count()
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")
    answer = exchanges.nth(n).locator(".msg-bot")
    expect(answer).to_be_visible()
    return answer


def test_an_admin_asks_who_is_overdue_and_sees_the_table_and_filters(
    page: Page, admin_app: AdminApp
) -> None:
    sign_in(page, admin_app)
    routes: list[str] = []
    page.on("request", lambda r: routes.append(r.url.removeprefix(admin_app.url)))
    answer = ask(page, "who is overdue on mandatory training?")
    expect(answer.locator("h3")).to_have_text("Overdue mandatory training")
    expect(answer.locator(".summary")).to_contain_text("Ana Ribeiro")
    expect(answer.locator(".data-filters")).to_have_text("Filters: as of: 2026-11-23")
    rows = answer.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").first).to_have_text("Ana Ribeiro")
    expect(rows.first).to_contain_text("Cybersecurity awareness")
    expect(answer.locator("thead th").first).to_have_text("Name")
    assert "/v1/admin/ask/stream" in routes and "/v1/admin/ask" not in routes  # streamed
    expect(page.get_by_label("Your question")).to_have_value("")


def test_a_chart_is_an_image_with_its_text_alternative_and_the_key_figures_answer(
    page: Page, admin_app: AdminApp
) -> None:
    sign_in(page, admin_app)
    answer = ask(page, "completion rate of RGPD : les fondamentaux by team")
    chart = answer.locator(".chart img")
    expect(chart).to_have_count(1)
    expect(chart).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
    alt = chart.get_attribute("alt")
    assert alt and "Manchester planning" in alt
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")  # a valid SVG
    expect(answer.locator(".data-filters")).to_contain_text("course: gdpr-basics")
    expect(answer.locator("tbody tr")).to_have_count(4)
    expect(answer.locator("svg, script")).to_have_count(0)  # nothing inlined

    strip = page.get_by_role("region", name="Key figures")
    strip.get_by_role("button", name="Engagement by team this month").click()
    engagement = page.locator(".exchange").last.locator(".msg-bot")
    expect(engagement.locator("h3")).to_have_text("Engagement")
    expect(engagement.locator(".summary")).to_contain_text("3 active learner(s)")
    expect(engagement.locator(".chart img")).to_have_attribute("alt", re.compile(r"\S"))
    strip.get_by_role("button", name="Overdue mandatory training").click()
    expect(page.locator(".exchange").last.locator("tbody tr")).to_have_count(1)
    strip.get_by_role("button", name="Paths awaiting review").click()
    backlog = page.locator(".exchange").last.locator(".msg-bot")
    expect(backlog.locator("h3")).to_have_text("Paths awaiting review")
    expect(backlog.locator(".summary")).to_contain_text("1 path(s) await review")
    expect(backlog.locator("tbody tr").first).to_contain_text("Priya Shah")


def test_an_enrolment_runs_only_once_confirmed_and_the_audit_shows_it(
    page: Page, admin_app: AdminApp
) -> None:
    sign_in(page, admin_app)
    # Two sessions of the clinic: the assistant asks which, one button per reading.
    question = ask(page, "enrol Priya Shah in the Python clinic")
    options = question.get_by_role("group", name="Choose one").get_by_role("button")
    expect(options).to_have_count(2)
    options.filter(has_text="2027-01-21").click()
    proposal = page.locator(".exchange").last.locator(".msg-bot")
    expect(proposal).to_contain_text("Enrol Priya Shah in Python clinic")
    confirm = proposal.get_by_role("button", name="Confirm")
    expect(proposal.get_by_role("button", name="Decline")).to_be_enabled()
    audit = page.locator("#audit li")
    expect(audit.first).to_have_attribute("data-status", "proposed")
    assert admin_app.enrolments_in(CLINIC, "priya") == []  # proposed, nothing done

    confirm.click()
    expect(proposal.locator(".action-result")).to_contain_text("executed")
    expect(confirm).to_be_disabled()
    expect(audit.first).to_have_attribute("data-status", "executed")
    expect(audit.first).to_contain_text("Enrol Priya Shah")
    [row] = admin_app.enrolments_in(CLINIC, "priya")
    assert row.status == "enrolled" and row.item_id == "vc-python-clinic-2027-01"

    # Another proposal, declined: nothing stored, the audit says so.
    other = ask(page, "enrol Sam Okafor in the Python clinic on 2027-01-21")
    other.get_by_role("button", name="Decline").click()
    expect(other.locator(".action-result")).to_contain_text("declined")
    expect(audit.first).to_have_attribute("data-status", "declined")
    assert admin_app.enrolments_in(CLINIC, "sam") == []

    # Decided elsewhere (another tab, another admin) before this one confirms: a 409, said.
    late = ask(page, "enrol Luc Moreau in the Python clinic on 2027-01-21")
    expect(audit.first).to_have_attribute("data-status", "proposed")
    action_id = audit.first.get_attribute("data-action")
    httpx.post(
        f"{admin_app.url}/v1/admin/actions/{action_id}/decline",
        headers=admin_app.admin.headers,
        timeout=10,
    ).raise_for_status()
    late.get_by_role("button", name="Confirm").click()
    expect(late.locator(".action-result")).to_have_text(
        "Not done: this action was already declined"
    )
    expect(audit.first).to_have_attribute("data-status", "declined")
    assert admin_app.enrolments_in(CLINIC, "luc") == []
    expect(page.locator("#audit li[data-status=executed]")).to_have_count(1)


def test_a_how_to_answer_cites_the_admin_guide(page: Page, admin_app: AdminApp) -> None:
    sign_in(page, admin_app)
    answer = ask(page, "How do I open a waiting list on an in-person session?")
    expect(answer.locator("a.cite").first).to_have_text("[1]")
    citations = answer.locator("ol.citations li")
    expect(citations.filter(has_text="Opening a waiting list on a session")).to_have_count(1)
    expect(citations.first.locator(".label")).to_contain_text(" › ")


def test_an_out_of_scope_question_is_refused_and_shown_as_text(
    page: Page, admin_app: AdminApp
) -> None:
    sign_in(page, admin_app)
    question = "what is the weather in Paris? <img src=x onerror=alert(1)>"
    answer = ask(page, question)
    expect(answer.locator(".notice")).to_contain_text("I can't answer that")
    expect(page.locator(".msg-user").last).to_contain_text(question)
    expect(page.locator("img[src=x]")).to_have_count(0)


def test_the_json_route_answers_when_the_stream_fails(page: Page, admin_app: AdminApp) -> None:
    sign_in(page, admin_app)

    def fail(route: Route) -> None:
        route.abort()

    page.route("**/v1/admin/ask/stream", fail)
    answer = ask(page, "Overdue mandatory training")
    expect(answer.locator("tbody tr")).to_have_count(1)


def test_a_learner_gets_the_admin_role_message(page: Page, admin_app: AdminApp) -> None:
    page.goto(admin_app.page_url(admin_app.learner))
    expect(page.get_by_role("alert")).to_have_text("This page needs the admin role.")
    expect(page.locator("#app")).to_be_hidden()


def test_the_dashboard_shows_indicators_per_team_and_per_course(
    page: Page, admin_app: AdminApp
) -> None:
    sign_in(page, admin_app)
    board = page.get_by_role("region", name="Dashboard")
    expect(board.locator("thead th").first).to_have_text("group")
    expect(board.locator("tbody tr", has_text="Manchester planning")).to_have_count(1)
    charts = board.locator(".charts img")
    expect(charts.first).to_have_attribute("alt", re.compile(r"by team"))
    board.get_by_label("Indicators per").select_option("course")
    board.get_by_role("button", name="Show").click()
    expect(board.locator("thead th").last).to_have_text("completion_rate")
    expect(board.locator("tbody tr", has_text="RGPD : les fondamentaux")).to_have_count(1)
    board.get_by_text("What each column counts").click()
    expect(board.locator("details li", has_text="compliance_rate")).to_have_count(1)
