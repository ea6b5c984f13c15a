"""Survey invitations and reminders, proposed to the nudge engine (``coach.nudges``).

For each open, unanswered instance: ``survey.hot.open`` / ``survey.cold.open`` from the day
it opens, and ``survey.reminder`` from ``reminder_days_before_close`` days before it
closes. Keys are unique per instance, respondent and reminder, so the engine never sends
one twice; each expires when the survey closes (the end of its last day, UTC). A manager's
cold survey is ``survey.cold.open`` too, with ``audience`` "manager" and ``about`` (the
report's name) in its parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.candidate import Candidate
from coach.surveys.catalog import catalog_view
from coach.surveys.sweep import open_due


class SurveyReminders:
    """A nudge :class:`~coach.nudges.candidate.Source` for open surveys.

    Args:
        sweep: open the surveys due on the planned day first (``open_due`` without closing),
            so the nudge run needs no separate job to open them.
    """

    def __init__(self, *, sweep: bool = True) -> None:
        self.sweep = sweep

    def candidates(self, session: Session, *, org_id: str, day: date) -> Iterator[Candidate]:
        """Invitations and reminders for the organisation's open, unanswered surveys."""
        if self.sweep:
            open_due(session, org_id=org_id, today=day, close=False)
        before = storage.org_settings(session, org_id=org_id).surveys.reminder_days_before_close
        rows = [
            i
            for i in storage.survey_instances(session, org_id=org_id, opened_until=day)
            if i.status == "open" and day <= i.closes_on
        ]
        answered = storage.survey_answers(session, instance_ids=[i.id for i in rows])
        view = catalog_view(session, org_id=org_id)
        about = {
            i.subject_id: u.display_name
            for i in rows
            if i.audience == "manager" and (u := session.get(storage.User, i.subject_id))
        }
        for i in rows:
            if i.id in answered:
                continue
            expires = datetime.combine(i.closes_on + timedelta(days=1), time(0), UTC)
            params = {
                "item": view.title(i.item_id),
                "closes_on": i.closes_on.isoformat(),
                "kind": i.kind,
                "audience": i.audience,
                "offset_days": i.offset_days,
                "about": about.get(i.subject_id, ""),  # the report, for a manager's survey
            }
            common = {
                "org_id": org_id,
                "user_id": i.respondent_id,
                "link": f"/surveys/{i.id}",
                "params": params,
                "expires_at": expires,
                "session_id": i.session_id or None,
            }
            start = datetime.combine(i.opens_on, time(0), UTC)
            yield Candidate(
                # a manager's cold survey is about their report: its own wording
                kind=f"survey.{i.kind}.open" + (".manager" if i.audience == "manager" else ""),
                key=f"survey:{i.id}:{i.respondent_id}:open",
                not_before=start,
                reason=f"{i.kind} survey about '{params['item']}' opened on {i.opens_on}",
                priority=40,
                **common,  # type: ignore[arg-type]
            )
            for n, days in enumerate(sorted(before, reverse=True), 1):
                at = i.closes_on - timedelta(days=days)
                if at <= i.opens_on or at > day:
                    continue
                yield Candidate(
                    kind="survey.reminder",
                    key=f"survey:{i.id}:{i.respondent_id}:reminder:{n}",
                    not_before=datetime.combine(at, time(0), UTC),
                    reason=f"unanswered survey about '{params['item']}' closes on {i.closes_on}",
                    priority=45,
                    **common,  # type: ignore[arg-type]
                )
