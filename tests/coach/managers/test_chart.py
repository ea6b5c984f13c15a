"""The learners import feeds the organisation chart: managers resolved or created, changes
kept as history, managers who learn too, and refusals that write nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from coach import storage
from coach.managers.chart import placeholder_id, update_chart
from coach.paths.imports import ImportRefused
from tests.coach.managers.conftest import import_rows, learner, user_id


def _manager_ext(session: Session, org_id: str, ext: str) -> str | None:
    found = storage.manager_on(
        session, report_id=user_id(session, org_id, ext), on=datetime.now(UTC).date()
    )
    return None if found is None else storage.get_user(session, user_id=found).external_id


def test_managers_resolve_by_id_email_then_name_or_are_created(
    session: Session, org_id: str, tmp_path: Path
) -> None:
    storage.create_user(session, org_id=org_id, external_id="tom", display_name="Tom Hughes")
    storage.create_user(
        session, org_id=org_id, external_id="r.green", display_name="R. Green", email="RG@x.org"
    )
    import_rows(
        session,
        org_id,
        tmp_path,
        [
            learner("ana", "Tom Hughes"),  # by display name (case ignored below)
            learner("priya", "tom hughes"),
            learner("sam", "rg@x.org"),  # by email
            learner("chloe", "r.green"),  # by external id
            learner("luc", "Sophie Garnier-Élan"),  # nobody: created
            learner("noe"),  # no manager
        ],
    )
    assert _manager_ext(session, org_id, "ana") == "tom"
    assert _manager_ext(session, org_id, "priya") == "tom"
    assert _manager_ext(session, org_id, "sam") == "r.green"
    assert _manager_ext(session, org_id, "chloe") == "r.green"
    assert _manager_ext(session, org_id, "noe") is None
    assert placeholder_id("Sophie Garnier-Élan") == "mgr-sophie-garnier-elan"
    sophie = storage.find_user(session, org_id=org_id, external_id="mgr-sophie-garnier-elan")
    assert sophie is not None and sophie.role == "manager"
    assert sophie.display_name == "Sophie Garnier-Élan"
    assert _manager_ext(session, org_id, "luc") == "mgr-sophie-garnier-elan"
    # a second import finds the created manager again instead of creating another one
    import_rows(session, org_id, tmp_path, [learner("luc", "Sophie Garnier-Élan")])
    managers = [u for u in storage.list_users(session, org_id=org_id) if u.role == "manager"]
    assert [u.external_id for u in managers] == ["mgr-sophie-garnier-elan"]


def test_a_new_manager_closes_the_old_line_and_history_answers_who_managed_when(
    session: Session, org_id: str, tmp_path: Path
) -> None:
    # re-importing on the same day replaces the line opened that day (it never held)
    import_rows(session, org_id, tmp_path, [learner("ana", "Sophie Garnier")])
    import_rows(session, org_id, tmp_path, [learner("ana", "Tom Hughes")])
    today = datetime.now(UTC).date()
    later = today + timedelta(days=40)
    update_chart(session, org_id=org_id, managers={"ana": "Rachel Green"}, on=later)
    session.commit()
    ana = user_id(session, org_id, "ana")
    history = storage.reporting_history(session, report_id=ana)
    names = [storage.get_user(session, user_id=h.manager_id).display_name for h in history]
    assert names == ["Tom Hughes", "Rachel Green"]
    assert [(h.valid_from, h.valid_to) for h in history] == [(today, later), (later, None)]
    tom = storage.manager_on(session, report_id=ana, on=later - timedelta(days=1))
    assert storage.get_user(session, user_id=tom or "").display_name == "Tom Hughes"


def test_a_manager_who_learns_is_imported_and_keeps_the_role(
    session: Session, org_id: str, tmp_path: Path
) -> None:
    storage.create_user(
        session, org_id=org_id, external_id="tom", display_name="Tom Hughes", role="manager"
    )
    import_rows(
        session,
        org_id,
        tmp_path,
        [learner("ana", "Tom Hughes"), learner("tom", "Vera Boss", name="Tom Hughes")],
    )
    tom = storage.find_user(session, org_id=org_id, external_id="tom")
    assert tom is not None and tom.role == "manager"
    assert _manager_ext(session, org_id, "tom") == "mgr-vera-boss"
    assert storage.learner_profiles(session, org_id=org_id, external_ids=["tom"])


def test_a_manager_named_in_the_same_file_is_that_row(
    session: Session, org_id: str, tmp_path: Path
) -> None:
    import_rows(
        session,
        org_id,
        tmp_path,
        [learner("ana", "Kim Lee"), learner("kim", name="Kim Lee")],
    )
    assert _manager_ext(session, org_id, "ana") == "kim"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [learner("ana", "Tom Hughes")],
            "manager 'Tom Hughes' is the name of 'tom', 'tom2': give their LMS id or email",
        ),
        ([learner("ana", "ana")], "'ana' cannot be their own manager"),
        ([learner("ana", "Ana Self", name="Ana Self")], "'ana' cannot be their own manager"),
    ],
)
def test_an_ambiguous_or_self_manager_refuses_the_file_and_writes_nothing(
    session: Session, org_id: str, tmp_path: Path, rows: list[dict[str, str]], message: str
) -> None:
    for ext in ("tom", "tom2"):
        storage.create_user(session, org_id=org_id, external_id=ext, display_name="Tom Hughes")
    session.commit()
    with pytest.raises(ImportRefused) as refused:
        import_rows(session, org_id, tmp_path, rows)
    session.rollback()
    assert [p.message for p in refused.value.problems] == [message]
    assert refused.value.problems[0].row == 1
    assert storage.find_user(session, org_id=org_id, external_id="ana") is None
    assert storage.current_managers(session, org_id=org_id) == {}
