"""What the learners import hands the managers' side: the chart, and the goals to keep."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from coach import storage
from coach.managers.chart import ChartChange, update_chart
from coach.managers.goals import apply_goals


def learners_imported(
    session: Session, *, org_id: str, managers: Mapping[str, str], on: date | None = None
) -> ChartChange:
    """Update the chart from the imported rows (learner external id → manager value), and
    write the open manager goals back into the profiles the import just replaced."""
    change = update_chart(session, org_id=org_id, managers=managers, on=on)
    ids = [u.id for u in storage.list_users(session, org_id=org_id) if u.external_id in managers]
    apply_goals(session, org_id=org_id, user_ids=ids)
    return change
