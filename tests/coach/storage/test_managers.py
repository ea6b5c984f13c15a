"""Reporting lines keep their history: who managed whom on any day, changes close lines."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from coach import storage
from tests.coach.storage.conftest import People

D1, D2, D3 = date(2026, 1, 5), date(2026, 3, 1), date(2026, 6, 1)


def test_a_change_of_manager_closes_the_line_and_keeps_the_history(
    session: Session, people: People
) -> None:
    org, ana = people.ana.org_id, people.ana.id
    assert storage.set_manager(
        session, org_id=org, report_id=ana, manager_id=people.maria.id, on=D1
    )
    assert not storage.set_manager(
        session, org_id=org, report_id=ana, manager_id=people.maria.id, on=D2
    )  # unchanged: nothing written
    assert storage.set_manager(session, org_id=org, report_id=ana, manager_id=people.luc.id, on=D2)
    session.commit()
    assert storage.manager_on(session, report_id=ana, on=date(2025, 12, 31)) is None
    assert storage.manager_on(session, report_id=ana, on=D1) == people.maria.id
    assert storage.manager_on(session, report_id=ana, on=date(2026, 2, 28)) == people.maria.id
    assert storage.manager_on(session, report_id=ana, on=D2) == people.luc.id
    history = storage.reporting_history(session, report_id=ana)
    assert [(h.manager_id, h.valid_from, h.valid_to) for h in history] == [
        (people.maria.id, D1, D2),
        (people.luc.id, D2, None),
    ]
    assert storage.direct_reports(session, org_id=org, manager_id=people.luc.id) == [ana]
    assert storage.direct_reports(session, org_id=org, manager_id=people.maria.id, on=D1) == [ana]
    assert storage.direct_reports(session, org_id=org, manager_id=people.maria.id) == []
    # leaving with no manager closes the line
    assert storage.set_manager(session, org_id=org, report_id=ana, manager_id=None, on=D3)
    assert storage.current_managers(session, org_id=org) == {}
    assert storage.current_managers(session, org_id=org, on=D2) == {ana: people.luc.id}


def test_a_line_replaced_the_day_it_opened_never_held(session: Session, people: People) -> None:
    org, ana = people.ana.org_id, people.ana.id
    storage.set_manager(session, org_id=org, report_id=ana, manager_id=people.maria.id, on=D1)
    storage.set_manager(session, org_id=org, report_id=ana, manager_id=people.luc.id, on=D1)
    history = storage.reporting_history(session, report_id=ana)
    assert [(h.manager_id, h.valid_from, h.valid_to) for h in history] == [
        (people.luc.id, D1, None)
    ]


def test_nobody_manages_themselves_nor_goes_back_in_time(session: Session, people: People) -> None:
    org, ana = people.ana.org_id, people.ana.id
    with pytest.raises(ValueError, match="own manager"):
        storage.set_manager(session, org_id=org, report_id=ana, manager_id=ana, on=D1)
    storage.set_manager(session, org_id=org, report_id=ana, manager_id=people.luc.id, on=D2)
    with pytest.raises(ValueError, match="after"):
        storage.set_manager(session, org_id=org, report_id=ana, manager_id=people.maria.id, on=D1)


def test_an_application_request_is_answered_once_and_read_by_period(
    session: Session, people: People
) -> None:
    from datetime import UTC, datetime, timedelta

    org, ana, maria = people.ana.org_id, people.ana.id, people.maria.id
    req = storage.open_request(
        session,
        org_id=org,
        report_id=ana,
        manager_id=maria,
        item_id="feedback-conversations",
        skill="feedback.giving",
        step_kind="completion",
        learned_on=D1,
        due_on=D2,
    )
    assert storage.request_keys(session, org_id=org) == {
        (ana, "feedback-conversations", "feedback.giving")
    }
    assert [r.id for r in storage.pending_requests(session, org_id=org, due_by=D2)] == [req.id]
    assert storage.pending_requests(session, org_id=org, due_by=D1) == []
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    storage.answer_request(
        session,
        request=req,
        answered_by=maria,
        level=4,
        comment="ok",
        statement={"id": req.id},
        at=at,
    )
    session.commit()
    with pytest.raises(storage.Conflict, match="final"):
        storage.answer_request(
            session, request=req, answered_by=maria, level=None, comment="", statement={}
        )
    with pytest.raises(ValueError, match="level"):
        storage.answer_request(
            session, request=req, answered_by=maria, level=5, comment="", statement={}
        )
    got = storage.get_request(session, org_id=org, request_id=req.id)
    assert (got.status, got.level, got.comment, got.answered_at) == ("answered", 4, "ok", at)
    window = {"since": at - timedelta(days=1), "until": at + timedelta(seconds=1)}
    assert [r.id for r in storage.application_answers(session, org_id=org, **window)] == [req.id]
    assert storage.application_answers(session, org_id=people.zoe.org_id, **window) == []
    with pytest.raises(storage.NotFound):
        storage.get_request(session, org_id=people.zoe.org_id, request_id=req.id)


def test_goals_and_their_comments(session: Session, people: People) -> None:
    org, ana = people.ana.org_id, people.ana.id
    goal = storage.create_goal(
        session,
        org_id=org,
        report_id=ana,
        manager_id=people.maria.id,
        label="Lead",
        target_role=None,
        skills=[{"skill": "feedback.giving", "level": 2}],
        deadline=D3,
        reason="growth",
    )
    author = storage.get_user(session, user_id=ana)
    storage.add_goal_comment(session, goal=goal, author=author, text="yes")
    session.commit()
    assert [g.id for g in storage.goals_of(session, report_id=ana, status="open")] == [goal.id]
    comments = storage.goal_comments(session, goal_ids=[goal.id])
    assert [(c.author_name, c.text) for c in comments[goal.id]] == [("ana", "yes")]
    with pytest.raises(storage.NotFound):
        storage.get_goal(session, org_id=people.zoe.org_id, goal_id=goal.id)
