"""The guard's verdicts per day from the event log: first drafts only, per kind, per org."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from coach import storage
from coach.storage.models import utcnow
from tests.coach.storage.conftest import People


def _verdict(session: Session, org: str, verdict: str, *, kind: str = "answer", **extra) -> None:  # type: ignore[no-untyped-def]
    payload = {"kind": kind, "verdict": verdict, "reasons": [f"grounding: {verdict}"], **extra}
    storage.log_event(session, org_id=org, type="guard.verdict", payload=payload)


def test_slop_rate_counts_first_drafts_per_day_and_kind(session: Session, people: People) -> None:
    org = people.ana.org_id
    _verdict(session, org, "block", first=True)
    _verdict(session, org, "pass", first=False)  # the rewrite of that draft: not counted
    _verdict(session, org, "pass", first=True)
    _verdict(session, org, "revise", first=True)
    _verdict(session, org, "block", kind="quiz")
    _verdict(session, people.zoe.org_id, "block")  # another organisation
    old = storage.log_event(
        session, org_id=org, type="guard.verdict", payload={"kind": "answer", "verdict": "block"}
    )
    old.created_at = utcnow() - timedelta(days=40)  # outside the window
    session.commit()

    stats = storage.guard_stats(session, org_id=org, days=30)
    assert stats["totals"]["answer"] == {
        "n": 3,
        "pass": 1,
        "revise": 1,
        "block": 1,
        "block_rate": round(1 / 3, 4),
        "revise_rate": round(1 / 3, 4),
    }
    assert stats["totals"]["quiz"]["block"] == 1
    today = utcnow().date().isoformat()
    assert [(d["day"], d["kind"]) for d in stats["days"]] == [(today, "answer"), (today, "quiz")]
    assert stats["top_checks"] == {"grounding": 4}
    assert (
        storage.guard_stats(session, org_id=people.zoe.org_id, days=1)["totals"]["answer"]["n"] == 1
    )
