"""Date phrases of docs/admin-assistant.md and the concrete ranges they mean, from ``today``.

A period is an inclusive ``(start, end)`` pair of dates; ``start`` is None for "all time".
Weeks run Monday to Sunday, quarters are calendar quarters, "last Tuesday" is the most recent
Tuesday strictly before today, "the last N days" are N days ending today (today included),
a month or a day named without a year is in today's year.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

Range = tuple[date | None, date]

WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche".split(),
}
MONTHS = {
    "en": "January February March April May June July August September October November "
    "December".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
    "décembre".split(),
}


@dataclass(frozen=True, slots=True)
class Period:
    """A range with the ways an admin says it, in English and in French."""

    key: str
    start: date | None
    end: date
    en: tuple[str, ...]
    fr: tuple[str, ...]

    @property
    def range(self) -> Range:
        return (self.start, self.end)

    def iso(self) -> list[str | None]:
        """The range as JSON-ready ISO dates (``None`` for an open start)."""
        return [self.start.isoformat() if self.start else None, self.end.isoformat()]


def last_weekday(today: date, weekday: int) -> date:
    """The most recent ``weekday`` (0 = Monday) strictly before ``today``."""
    return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)


def next_weekday(today: date, weekday: int) -> date:
    """The first ``weekday`` (0 = Monday) strictly after ``today``."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def week(today: date, offset: int = 0) -> tuple[date, date]:
    """Monday to Sunday of today's week, moved by ``offset`` weeks."""
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=6)


def month(today: date, offset: int = 0) -> tuple[date, date]:
    """First to last day of today's month, moved by ``offset`` months."""
    index = today.year * 12 + today.month - 1 + offset
    year, mon = divmod(index, 12)
    return date(year, mon + 1, 1), date(year, mon + 1, calendar.monthrange(year, mon + 1)[1])


def quarter(today: date, offset: int = 0) -> tuple[date, date]:
    """Today's calendar quarter, moved by ``offset`` quarters."""
    index = today.year * 4 + (today.month - 1) // 3 + offset
    year, q = divmod(index, 4)
    return date(year, 3 * q + 1, 1), month(date(year, 3 * q + 3, 1))[1]


def last_days(today: date, n: int) -> tuple[date, date]:
    """The last ``n`` days: ``n`` calendar days ending today, today included."""
    return today - timedelta(days=n - 1), today


def day_en(day: date, today: date, *, year: bool = False) -> str:
    """'12 November' (with the year when asked or when it is not today's)."""
    text = f"{day.day} {MONTHS['en'][day.month - 1]}"
    return f"{text} {day.year}" if year or day.year != today.year else text


def day_fr(day: date, today: date, *, year: bool = False) -> str:
    """'12 novembre', '1er septembre' (with the year when asked or when it is not today's)."""
    first = "1er" if day.day == 1 else str(day.day)
    text = f"{first} {MONTHS['fr'][day.month - 1]}"
    return f"{text} {day.year}" if year or day.year != today.year else text


def periods(today: date) -> dict[str, Period]:
    """The periods the templates use, keyed by a stable name."""
    out: list[Period] = []
    q, lq = quarter(today), quarter(today, -1)
    qn = (today.month - 1) // 3 + 1
    lq_n, lq_year = (qn - 2) % 4 + 1, lq[0].year
    this_m, last_m = month(today), month(today, -1)
    out += [
        Period("this_quarter", *q, ("this quarter",), ("ce trimestre", "sur ce trimestre")),
        Period(
            "last_quarter",
            *lq,
            ("last quarter", f"in Q{lq_n} {lq_year}"),
            ("le trimestre dernier", f"au T{lq_n} {lq_year}"),
        ),
        Period("this_month", *this_m, ("this month",), ("ce mois-ci",)),
        Period("last_month", *last_m, ("last month",), ("le mois dernier",)),
        Period(
            "this_year",
            date(today.year, 1, 1),
            date(today.year, 12, 31),
            ("this year",),
            ("cette année",),
        ),
        Period("this_week", *week(today), ("this week",), ("cette semaine",)),
        Period("last_week", *week(today, -1), ("last week",), ("la semaine dernière",)),
    ]
    for n in (7, 30, 90):
        out.append(
            Period(
                f"last_{n}_days",
                *last_days(today, n),
                (f"over the last {n} days", f"in the last {n} days"),
                (f"sur les {n} derniers jours", f"ces {n} derniers jours"),
            )
        )
    for back in (1, 2):  # "in October" (with the year when it is not today's)
        start, end = month(today, -back)
        en, fr = MONTHS["en"][start.month - 1], MONTHS["fr"][start.month - 1]
        if start.year != today.year:
            en, fr = f"{en} {start.year}", f"{fr} {start.year}"
        out.append(Period(f"month_{back}", start, end, (f"in {en}",), (f"en {fr}",)))
    since = month(today, -2)[0]
    out.append(
        Period(
            "since",
            since,
            today,
            (f"since {day_en(since, today)}",),
            (f"depuis le {day_fr(since, today)}",),
        )
    )
    start, end = month(today, -3)[0], month(today, -2)[0] + timedelta(days=14)
    out.append(
        Period(
            "between",
            start,
            end,
            (
                f"between {day_en(start, today, year=True)} and {day_en(end, today, year=True)}",
                f"from {start.isoformat()} to {end.isoformat()}",
            ),
            (f"entre le {start:%d/%m/%Y} et le {end:%d/%m/%Y}",),
        )
    )
    return {p.key: p for p in out}


def all_time(today: date) -> Period:
    """The default period of completion rates: everything up to today."""
    return Period("all_time", None, today, ("",), ("",))


def in_range(day: date, period: Range) -> bool:
    """Whether ``day`` falls in the inclusive ``period``."""
    start, end = period
    return (start is None or start <= day) and day <= end
