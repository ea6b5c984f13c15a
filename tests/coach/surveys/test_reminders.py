"""Survey invitations and reminders as nudge candidates: one invitation per open survey,
reminders before it closes, nothing once answered or closed, keys stable across days."""

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.candidate import Source
from coach.nudges.templates import default_templates
from coach.surveys.reminders import SurveyReminders
from coach.surveys.sweep import open_due
from tests.coach.surveys.conftest import DAY, Org, complete


def test_open_unanswered_surveys_become_candidates(session: Session, org: Org) -> None:
    source: Source = SurveyReminders()
    complete(session, org, org.ana, "el-gdpr")
    complete(session, org, org.luc, "el-gdpr")
    open_due(session, org_id=org.id, today=DAY)
    first = list(source.candidates(session, org_id=org.id, day=DAY))
    assert sorted((c.kind, c.user_id) for c in first) == sorted(
        [("survey.hot.open", org.ana.id), ("survey.hot.open", org.luc.id)]
    )
    ana = next(c for c in first if c.user_id == org.ana.id)
    (inst,) = storage.survey_instances(session, org_id=org.id, respondent_id=org.ana.id)
    assert ana.link == f"/surveys/{inst.id}" and ana.params["item"] == "GDPR basics"
    assert ana.expires_at == datetime(2026, 3, 17, tzinfo=UTC)  # the end of DAY + 14
    luc = next(
        i for i in storage.survey_instances(session, org_id=org.id) if i.respondent_id == org.luc.id
    )
    storage.save_survey_answer(
        session, instance=luc, values={"satisfaction": 3}, language="fr", today=DAY
    )
    late = list(source.candidates(session, org_id=org.id, day=DAY + timedelta(days=11)))
    assert [(c.kind, c.user_id) for c in late] == [
        ("survey.hot.open", org.ana.id),
        ("survey.reminder", org.ana.id),
    ]
    assert late[0].key == ana.key  # the same invitation: the engine sends it once
    assert late[1].key.endswith(":reminder:1")
    assert list(source.candidates(session, org_id=org.id, day=DAY + timedelta(days=15))) == []


def test_a_managers_cold_survey_names_the_report(session: Session, org: Org) -> None:
    complete(session, org, org.ana, "el-gdpr")
    open_due(session, org_id=org.id, today=DAY + timedelta(days=30))
    found = list(SurveyReminders().candidates(session, org_id=org.id, day=DAY + timedelta(days=30)))
    boss = [c for c in found if c.user_id == org.bea.id]
    assert [(c.kind, c.params["audience"], c.params["about"]) for c in boss] == [
        ("survey.cold.open.manager", "manager", "Ana")
    ]
    text = default_templates().render("survey.cold.open.manager", boss[0].params, "en")
    assert text.subject.startswith("Ana and ") and "how Ana applies" in text.body
    assert {c.key for c in found} == {
        f"survey:{c.link.rsplit('/', 1)[1]}:{c.user_id}:open" for c in found
    }


def test_the_source_opens_due_surveys_itself_without_closing_any(
    session: Session, org: Org
) -> None:
    complete(session, org, org.ana, "el-gdpr")
    found = list(SurveyReminders().candidates(session, org_id=org.id, day=DAY))
    assert [(c.kind, c.user_id) for c in found] == [("survey.hot.open", org.ana.id)]
    later = DAY + timedelta(days=30)  # the hot survey is past its last day: left open
    list(SurveyReminders().candidates(session, org_id=org.id, day=later))
    statuses = {(i.kind, i.status) for i in storage.survey_instances(session, org_id=org.id)}
    assert statuses == {("hot", "open"), ("cold", "open")}
