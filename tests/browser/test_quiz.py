"""Quiz cards in the widget: asked for, answered with the mouse or the keyboard, graded with
the source, scored at the end, and every answer stored."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from coach.auth import auth_secret
from coach.quizzes.items import QuizItem
from tests.browser.live import TIMEOUT_MS, LiveApp
from tests.browser.test_widget import open_with_keyboard
from tests.utils.users import make_user

expect.set_options(timeout=TIMEOUT_MS)


def _key(app: LiveApp, item_id: str) -> QuizItem:
    """The item with its answer, as an admin of the demo organisation reads it."""
    admin = make_user(app.services.engine, secret=auth_secret(app.services.settings), role="admin")
    resp = httpx.get(f"{app.url}/v1/quiz-items/{item_id}", headers=admin.headers, timeout=10)
    resp.raise_for_status()
    return QuizItem.model_validate(resp.json()["item"])


def test_learner_takes_a_quiz_in_the_chat_and_it_is_stored(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/demo?as=ana")
    open_with_keyboard(page)
    with page.expect_response(re.compile(r"/v1/quizzes$")) as created:
        page.get_by_role("button", name="Quiz me").click()
    assert created.value.status == 201, created.value.text()
    quiz = created.value.json()
    items = quiz["items"]
    assert items and all(i["citation"]["course_id"] == "feedback-conversations" for i in items)
    card = page.locator(".quiz")
    for n, item in enumerate(items, start=1):
        expect(card.locator(".quiz-progress")).to_have_text(f"Question {n} of {len(items)}")
        expect(card.locator(".quiz-stem")).to_have_text(item["stem"])
        key = _key(live_app, item["id"])
        if n == 1:  # a hint first: shown, and it does not give the answer away
            card.get_by_role("button", name="Give me a hint").click()
            hint = card.locator(".quiz-hint")
            expect(hint).to_be_visible()
            assert key.correct_text.lower() not in hint.inner_text().lower()
        if key.options:
            options = card.locator(".quiz-option")
            expect(options).to_have_count(len(key.options))
            options.nth(key.correct_index or 0).click()
        else:
            box = card.locator(".quiz-input")
            if n == 1:
                box.focus()  # the hint button had the focus
            expect(box).to_be_focused()  # the keyboard lands in the answer box
            page.keyboard.type(key.answer)
            page.keyboard.press("Enter")
        expect(card.locator(".quiz-verdict")).to_have_text("Correct!")
        expect(card.locator(".quiz-source .link")).to_be_visible()
        last = n == len(items)
        next_button = card.get_by_role("button", name="See my score" if last else "Next question")
        expect(next_button).to_be_focused()
        page.keyboard.press("Enter")
    expect(card.locator(".quiz-summary")).to_contain_text(
        f"You got {len(items)} of {len(items)} right."
    )
    stored = live_app.get(f"/v1/quizzes/{quiz['id']}")
    assert all(i["answered"] for i in stored["items"]) and stored["completed_at"]
    mastery = live_app.get("/v1/me/mastery")["skills"]
    assert {s for i in items for s in i["skills"]} <= {m["skill"] for m in mastery}


def test_typing_quiz_me_starts_a_quiz_in_french(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/demo?as=ana")
    page.locator("blendcoach-chat").evaluate("el => el.setAttribute('lang', 'fr')")
    open_with_keyboard(page, "Ouvrir le coach d'apprentissage")
    box = page.get_by_role("textbox", name="Votre question")
    box.fill("Teste-moi")
    with page.expect_response(re.compile(r"/v1/quizzes$")) as created:
        page.keyboard.press("Enter")
    assert created.value.status == 201
    expect(page.locator(".quiz .quiz-progress")).to_contain_text("Question 1 sur")
    expect(page.locator(".msg.user .text").last).to_have_text("Teste-moi")
