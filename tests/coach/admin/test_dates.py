"""Date phrases of admin questions: what they mean, where they are, and what is refused."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from coach.admin.dates import DateMatch, DateParseError, DateRange, find_dates

THURSDAY = date(2026, 11, 26)  # a Thursday in Q4
NEW_YEAR = date(2027, 1, 4)  # a Monday, first days of a year and a quarter


def read(text: str, today: date = THURSDAY) -> list[tuple[str, str, str]]:
    """Each phrase found, with its first and last day."""
    return [
        (m.text, m.range.start.isoformat(), m.range.end.isoformat())
        for m in find_dates(text, today=today)
    ]


def one(text: str, today: date = THURSDAY) -> tuple[str, str, str]:
    found = read(text, today)
    assert len(found) == 1, found
    return found[0]


ENGLISH = [
    # relative days
    ("today", "today", "2026-11-26", "2026-11-26"),
    ("completions yesterday", "yesterday", "2026-11-25", "2026-11-25"),
    ("sessions tomorrow?", "tomorrow", "2026-11-27", "2026-11-27"),
    ("the day before yesterday", "the day before yesterday", "2026-11-24", "2026-11-24"),
    ("Who signed yesterday's sheet?", "yesterday's", "2026-11-25", "2026-11-25"),
    # weekdays (today is a Thursday)
    ("last Tuesday's GDPR session", "last Tuesday's", "2026-11-24", "2026-11-24"),
    ("last Thursday", "last Thursday", "2026-11-19", "2026-11-19"),
    ("last Friday", "last Friday", "2026-11-20", "2026-11-20"),
    ("previous Monday", "previous Monday", "2026-11-23", "2026-11-23"),
    ("this Tuesday", "this Tuesday", "2026-11-24", "2026-11-24"),
    ("this Sunday", "this Sunday", "2026-11-29", "2026-11-29"),
    ("next Monday", "next Monday", "2026-11-30", "2026-11-30"),
    ("next Thursday", "next Thursday", "2026-12-03", "2026-12-03"),
    ("next Friday", "next Friday", "2026-11-27", "2026-11-27"),
    ("the session on Tuesday", "Tuesday", "2026-11-24", "2026-11-24"),
    ("on Thursday", "Thursday", "2026-11-26", "2026-11-26"),
    ("on Friday", "Friday", "2026-11-20", "2026-11-20"),
    # calendar periods
    ("this week", "this week", "2026-11-23", "2026-11-29"),
    ("enrolments last week", "last week", "2026-11-16", "2026-11-22"),
    ("in the last week", "last week", "2026-11-16", "2026-11-22"),
    ("next week", "next week", "2026-11-30", "2026-12-06"),
    ("this month", "this month", "2026-11-01", "2026-11-30"),
    ("last month", "last month", "2026-10-01", "2026-10-31"),
    ("next month", "next month", "2026-12-01", "2026-12-31"),
    ("this quarter", "this quarter", "2026-10-01", "2026-12-31"),
    ("the current quarter", "current quarter", "2026-10-01", "2026-12-31"),
    ("last quarter", "last quarter", "2026-07-01", "2026-09-30"),
    ("next quarter", "next quarter", "2027-01-01", "2027-03-31"),
    ("this year", "this year", "2026-01-01", "2026-12-31"),
    ("last year", "last year", "2025-01-01", "2025-12-31"),
    ("next year", "next year", "2027-01-01", "2027-12-31"),
    # quarters
    ("Q3", "Q3", "2026-07-01", "2026-09-30"),
    ("Q4", "Q4", "2026-10-01", "2026-12-31"),
    ("Q3 2025", "Q3 2025", "2025-07-01", "2025-09-30"),
    ("q1-2027", "q1-2027", "2027-01-01", "2027-03-31"),
    ("Q2 of 2026", "Q2 of 2026", "2026-04-01", "2026-06-30"),
    ("the 3rd quarter", "the 3rd quarter", "2026-07-01", "2026-09-30"),
    ("first quarter of 2025", "first quarter of 2025", "2025-01-01", "2025-03-31"),
    # months
    ("in March", "March", "2026-03-01", "2026-03-31"),
    ("in December", "December", "2025-12-01", "2025-12-31"),
    ("November completions", "November", "2026-11-01", "2026-11-30"),
    ("March 2026", "March 2026", "2026-03-01", "2026-03-31"),
    ("in May", "May", "2026-05-01", "2026-05-31"),
    ("May 2025", "May 2025", "2025-05-01", "2025-05-31"),
    ("during Feb 2024", "Feb 2024", "2024-02-01", "2024-02-29"),
    # rolling periods, ending today
    ("the last 7 days", "the last 7 days", "2026-11-20", "2026-11-26"),
    ("in the last 30 days", "the last 30 days", "2026-10-28", "2026-11-26"),
    ("past 2 weeks", "past 2 weeks", "2026-11-13", "2026-11-26"),
    ("the past week", "the past week", "2026-11-20", "2026-11-26"),
    ("the last three months", "the last three months", "2026-08-27", "2026-11-26"),
    ("over the past 12 months", "the past 12 months", "2025-11-27", "2026-11-26"),
    ("the past month", "the past month", "2026-10-27", "2026-11-26"),
    ("last 2 quarters", "last 2 quarters", "2026-05-27", "2026-11-26"),
    ("the next 7 days", "the next 7 days", "2026-11-26", "2026-12-02"),
    # explicit dates
    ("2026-11-03", "2026-11-03", "2026-11-03", "2026-11-03"),
    ("2026/11/03", "2026/11/03", "2026-11-03", "2026-11-03"),
    ("03/11/2026", "03/11/2026", "2026-11-03", "2026-11-03"),
    ("3/11/26", "3/11/26", "2026-11-03", "2026-11-03"),
    ("03.11.2026", "03.11.2026", "2026-11-03", "2026-11-03"),
    ("3 November 2026", "3 November 2026", "2026-11-03", "2026-11-03"),
    ("3rd of November", "3rd of November", "2026-11-03", "2026-11-03"),
    ("the 3rd of November 2025", "the 3rd of November 2025", "2025-11-03", "2025-11-03"),
    ("November 3, 2026", "November 3, 2026", "2026-11-03", "2026-11-03"),
    ("Nov. 3", "Nov. 3", "2026-11-03", "2026-11-03"),
    ("3 Dec", "3 Dec", "2026-12-03", "2026-12-03"),
    ("3 May", "3 May", "2026-05-03", "2026-05-03"),
    ("on 5 May the team met", "5 May", "2026-05-05", "2026-05-05"),
    ("May 3rd", "May 3rd", "2026-05-03", "2026-05-03"),
    ("Tuesday, November 24, 2026", "Tuesday, November 24, 2026", "2026-11-24", "2026-11-24"),
    # open-ended
    ("since 3 November", "since 3 November", "2026-11-03", "2026-11-26"),
    ("since last Monday", "since last Monday", "2026-11-23", "2026-11-26"),
    ("since March", "since March", "2026-03-01", "2026-11-26"),
    ("since 2025", "since 2025", "2025-01-01", "2026-11-26"),
    ("in 2025", "2025", "2025-01-01", "2025-12-31"),
]

FRENCH = [
    ("aujourd'hui", "aujourd'hui", "2026-11-26", "2026-11-26"),
    ("aujourd’hui", "aujourd’hui", "2026-11-26", "2026-11-26"),
    ("hier", "hier", "2026-11-25", "2026-11-25"),
    ("demain", "demain", "2026-11-27", "2026-11-27"),
    ("avant-hier", "avant-hier", "2026-11-24", "2026-11-24"),
    ("la session de mardi dernier", "mardi dernier", "2026-11-24", "2026-11-24"),
    ("jeudi dernier", "jeudi dernier", "2026-11-19", "2026-11-19"),
    ("lundi prochain", "lundi prochain", "2026-11-30", "2026-11-30"),
    ("ce mardi", "ce mardi", "2026-11-24", "2026-11-24"),
    ("mardi", "mardi", "2026-11-24", "2026-11-24"),
    ("vendredi", "vendredi", "2026-11-20", "2026-11-20"),
    ("cette semaine", "cette semaine", "2026-11-23", "2026-11-29"),
    ("la semaine dernière", "la semaine dernière", "2026-11-16", "2026-11-22"),
    ("la semaine passée", "la semaine passée", "2026-11-16", "2026-11-22"),
    ("la semaine prochaine", "la semaine prochaine", "2026-11-30", "2026-12-06"),
    ("ce mois-ci", "ce mois-ci", "2026-11-01", "2026-11-30"),
    ("ce mois", "ce mois", "2026-11-01", "2026-11-30"),
    ("le mois dernier", "le mois dernier", "2026-10-01", "2026-10-31"),
    ("le mois prochain", "le mois prochain", "2026-12-01", "2026-12-31"),
    ("le mois en cours", "le mois en cours", "2026-11-01", "2026-11-30"),
    ("ce trimestre", "ce trimestre", "2026-10-01", "2026-12-31"),
    ("le trimestre dernier", "le trimestre dernier", "2026-07-01", "2026-09-30"),
    ("le trimestre prochain", "le trimestre prochain", "2027-01-01", "2027-03-31"),
    ("cette année", "cette année", "2026-01-01", "2026-12-31"),
    ("l'année dernière", "l'année dernière", "2025-01-01", "2025-12-31"),
    ("l’an dernier", "l’an dernier", "2025-01-01", "2025-12-31"),
    ("l'année prochaine", "l'année prochaine", "2027-01-01", "2027-12-31"),
    ("T3 2026", "T3 2026", "2026-07-01", "2026-09-30"),
    ("au T2", "T2", "2026-04-01", "2026-06-30"),
    ("3e trimestre", "3e trimestre", "2026-07-01", "2026-09-30"),
    ("le premier trimestre 2025", "le premier trimestre 2025", "2025-01-01", "2025-03-31"),
    ("en mars", "mars", "2026-03-01", "2026-03-31"),
    ("en mars 2026", "mars 2026", "2026-03-01", "2026-03-31"),
    ("en février", "février", "2026-02-01", "2026-02-28"),
    ("fevrier 2024", "fevrier 2024", "2024-02-01", "2024-02-29"),
    ("en aout", "aout", "2026-08-01", "2026-08-31"),
    ("le mois de mai", "mai", "2026-05-01", "2026-05-31"),
    ("les 30 derniers jours", "les 30 derniers jours", "2026-10-28", "2026-11-26"),
    ("ces sept derniers jours", "ces sept derniers jours", "2026-11-20", "2026-11-26"),
    ("les 2 dernières semaines", "les 2 dernières semaines", "2026-11-13", "2026-11-26"),
    ("au cours des 12 derniers mois", "des 12 derniers mois", "2025-11-27", "2026-11-26"),
    ("depuis 3 mois", "depuis 3 mois", "2026-08-27", "2026-11-26"),
    ("depuis une semaine", "depuis une semaine", "2026-11-20", "2026-11-26"),
    ("au cours du dernier mois", "du dernier mois", "2026-10-27", "2026-11-26"),
    ("les 7 prochains jours", "les 7 prochains jours", "2026-11-26", "2026-12-02"),
    ("3 novembre 2026", "3 novembre 2026", "2026-11-03", "2026-11-03"),
    ("le 3 novembre", "le 3 novembre", "2026-11-03", "2026-11-03"),
    ("3 mars", "3 mars", "2026-03-03", "2026-03-03"),
    ("1er décembre", "1er décembre", "2026-12-01", "2026-12-01"),
    ("le 1er decembre 2025", "le 1er decembre 2025", "2025-12-01", "2025-12-01"),
    ("mardi 24 novembre", "mardi 24 novembre", "2026-11-24", "2026-11-24"),
    ("depuis le 3 novembre", "depuis le 3 novembre", "2026-11-03", "2026-11-26"),
    ("depuis lundi", "depuis lundi", "2026-11-23", "2026-11-26"),
    ("depuis mars", "depuis mars", "2026-03-01", "2026-11-26"),
]

RANGES = [
    ("between 2026-10-01 and 2026-12-31", "2026-10-01", "2026-12-31"),
    ("from 3 March to 10 April 2025", "2025-03-03", "2025-04-10"),
    ("from 01/10/2026 to 15/10/2026", "2026-10-01", "2026-10-15"),
    ("from the 3rd to the 10th of November", "2026-11-03", "2026-11-10"),
    ("between 1 and 5 November", "2026-11-01", "2026-11-05"),
    ("3-10 November", "2026-11-03", "2026-11-10"),
    ("2026-10-01 – 2026-10-31", "2026-10-01", "2026-10-31"),
    ("from March to May", "2026-03-01", "2026-05-31"),
    ("between March and May", "2026-03-01", "2026-05-31"),
    ("from October to February", "2025-10-01", "2026-02-28"),
    ("from 20 December to 5 January 2027", "2026-12-20", "2027-01-05"),
    ("from Q1 to Q3", "2026-01-01", "2026-09-30"),
    ("between 2024 and 2025", "2024-01-01", "2025-12-31"),
    ("between last Monday and yesterday", "2026-11-23", "2026-11-25"),
    ("from Monday to Wednesday", "2026-11-23", "2026-11-25"),
    ("du 3 au 10 novembre", "2026-11-03", "2026-11-10"),
    ("du 28 décembre au 3 janvier 2027", "2026-12-28", "2027-01-03"),
    ("entre le 1er octobre et le 31 décembre 2026", "2026-10-01", "2026-12-31"),
    ("entre mars et mai", "2026-03-01", "2026-05-31"),
    ("d'octobre à décembre 2025", "2025-10-01", "2025-12-31"),
    ("du 01/09/2026 jusqu'au 30/09/2026", "2026-09-01", "2026-09-30"),
]

# Today is a Monday, the first working day of a year and of a quarter.
NEW_YEAR_CASES = [
    ("today", "2027-01-04", "2027-01-04"),
    ("Monday", "2027-01-04", "2027-01-04"),
    ("this Monday", "2027-01-04", "2027-01-04"),
    ("last Monday", "2026-12-28", "2026-12-28"),
    ("next Monday", "2027-01-11", "2027-01-11"),
    ("Sunday", "2027-01-03", "2027-01-03"),
    ("this Sunday", "2027-01-10", "2027-01-10"),
    ("yesterday", "2027-01-03", "2027-01-03"),
    ("this week", "2027-01-04", "2027-01-10"),
    ("last week", "2026-12-28", "2027-01-03"),
    ("last month", "2026-12-01", "2026-12-31"),
    ("le mois dernier", "2026-12-01", "2026-12-31"),
    ("this quarter", "2027-01-01", "2027-03-31"),
    ("last quarter", "2026-10-01", "2026-12-31"),
    ("le trimestre dernier", "2026-10-01", "2026-12-31"),
    ("Q1", "2027-01-01", "2027-03-31"),
    ("Q4", "2026-10-01", "2026-12-31"),
    ("T2", "2026-04-01", "2026-06-30"),
    ("last year", "2026-01-01", "2026-12-31"),
    ("l'année dernière", "2026-01-01", "2026-12-31"),
    ("in December", "2026-12-01", "2026-12-31"),
    ("en janvier", "2027-01-01", "2027-01-31"),
    ("3 December", "2027-12-03", "2027-12-03"),
    ("the last 7 days", "2026-12-29", "2027-01-04"),
    ("the past month", "2026-12-05", "2027-01-04"),
    ("depuis 3 mois", "2026-10-05", "2027-01-04"),
    ("from 20 December to 5 January", "2026-12-20", "2027-01-05"),
    ("since December", "2026-12-01", "2027-01-04"),
]

# Nothing here is a date.
NOT_DATES = [
    "top 5 teams",
    "Which learners may need a reminder?",
    "May I see the report?",
    "5 may be late",
    "Python 3 course",
    "an 80% pass rate",
    "3/4 of the learners",
    "score 0.7 in version 2.1.3",
    "10 learners in 3 modules",
    "between 1 and 5 learners",
    "the last 3 sessions",
    "mars",
    "Jan's team",
    "Q5 results",
    "T5 2026",
    "12:30",
    "2026",
    "the 3rd module",
    "le 1er module",
    "du 3 au 10",
    "semaine",
    "a march on Mars",
]

# Shaped like dates, but no such day or period: never guessed, always refused.
INVALID = [
    ("2026-02-30", "2026-02-30", "no day 30"),
    ("last week and 2026-02-30", "2026-02-30", "no day 30"),
    ("due on 31/02/2026?", "31/02/2026", "no day 31"),
    ("2026-13-01", "2026-13-01", "no month 13"),
    ("13/13/2026", "13/13/2026", "no month 13"),
    ("the 45th of March", "the 45th of March", "no day 45"),
    ("le 31 novembre", "le 31 novembre", "no day 31"),
    ("32 janvier 2026", "32 janvier 2026", "no day 32"),
    ("29 February", "29 February", "February 2026 has no day 29"),
    ("Tuesday 25 November 2026", "Tuesday 25 November 2026", "2026-11-25 is a Wednesday"),
    ("mardi 26 novembre", "mardi 26 novembre", "is a Thursday"),
    ("from 5 March to 2 March 2026", "from 5 March to 2 March 2026", "ends before it starts"),
    ("du 12 au 10 novembre", "du 12 au 10 novembre", "ends before it starts"),
    ("from 2026-12-01 to 2026-11-01", "from 2026-12-01 to 2026-11-01", "ends before"),
    ("between 30 February and 3 March", "between 30 February and 3 March", "no day 30"),
    ("since next week", "since next week", "starts after today"),
    ("the last 0 days", "the last 0 days", "no days"),
    ("depuis le 30 février", "depuis le 30 février", "no day 30"),
]


@pytest.mark.parametrize(("text", "phrase", "start", "end"), ENGLISH)
def test_english_phrases(text: str, phrase: str, start: str, end: str) -> None:
    assert one(text) == (phrase, start, end)


@pytest.mark.parametrize(("text", "phrase", "start", "end"), FRENCH)
def test_french_phrases(text: str, phrase: str, start: str, end: str) -> None:
    assert one(text) == (phrase, start, end)


@pytest.mark.parametrize(("text", "start", "end"), RANGES)
def test_a_range_is_one_phrase(text: str, start: str, end: str) -> None:
    assert one(f"completions {text} please") == (text, start, end)


@pytest.mark.parametrize(("text", "start", "end"), NEW_YEAR_CASES)
def test_near_a_year_and_quarter_boundary(text: str, start: str, end: str) -> None:
    assert one(text, NEW_YEAR)[1:] == (start, end)


@pytest.mark.parametrize("text", NOT_DATES)
def test_numbers_and_words_that_are_not_dates(text: str) -> None:
    assert find_dates(text, today=THURSDAY) == []


@pytest.mark.parametrize(("text", "phrase", "reason"), INVALID)
def test_invalid_dates_are_refused_with_the_phrase(text: str, phrase: str, reason: str) -> None:
    with pytest.raises(DateParseError) as raised:
        find_dates(text, today=THURSDAY)
    error = raised.value
    assert error.phrase == phrase and reason in error.reason
    assert text[error.span[0] : error.span[1]] == phrase
    assert phrase in str(error) and isinstance(error, ValueError)


def test_spans_let_callers_remove_each_phrase() -> None:
    text = "Completion of GDPR by team last month vs 2026-09-01 – 2026-09-30, and since Q1 2026?"
    found = find_dates(text, today=THURSDAY)
    assert [m.text for m in found] == ["last month", "2026-09-01 – 2026-09-30", "since Q1 2026"]
    assert all(text[m.start : m.end] == m.text for m in found)
    assert [m.start for m in found] == sorted(m.start for m in found)
    rest = text
    for m in reversed(found):
        rest = rest[: m.start] + rest[m.end :]
    assert rest == "Completion of GDPR by team  vs , and ?"


def test_phrases_are_left_to_right_and_do_not_overlap() -> None:
    text = "Compare Q4 2025 with Q4 2026, hier et aujourd'hui, then mardi dernier."
    found = find_dates(text, today=THURSDAY)
    assert [m.text for m in found] == ["Q4 2025", "Q4 2026", "hier", "aujourd'hui", "mardi dernier"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_case_and_accents_do_not_matter_and_spans_keep_the_original_text() -> None:
    for text in ("DÉCEMBRE 2025", "decembre 2025", "Décembre 2025", "DECEMBRE 2025"):
        (match,) = find_dates(f"Bilan {text} svp", today=THURSDAY)
        assert match.text == text and (match.start, match.end) == (6, 6 + len(text))
        assert match.range == DateRange(date(2025, 12, 1), date(2025, 12, 31), text)
    assert one("LAST WEEK")[1:] == one("last week")[1:] == ("2026-11-16", "2026-11-22")
    assert one("août 2026") == ("août 2026", "2026-08-01", "2026-08-31")


def test_weak_month_words_need_a_date_context() -> None:
    assert read("Who may attend in May?") == [("May", "2026-05-01", "2026-05-31")]
    assert read("Learners who march on") == []
    assert read("They may 2 times") == []
    assert one("from 1 may to 3 may") == ("from 1 may to 3 may", "2026-05-01", "2026-05-03")
    assert read("Planète Mars, en mars") == [("mars", "2026-03-01", "2026-03-31")]


@pytest.mark.parametrize(
    "name", ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
@pytest.mark.parametrize("today", [THURSDAY, NEW_YEAR, date(2026, 3, 1)])
def test_weekday_rules_hold_for_every_day(name: str, today: date) -> None:
    def day(phrase: str) -> date:
        (match,) = find_dates(phrase, today=today)
        assert match.range.start == match.range.end
        return match.range.start

    weekday = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].index(
        name
    )
    plain, last, nxt, this = (
        day(name),
        day(f"last {name}"),
        day(f"next {name}"),
        day(f"this {name}"),
    )
    assert {d.weekday() for d in (plain, last, nxt, this)} == {weekday}
    assert today - timedelta(days=6) <= plain <= today
    assert today - timedelta(days=7) <= last < today
    assert today < nxt <= today + timedelta(days=7)
    assert this - timedelta(days=this.weekday()) == today - timedelta(days=today.weekday())


def test_labels() -> None:
    day = DateRange(date(2026, 11, 17), date(2026, 11, 17), "17/11/2026")
    quarter = DateRange(date(2026, 10, 1), date(2026, 12, 31), "Q4")
    assert day.label() == "2026-11-17" == day.label("fr")
    assert quarter.label() == "2026-10-01 to 2026-12-31"
    assert quarter.label("fr-FR") == "du 2026-10-01 au 2026-12-31"
    (before,) = find_dates("before 1 March 2026", today=THURSDAY)
    (after,) = find_dates("après le 3 mars", today=THURSDAY)
    (until,) = find_dates("until 15/11/2026", today=THURSDAY)
    assert before.range.start == date.min and before.range.label() == "until 2026-02-28"
    assert after.range.end == date.max and after.range.label("fr") == "à partir du 2026-03-04"
    assert until.range.label("fr") == "jusqu'au 2026-11-15"


def test_a_match_holds_its_range_and_span() -> None:
    (match,) = find_dates("Who attended on 3 November?", today=THURSDAY)
    assert match == DateMatch(DateRange(date(2026, 11, 3), date(2026, 11, 3), "3 November"), 16, 26)
    assert match.text == "3 November"


def test_empty_and_dateless_text() -> None:
    assert find_dates("", today=THURSDAY) == []
    assert find_dates("How do I enrol a learner in a session?", today=THURSDAY) == []
