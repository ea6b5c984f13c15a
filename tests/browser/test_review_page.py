"""The L&D review page in Chromium: sign in, the pending list, a path as a timeline by week,
approve (and the learner then sees it), a comment required to reject, a stale revision,
an edit that breaks a prerequisite, bulk approval, how the page's files are served, and the
edit forms' pickers (a catalog search, an item's sessions marked full or closed).

The demo catalog and learners are imported, and paths planned on the demo's date, in an
app of this module's own (the shared one in conftest plans on the real date).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import Locator, Page, expect

from coach.app import create_app
from coach.auth import auth_secret
from coach.pages import DEMO_TOKENS_FILE
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import FakeEmbedder
from tests.browser.live import TIMEOUT_MS, listen, wait_until
from tests.browser.test_widget import open_with_keyboard
from tests.utils.paths import DEMO_TODAY, seed_demo_paths
from tests.utils.users import TestUser, make_user

expect.set_options(timeout=TIMEOUT_MS)

DEMO_NOW = datetime.combine(DEMO_TODAY, time(9))
"""The browser's clock in the picker tests: the page marks closed sessions by its own date."""
LEARNERS = {"ana": "Ana", "luc": "Luc", "priya": "Priya", "sam": "Sam", "chloe": "Chloé"}
MODALITY_LABELS = {
    "e-learning": "E-learning",
    "in-person": "In person",
    "virtual": "Virtual class",
    "coaching": "Coaching",
    "on-the-job": "On the job",
}


@dataclass
class PathsApp:
    """The app with the demo's paths pending review, a reviewer, and the demo learners."""

    url: str
    services: Services
    reviewer: TestUser
    learners: dict[str, TestUser]

    def api(self, method: str, path: str, who: TestUser | None = None, **body: Any) -> Any:
        """Call the API (as the reviewer by default); the JSON answer."""
        resp = httpx.request(
            method,
            self.url + path,
            headers=(who or self.reviewer).headers,
            json=body or None,
            timeout=10,
        )
        resp.raise_for_status()
        return resp.json()

    def path_of(self, learner: str) -> Any:
        """The learner's path as a reviewer reads it."""
        listed = self.api("GET", "/v1/paths?limit=500")["paths"]
        pid = next(p["id"] for p in listed if p["learner"]["id"] == learner)
        return self.api("GET", f"/v1/paths/{pid}")

    def review_page(self) -> str:
        """The review page's URL, signed in with the reviewer's token in the fragment."""
        return f"{self.url}/review#token={self.reviewer.token}"


def serve_paths_app(folder: Path) -> Iterator[PathsApp]:
    """Run the app on 127.0.0.1 with the demo's catalog and learners and their paths built
    (all pending), planned on the demo's date; the demo page signs in as any demo learner."""
    settings = Settings(
        data_dir=folder / "var",
        embedding_model="fake",
        demo_pages=True,
        planning_date=DEMO_TODAY,
        _env_file=None,  # type: ignore[call-arg]
    )
    services = Services.build(settings, embedder=FakeEmbedder(dim=64))
    secret = auth_secret(settings)
    # Made before the import, so the import keeps these accounts (and their tokens).
    learners = {
        ext: make_user(
            services.engine,
            secret=secret,
            external_id=ext,
            display_name=name,
            locale="fr" if ext == "luc" else "en",
        )
        for ext, name in LEARNERS.items()
    }
    reviewer = make_user(
        services.engine, secret=secret, role="reviewer", external_id="rita", display_name="Rita"
    )
    seed_demo_paths(services.engine, folder)
    tokens = {k: {"token": u.token, "display_name": u.display_name} for k, u in learners.items()}
    (settings.data_dir / DEMO_TOKENS_FILE).write_text(json.dumps(tokens))
    sock = listen()
    host, port = sock.getsockname()
    server = uvicorn.Server(
        uvicorn.Config(create_app(services=services), log_level="warning", ws="none")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_until(lambda: server.started, "the app")
    app = PathsApp(
        url=f"http://{host}:{port}", services=services, reviewer=reviewer, learners=learners
    )
    made = app.api("POST", "/v1/paths", learners=list(LEARNERS))
    assert {p["learner"]["id"] for p in made["paths"]} == set(LEARNERS), made
    yield app
    server.should_exit = True
    thread.join(timeout=10)
    services.close()


@pytest.fixture(scope="module")
def paths_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PathsApp]:
    yield from serve_paths_app(tmp_path_factory.mktemp("review"))


def day_label(day: str) -> str:
    """ "23 Nov 2026": a day as the page writes it in en-GB."""
    d = date.fromisoformat(day)
    return f"{d.day} {d.strftime('%b')} {d.year}"


def week_label(day: str) -> str:
    """ "Week of 23 Nov 2026": the Monday of ``day``'s week."""
    monday = date.fromisoformat(day) - timedelta(days=date.fromisoformat(day).weekday())
    return f"Week of {day_label(monday.isoformat())}"


def open_path(page: Page, app: PathsApp, name: str, status: str | None = None) -> Locator:
    """Load the page signed in, open ``name``'s path from the list (pending paths, or those
    with ``status``: "all" for any); the detail section."""
    page.goto(app.review_page())
    if status is not None:
        page.get_by_label("Status").select_option(status)
        page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("button", name=name, exact=True).click()
    detail = page.locator("#detail")
    expect(detail.get_by_role("heading", level=2)).to_have_text(name)
    expect(detail.get_by_role("heading", name="Timeline")).to_be_visible()
    return detail


def step_of(detail: Locator, item_id: str) -> Locator:
    return detail.locator(f'.timeline li.step[data-item="{item_id}"]')


def step_data(app: PathsApp, learner: str, item_id: str) -> Any:
    """The learner's step for ``item_id`` in its path's current version, as the API gives it."""
    return next(s for s in app.path_of(learner)["path"]["steps"] if s["item_id"] == item_id)


def test_reviewer_reads_a_path_by_week_approves_it_and_the_learner_sees_it(
    page: Page, paths_app: PathsApp
) -> None:
    page.goto(paths_app.review_page())
    # The token left the address bar at once, and never went in a query string.
    assert "token" not in page.url
    expect(page.locator("#who")).to_have_text("Signed in as Rita (reviewer, Northwind)")
    rows = page.locator("#paths-table tbody tr")
    expect(rows.filter(has=page.get_by_role("button", name="Ana", exact=True))).to_have_count(1)
    expect(rows.locator(".badge")).to_have_text(["Pending"] * rows.count())

    page.get_by_role("button", name="Ana", exact=True).click()
    detail = page.locator("#detail")
    expect(detail.get_by_role("heading", level=2)).to_have_text("Ana")
    expect(detail.get_by_role("heading", level=2)).to_be_focused()
    expect(detail.locator(".learner-meta")).to_have_text(
        "Team: Manchester planning · Role: transport-planner · Id: ana"
    )
    ana = paths_app.path_of("ana")
    steps = ana["path"]["steps"]
    weeks = list(dict.fromkeys(week_label(s["start"]) for s in steps))
    expect(detail.locator(".timeline .week h4")).to_have_text(weeks)
    shown = detail.locator(".timeline li.step")
    expect(shown).to_have_count(len(steps))
    for n, step in enumerate(steps):
        item = shown.nth(n)
        expect(item.locator(".step-title")).to_have_text(step["title"])
        expect(item.locator(".modality-label")).to_have_text(MODALITY_LABELS[step["modality"]])
        expect(item.locator(".modality svg")).to_have_attribute("aria-hidden", "true")
        expect(item.locator(".step-reason")).to_have_text(f"Why: {step['reason']}")
        if step["session_id"]:
            place = ana["sessions"][step["session_id"]]["place"]
            expect(item.locator(".step-session")).to_contain_text(place)
    expect(detail.locator(".history li")).to_contain_text(["Version 1 · revision"])

    detail.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_have_text("Path approved.")
    expect(detail.locator(".path-meta .badge")).to_have_text("Approved")
    # The list shows pending paths: Ana's has left it.
    expect(page.get_by_role("button", name="Ana", exact=True)).to_have_count(0)
    assert paths_app.path_of("ana")["status"] == "approved"

    # The learner's widget now shows the approved path.
    page.goto(f"{paths_app.url}/demo?as=ana")
    open_with_keyboard(page)
    page.get_by_role("button", name="My path").click()
    titles = page.locator(".path-view .step-title")
    expect(titles).to_have_text([s["title"] for s in steps])


def test_reject_without_a_comment_is_refused_then_changes_are_requested(
    page: Page, paths_app: PathsApp
) -> None:
    detail = open_path(page, paths_app, "Sam")
    detail.get_by_role("button", name="Reject").click()
    expect(page.get_by_role("alert")).to_contain_text("Write a comment to reject this path")
    comment = detail.get_by_role("textbox", name="Comment")
    expect(comment).to_be_focused()
    expect(comment).to_have_attribute("aria-invalid", "true")
    assert paths_app.path_of("sam")["status"] == "pending"

    # With the keyboard: a comment, then "Request changes".
    page.keyboard.type("Add the retrospective facilitation task.")
    detail.get_by_role("button", name="Request changes").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Changes requested.")
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(detail.locator(".path-meta .badge")).to_have_text("Changes requested")
    expect(detail.locator(".history blockquote").last).to_have_text(
        "Add the retrospective facilitation task."
    )
    sam = paths_app.path_of("sam")
    assert sam["status"] == "changes_requested"
    assert sam["history"][-1]["actor"] == "Rita"


def test_a_stale_revision_says_someone_else_changed_the_path_and_reloads(
    page: Page, paths_app: PathsApp
) -> None:
    detail = open_path(page, paths_app, "Priya")
    seen = paths_app.path_of("priya")
    # Another reviewer comments while this page shows the path.
    paths_app.api(
        "POST",
        f"/v1/paths/{seen['id']}/review",
        action="comment",
        revision=seen["revision"],
        comment="Check the pandas task with her manager.",
    )
    with page.expect_response(re.compile(r"/review$")) as answer:
        detail.get_by_role("button", name="Approve").click()
    assert answer.value.status == 409
    expect(page.get_by_role("alert")).to_contain_text("This path was changed by someone else")
    # Reloaded: the other reviewer's comment is there, and nothing was approved.
    expect(detail.locator(".history blockquote")).to_have_text(
        ["Check the pandas task with her manager."]
    )
    assert paths_app.path_of("priya")["status"] == "pending"
    # The page now holds the latest revision: the approval goes through.
    detail.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_have_text("Path approved.")
    assert paths_app.path_of("priya")["status"] == "approved"


def test_edits_send_the_revision_seen_and_a_broken_prerequisite_blocks_approval(
    page: Page, paths_app: PathsApp
) -> None:
    detail = open_path(page, paths_app, "Luc")
    before = paths_app.path_of("luc")
    steps = before["path"]["steps"]
    assert not [p for p in before["problems"] if p["blocking"]]
    items = [s["item_id"] for s in steps]
    assert "vc-delegation-clinic" in items, "the demo books it; it needs leading-a-team"
    assert "ws-feedback-lyon-2026-12" in items, "the demo books session 1 of 2"

    # Move a step up (two steps without a session, so the re-dating keeps the new order).
    n = next(
        i
        for i in range(1, len(steps))
        if not steps[i - 1]["session_id"] and not steps[i]["session_id"]
    )
    moved = steps[n]
    with page.expect_request(re.compile(r"/review$")) as sent:
        step_of(detail, moved["item_id"]).get_by_role(
            "button", name=f"Move {moved['title']} up"
        ).click()
    assert json.loads(sent.value.post_data or "{}") == {
        "revision": before["revision"],
        "action": "edit",
        "edits": [{"op": "move", "item_id": moved["item_id"], "position": n - 1}],
    }
    expect(page.get_by_role("status")).to_have_text("Edit saved: now version 2.")
    expect(detail.locator(".timeline .step-title").nth(n - 1)).to_have_text(moved["title"])
    expect(detail.locator(".diff .changes li").first).to_be_visible()

    # Another session of the Lyon feedback workshop, through the step's small form.
    workshop = step_of(detail, "ws-feedback-lyon-2026-12")
    expect(workshop.locator(".step-session")).to_contain_text("ws-feedback-lyon-2026-12-1")
    workshop.get_by_role("button", name=re.compile(r"^Choose another session for ")).click()
    field = workshop.get_by_label("Session id", exact=True)
    expect(field).to_be_focused()
    field.fill("ws-feedback-lyon-2026-12-2")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Edit saved: now version 3.")
    expect(workshop.locator(".step-session")).to_contain_text("ws-feedback-lyon-2026-12-2")
    expect(workshop.locator(".step-session")).to_contain_text("Lyon")

    # Remove "Leading a team", with the keyboard: the delegation clinic now comes too early.
    remove = step_of(detail, "leading-a-team").get_by_role("button", name="Remove Leading a team")
    remove.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Edit saved: now version 4.")
    expect(step_of(detail, "leading-a-team")).to_have_count(0)
    blocking = detail.locator(".problems li.blocking")
    expect(blocking.first).to_contain_text("needs 'Leading a team' first")
    clinic = step_of(detail, "vc-delegation-clinic")
    expect(clinic).to_have_class(re.compile(r"\bhas-blocking\b"))
    expect(clinic.locator(".step-problems .blocking")).to_contain_text("Blocking")
    expect(detail.locator(".diff .change-removed")).to_contain_text("Leading a team")

    with page.expect_response(re.compile(r"/review$")) as answer:
        detail.get_by_role("button", name="Approve").click()
    assert answer.value.status == 422
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Refused: the path has problems to fix before approval")
    expect(alert.locator("li").first).to_contain_text("needs 'Leading a team' first")
    after = paths_app.path_of("luc")
    assert after["status"] == "pending" and after["version"] == 4
    assert [h["action"] for h in after["history"]][-3:] == ["edit", "edit", "edit"]


def test_bulk_approval_of_the_filtered_list_asks_first(page: Page, paths_app: PathsApp) -> None:
    page.goto(paths_app.review_page())
    page.get_by_label("Team").fill("RH Lyon")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("#paths-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Chloé")
    page.get_by_role("button", name="Approve all 1 pending path(s) shown…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert paths_app.path_of("chloe")["status"] == "pending"

    # Someone comments after the list was read: the bulk approval skips that path, says why.
    seen = paths_app.path_of("chloe")
    paths_app.api(
        "POST",
        f"/v1/paths/{seen['id']}/review",
        action="comment",
        revision=seen["revision"],
        comment="Wait for the HR budget.",
    )
    page.get_by_role("button", name="Approve all 1 pending path(s) shown…").click()
    dialog.get_by_role("button", name="Approve all").click()
    expect(page.get_by_role("status")).to_have_text("0 path(s) approved, 1 skipped.")
    expect(page.get_by_role("alert")).to_contain_text("changed since you read it")
    assert paths_app.path_of("chloe")["status"] == "pending"

    page.get_by_role("button", name="Approve all 1 pending path(s) shown…").click()
    dialog.get_by_label("Comment (optional)").fill("Team plan agreed with HR.")
    dialog.get_by_role("button", name="Approve all").click()
    expect(page.get_by_role("status")).to_have_text("1 path(s) approved, 0 skipped.")
    expect(page.locator("#total")).to_have_text("No path matches these filters.")
    assert paths_app.path_of("chloe")["status"] == "approved"
    assert paths_app.path_of("sam")["status"] != "approved"  # outside the filter


def test_sign_in_with_the_token_field_in_french_and_a_learner_is_refused(
    page: Page, paths_app: PathsApp
) -> None:
    page.goto(f"{paths_app.url}/review")
    page.get_by_label("Language").select_option("fr")
    token = page.get_by_label("Jeton de validation")
    token.fill(paths_app.learners["ana"].token)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("réservée aux valideurs")
    assert page.evaluate("Object.keys(sessionStorage)") == ["blendcoach:review-lang"]

    token.fill(paths_app.reviewer.token)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Parcours", exact=True)).to_be_visible()
    expect(page.get_by_label("Statut")).to_have_value("pending")
    expect(page.locator("#paths-table thead th")).to_have_text(
        ["Apprenant·e", "Statut", "Étapes", "Heures", "Dates", "Problèmes"]
    )
    assert "token" not in page.url
    # Reloading the tab keeps the reviewer signed in (sessionStorage), then signing out forgets.
    page.reload()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_label("Jeton de validation")).to_be_focused()
    assert page.evaluate("sessionStorage.getItem('blendcoach:review-token')") is None


def test_the_page_and_its_files_are_served_with_their_types_and_nothing_else(
    paths_app: PathsApp,
) -> None:
    page = httpx.get(f"{paths_app.url}/review", timeout=10)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for name, media_type in [("review.js", "text/javascript"), ("review.css", "text/css")]:
        resp = httpx.get(f"{paths_app.url}/review/{name}", timeout=10)
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith(media_type)
        again = httpx.get(
            f"{paths_app.url}/review/{name}", headers={"If-None-Match": resp.headers["etag"]}
        )
        assert again.status_code == 304
    # Only the files in static/review/ (the page itself only at /review).
    for name in ["nope.js", "..%2F..%2Fapp.py", "%2E%2E%2Fwidget%2Fchat.js", "index.html"]:
        assert httpx.get(f"{paths_app.url}/review/{name}", timeout=10).status_code == 404, name


def test_search_the_catalog_and_add_the_delegation_clinic_in_its_second_session(
    page: Page, paths_app: PathsApp
) -> None:
    page.clock.set_fixed_time(DEMO_NOW)  # the browser's today: the app's planning date
    detail = open_path(page, paths_app, "Sam", status="all")
    assert "vc-delegation-clinic" not in [
        s["item_id"] for s in paths_app.path_of("sam")["path"]["steps"]
    ]
    found = paths_app.api("GET", "/v1/catalog/items?q=delegation")["items"]
    n = [i["id"] for i in found].index("vc-delegation-clinic")
    second = paths_app.api("GET", "/v1/catalog/items/vc-delegation-clinic/sessions")["sessions"][1]

    # With the keyboard: words in the search field, ↓ to the clinic, Enter.
    add = detail.get_by_role("form", name="Add an item")
    search = add.get_by_role("combobox", name="Item (search, or type its id)")
    search.focus()
    page.keyboard.type("delegation")
    listbox = add.get_by_role("listbox")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(len(found))
    expect(search).to_have_attribute("aria-expanded", "true")
    clinic = options.nth(n)
    expect(clinic.locator(".picker-title")).to_have_text("Delegation clinic (virtual class)")
    expect(clinic.locator(".modality-label")).to_have_text("Virtual class")
    expect(clinic.locator(".modality svg")).to_have_attribute("aria-hidden", "true")
    expect(clinic).to_contain_text("1.5 h")
    expect(clinic).to_contain_text("vc-delegation-clinic")
    for _ in range(n + 1):
        page.keyboard.press("ArrowDown")
    expect(clinic).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", clinic.get_attribute("id") or "")
    page.keyboard.press("Enter")  # chooses; does not submit
    expect(search).to_have_value("vc-delegation-clinic")
    expect(listbox).to_be_hidden()
    expect(add.locator(".picker-chosen")).to_contain_text("Delegation clinic (virtual class)")

    # A virtual class: its sessions to choose from; the second one.
    sessions = add.get_by_label("Sessions of this item")
    expect(sessions.locator("option")).to_have_count(3)
    expect(sessions.locator("option").nth(0)).to_have_text("The first open session (automatic)")
    expect(sessions.locator("option").nth(1)).to_contain_text("0 of 10 seats free · full")
    expect(sessions.locator("option").nth(2)).to_have_text(
        f"18 Mar 2027, 10:00 · {second['place']} · trainer {second['trainer']} · "
        f"{second['free_seats']} of {second['seats']} seats free"
    )
    sessions.select_option(index=2)
    expect(add.get_by_label("Session id (optional)")).to_have_value(second["id"])
    with page.expect_request(re.compile(r"/review$")) as sent:
        add.get_by_role("button", name="Add", exact=True).click()
    assert json.loads(sent.value.post_data or "{}")["edits"] == [
        {"op": "add", "item_id": "vc-delegation-clinic", "session_id": second["id"]}
    ]
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Edit saved: now version \d+\.$"))
    step = step_of(detail, "vc-delegation-clinic")
    expect(step.locator(".step-session")).to_contain_text(
        f"Session {second['id']}: {second['place']} · 18 Mar 2027, 10:00"
    )
    expect(step.locator(".step-when")).to_contain_text(day_label(second["start"][:10]))
    added = step_data(paths_app, "sam", "vc-delegation-clinic")
    assert added["session_id"] == second["id"]


def test_a_full_session_is_marked_and_choosing_it_is_a_blocking_problem(
    page: Page, paths_app: PathsApp
) -> None:
    page.clock.set_fixed_time(DEMO_NOW)
    detail = open_path(page, paths_app, "Ana", status="all")
    booked = step_data(paths_app, "ana", "vc-delegation-clinic")
    first, second = paths_app.api("GET", "/v1/catalog/items/vc-delegation-clinic/sessions")[
        "sessions"
    ]
    assert booked["session_id"] == second["id"] and first["free_seats"] == 0

    clinic = step_of(detail, "vc-delegation-clinic")
    label = "Choose another session for Delegation clinic (virtual class)"
    clinic.get_by_role("button", name=label).click()
    form = clinic.get_by_role("form", name=label)
    sessions = form.get_by_label("Sessions of this item")
    expect(sessions.locator("option")).to_have_text(
        [
            "Choose a session…",
            "17 Dec 2026, 10:00 · Microsoft Teams · trainer Hannah Cole · 0 of 10 seats free · full",
            re.compile(r"^18 Mar 2027, 10:00 · Microsoft Teams · .* seats free · current session$"),
        ]
    )
    expect(sessions).to_have_value(second["id"])
    # The reviewer may knowingly choose the full one.
    sessions.select_option(first["id"])
    expect(form.get_by_label("Session id", exact=True)).to_have_value(first["id"])
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Edit saved: now version \d+\.$"))

    after = paths_app.path_of("ana")
    full = [p for p in after["problems"] if p["kind"] == "session_full"]
    assert len(full) == 1 and full[0]["blocking"], after["problems"]
    assert full[0]["message"].endswith("is full")
    expect(detail.locator(".problems li.blocking")).to_contain_text([full[0]["message"]])
    clinic = step_of(detail, "vc-delegation-clinic")
    expect(clinic).to_have_class(re.compile(r"\bhas-blocking\b"))
    expect(clinic.locator(".step-session")).to_contain_text(first["id"])
    with page.expect_response(re.compile(r"/review$")) as answer:
        detail.get_by_role("button", name="Approve").click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert").locator("li")).to_contain_text([full[0]["message"]])

    # In French, the same picker: the session now booked, its seats.
    page.get_by_label("Language").select_option("fr")
    label = "Choisir une autre session pour Delegation clinic (virtual class)"
    clinic.get_by_role("button", name=label).click()
    sessions = clinic.get_by_role("form", name=label).get_by_label("Sessions de ce module")
    expect(sessions.locator("option").nth(1)).to_contain_text(
        "Microsoft Teams · formateur·rice Hannah Cole · 0 places libres sur 10 · session actuelle"
    )
    expect(sessions.locator("option").nth(2)).to_contain_text("places libres sur 10")


def test_an_item_id_typed_lists_its_sessions_and_a_closed_enrolment_is_marked(
    page: Page, paths_app: PathsApp
) -> None:
    # A week before the first clinic: its enrolment closed on 10 Dec (nothing is sent).
    page.clock.set_fixed_time(datetime(2026, 12, 11, 9))
    detail = open_path(page, paths_app, "Priya", status="all")
    add = detail.get_by_role("form", name="Add an item")
    add.get_by_role("combobox", name="Item (search, or type its id)").fill("vc-delegation-clinic")
    expect(add.locator(".picker-chosen")).to_contain_text("Delegation clinic (virtual class)")
    sessions = add.get_by_label("Sessions of this item")
    expect(sessions.locator("option").nth(1)).to_have_text(
        "17 Dec 2026, 10:00 · Microsoft Teams · trainer Hannah Cole · 0 of 10 seats free · "
        "full · enrolment closed"
    )
    expect(sessions.locator("option").nth(2)).not_to_contain_text("closed")
    # In French.
    page.get_by_label("Language").select_option("fr")
    add = detail.get_by_role("form", name="Ajouter un module")
    add.get_by_role("combobox", name="Module (recherche, ou son identifiant)").fill(
        "vc-delegation-clinic"
    )
    expect(add.get_by_label("Sessions de ce module").locator("option").nth(1)).to_contain_text(
        "0 places libres sur 10 · complète · inscriptions closes"
    )
