"""The sweep opens surveys from events, once, and closes them after their deadline."""

from datetime import timedelta

from sqlalchemy.orm import Session

from coach import storage
from coach.surveys.sweep import open_due
from tests.coach.surveys.conftest import DAY, Org, complete, sign


def _mine(session: Session, org: Org, who: storage.Viewer) -> list[storage.SurveyInstance]:
    return storage.survey_instances(session, org_id=org.id, respondent_id=who.id)


def test_a_signed_session_and_a_completion_open_hot_surveys_once(
    session: Session, org: Org
) -> None:
    sign(session, org, org.ana, org.luc)
    complete(session, org, org.ana, "el-gdpr")
    complete(session, org, org.ana, "cl-nego")  # the class's own completion: no second survey
    storage.save_attendance(
        session, org_id=org.id, rows=[{"session_id": "s1", "user_id": org.eve.id, "signed": False}]
    )
    first = open_due(session, org_id=org.id, today=DAY)
    again = open_due(session, org_id=org.id, today=DAY + timedelta(days=1))
    assert (first.opened, again.opened) == (3, 0)
    ana = _mine(session, org, org.ana)
    assert sorted((i.kind, i.item_id, i.session_id, i.trigger) for i in ana) == [
        ("hot", "cl-nego", "s1", "attendance"),
        ("hot", "el-gdpr", "", "completion"),
    ]
    assert {(i.opens_on, i.closes_on) for i in ana} == {(DAY, DAY + timedelta(days=14))}
    assert _mine(session, org, org.eve) == []  # absent: nothing to evaluate


def test_cold_surveys_open_at_each_delay_for_the_learner_and_their_manager(
    session: Session, org: Org
) -> None:
    sign(session, org, org.ana)
    storage.update_org_settings(
        session,
        org_id=org.id,
        patch={"surveys": {"cold_after_days": [30, 60], "cold_close_days": 10}},
    )
    assert (
        open_due(session, org_id=org.id, today=DAY + timedelta(days=29)).opened == 0
    )  # hot is past
    d30 = open_due(session, org_id=org.id, today=DAY + timedelta(days=30))
    assert d30.opened == 2
    boss = _mine(session, org, org.bea)
    assert [(i.kind, i.audience, i.subject_id, i.offset_days) for i in boss] == [
        ("cold", "manager", org.ana.id, 30)
    ]
    assert boss[0].closes_on == DAY + timedelta(days=40)
    later = open_due(session, org_id=org.id, today=DAY + timedelta(days=60))
    assert (later.opened, later.closed) == (2, 2)  # D+60 pair opens; the D+30 pair closed
    statuses = {(i.offset_days, i.status) for i in _mine(session, org, org.ana)}
    assert statuses == {(30, "closed"), (60, "open")}


def test_hot_survey_closes_the_day_after_its_last_day(session: Session, org: Org) -> None:
    complete(session, org, org.luc, "el-gdpr")
    open_due(session, org_id=org.id, today=DAY)
    assert open_due(session, org_id=org.id, today=DAY + timedelta(days=14)).closed == 0
    assert open_due(session, org_id=org.id, today=DAY + timedelta(days=15)).closed == 1
    assert [i.status for i in _mine(session, org, org.luc)] == ["closed"]


def test_an_organisation_template_is_copied_into_new_instances(session: Session, org: Org) -> None:
    from coach.surveys.store import override
    from coach.surveys.templates import default_template

    data = default_template("hot", "learner").model_dump(mode="json")
    data["title"] = {"en": "Quick check", "fr": "Petit bilan"}
    override(session, org_id=org.id, kind="hot", audience="learner", data=data, by=org.maria.id)
    complete(session, org, org.ana, "el-gdpr")
    open_due(session, org_id=org.id, today=DAY)
    (inst,) = _mine(session, org, org.ana)
    assert inst.template["title"]["fr"] == "Petit bilan"
