"""The hold-out draw: the share within every team, random, stable, recorded."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.engine import ensure_holdout
from coach.nudges.holdout import draw
from coach.org_settings import NudgeSettings


@pytest.mark.parametrize("share", [0.0, 0.1, 0.25, 0.5])
def test_every_team_holds_out_its_share_within_one_person(share: float) -> None:
    teams = {f"t{t}": [f"u{t}-{i}" for i in range(3 + 7 * t)] for t in range(8)}
    draws = draw(teams, recorded={}, share=share, seed=1)
    held = Counter(d.team for d in draws if d.holdout)
    for team, users in teams.items():
        assert abs(held[team] - share * len(users)) < 1, team


def test_the_draw_depends_on_the_seed_not_on_input_order() -> None:
    users = [f"u{i}" for i in range(200)]
    a = {d.user_id for d in draw({"t": users}, recorded={}, share=0.1, seed=1) if d.holdout}
    b = {d.user_id for d in draw({"t": users[::-1]}, recorded={}, share=0.1, seed=1) if d.holdout}
    c = {d.user_id for d in draw({"t": users}, recorded={}, share=0.1, seed=2) if d.holdout}
    assert a == b and a != c and len(a) == 20


def test_newcomers_continue_the_team_s_draw() -> None:
    first = draw({"t": [f"u{i}" for i in range(15)]}, recorded={}, share=0.2, seed=3)
    later = draw({"t": [f"n{i}" for i in range(15)]}, recorded={"t": 15}, share=0.2, seed=3)
    assert [d.position for d in later] == list(range(15, 30))
    assert sum(d.holdout for d in first + later) == 6


def _learners(session: Session, org_id: str, team: str, n: int, prefix: str) -> None:
    for i in range(n):
        u = storage.create_user(session, org_id=org_id, external_id=f"{prefix}{i}")
        storage.save_learner_profile(
            session, org_id=org_id, user_id=u.id, role=None, team=team, manager="", data={}
        )


def test_the_draw_is_recorded_stable_and_redrawn_on_a_new_seed(db_engine: Engine) -> None:
    settings = NudgeSettings(holdout_share=0.2, holdout_seed=5)
    with Session(db_engine) as session, session.begin():
        org_id = storage.create_organisation(session, slug="acme").id
        _learners(session, org_id, "a", 10, "a")
        _learners(session, org_id, "b", 5, "b")
        first = ensure_holdout(session, org_id=org_id, settings=settings)
    assert sum(first.values()) == 3
    with Session(db_engine) as session, session.begin():
        _learners(session, org_id, "b", 5, "b-new")
        second = ensure_holdout(session, org_id=org_id, settings=settings)
        recorded = storage.holdout_draws(session, org_id=org_id)
        assert len(recorded) == 20 and {r.seed for r in recorded.values()} == {5}
    assert {u: second[u] for u in first} == first  # nobody changes group
    assert sum(second.values()) == 4
    with Session(db_engine) as session, session.begin():
        third = ensure_holdout(
            session, org_id=org_id, settings=NudgeSettings(holdout_share=0.2, holdout_seed=6)
        )
    assert sum(third.values()) == 4 and third != second
