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
