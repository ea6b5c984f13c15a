"""The admin tools count what docs/admin-assistant.md says they count, on a small
organisation imported through the real import functions (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coach import storage
from coach.admin import tools
from coach.admin.imports import import_attendance, import_enrolments
from coach.admin.org import OrgData, Period, Scope
from coach.paths import World
from coach.paths.imports import ImportRefused, import_catalog, import_history, import_learners

TODAY = date(2026, 11, 26)
CATALOG = {
    "skills": [{"id": "safety.fire", "label": "Fire safety"}, {"id": "data.gdpr", "label": "GDPR"}],
    "roles": [{"id": "operative", "label": "Operative"}, {"id": "analyst", "label": "Analyst"}],
    "items": [
        {
            "id": "fire",
            "title": "Fire safety",
            "modality": "e-learning",
            "hours": 1,
            "skills": ["safety.fire:1"],
            "mandatory_for": [{"role": "operative", "renewal_days": 365}],
        },
        {
            "id": "gdpr",
            "title": "GDPR basics",
            "modality": "e-learning",
            "hours": 1,
            "skills": ["data.gdpr:1"],
            "mandatory_for": [{"role": "*"}],
        },
        {
            "id": "gdpr-lab",
            "title": "GDPR lab",
            "modality": "in-person",
            "hours": 3,
            "skills": ["data.gdpr:2"],
        },
    ],
    "sessions": [
        {"id": "lab-1", "item_id": "gdpr-lab", "start": "2026-11-24T09:00:00+01:00", "seats": 3},
        {"id": "lab-2", "item_id": "gdpr-lab", "start": "2026-12-15T09:00:00+01:00", "seats": 2},
    ],
}
LEARNERS = """id,name,role,team,manager
u1,Ana Ribeiro,operative,Dock,Marie Dupont
u2,Bo Chen,operative,Dock,Marie Dupont
u3,Cy Martin,analyst,Data,Tom Hughes
u4,Di Laurent,analyst,Data,Tom Hughes
"""
HISTORY = """learner_id,kind,date,item_id,skill,score,attended,phase,minutes
u1,completion,2025-10-01,fire,,0.9,,,30
u2,completion,2026-06-01,fire,,0.8,,,25
u3,completion,2026-10-05,gdpr,,1.0,,,20
u4,completion,2026-03-01,gdpr,,0.7,,,
u1,quiz,2026-09-01,gdpr,,0.4,,pre,10
u1,quiz,2026-10-01,gdpr,,0.5,,pre,10
u1,quiz,2026-11-01,gdpr,,0.9,,post,10
u2,quiz,2026-09-01,gdpr,,0.6,,pre,
u3,quiz,2026-11-20,gdpr,,0.8,,post,
u3,quiz,2026-09-20,gdpr,,0.5,,pre,
"""
ENROLMENTS = """learner_id,item_id,session_id,status,enrolled_on,due_on
u1,gdpr,,enrolled,2026-09-01,2026-10-31
u2,gdpr,,cancelled,2026-09-01,2026-10-31
u3,gdpr,,enrolled,2026-09-01,2026-12-31
u4,gdpr,,enrolled,2026-01-10,2026-03-31
u1,gdpr-lab,lab-1,enrolled,2026-11-01,
u2,gdpr-lab,lab-1,enrolled,2026-11-01,
u3,gdpr-lab,lab-1,enrolled,2026-11-01,
u4,gdpr-lab,lab-1,waitlisted,2026-11-02,
u4,gdpr-lab,lab-2,cancelled,2026-11-02,
"""
ATTENDANCE = """session_id,learner_id,signed,signed_at
lab-1,u1,true,2026-11-24T09:05:00+01:00
lab-1,u2,false,
lab-1,u4,true,
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def org(db_engine: Engine, tmp_path: Path) -> Iterator[OrgData]:
    world = World()
    with Session(db_engine) as s:
        o = storage.create_organisation(s, slug="acme", name="Acme")
        (tmp_path / "catalog.yaml").write_text(yaml.safe_dump(CATALOG), encoding="utf-8")
        import_catalog(s, org_id=o.id, path=tmp_path / "catalog.yaml")
        import_learners(s, world=world, org_id=o.id, path=_write(tmp_path, "l.csv", LEARNERS))
        import_history(s, world=world, org_id=o.id, path=_write(tmp_path, "h.csv", HISTORY))
        import_enrolments(s, org_id=o.id, path=_write(tmp_path, "e.csv", ENROLMENTS))
        import_attendance(s, org_id=o.id, path=_write(tmp_path, "a.csv", ATTENDANCE))
        s.commit()
        yield OrgData(s, org_id=o.id, world=world, today=TODAY)


def test_seats_count_enrolled_and_waitlisted_not_cancelled(org: OrgData) -> None:
    seats = tools.session_seats(org, "lab-1").answer
    assert seats == {"type": "seats", "capacity": 3, "enrolled": 3, "waitlisted": 1, "free": 0}
    assert tools.session_seats(org, "lab-2").answer["enrolled"] == 0


def test_unsigned_are_enrolled_learners_without_a_signed_row(org: OrgData) -> None:
    result = tools.attendance_status(org, "lab-1")
    # u2 signed=false, u3 no row; u4 signed but is only on the waiting list
    assert result.answer == {"type": "learners", "ids": ["u2", "u3"], "signed": 1, "enrolled": 3}
    states = {row[1]: row[-1] for row in result.table.rows}  # every enrolled learner's state
    assert states == {"u1": "signed", "u2": "marked absent", "u3": "no signature"}
    signed = tools.attendance_status(org, "lab-1", which="signed")
    assert signed.answer["ids"] == ["u1"]
    dock = tools.attendance_status(org, "lab-1", scope=Scope(team="Dock"))
    assert dock.answer["ids"] == ["u2"] and dock.filters["team"] == "Dock"


def test_overdue_follows_renewals_and_assignment_due_dates(org: OrgData) -> None:
    result = tools.overdue_mandatory(org, Scope())
    # u1: fire renewal lapsed (2025-10-01 + 365 d) and gdpr due 2026-10-31 never completed;
    # u2: fire renewed, gdpr enrolment cancelled → not assigned; u3: gdpr done;
    # u4: gdpr completed (no renewal) → compliant
    assert result.answer["ids"] == ["u1"]
    assert {row[3] for row in result.table.rows} == {"Fire safety", "GDPR basics"}
    assert tools.overdue_mandatory(org, Scope(manager="Tom Hughes")).answer["ids"] == []
    only_fire = tools.overdue_mandatory(org, Scope(team="Dock"), item_id="fire")
    assert only_fire.answer["ids"] == ["u1"]


def test_completion_rate_excludes_earlier_completions_and_cancelled_enrolments(
    org: OrgData,
) -> None:
    q4 = Period(date(2026, 10, 1), date(2026, 12, 31), "this quarter")
    # population: u1, u3 (u2 cancelled; u4 completed before the period) → u3 completed
    assert tools.completion_rate(org, "gdpr", Scope(), period=q4).answer == {
        "type": "rate",
        "value": 0.5,
    }
    by_team = tools.completion_rate(org, "gdpr", Scope(), period=q4, group_by="team")
    assert by_team.answer == {
        "type": "by_group",
        "group": "team",
        "values": {"Data": 1.0, "Dock": 0.0},
    }
    assert by_team.chart is not None and by_team.chart.svg.startswith("<svg")
    all_time = tools.completion_rate(org, "gdpr", Scope())
    assert all_time.answer == {"type": "rate", "value": round(2 / 3, 4)}


def test_progression_uses_the_latest_pre_and_post_of_learners_with_both(org: OrgData) -> None:
    got = tools.progression(org, "gdpr", Scope()).answer
    # u1: pre 0.5 (latest), post 0.9; u3: pre 0.5, post 0.8; u2 has no post-test
    assert got == {"type": "progression", "pre": 0.5, "post": 0.85, "gain": 0.35, "n": 2}


def test_engagement_counts_records_in_the_period_and_their_minutes(org: OrgData) -> None:
    nov = Period(date(2026, 11, 1), date(2026, 11, 30))
    assert tools.engagement(org, Scope(), period=nov).answer == {
        "type": "engagement",
        "active": 2,
        "minutes": 10.0,
    }
    default = tools.engagement(org, Scope()).filters["period"]
    assert default == ["2026-10-28", "2026-11-26"]


def test_quiz_results_average_and_pass_rate(org: OrgData) -> None:
    got = tools.quiz_results(org, Scope(team="Data"), item_id="gdpr").answer
    assert got["attempts"] == 2 and got["value"] == 0.65 and got["pass_rate"] == 0.5
    rate = tools.quiz_results(org, Scope(team="Data"), item_id="gdpr", measure="pass_rate")
    assert rate.answer["value"] == 0.5
    tries = tools.quiz_results(org, Scope(), skill=None, item_id="gdpr", measure="attempts")
    assert tries.answer["type"] == "number" and tries.answer["value"] == 6


def test_a_bad_enrolment_file_is_refused_whole_and_names_each_row(
    org: OrgData, tmp_path: Path
) -> None:
    before = org.session.scalar(select(func.count()).select_from(storage.Enrolment))
    bad = _write(
        tmp_path,
        "bad.csv",
        "learner_id,item_id,session_id,status,enrolled_on\n"
        "u1,gdpr,,enrolled,2026-11-01\n"
        "zz,gdpr,,enrolled,2026-11-01\n"
        "u2,gdpr,lab-1,enrolled,2026-11-01\n"
        "u3,gdpr,,maybe,2026-13-01\n",
    )
    with pytest.raises(ImportRefused) as err:
        import_enrolments(org.session, org_id=org.org_id, path=bad)
    messages = [(p.row, p.message) for p in err.value.problems]
    assert (3, "unknown learner 'zz' (import learners first)") in messages
    assert any(row == 4 and "not a session of 'gdpr'" in m for row, m in messages)
    assert any(row == 5 and "bad status" in m for row, m in messages)
    assert any(row == 5 and "enrolled_on" in m for row, m in messages)
    after = org.session.scalar(select(func.count()).select_from(storage.Enrolment))
    assert after == before


def test_the_dashboard_gives_each_indicator_per_team_and_per_course(org: OrgData) -> None:
    from coach.admin.kpis import dashboard

    nov = Period(date(2026, 9, 1), date(2026, 11, 30))
    teams = dashboard(org, group_by="team", period=nov)
    rows = {r[0]: dict(zip(teams.table.columns, r, strict=True)) for r in teams.table.rows}
    # Dock: u1 (records Sept-Nov) and u2 (a Sept pre-test) both active; u1 overdue
    assert rows["Dock"]["learners"] == 2 and rows["Dock"]["active_rate"] == 1.0
    assert rows["Dock"]["compliance_rate"] == 0.5
    assert rows["Data"]["prepost_gain"] == 30.0  # u3: 0.5 -> 0.8
    assert teams.charts and all(c.svg.startswith("<svg") for c in teams.charts)
    assert set(teams.definitions) == set(teams.table.columns[1:])
    courses = dashboard(
        org, group_by="course", period=Period(date(2026, 10, 1), date(2026, 12, 31))
    )
    gdpr = next(r for r in courses.table.rows if r[0] == "GDPR basics")
    assert gdpr[-1] == 0.5  # the completion rate of the tool for the same period


def test_the_backlog_counts_pending_paths_and_never_a_negative_wait(org: OrgData) -> None:
    people = {p.id: p for p in org.people}
    for lid in ("u1", "u2", "u3"):  # made now: after the organisation's today (2026-11-26)
        p = people[lid]
        storage.create_path(
            org.session,
            org_id=org.org_id,
            user_id=p.user_id,
            status="pending" if lid != "u3" else "draft",
            team=p.team,
            role=p.role,
        )
    result = tools.path_backlog(org, Scope())  # equal waits: sorting must not compare people
    assert result.answer == {"type": "number", "value": 2, "oldest_days": 0}
    assert sorted(row[1] for row in result.table.rows) == ["u1", "u2"]
    assert tools.path_backlog(org, Scope(team="Data")).answer["value"] == 0


def test_a_long_engagement_period_is_drawn_week_by_week(org: OrgData) -> None:
    autumn = Period(date(2026, 9, 1), date(2026, 11, 30))
    result = tools.engagement(org, Scope(), period=autumn)
    assert result.chart is not None and "per week" in result.chart.alt
    assert "2026-08-31 " in result.chart.alt  # the Monday of the first week
    by_team = tools.engagement(org, Scope(), period=autumn, group_by="team")
    assert by_team.chart is not None and "per week" not in by_team.chart.alt
