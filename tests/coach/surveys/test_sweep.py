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


def test_a_sweep_over_many_instances_logs_one_event_each_in_one_insert(
    session: Session, org: Org
) -> None:
    """The sweep's event log rows are what it logged one by one before batching (one
    ``survey.opened`` per opened instance, for its respondent, naming instance, kind and
    item), written by a single INSERT whatever their number."""
    from sqlalchemy import event, select

    from coach.storage.models import Event

    learners = [org.ana, org.luc, org.eve]
    for n in range(40):
        row = storage.create_user(session, org_id=org.id, external_id=f"extra{n}")
        storage.save_learner_profile(
            session, org_id=org.id, user_id=row.id, role="rep", team="Sales", manager="bea",
            data={},
        )  # fmt: skip
        learners.append(storage.Viewer.from_user(row))
    for who in learners:
        complete(session, org, who, "el-gdpr")
        complete(session, org, who, "co-feedback", DAY - timedelta(days=30))
    inserts: list[str] = []
    engine = session.get_bind()

    def count(conn, cursor, statement, params, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO EVENTS"):
            inserts.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        done = open_due(session, org_id=org.id, today=DAY)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    opened = [i for i in storage.survey_instances(session, org_id=org.id) if i.opens_on <= DAY]
    # hot GDPR for all 43, cold D+30 feedback for all 43 and for bea about her 42 reports
    assert done.opened == len(opened) == 43 + 43 + 42
    logged = session.scalars(
        select(Event).where(Event.org_id == org.id, Event.type == "survey.opened")
    ).all()
    assert sorted((e.user_id, e.payload["instance"], e.payload["kind"], e.payload["item"])
                  for e in logged) == sorted(
        (i.respondent_id, i.id, i.kind, i.item_id) for i in opened
    )  # fmt: skip
    assert all(e.created_at is not None for e in logged)
    assert len(inserts) <= 1  # one statement (PostgreSQL and SQLite both batch it)
    assert open_due(session, org_id=org.id, today=DAY).opened == 0  # still idempotent
