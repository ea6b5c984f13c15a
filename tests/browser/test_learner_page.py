"""The learner page (/me/SECTION) and the manager's per-person address in Chromium, opened
through the links the real nudge rules and planning make: a link opened before signing in
still highlights its step, a session link shows its logistics, notifications are marked read
and a channel opt-out persists, a goal comment is posted, the coach opens offering to go over
a quiz's missed questions, a skill and the reviews due; the manager lands on one person or
one confirmation, and another team's person is refused with a clear message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import auth_secret
from coach.nudges.rules import learner_candidates
from coach.nudges.runtime import build_engine
from coach.nudges.state import LearnerState, LevelReached, QuizOutcome, UpcomingSession
from tests.browser.live import TIMEOUT_MS, LiveApp
from tests.browser.test_manager_page import _token
from tests.browser.test_quiz import _key
from tests.browser.test_review_page import PathsApp, serve_paths_app
from tests.utils.paths import DEMO_TODAY
from tests.utils.users import TestUser, make_user

expect.set_options(timeout=TIMEOUT_MS)
PARIS = ZoneInfo("Europe/Paris")
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass
class Northwind:
    """The demo organisation with approved paths, its nudges of the demo's day planned and
    the feed ones delivered, and Tom's token (Ana's and Priya's manager)."""

    app: PathsApp
    tom: str
    links: dict[str, list[str]]  # user id -> links of the nudges planned for them

    def user_id(self, ext: str) -> str:
        return self.app.learners[ext].id


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Northwind]:
    for app in serve_paths_app(tmp_path_factory.mktemp("learner-page")):
        app.api("POST", "/v1/paths/review", action="approve")
        tom = _token(app, "mgr-tom-hughes")
        engine = build_engine(app.services.settings)
        with Session(app.services.engine) as s, s.begin():
            org = storage.get_organisation_by_slug(s, slug="northwind")
            assert org is not None
            org_id = org.id
            storage.update_org_settings(s, org_id=org_id, patch={"nudges": {"holdout_share": 0.0}})
            engine.plan_day(s, org_id=org_id, day=DEMO_TODAY, now=MORNING)
        with Session(app.services.engine) as s:
            planned = storage.org_nudges(s, org_id=org_id)
        links: dict[str, list[str]] = {}
        for n in planned:
            links.setdefault(n.user_id, []).append(n.link)
            if n.channel == "feed":
                assert engine.deliver(app.services.engine, nudge_id=n.id, now=MORNING) == "sent"
        yield Northwind(app=app, tom=tom, links=links)


def _rule_link(state: LearnerState, kind: str, day: date = DEMO_TODAY) -> str:
    """The link the real rule of ``kind`` makes for ``state``."""
    return next(c.link for c in learner_candidates(state, day=day, tz=PARIS) if c.kind == kind)


def _sign_in(page: Page, token: str) -> None:
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Your token").fill(token)
    page.get_by_role("button", name="Sign in").click()


def _highlighted(page: Page, *, focused: bool = True) -> Any:
    """The item the link pointed at: there is one, and it has the focus (unless the page
    hands the focus on, as the coach section does to the chat box)."""
    node = page.locator(".highlight")
    expect(node).to_have_count(1)
    if focused:
        expect(node).to_be_focused()
    expect(node).to_have_attribute("aria-current", "true")
    return node


def test_a_step_link_opened_before_signing_in_highlights_the_step(
    page: Page, northwind: Northwind
) -> None:
    app = northwind.app
    ana = app.learners["ana"]
    step_link = next(link for link in northwind.links[ana.id] if "?step=" in link)
    item = step_link.split("?step=")[1]
    page.goto(app.url + step_link)
    _sign_in(page, ana.token)
    expect(page.locator("#who")).to_have_text("Ana")
    expect(page.locator("#section-title")).to_have_text("My path")
    expect(page.get_by_role("link", name="My path")).to_have_attribute("aria-current", "page")
    step = _highlighted(page)
    expect(step).to_have_attribute("data-item", item)
    expect(step.locator(".step-reason")).to_contain_text("Why:")
    assert page.url.endswith(step_link)  # the address still says where the learner is
    # A session reminder (the D-7 rule, for the session the path books) shows its logistics.
    path = app.api("GET", "/v1/me/path", who=ana)
    booked = next(s for s in path["path"]["steps"] if s["session_id"])
    start = datetime.fromisoformat(path["sessions"][booked["session_id"]]["start"])
    state = LearnerState(
        org_id=ana.org_id,
        user_id=ana.id,
        sessions=(UpcomingSession(booked["session_id"], booked["item_id"], "", start),),
    )
    link = _rule_link(state, "session.d7", day=start.date() - timedelta(days=5))
    page.goto(app.url + link)  # signed in already: this tab keeps the token
    session = _highlighted(page)
    expect(session).to_have_attribute("data-session", booked["session_id"])
    expect(session.locator(".step-session")).to_contain_text("Where: Microsoft Teams")
    expect(session.locator(".step-session")).to_contain_text("Trainer: Hannah Cole")
    # the D-7 nudge's promise: from the session, the coach opens on a request to prepare it
    session.get_by_role("link", name="Prepare for this session with the coach").click()
    expect(page.locator("#section-title")).to_have_text("Coach")
    box = page.get_by_role("textbox", name="Your question")
    expect(box).to_have_value(
        f"Help me prepare for my session {booked['title']}: what should I know and practise "
        "beforehand, from my course material?"
    )
    # a step no longer in the path is said so, not silently ignored
    page.goto(f"{app.url}/me/path?step=not-in-the-path")
    expect(page.get_by_role("alert")).to_have_text(
        "The step not-in-the-path is not in your approved path any more."
    )
    # a French learner reads French
    page.goto(f"{app.url}/me#token={app.learners['luc'].token}")
    expect(page.locator("#section-title")).to_have_text("Mon parcours")
    expect(page.locator(".step").first).to_be_visible()


def test_notifications_are_marked_read_and_an_opt_out_persists(
    page: Page, northwind: Northwind
) -> None:
    app = northwind.app
    ana = app.learners["ana"]
    feed = app.api("GET", "/v1/me/notifications", who=ana)
    assert feed["unread"] >= 1
    page.goto(f"{app.url}/me/notifications#token={ana.token}")
    items = page.locator(".notification")
    expect(items).to_have_count(len(feed["items"]))
    expect(page.locator(".unread")).to_have_text(f"{feed['unread']} unread")
    first = items.first
    expect(first.locator("h4")).to_have_text(feed["items"][0]["subject"])
    first.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".unread")).to_have_text(f"{feed['unread'] - 1} unread")
    expect(page.locator(".notification").first).to_contain_text("Read")
    after = app.api("GET", "/v1/me/notifications", who=ana)
    assert after["items"][0]["read_at"] is not None and after["unread"] == feed["unread"] - 1
    # opting out of e-mail holds at once and survives a reload
    email = page.get_by_label("By e-mail")
    expect(email).to_be_checked()
    email.uncheck()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: you get reminders through")
    assert app.api("GET", "/v1/me/nudge-preferences", who=ana)["opted_out"] == ["email"]
    page.reload()
    expect(page.get_by_label("By e-mail")).not_to_be_checked()
    expect(page.get_by_label("In this page and the chat widget")).to_be_checked()
    page.get_by_label("By e-mail").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert app.api("GET", "/v1/me/nudge-preferences", who=ana)["opted_out"] == []
    # a notification's own link (the step.due rule's) leads to its step
    due = next(n for n in feed["items"] if n["kind"] == "step.due")
    note = page.locator(".notification").filter(has_text=due["subject"])
    note.get_by_role("link", name="Open").click()
    expect(page).to_have_url(app.url + due["link"])
    expect(_highlighted(page)).to_have_attribute("data-item", due["link"].split("=")[1])


def test_a_goal_comment_is_posted_and_the_manager_view_shown(
    page: Page, northwind: Northwind
) -> None:
    app = northwind.app
    ana = app.learners["ana"]
    headers = {"Authorization": f"Bearer {northwind.tom}"}
    goal = {
        "label": "Lead the weekly feedback round",
        "reason": "You will chair the team's retrospectives from January.",
        "deadline": "2027-02-26",
        "skills": [{"skill": "feedback.giving", "level": 3}],
    }
    resp = httpx.post(
        f"{app.url}/v1/manager/reports/{ana.id}/goals", json=goal, headers=headers, timeout=10
    )
    assert resp.status_code == 201, resp.text
    page.goto(f"{app.url}/me/goals#token={ana.token}")
    item = page.locator(".goal").filter(has_text="Lead the weekly feedback round")
    expect(item).to_contain_text("proposed by Tom Hughes")
    expect(item).to_contain_text("Target: feedback.giving level 3")
    send = item.get_by_role("button", name="Send comment")
    send.click()
    expect(page.get_by_role("alert")).to_have_text("Write your comment first.")
    box = item.get_by_label("Your comment on “Lead the weekly feedback round”")
    expect(box).to_be_focused()
    box.fill("Happy to: can I shadow Priya's round first?")
    send.click()
    expect(page.get_by_role("status")).to_have_text("Your comment is posted.")
    expect(item.locator(".comments li")).to_contain_text(["Can I shadow"], ignore_case=True)
    stored = app.api("GET", "/v1/me/goals", who=ana)["goals"]
    mine = next(g for g in stored if g["label"] == goal["label"])
    assert [(c["author"], c["text"]) for c in mine["comments"]] == [
        ("Ana", "Happy to: can I shadow Priya's round first?")
    ]
    view = page.locator(".manager-view")
    expect(view.get_by_role("heading", level=3)).to_have_text("What my manager can see")
    expect(view).to_contain_text("Manager(s): Tom Hughes")
    expect(view.locator(".sees")).to_contain_text("This is what they see of you")
    expect(view).to_contain_text("Overdue mandatory training: Cybersecurity awareness")
    expect(view.locator(".confirmations")).to_contain_text("not answered yet")  # asked of Tom


def test_the_manager_lands_on_a_person_or_a_confirmation_and_not_on_another_team(
    page: Page, northwind: Northwind
) -> None:
    app = northwind.app
    ana = app.learners["ana"]
    state = LearnerState(
        org_id=ana.org_id,
        user_id=ana.id,
        name="Ana",
        manager_id="tom",
        reached=(LevelReached("feedback.giving", "Giving feedback", 2, DEMO_TODAY),),
    )
    link = _rule_link(state, "skill.reached.manager")
    page.goto(f"{app.url}{link}#token={northwind.tom}")
    expect(page.locator("#person-title")).to_have_text("Ana")
    expect(_highlighted(page)).to_have_id("person")
    # Luc is in Sophie's team: the API's refusal is said plainly, the rest of the page stays
    page.goto(f"{app.url}/manager/reports/{northwind.user_id('luc')}")
    expect(page.get_by_role("alert")).to_have_text(
        "This person's detail can't be shown: no such person in your team."
    )
    expect(page.locator("#person")).to_be_hidden()
    expect(page.locator("#people tbody tr")).to_have_count(2)
    # the application request nudge planned for Tom opens that confirmation
    tom_id = next(
        uid for uid, links in northwind.links.items() if any("#confirm/" in x for x in links)
    )
    confirm = next(x for x in northwind.links[tom_id] if "#confirm/" in x)
    page.goto(app.url + confirm)
    page.reload()  # only the fragment changed
    wanted = confirm.split("#confirm/")[1]
    expect(_highlighted(page)).to_have_id(f"confirm-{wanted}")


@pytest.fixture(scope="module")
def lena(live_app: LiveApp) -> TestUser:
    """A learner of her own in the session's app (the demo's Ana is shared with others)."""
    secret = auth_secret(live_app.services.settings)
    return make_user(
        live_app.services.engine, secret=secret, external_id="lena", display_name="Lena"
    )


def _call(app: LiveApp, who: TestUser, method: str, path: str, **body: Any) -> Any:
    resp = httpx.request(method, app.url + path, headers=who.headers, json=body or None, timeout=30)
    assert resp.is_success, resp.text
    return resp.json()


def test_the_coach_offers_to_go_over_a_missed_quiz_and_reviews_start_there(
    page: Page, live_app: LiveApp, lena: TestUser
) -> None:
    quiz = _call(live_app, lena, "POST", "/v1/quizzes", n=3, course_id="feedback-conversations")
    for item in quiz["items"]:  # every answer wrong
        key = _key(live_app, item["id"])
        wrong = (
            {"choice": ((key.correct_index or 0) + 1) % len(key.options)}
            if key.options
            else {"text": "no idea"}
        )
        graded = _call(
            live_app, lena, "POST", f"/v1/quizzes/{quiz['id']}/answers", item_id=item["id"], **wrong
        )
        assert graded["correct"] is False
    state = LearnerState(
        org_id=lena.org_id,
        user_id=lena.id,
        quizzes=(QuizOutcome(quiz["id"], "feedback", 0.0, 3, MORNING - timedelta(hours=3)),),
    )
    link = _rule_link(state, "quiz.help")
    page.goto(f"{live_app.url}{link}#token={lena.token}")
    offer = _highlighted(page, focused=False)
    expect(offer.get_by_role("heading")).to_contain_text("Your quiz on")
    expect(offer).to_contain_text(f"You got 0 of {len(quiz['items'])} right.")
    expect(offer.locator(".missed li")).to_have_text([i["stem"] for i in quiz["items"]])
    # the widget, in the page with Lena's token, opens with the request written for her
    expect(page.get_by_role("dialog")).to_be_visible()
    box = page.get_by_role("textbox", name="Your question")
    expect(box).to_be_focused()
    expect(box).to_have_value(re.compile(r"^Help me with the quiz I just took on .+\n1\. "))
    assert quiz["items"][0]["stem"] in box.input_value()
    # the skills those answers measured; ?skill= highlights one
    skill = _call(live_app, lena, "GET", "/v1/me/mastery")["skills"][0]["skill"]
    page.goto(f"{live_app.url}{_rule_link(_reached(lena, skill), 'skill.reached')}")
    expect(_highlighted(page)).to_have_attribute("data-skill", skill)
    # reviews come due (a day later): listed, and started with the coach
    with Session(live_app.services.engine) as s, s.begin():
        s.execute(
            update(storage.ReviewCard)
            .where(storage.ReviewCard.user_id == lena.id)
            .values(due=datetime.now(UTC) - timedelta(hours=1))
        )
    page.goto(f"{live_app.url}/me/reviews")
    expect(page.locator(".reviews li")).to_have_count(len(quiz["items"]))
    with page.expect_response(re.compile(r"/v1/quizzes$")) as created:
        page.get_by_role("link", name="Start my reviews with the coach").click()
    assert created.value.status == 201
    due = {i["id"] for i in quiz["items"]}
    assert {i["id"] for i in created.value.json()["items"]} & due  # the due items come first
    expect(page.locator(".quiz .quiz-progress")).to_contain_text("Question 1 of")


def _reached(who: TestUser, skill: str) -> LearnerState:
    return LearnerState(
        org_id=who.org_id,
        user_id=who.id,
        reached=(LevelReached(skill, skill, 1, DEMO_TODAY),),
    )
