"""The learner page (/me/SECTION) and the manager's per-person address are served like the
other pages; every deep link the nudge rules and the application requests make leads to a
served page that reads the link's parameters."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach.api.review_pages import LEARNER_SECTIONS, PAGE_HEADERS
from coach.managers.applications import PendingConfirmations
from coach.nudges.rules import KINDS, learner_candidates
from coach.nudges.state import LearnerState, LevelReached, PathStep, QuizOutcome, UpcomingSession
from coach.pages import STATIC
from tests.coach.api.test_pages import _app
from tests.utils.paths import DEMO_TODAY, seed_demo_paths

REVIEW = STATIC / "review"
PAGE_SCRIPT = {
    "me.html": '<script type="module" src="/review/me.js">',
    "manager.html": '<script type="module" src="/review/manager.js">',
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the module (nothing ingested: pages and links need no index)."""
    yield from _app(tmp_path_factory.mktemp("learner-pages"))


def _page(client: TestClient, url: str) -> str:
    """The page served at ``url`` (its name), checked to carry the pages' headers."""
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.text)
    assert resp.headers["content-type"] == "text/html; charset=utf-8"
    for name, value in PAGE_HEADERS.items():
        assert resp.headers[name] == value, (url, name)
    return next(name for name, tag in PAGE_SCRIPT.items() if tag in resp.text)


def test_every_section_of_the_learner_page_is_served_with_the_pages_headers(
    pages: TestClient,
) -> None:
    assert _page(pages, "/me") == "me.html"
    for section in LEARNER_SECTIONS:
        assert _page(pages, f"/me/{section}?step=x&quiz=y") == "me.html"
    # the page links to each section it knows, and knows no other
    html = (REVIEW / "me.html").read_text(encoding="utf-8")
    assert re.findall(r'href="/me/(\w+)"', html) == list(LEARNER_SECTIONS)


@pytest.mark.parametrize(
    "url",
    [
        "/me/unknown",
        "/me/PATH",
        "/me/path/extra",
        "/me/..%2Freview%2Fme.html",
        "/me/%2e%2e",
        "/me/path%00",
        "/manager/reports/",
        "/manager/reports/a/b",
        "/manager/reports/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_unknown_sections_and_crafted_paths_are_404(pages: TestClient, url: str) -> None:
    resp = pages.get(url)
    assert resp.status_code == 404, url
    assert "<html" not in resp.text


def test_the_manager_page_opens_on_a_person(pages: TestClient) -> None:
    assert _page(pages, "/manager/reports/2b0c7d1e-aaaa") == "manager.html"


def test_the_learner_page_modules_and_their_imports_are_served(pages: TestClient) -> None:
    """Each module me.html loads, and every module they import in turn, is served."""
    seen: set[str] = set()
    todo = ["/review/me.js"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        resp = pages.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["content-type"].startswith("text/javascript")
        for spec in re.findall(r'(?:from|import)\s*\(?\s*"(\.{1,2}/[^"]+)"', resp.text):
            todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(url), spec)))
    assert {"/review/me.path.js", "/review/me.goals.js", "/widget/chat.js"} <= seen
    assert pages.get("/review/me.css").status_code == 200


# -- deep links ------------------------------------------------------------------------------


def _rule_links() -> list[tuple[str, str]]:
    """(kind, link) of one candidate of every kind, made by the real rules."""
    tz = ZoneInfo("Europe/Paris")
    day = date(2026, 11, 23)
    at = datetime(2026, 11, 23, 9, 0, tzinfo=tz)
    state = LearnerState(
        org_id="org",
        user_id="5f0e2b9c-user",
        name="Ana",
        manager_id="7d1c-manager",
        sessions=(
            UpcomingSession("s-day-before", "item-a", "A", at + timedelta(days=1), "Room 2"),
            UpcomingSession("s-week", "item-b", "B", at + timedelta(days=5), "Teams"),
        ),
        steps=(PathStep("anti-bribery", "Anti-bribery", day + timedelta(days=1), deadline=day),),
        reviews_due=5,
        quizzes=(
            QuizOutcome("quiz-1", "Feedback", 0.25, 4, at.astimezone(UTC) - timedelta(hours=20)),
        ),
        reached=(LevelReached("feedback.giving", "Giving feedback", 2, day - timedelta(days=1)),),
    )
    found = {c.kind: c.link for c in learner_candidates(state, day=day, tz=tz)}
    assert set(found) == set(KINDS), "a rule kind made no candidate: extend the state above"
    return sorted(found.items())


def _page_reads(page: str, key: str) -> bool:
    """Whether one of the page's modules reads the query parameter ``key``."""
    stem = page.removesuffix(".html")
    sources = [p.read_text(encoding="utf-8") for p in REVIEW.glob(f"{stem}*.js")]
    return any(f'params.get("{key}")' in s for s in sources)


@pytest.mark.parametrize(("kind", "link"), _rule_links())
def test_every_nudge_rule_link_opens_a_served_page(pages: TestClient, kind: str, link: str) -> None:
    parts = urlsplit(link)
    page = _page(pages, link)
    assert page == ("manager.html" if kind.endswith(".manager") else "me.html"), link
    for key in parse_qs(parts.query):
        assert _page_reads(page, key), f"{page} ignores ?{key}= of {kind}'s link {link}"


def test_the_application_requests_link_opens_the_confirmation(
    pages: TestClient, tmp_path: Path
) -> None:
    engine = pages.app.state.services.engine  # type: ignore[attr-defined]
    org = seed_demo_paths(engine, tmp_path)
    with Session(engine) as session, session.begin():
        found = list(PendingConfirmations().candidates(session, org_id=org, day=DEMO_TODAY))
    assert found, "the demo has applications to confirm on its date"
    for candidate in found:
        parts = urlsplit(candidate.link)
        assert _page(pages, parts.path) == "manager.html"
        assert re.fullmatch(r"confirm/[\w-]+", parts.fragment), candidate.link
    manager_js = (REVIEW / "manager.js").read_text(encoding="utf-8")
    assert "#confirm\\/" in manager_js  # the page reads that fragment
