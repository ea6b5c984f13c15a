"""Under-used and disliked sections, from hand-made use and from real chat turns."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach.insights.content import ContentRules, content_use
from coach.insights.report import weak_content
from coach.services import Services
from tests.coach.api.test_chat import BREACH, ask
from tests.utils.hits import make_hit
from tests.utils.users import TestUser

INTRO = make_hit("a", module="Intro", section="Welcome", chunk_id="intro#welcome:0")
INTRO_2 = make_hit("b", module="Intro", section="Goals", chunk_id="intro#goals:0")
DEEP = make_hit("c", module="Deep", section="Details", chunk_id="deep#details:0")
DEEP_2 = make_hit("d", module="Deep", section="Details", chunk_id="deep#details:1")


def test_sections_are_flagged_unused_never_cited_and_disliked() -> None:
    turns = [(["intro#welcome:0", "deep#details:1"], ["intro#welcome:0"])] * 3
    ratings = [(-1, ["intro#welcome:0"]), (-1, ["intro#welcome:0"]), (1, ["intro#welcome:0"])]
    sections, modules = content_use([INTRO, INTRO_2, DEEP, DEEP_2], turns, ratings)
    by = {s.section_title: s for s in sections}
    assert by["Welcome"].retrieved == 3 and by["Welcome"].cited == 3
    assert by["Welcome"].flags == ["disliked"]
    assert by["Welcome"].evidence == ["2 of 3 rated answers citing it: thumbs-down"]
    assert by["Goals"].flags == ["unused"]
    assert by["Details"].flags == ["never_cited"] and by["Details"].retrieved == 3
    assert modules == []  # each module had a section in use


def test_a_module_whose_sections_all_went_unused_is_listed() -> None:
    _, modules = content_use([INTRO, INTRO_2, DEEP], [(["deep#details:0"], [])], [])
    assert [(m.module_id, m.sections) for m in modules] == [("intro", 2)]


def test_too_few_ratings_are_not_judged() -> None:
    sections, _ = content_use([INTRO], [], [(-1, ["intro#welcome:0"])] * 2)
    assert "disliked" not in sections[0].flags
    sections, _ = content_use(
        [INTRO], [], [(-1, ["intro#welcome:0"])] * 2, ContentRules(min_ratings=2)
    )
    assert "disliked" in sections[0].flags


def test_real_turns_and_thumbs_down_flag_the_demo_sections(
    client: TestClient, services: Services, learner: TestUser
) -> None:
    for _ in range(3):
        body = ask(client, learner, BREACH)
        resp = client.post(
            f"/v1/messages/{body['message_id']}/feedback",
            json={"rating": -1},
            headers=learner.headers,
        )
        assert resp.status_code == 200
    cited = body["citations"][0]
    with Session(services.engine) as session:
        report = weak_content(session, org_id=learner.org_id, retriever=services.retriever())
    by = {(s.source_path, s.section_title): s for s in report.sections}
    hit = by[(cited["source_path"], cited["section_title"])]
    assert hit.cited == 3 and hit.rated == 3 and "disliked" in hit.flags
    assert any("unused" in s.flags for s in report.sections)
    assert any(m.course_id == "warehouse-safety" for m in report.modules)
    assert not any(s.course_id.startswith("admin-docs") for s in report.sections)
