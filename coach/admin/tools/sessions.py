"""Live sessions: seats and waiting lists, rosters, attendance sign-off (émargement)."""

from __future__ import annotations

from typing import Literal

from coach.admin.org import OrgData, Person, Scope
from coach.admin.phrases import say
from coach.admin.schemas import DataResult, Table
from coach.admin.tools.common import _learners, _names, _people_table


def session_seats(org: OrgData, session_id: str, *, lang: str = "en") -> DataResult:
    """Capacity, enrolled, waiting list and free seats of one session."""
    s = org.live_session(session_id)
    rows = org.session_enrolments(session_id)
    enrolled = sum(1 for e in rows if e.status == "enrolled")
    waitlisted = sum(1 for e in rows if e.status == "waitlisted")
    if not rows:  # no enrolments held here yet: the LMS's own count
        enrolled = s.seats_taken
    free = max(s.seats - enrolled, 0)
    label = org.session_label(session_id)
    cancelled = session_id in org.cancelled
    return DataResult(
        tool="session_seats",
        title=label,
        summary=say(
            lang, "seats", label=label, cap=s.seats, enr=enrolled, wait=waitlisted, free=free
        )
        + (" " + say(lang, "cancelled") if cancelled else ""),
        filters={"session_id": session_id},
        answer={
            "type": "seats",
            "capacity": s.seats,
            "enrolled": enrolled,
            "waitlisted": waitlisted,
            "free": free,
        },
        table=Table(
            columns=[
                say(lang, k) for k in ("col_capacity", "col_enrolled", "col_wait", "col_free")
            ],
            rows=[[s.seats, enrolled, waitlisted, free]],
        ),
    )


def session_roster(
    org: OrgData,
    session_id: str,
    *,
    which: Literal["enrolled", "waitlisted"] = "enrolled",
    lang: str = "en",
) -> DataResult:
    """Who is enrolled in one session, or who is on its waiting list (``which``); the table
    shows everyone with their status."""
    rows = org.session_enrolments(session_id)
    status = {e.user_id: e.status for e in rows if e.status != "cancelled"}
    enrolled = [org.by_user[u] for u, st in status.items() if st == which and u in org.by_user]
    label = org.session_label(session_id)
    return DataResult(
        tool="session_roster",
        title=label,
        summary=say(lang, f"roster_{which}", label=label, n=len(enrolled), names=_names(enrolled)),
        filters={"session_id": session_id, "status": which},
        answer=_learners(enrolled),
        table=_people_table(
            [org.by_user[u] for u in status if u in org.by_user],
            lang,
            (say(lang, "col_status"), lambda p: status[p.user_id]),
        ),
    )


def attendance_status(
    org: OrgData,
    session_id: str,
    *,
    scope: Scope | None = None,
    which: Literal["unsigned", "signed"] = "unsigned",
    lang: str = "en",
) -> DataResult:
    """Enrolled learners of a session who have not signed its attendance sheet (or, with
    ``which="signed"``, those who have), optionally only those in ``scope``."""
    scope = scope or Scope()
    enrolled = [
        org.by_user[e.user_id]
        for e in org.session_enrolments(session_id)
        if e.status == "enrolled" and e.user_id in org.by_user
    ]
    enrolled = [p for p in enrolled if scope.admits(p)]
    signed = org.signoffs(session_id)
    missing = [p for p in enrolled if not signed.get(p.user_id, False)]
    present = [p for p in enrolled if signed.get(p.user_id, False)]
    label = org.session_label(session_id)

    def state(p: Person) -> str:
        value = signed.get(p.user_id)
        return say(lang, "signed" if value else "absent" if value is False else "no_row")

    shown = missing if which == "unsigned" else present
    return DataResult(
        tool="attendance_status",
        title=label,
        summary=say(
            lang,
            "unsigned" if which == "unsigned" else "signed_list",
            label=label,
            n=len(shown),
            of=len(enrolled),
            names=_names(shown),
        ),
        filters={"session_id": session_id, "signed": which == "signed", **scope.describe()},
        answer={**_learners(shown), "signed": len(present), "enrolled": len(enrolled)},
        table=_people_table(enrolled, lang, (say(lang, "col_signoff"), state)),
    )
