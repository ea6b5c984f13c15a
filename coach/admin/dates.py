"""Date phrases of English and French admin questions, read relative to a given day.

`find_dates(text, today=...)` returns the date phrases of a text left to right, without
overlaps, each as an inclusive `DateRange` and its character span, so that callers can
remove the phrase before they look for other entities. Case and French accents do not
matter ("fevrier" = "février"). Choices for the ambiguous phrases:

- A weekday alone ("on Tuesday", "mardi") is the latest one, today included; "last Tuesday"
  / "mardi dernier" the latest strictly before today; "next Tuesday" / "mardi prochain" the
  first strictly after today; "this Tuesday" / "ce mardi" the one of this week.
- Weeks run Monday to Sunday; quarters are calendar quarters. "last week", "the last week"
  and "la semaine dernière" are the previous calendar week; "past week", "the last 7 days",
  "les 7 derniers jours", "la dernière semaine" and "depuis 7 jours" are rolling and end
  today (N days = today and the N - 1 days before; N months start the day after today's
  date N months ago). "the next 7 days" / "les 7 prochains jours" start today.
- A month or a quarter without a year ("in March", "Q3") is the latest one that has
  started; a day and month without a year ("3 November", "le 3 novembre") is in the
  current year. Numeric dates are day first (03/11/2026 is 3 November); "26" is 2026.
- In a range, a start without a year takes the end's year ("from 3 March to 10 April
  2026", "from March to May"), or the year before when its month comes after the end's
  ("from 20 December to 5 January"); "du 3 au 10 novembre" takes the end's month too.
- "since X" / "depuis X" runs from X to today; "before X", "after X" and "until X" are
  open-ended: they start at `date.min` or end at `date.max`.
- "may", "march" and "mars" are months only in a date context ("in May", "May 2026",
  "3rd May", "on 3 May", "en mars", "3 mars"), and so is a bare year ("in 2026").

A phrase shaped like a date that names no real period ("2026-02-30", "31/02/2026", "the
45th of March", "Tuesday 4 November 2026", a range that ends before it starts, "since next
week") raises `DateParseError` naming the phrase: the assistant asks rather than guesses.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from coach.admin import date_words as w

Parts = tuple[int | None, int | None, int | None]  # day, month, year as written


@dataclass(frozen=True)
class DateRange:
    """An inclusive period of calendar days; `text` is the phrase it was read from."""

    start: date
    end: date
    text: str = ""

    def label(self, language: str = "en") -> str:
        """A short label: "2026-11-17", "2026-10-01 to 2026-12-31" or "du … au …" in French."""
        fr = language.lower().startswith("fr")
        if self.start == date.min:
            return f"jusqu'au {self.end}" if fr else f"until {self.end}"
        if self.end == date.max:
            return f"à partir du {self.start}" if fr else f"from {self.start}"
        if self.start == self.end:
            return self.start.isoformat()
        return f"du {self.start} au {self.end}" if fr else f"{self.start} to {self.end}"


@dataclass(frozen=True)
class DateMatch:
    """A date phrase found in a text: its period and its span `text[start:end]`."""

    range: DateRange
    start: int
    end: int

    @property
    def text(self) -> str:
        """The phrase as written."""
        return self.range.text


class DateParseError(ValueError):
    """A phrase that looks like a date but names no real period.

    Attributes:
        phrase: the phrase as written. reason: why it is not a date. span: its (start, end).
    """

    def __init__(self, phrase: str, reason: str, span: tuple[int, int]) -> None:
        super().__init__(f"“{phrase}” is not a valid date: {reason}")
        self.phrase, self.reason, self.span = phrase, reason, span


@dataclass(frozen=True)
class _Found:
    """A candidate phrase; `standalone` False when it counts only inside a range."""

    start: int
    end: int
    first: date = date.min
    last: date = date.min
    error: str | None = None
    parts: Parts | None = None
    standalone: bool = True
    weekday: int | None = None  # a weekday name alone, which may precede a date

    @property
    def bare_day(self) -> bool:
        """A day number without a month: "3" in "du 3 au 10 novembre"."""
        return self.parts is not None and self.parts[1] is None

    @property
    def day_and_month(self) -> bool:
        """A day of a named month, such as "3 November" or "2026-11-03"."""
        return self.parts is not None and None not in self.parts[:2]


def find_dates(text: str, *, today: date) -> list[DateMatch]:
    """Find the date phrases of `text`, left to right, non-overlapping, relative to `today`.

    Raises:
        DateParseError: on the first phrase shaped like a date that names no real period.
    """
    folded = _fold(text)
    found = [
        item
        for pattern, build in _PATTERNS
        for match in pattern.finditer(folded)
        if (item := build(match, today)) is not None
    ]
    found += _with_weekdays(found, folded)
    found += _ranges(found, folded, today) + _open_ended(found, folded, today)
    matches: list[DateMatch] = []
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        if not item.standalone or (matches and item.start < matches[-1].end):
            continue
        phrase = text[item.start : item.end]
        if item.error is not None:
            raise DateParseError(phrase, item.error, (item.start, item.end))
        matches.append(DateMatch(DateRange(item.first, item.last, phrase), item.start, item.end))
    return matches


@lru_cache(maxsize=512)
def _fold_char(char: str) -> str:
    if char in "’‘`´":
        return "'"
    if char in "–—":
        return "-"
    return unicodedata.normalize("NFD", char)[0].lower()[0]


def _fold(text: str) -> str:
    """Lowercase without accents, one character for one, so that spans stay the same."""
    return "".join(map(_fold_char, text))


def _month_span(year: int, month: int, count: int = 1) -> tuple[date, date]:
    """The days of `count` calendar months from (year, month)."""
    return date(year, month, 1), date(*_add_months(year, month, count), 1) - timedelta(days=1)


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    years, index = divmod(month - 1 + count, 12)
    return year + years, index + 1


def _calendar(parts: Parts, today: date) -> tuple[date, date]:
    """The days that (day, month, year) name; raises ValueError with a reason."""
    day, month, year = parts
    if month is None or not 1 <= month <= 12:
        raise ValueError(f"there is no month {month}")
    if year is not None and year < 1:
        raise ValueError(f"there is no year {year}")
    if day is None:
        if year is None:  # the latest such month that has started
            year = today.year if month <= today.month else today.year - 1
        return _month_span(year, month)
    year = today.year if year is None else year
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"{w.MONTH_NAMES[month]} {year} has no day {day}")
    return date(year, month, day), date(year, month, day)


def _resolved(match: re.Match[str], parts: Parts, today: date, standalone: bool = True) -> _Found:
    start, end = match.span()
    try:
        first, last = _calendar(parts, today)
    except ValueError as error:
        return _Found(start, end, error=str(error), parts=parts, standalone=standalone)
    return _Found(start, end, first, last, parts=parts, standalone=standalone)


_CUE, _DAY_CUE, _WORD_NEXT, _GAP, _CONNECTOR, _RANGE_OPENER, _OPENER = map(
    re.compile,
    (w.CUE, w.DAY_CUE, r"\s+\w", w.WEEKDAY_GAP, w.CONNECTOR, w.RANGE_OPENER, w.OPENER),
)


def _cued(match: re.Match[str], cue: re.Pattern[str] = _CUE) -> bool:
    """Whether a word like "in" or "en" comes just before the match."""
    return cue.search(match.string, 0, match.start()) is not None


def _named_date(match: re.Match[str], today: date) -> _Found | None:
    found = match.groupdict()
    name, day, year = found["m"], found.get("d"), found.get("y")
    parts = (int(day) if day else None, w.MONTHS[name], int(year) if year else None)
    weak = w.WEAK_MONTHS if day is None else w.WEAK_WITH_DAY
    # "5 may be late": a weak month read with a bare number needs something more
    at_end = day is not None and _WORD_NEXT.match(match.string, match.end()) is None
    strong = year or found.get("o") or " of " in match[0] or name not in weak or at_end
    return _resolved(match, parts, today, bool(strong) or _cued(match, _DAY_CUE if day else _CUE))


def _numeric_date(match: re.Match[str], today: date) -> _Found | None:
    if match["iso"]:
        return _resolved(match, (int(match["d"]), int(match["mo"]), int(match["iso"])), today)
    if len(match["y"]) == 2 and match["sep"] != "/":  # "3.11.26" may be a version
        return None
    year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
    return _resolved(match, (int(match["dd"]), int(match["mm"]), year), today)


def _bare_day(match: re.Match[str], today: date) -> _Found | None:
    return _Found(*match.span(), parts=(int(match["d"]), None, None), standalone=False)


def _bare_year(match: re.Match[str], today: date) -> _Found | None:
    year = int(match["y"])
    return _Found(*match.span(), date(year, 1, 1), date(year, 12, 31), standalone=_cued(match))


def _quarter(match: re.Match[str], today: date) -> _Found | None:
    found = match.groupdict()
    number = int(found["q"]) if found.get("q") else w.ORDINAL_QUARTERS[found["o"]]
    year = int(found["y"]) if found["y"] else None
    if year is None:  # the latest such quarter that has started
        year = today.year if 3 * number - 2 <= today.month else today.year - 1
    try:
        return _Found(*match.span(), *_month_span(year, 3 * number - 2, 3))
    except ValueError:
        return _Found(*match.span(), error=f"there is no year {year}")


def _relative_day(match: re.Match[str], today: date) -> _Found | None:
    day = today + timedelta(days=w.RELATIVE_DAYS[match["r"]])
    return _Found(*match.span(), day, day)


def _weekday(match: re.Match[str], today: date) -> _Found | None:
    weekday, which = w.WEEKDAYS[match["w"]], match["post"] or match["pre"]
    offset = w.OFFSETS[which] if which else None
    if offset is None:  # the latest, today included
        day = today - timedelta(days=(today.weekday() - weekday) % 7)
    elif offset < 0:
        day = today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    elif offset > 0:
        day = today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    else:
        day = today + timedelta(days=weekday - today.weekday())
    return _Found(*match.span(), day, day, weekday=weekday if which is None else None)


def _period(match: re.Match[str], today: date) -> _Found | None:
    unit = w.UNITS[match["u"] or match["u2"] or match["u3"]]
    offset = w.OFFSETS[" ".join((match["pre"] or match["post"] or "ce").split())]
    span = match.span()
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        return _Found(*span, monday, monday + timedelta(days=6))
    if unit == "year":
        return _Found(*span, date(today.year + offset, 1, 1), date(today.year + offset, 12, 31))
    count = 3 if unit == "quarter" else 1
    first = today.month if count == 1 else today.month - (today.month - 1) % 3
    return _Found(*span, *_month_span(*_add_months(today.year, first, offset * count), count))


def _rolling(match: re.Match[str], today: date) -> _Found | None:
    which, number, word = match["which"], match.groupdict().get("n"), match["u"]
    if number is None and which not in ("past", "derni"):
        return None  # "last week" is the calendar week
    count = 1 if number is None else int(number) if number.isdigit() else w.NUMBERS[number]
    unit = w.UNITS.get(word) or w.UNITS[word[:-1]]
    forward = which in ("next", "prochain")
    if count < 1:
        return _Found(*match.span(), error="the period has no days")
    try:
        if unit in ("day", "week"):
            span = timedelta(days=count * (7 if unit == "week" else 1) - 1)
            first, last = (today, today + span) if forward else (today - span, today)
        else:
            months = count * {"month": 1, "quarter": 3, "year": 12}[unit]
            year, month = _add_months(today.year, today.month, months if forward else -months)
            other = date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
            one = timedelta(days=1)
            first, last = (today, other - one) if forward else (other + one, today)
    except (ValueError, OverflowError):
        return _Found(*match.span(), error="it reaches beyond the calendar")
    return _Found(*match.span(), first, last)


def _with_weekdays(found: list[_Found], folded: str) -> list[_Found]:
    """Join a weekday and the date after it ("Tuesday 3 November"); the weekday must fit."""
    merged = []
    for name in (item for item in found if item.weekday is not None):
        for item in found:
            if not item.day_and_month or not _GAP.fullmatch(folded, name.end, item.start):
                continue
            error = item.error
            if error is None and item.first.weekday() != name.weekday:
                error = f"{item.first} is a {w.WEEKDAY_NAMES[item.first.weekday()]}"
            merged.append(_Found(name.start, item.end, item.first, item.last, error, item.parts))
    return merged


def _ranges(found: list[_Found], folded: str, today: date) -> list[_Found]:
    """Join two phrases as a range: "between X and Y", "from X to Y", "du X au Y", "X - Y"."""
    ranges = []
    for a in found:
        opener = _RANGE_OPENER.search(folded, 0, a.start)
        word = opener[1] if opener else None
        for b in found if a.standalone or opener or a.bare_day else ():
            link = _CONNECTOR.fullmatch(folded, a.end, b.start) if b.start >= a.end else None
            if link is None or b.bare_day or (a.bare_day and not b.day_and_month):
                continue
            if word in w.PAIRED or link[1] in ("and", "et"):
                if w.PAIRED.get(word or "") != link[1]:
                    continue
            elif word is None and link[1] not in w.BARE_CONNECTORS:
                continue
            ranges.append(_join(a, b, opener.start() if opener else a.start, today))
    return ranges


def _join(a: _Found, b: _Found, start: int, today: date) -> _Found:
    """A range from `a` to `b`; a yearless `a` takes the year (and month) of `b`."""
    first, error = a.first, a.error or b.error
    if a.parts and b.parts and b.error is None and a.parts[2] is None:
        day, month = a.parts[0], a.parts[1] or b.parts[1]
        try:
            first = _calendar((day, month, b.first.year), today)[0]
            if first.month > b.first.month:  # "from 20 December to 5 January"
                first = _calendar((day, month, b.first.year - 1), today)[0]
            error = None
        except ValueError as exc:
            error = str(exc)
    if error is None and first > b.last:
        error = "it ends before it starts"
    return _Found(start, b.end, first, b.last, error)


def _open_ended(found: list[_Found], folded: str, today: date) -> list[_Found]:
    """Open periods: "since X" (to today), "before X", "after X", "until X"."""
    periods = []
    for item in found:
        opener = _OPENER.search(folded, 0, item.start)
        if opener is None or item.bare_day:
            continue
        kind, first, last, error = opener[1], item.first, item.last, item.error
        if error is not None or first == date.min or last == date.max:
            error = error or "it reaches beyond the calendar"
        elif kind in ("since", "depuis"):
            last, error = today, "it starts after today" if first > today else None
        elif kind in ("before", "avant"):
            first, last = date.min, first - timedelta(days=1)
        elif kind in ("after", "apres"):
            first, last = last + timedelta(days=1), date.max
        else:
            first = date.min
        periods.append(_Found(opener.start(), item.end, first, last, error))
    return periods


_Builder = Callable[[re.Match[str], date], _Found | None]
_PATTERNS: list[tuple[re.Pattern[str], _Builder]] = [
    (re.compile(w.PATTERNS[name]), build)
    for build, names in (
        (_named_date, "day_month month_day month_year month"),
        (_numeric_date, "numeric"),
        (_bare_day, "bare_day"),
        (_bare_year, "bare_year"),
        (_quarter, "quarter ordinal_quarter"),
        (_relative_day, "relative_day"),
        (_weekday, "weekday"),
        (_period, "period"),
        (_rolling, "rolling rolling_fr rolling_fr_one rolling_depuis"),
    )
    for name in names.split()
]
