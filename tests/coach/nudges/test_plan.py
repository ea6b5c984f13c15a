"""The guard rails, one table row per rule, then the rolling week and quiet hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coach.nudges.candidate import Candidate
from coach.nudges.plan import Ledger, Recipient, is_quiet, next_allowed, plan
from coach.org_settings import NudgeSettings

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 08:00 in Paris
C = Candidate(
    org_id="o",
    user_id="u",
    kind="step.due",
    key="step.due:x",
    not_before=NOW,
    reason="r",
    link="/me/path",
    session_id="s1",
    expires_at=NOW + timedelta(days=1),
)
U = Recipient("u", channels=("feed", "email"))

CASES = {
    # name: (candidate, recipient, settings, ledger keys, cancelled, expected rule)
    "planned": (C, U, NudgeSettings(), set(), set(), None),
    "disabled": (C, U, NudgeSettings(enabled=False), set(), set(), "disabled"),
    "unknown recipient": (replace(C, user_id="x"), U, NudgeSettings(), set(), set(), "unknown_recipient"),
    "hold-out learner": (C, replace(U, holdout=True), NudgeSettings(), set(), set(), "holdout"),
    "duplicate key": (C, U, NudgeSettings(), {("u", "step.due:x")}, set(), "duplicate"),
    "cancelled session": (C, U, NudgeSettings(), set(), {"s1"}, "cancelled"),
    "opted out of every channel": (C, replace(U, channels=()), NudgeSettings(), set(), set(), "opted_out"),
    "expired": (replace(C, expires_at=NOW), U, NudgeSettings(), set(), set(), "expired"),
    "quiet hours past expiry": (
        replace(C, not_before=NOW + timedelta(hours=13), expires_at=NOW + timedelta(hours=14)),
        U, NudgeSettings(), set(), set(), "expired",
    ),
    "weekly limit of zero": (C, U, NudgeSettings(max_per_week=0), set(), set(), "rate_limit"),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_each_guard_rail(name: str) -> None:
    cand, who, settings, keys, cancelled, rule = CASES[name]
    ledger = Ledger()
    for user, key in keys:
        ledger.add(user, key, NOW - timedelta(days=1))
    out = plan(
        [cand],
        settings=settings,
        recipients={"u": who},
        ledger=ledger,
        cancelled=cancelled,
        now=NOW,
    )
    if rule is None:
        assert [p.candidate for p in out.planned] == [cand] and out.dropped == []
        assert out.planned[0].channels == ("feed", "email")
    else:
        assert out.planned == [] and [d.rule for d in out.dropped] == [rule]


def test_a_hold_out_learner_s_manager_is_not_told_either() -> None:
    cand = replace(C, user_id="m", about="u", session_id=None)
    recipients = {"m": Recipient("m"), "u": Recipient("u", holdout=True)}
    out = plan(
        [cand],
        settings=NudgeSettings(),
        recipients=recipients,
        ledger=Ledger(),
        cancelled=set(),
        now=NOW,
    )
    assert [d.rule for d in out.dropped] == ["holdout"]


def test_weekly_limit_keeps_the_highest_priorities_over_a_rolling_week() -> None:
    settings = NudgeSettings(max_per_week=2)
    cands = [
        replace(C, key=f"k{p}", priority=p, session_id=None, expires_at=None) for p in (10, 90, 50)
    ]
    ledger = Ledger()
    out = plan(
        cands, settings=settings, recipients={"u": U}, ledger=ledger, cancelled=set(), now=NOW
    )
    assert [p.candidate.priority for p in out.planned] == [90, 50]
    assert [d.rule for d in out.dropped] == ["rate_limit"]
    # six days later the week still holds two; eight days later there is room again
    for days, planned in ((6, 0), (8, 1)):
        later = [
            replace(
                C,
                key=f"later{days}",
                not_before=NOW + timedelta(days=days),
                session_id=None,
                expires_at=None,
            )
        ]
        again = plan(
            later, settings=settings, recipients={"u": U}, ledger=ledger, cancelled=set(), now=NOW
        )
        assert len(again.planned) == planned


def test_rolling_window_counts_nudges_planned_ahead() -> None:
    ledger = Ledger()
    ledger.add("u", "a", NOW + timedelta(days=3))
    ledger.add("u", "b", NOW + timedelta(days=5))
    assert not ledger.fits("u", NOW, 2)  # [NOW, NOW+7d) would hold three
    assert ledger.fits("u", NOW - timedelta(days=3), 2)  # [t, t+7d) holds t and a only


def test_same_key_twice_in_one_batch_is_planned_once() -> None:
    out = plan(
        [C, C],
        settings=NudgeSettings(),
        recipients={"u": U},
        ledger=Ledger(),
        cancelled=set(),
        now=NOW,
    )
    assert len(out.planned) == 1 and [d.rule for d in out.dropped] == ["duplicate"]


PARIS, TOKYO = ZoneInfo("Europe/Paris"), ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("utc", "zone", "expected"),
    [
        (datetime(2026, 3, 2, 6, 0, tzinfo=UTC), PARIS, datetime(2026, 3, 2, 7, 0, tzinfo=UTC)),
        (datetime(2026, 3, 2, 12, 0, tzinfo=UTC), PARIS, datetime(2026, 3, 2, 12, 0, tzinfo=UTC)),
        (datetime(2026, 3, 2, 19, 30, tzinfo=UTC), PARIS, datetime(2026, 3, 3, 7, 0, tzinfo=UTC)),
        # 12:00 UTC is 21:00 in Tokyo: pushed to 08:00 Tokyo the next day (23:00 UTC)
        (datetime(2026, 3, 2, 12, 0, tzinfo=UTC), TOKYO, datetime(2026, 3, 2, 23, 0, tzinfo=UTC)),
    ],
)
def test_quiet_hours_in_the_recipient_s_zone(
    utc: datetime, zone: ZoneInfo, expected: datetime
) -> None:
    assert next_allowed(utc, zone, time(20), time(8)) == expected
    assert not is_quiet(expected, zone, time(20), time(8))


def test_the_learner_s_own_zone_wins_over_the_organisation_s() -> None:
    late = replace(C, not_before=datetime(2026, 3, 2, 12, 0, tzinfo=UTC), expires_at=None)
    recipients = {"u": replace(U, timezone="Asia/Tokyo")}
    out = plan(
        [late],
        settings=NudgeSettings(),
        recipients=recipients,
        ledger=Ledger(),
        cancelled=set(),
        now=NOW,
    )
    assert out.planned[0].send_at == datetime(2026, 3, 2, 23, 0, tzinfo=UTC)


def test_daytime_quiet_window_and_none() -> None:
    assert is_quiet(datetime(2026, 3, 2, 12, 30, tzinfo=UTC), UTC, time(12), time(14))
    assert not is_quiet(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), UTC, time(0), time(0))
