"""The chat widget as a learner uses it: keyboard, streamed answers, sources, feedback, errors."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Locator, Page, expect

from tests.browser.live import TIMEOUT_MS, LiveApp

expect.set_options(timeout=TIMEOUT_MS)

QUESTION = "What is the SBI model for giving feedback?"


def open_with_keyboard(page: Page, launcher: str = "Open the learning coach") -> None:
    page.get_by_role("button", name=launcher).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()


def ask(page: Page, question: str, box: str = "Your question") -> Locator:
    """Type a question, send it with Enter, wait for the whole answer and return it."""
    textbox = page.get_by_role("textbox", name=box)
    textbox.focus()
    page.keyboard.type(question)
    answers = page.locator(".msg.assistant")
    before = answers.count()
    with page.expect_response(re.compile(r"/v1/chat/stream$")) as stream:
        page.keyboard.press("Enter")
    response = stream.value
    assert response.status == 200, (response.status, response.text())
    assert response.headers["content-type"].startswith("text/event-stream")
    expect(textbox).to_have_value("")
    expect(answers).to_have_count(before + 1)
    answer = answers.last
    expect(answer.locator(".feedback")).to_be_visible()  # drawn once the answer is done
    return answer


def stored_conversation(app: LiveApp, page: Page) -> Any:
    """The conversation the widget keeps in sessionStorage, read back from the API."""
    stored = page.evaluate("Object.entries(sessionStorage)")
    ids = [v for k, v in stored if k.startswith("blendcoach:conversation:")]
    assert len(ids) == 1, stored
    return app.get(f"/v1/conversations/{ids[0]}")


def test_learner_asks_reads_the_source_and_gives_feedback(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/demo?as=ana")
    open_with_keyboard(page)
    expect(page.get_by_role("textbox", name="Your question")).to_be_focused()
    expect(page.get_by_text("Hi Ana!")).to_be_visible()  # the name comes from /v1/me
    answer = ask(page, QUESTION)

    reply = stored_conversation(live_app, page)["messages"][-1]
    assert reply["citations"], reply
    # The streamed text is the stored answer: [n] markers drawn as chips, **bold** as bold.
    shown = re.sub(r"\*\*(\S(?:[^*]*\S)?)\*\*", r"\1", reply["content"])
    expect(answer.locator(".text")).to_have_text(re.sub(r"\[(\d+)\]", r"\1", shown))
    if shown != reply["content"]:
        expect(answer.locator(".text strong").first).to_be_visible()
    first = reply["citations"][0]
    chip = answer.locator(".text .chip").first
    expect(chip).to_have_accessible_name(re.compile(rf"^Source {first['n']}: "))

    # The chip opens the cited passage, with its breadcrumb; Escape closes it.
    chip.click()
    passage = live_app.get(f"/v1/chunks/{quote(first['chunk_id'], safe='')}")
    panel = page.locator(".passage")
    expect(panel.locator("h3")).to_have_text(passage["citation"]["breadcrumb"])
    expect(panel.locator("p")).to_have_text(passage["text"])
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(chip).to_be_focused()

    # Thumbs down with a comment: saved on the answer.
    answer.get_by_role("button", name="Not helpful").click()
    answer.get_by_role("textbox", name="Comment (optional)").fill("Too vague for my team")
    answer.get_by_role("button", name="Send comment").click()
    expect(answer.get_by_role("status")).to_have_text("Thanks, your feedback was saved.")
    expect(answer.get_by_role("button", name="Not helpful")).to_have_attribute(
        "aria-pressed", "true"
    )
    feedback = stored_conversation(live_app, page)["messages"][-1]["feedback"]
    assert (feedback["rating"], feedback["comment"]) == (-1, "Too vague for my team")

    # Escape closes the panel and gives the focus back to the launcher.
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name="Open the learning coach")).to_be_focused()


def test_conversation_survives_a_reload_and_can_start_over(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/demo?as=ana")
    open_with_keyboard(page)
    markup = '<img src=x onerror="document.title=1"> SBI?'
    answer = ask(page, markup)
    answer.get_by_role("button", name="Helpful", exact=True).click()
    expect(answer.get_by_role("status")).to_have_text("Thanks, your feedback was saved.")
    first_id = stored_conversation(live_app, page)["id"]

    page.reload()
    open_with_keyboard(page)
    expect(page.locator(".msg")).to_have_count(2)
    expect(page.locator(".msg.user .text")).to_have_text(markup)  # shown as text, never as HTML
    expect(page.locator("blendcoach-chat img")).to_have_count(0)
    helpful = page.get_by_role("button", name="Helpful", exact=True)
    expect(helpful).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".msg")).to_have_count(0)
    ask(page, QUESTION)
    again = stored_conversation(live_app, page)
    assert again["id"] != first_id and len(again["messages"]) == 2


def test_widget_on_an_lms_page_speaks_french(page: Page, live_app: LiveApp) -> None:
    url = live_app.embed_page(
        "/cours-fr",
        token=live_app.ana.token,
        course="gdpr-basics",
        lang="fr",
    )
    page.goto(url)  # another origin than the app's: the widget calls the API cross-origin
    open_with_keyboard(page, launcher="Ouvrir le coach d'apprentissage")
    expect(page.get_by_role("dialog")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("dialog")).to_have_accessible_name("Coach d'apprentissage")
    box = page.get_by_role("textbox", name="Votre question")
    expect(box).to_have_attribute("placeholder", "Posez une question sur votre cours…")
    answer = ask(page, "Quels sont les principes du RGPD ?", box="Votre question")
    expect(answer.locator(".chip").first).to_have_accessible_name(re.compile(r"^Source \d+ : "))
    expect(answer.get_by_role("button", name="Pas utile")).to_be_visible()
    expect(page.get_by_role("button", name="Nouvelle conversation")).to_be_visible()


def test_expired_session_says_so_and_keeps_the_question(page: Page, live_app: LiveApp) -> None:
    page.add_init_script(
        "window.expired = 0;"
        "document.addEventListener('blendcoach:session-expired', () => window.expired++);"
    )
    page.goto(live_app.embed_page("/expired", token="an.expired.token"))
    open_with_keyboard(page)
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert.locator("p")).to_have_text(
        "Your session has expired. Reload the page to sign in again."
    )
    expect(alert.get_by_role("button", name="Retry")).to_be_hidden()  # retrying cannot help
    expect(page.get_by_role("textbox", name="Your question")).to_have_value(QUESTION)
    expect(page.locator(".msg")).to_have_count(0)
    assert page.evaluate("window.expired") >= 1

    # The LMS hands a fresh token: the same question goes through.
    page.evaluate(
        "token => document.querySelector('blendcoach-chat').setAttribute('token', token)",
        live_app.ana.token,
    )
    expect(alert).to_be_hidden()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".msg.assistant .feedback")).to_be_visible()


def test_network_failure_keeps_the_question_and_offers_a_retry(
    page: Page, live_app: LiveApp
) -> None:
    page.goto(f"{live_app.url}/demo?as=ana")
    page.route(re.compile(r"/v1/chat/stream$"), lambda route: route.abort())
    open_with_keyboard(page)
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Can't reach the coach")
    expect(page.get_by_role("textbox", name="Your question")).to_have_value(QUESTION)

    page.unroute(re.compile(r"/v1/chat/stream$"))
    page.get_by_role("button", name="Retry").click()
    expect(page.locator(".msg.assistant .feedback")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(page.get_by_role("textbox", name="Your question")).to_have_value("")


def test_keyboard_order_and_visible_focus(page: Page, live_app: LiveApp) -> None:
    page.goto(live_app.embed_page("/keyboard", token=live_app.ana.token))
    launcher = page.get_by_role("button", name="Open the learning coach")
    expect(launcher).to_be_visible()  # the widget's modules load after the page
    page.get_by_role("link", name="A link on the page").focus()
    page.keyboard.press("Tab")  # the widget comes last in the page's Tab order
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert launcher.evaluate("el => el.matches(':focus-visible')")
    assert launcher.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"

    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("log")).to_have_attribute("aria-live", "polite")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Close the coach")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_small_screens_get_the_whole_screen_without_motion(page: Page, live_app: LiveApp) -> None:
    page.set_viewport_size({"width": 390, "height": 700})
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_app.url}/demo?as=ana")
    open_with_keyboard(page)
    dialog = page.get_by_role("dialog")
    assert dialog.bounding_box() == {"x": 0, "y": 0, "width": 390, "height": 700}
    assert dialog.evaluate("el => getComputedStyle(el).animationName") == "none"
