""" "My path" in the widget: the learner's approved path by week, with modalities, dates,
sessions and reasons; the approved version stays while a new one waits for review; no path
yet is said in the learner's language; the keyboard gets back to the chat."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.live import TIMEOUT_MS
from tests.browser.test_review_page import (
    MODALITY_LABELS,
    PathsApp,
    day_label,
    serve_paths_app,
    week_label,
)
from tests.browser.test_widget import open_with_keyboard

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def paths_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PathsApp]:
    yield from serve_paths_app(tmp_path_factory.mktemp("path-view"))


def test_learner_sees_the_approved_path_by_week_while_a_new_version_is_reviewed(
    page: Page, paths_app: PathsApp
) -> None:
    ana = paths_app.path_of("ana")
    approved = paths_app.api(
        "POST", f"/v1/paths/{ana['id']}/review", action="approve", revision=ana["revision"]
    )
    steps = approved["path"]["steps"]
    # A reviewer then edits the path: version 2 waits for review; Ana keeps version 1.
    last = steps[-1]
    edited = paths_app.api(
        "POST",
        f"/v1/paths/{ana['id']}/review",
        action="edit",
        revision=approved["revision"],
        edits=[{"op": "remove", "item_id": last["item_id"]}],
    )
    assert edited["status"] == "pending" and edited["approved_version"] == 1

    page.goto(f"{paths_app.url}/demo?as=ana")
    open_with_keyboard(page)
    my_path = page.get_by_role("button", name="My path")
    my_path.focus()
    page.keyboard.press("Enter")
    view = page.locator(".path-view")
    expect(view.get_by_role("heading", name="My learning path")).to_be_focused()
    expect(my_path).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".log")).to_be_hidden()
    # The figures are version 1's, not those of the version under review.
    hours = round(sum(s["hours"] for s in steps), 2)
    start, end = min(s["start"] for s in steps), max(s["end"] for s in steps)
    expect(view.locator(".path-meta")).to_have_text(
        f"{len(steps)} steps · {hours:g} h · {day_label(start)} – {day_label(end)}"
    )
    weeks = list(dict.fromkeys(week_label(s["start"]) for s in steps))
    expect(view.locator(".path-week h4")).to_have_text(weeks)
    shown = view.locator(".path-step")
    expect(shown).to_have_count(len(steps))
    expect(shown.last.locator(".step-title")).to_have_text(last["title"])  # still version 1
    for n, step in enumerate(steps):
        item = shown.nth(n)
        expect(item.locator(".step-title")).to_have_text(step["title"])
        expect(item.locator(".modality-label")).to_have_text(MODALITY_LABELS[step["modality"]])
        expect(item.locator(".step-reason")).to_have_text(step["reason"])
        if step["session_id"]:
            place = approved["sessions"][step["session_id"]]["place"]
            expect(item.locator(".step-session")).to_contain_text(f"Session: {place}")
        if step["deadline"]:
            expect(item.locator(".step-deadline")).to_contain_text("Due by ")

    # Escape goes back to the conversation, with the focus on the button that opened the view.
    page.keyboard.press("Escape")
    expect(view).to_be_hidden()
    expect(page.locator(".log")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your question")).to_be_visible()
    expect(my_path).to_be_focused()
    expect(my_path).to_have_attribute("aria-expanded", "false")


def test_no_approved_path_yet_is_said_in_french(page: Page, paths_app: PathsApp) -> None:
    assert paths_app.path_of("luc")["status"] == "pending"
    page.goto(f"{paths_app.url}/demo?as=luc&lang=fr")
    open_with_keyboard(page, "Ouvrir le coach d'apprentissage")
    with page.expect_response(lambda r: r.url.endswith("/v1/me/path")) as answer:
        page.get_by_role("button", name="Mon parcours").click()
    assert answer.value.status == 404
    view = page.locator(".path-view")
    expect(view.get_by_role("heading", name="Mon parcours de formation")).to_be_visible()
    expect(view.get_by_role("status")).to_have_text("Pas encore de parcours validé.")
    expect(page.locator(".error")).to_be_hidden()  # no path is not an error
    view.get_by_role("button", name="Revenir à la conversation").click()
    expect(view).to_be_hidden()
    expect(page.get_by_role("textbox", name="Votre question")).to_be_visible()
