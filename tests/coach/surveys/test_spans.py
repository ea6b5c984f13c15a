"""The rollup's arithmetic: whole months of a period, exact means, and the terms that make
"latest test of the period" and "counted once" add up over days."""

from __future__ import annotations

import random
from datetime import date, timedelta
from statistics import mean

import pytest

from coach.surveys.spans import (
    FixedPath,
    fixed_mean,
    mastery_terms,
    once_terms,
    pair_terms,
    to_fixed,
    whole_months,
)


@pytest.mark.parametrize(
    ("since", "until", "want"),
    [
        (date(2025, 11, 28), date(2026, 11, 27), (date(2025, 12, 1), date(2026, 10, 31))),
        (date(2026, 2, 1), date(2026, 2, 28), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 1, 31), date(2026, 3, 1), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 1, 2), date(2026, 1, 31), None),
        (date(2026, 1, 20), date(2026, 2, 10), None),
        (date(2025, 12, 1), date(2026, 1, 31), (date(2025, 12, 1), date(2026, 1, 31))),
    ],
)
def test_whole_months(since: date, until: date, want: tuple[date, date] | None) -> None:
    assert whole_months(since, until) == want


def test_exact_means_round_as_statistics_mean_does_even_on_decimal_ties() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        values = [
            rng.choice((rng.random(), rng.randint(0, 100) / 100, rng.randint(0, 1000) / 1000))
            for _ in range(rng.randint(1, 40))
        ]
        values += [0.0, 1.0, 2**-40]
        got = fixed_mean(sum(to_fixed(v) for v in values), len(values))
        assert got == mean(values)
        assert round(got, 4) == round(mean(values), 4)
    # e.g. (0.4 + 0.5025) / 2: a tie at 4 decimals in decimal, not in binary
    assert round(fixed_mean(to_fixed(0.4) + to_fixed(0.5025), 2), 4) == round(
        mean([0.4, 0.5025]), 4
    )


def _held(term: tuple[date, date, date | None], since: date, until: date) -> bool:
    lo, hi, nxt = term
    return since <= lo and hi <= until and (nxt is None or until < nxt)


def test_pair_terms_give_the_latest_pre_and_post_test_of_any_period() -> None:
    rng = random.Random(3)
    day0 = date(2026, 1, 1)
    for _ in range(500):
        tests = sorted(
            (day0 + timedelta(rng.randrange(12)), k, rng.choice(("pre", "post")), rng.random())
            for k in range(rng.randint(1, 6))
        )  # (day, order of recording, phase, score)
        pre = [(d, s) for d, _, p, s in tests if p == "pre"]
        post = [(d, s) for d, _, p, s in tests if p == "post"]
        terms = list(pair_terms(pre, post))
        for a in range(12):
            for b in range(a, 12):
                since, until = day0 + timedelta(a), day0 + timedelta(b)
                latest = {p: s for d, _, p, s in tests if since <= d <= until}
                want = [(latest["pre"], latest["post"])] if len(latest) == 2 else []
                got = [(x, y) for t, x, y in terms if _held(t, since, until)]
                assert got == want


def test_once_terms_count_one_when_the_period_holds_any_day() -> None:
    days = [date(2026, 1, d) for d in (3, 4, 9, 20)]
    terms = list(once_terms(days))
    for a in range(1, 31):
        for b in range(a, 31):
            since, until = date(2026, 1, a), date(2026, 1, b)
            held = sum(sign for t, sign in terms if _held(t, since, until))
            assert held == any(since <= d <= until for d in days)


def _at_end(path: FixedPath, day: date) -> int:
    """Mastery at the end of ``day``, straight from the lists."""
    seen = [v for e, v in zip(path.days, path.values, strict=True) if e <= day]
    return seen[-1] if seen else path.start


def test_mastery_terms_give_mastery_at_the_first_step_held_and_at_the_periods_end() -> None:
    rng = random.Random(11)
    day0 = date(2026, 1, 1)
    for _ in range(300):
        days = sorted({day0 + timedelta(rng.randrange(15)) for _ in range(rng.randint(1, 4))})
        evidence = sorted({day0 + timedelta(rng.randrange(15)) for _ in range(rng.randint(1, 5))})
        start = rng.randrange(1 << 80)
        values = tuple(rng.randrange(1 << 80) for _ in evidence)
        path = FixedPath(start, tuple(evidence), values)

        terms = list(mastery_terms(days, path))
        for a in range(15):
            for b in range(a, 15):
                since, until = day0 + timedelta(a), day0 + timedelta(b)
                held = [d for d in days if since <= d <= until]
                n, before, after = (
                    sum(x[k] for x in terms if _held(x[0], since, until)) for k in (1, 2, 3)
                )
                if held and evidence[0] <= until:
                    want = (1, _at_end(path, held[0] - timedelta(1)), _at_end(path, until))
                    assert (n, before, after) == want
                else:
                    assert (n, before, after) == (0, 0, 0)
