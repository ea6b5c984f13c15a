"""The hand-off offer in the widget, in real headless Chromium: a learner asks for a
person, sees who can help, consents, and the trainer receives the summary."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from coach.auth import auth_secret
from tests.browser.live import TIMEOUT_MS, LiveApp
from tests.browser.test_widget import open_with_keyboard
from tests.utils.users import make_user

expect.set_options(timeout=TIMEOUT_MS)


def test_learner_asks_for_a_person_sees_the_offer_and_consents(
    page: Page, live_app: LiveApp
) -> None:
    services = live_app.services
    trainer = make_user(
        services.engine,
        secret=auth_secret(services.settings),
        role="trainer",
        external_id="claire-browser",
        display_name="Claire Dubois",
    )
    page.goto(f"{live_app.url}/demo?as=ana")
    open_with_keyboard(page)
    box = page.get_by_role("textbox", name="Your question")
    box.fill("Can I talk to a real person about my feedback practice?")
    box.press("Enter")

    offer = page.get_by_role("group", name="Talk to a person")
    expect(offer).to_be_visible()
    expect(page.locator(".msg.assistant .text").first).to_contain_text("a person can help")
    expect(offer.get_by_role("radio", name="Claire Dubois")).to_be_checked()
    offer.get_by_role("textbox", name="What you struggle with").fill("Saying no to my team")
    send = offer.get_by_role("button", name="Send my summary to the selected trainer")
    with page.expect_response(lambda r: r.url.endswith("/consent")) as consent:
        send.click()
    assert consent.value.status == 200
    expect(offer.get_by_role("status")).to_have_text(
        "Sent to Claire Dubois. You can withdraw your consent at any time."
    )

    assigned = httpx.get(
        f"{live_app.url}/v1/handoffs/assigned", headers=trainer.headers, timeout=10
    ).json()["handoffs"]
    mine = [h for h in assigned if h["summary"] and h["summary"]["learner"] == "Ana"]
    assert mine and mine[0]["summary"]["struggle"] == "Saying no to my team"
    assert "conversation" not in mine[0]["summary"]

    offer.get_by_role("button", name="Withdraw my consent").click()
    expect(offer.get_by_role("status")).to_contain_text("Consent withdrawn")
    again = httpx.get(
        f"{live_app.url}/v1/handoffs/{mine[0]['id']}", headers=trainer.headers, timeout=10
    ).json()
    assert again["status"] == "withdrawn" and again["summary"] is None
