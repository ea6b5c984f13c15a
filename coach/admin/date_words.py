"""Word tables of `coach.admin.dates`, English and French, folded (lowercase, no accents)."""

from __future__ import annotations

import re
from collections.abc import Iterable

MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_FULL_MONTHS = (
    "january february march april may june july august september october november december",
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
)
# Abbreviations only count next to a day or a year ("3 Nov", "sept 2026"): "Jan" is a name.
_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12, "janv": 1, "fev": 2, "fevr": 2, "avr": 4,
    "juil": 7,
}  # fmt: skip
FULL_MONTHS: dict[str, int] = {
    name: number for names in _FULL_MONTHS for number, name in enumerate(names.split(), start=1)
}
MONTHS: dict[str, int] = {**FULL_MONTHS, **_ABBREVIATIONS}
# Month names that are also common words: alone they need a cue ("in May", "en mars").
WEAK_MONTHS = frozenset({"may", "march", "mars"})
# ... and next to a bare number too ("5 may be late"), unless ordinal, "of", a year or a cue.
WEAK_WITH_DAY = frozenset({"may", "march"})

WEEKDAYS: dict[str, int] = {
    name: number
    for names in (
        "monday tuesday wednesday thursday friday saturday sunday",
        "lundi mardi mercredi jeudi vendredi samedi dimanche",
    )
    for number, name in enumerate(names.split())
}

# Days from today.
RELATIVE_DAYS: dict[str, int] = {
    "today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
    "the day after tomorrow": 2, "aujourd'hui": 0, "hier": -1, "demain": 1,
    "avant-hier": -2, "apres-demain": 2,
}  # fmt: skip

# Which period of its kind, from today's: "last", "next", "dernier", "en cours".
OFFSETS: dict[str, int] = {
    "this": 0, "current": 0, "ce": 0, "cette": 0, "en cours": 0,
    "last": -1, "previous": -1, "dernier": -1, "derniere": -1, "passe": -1, "passee": -1,
    "precedent": -1, "precedente": -1,
    "next": 1, "prochain": 1, "prochaine": 1,
}  # fmt: skip

UNITS: dict[str, str] = {
    "day": "day", "jour": "day", "week": "week", "semaine": "week", "month": "month",
    "mois": "month", "quarter": "quarter", "trimestre": "quarter", "year": "year",
    "an": "year", "annee": "year",
}  # fmt: skip

NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirty": 30,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "trente": 30,
}  # fmt: skip

ORDINAL_QUARTERS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "premier": 1, "1er": 1, "deuxieme": 2, "2e": 2, "2eme": 2, "seconde": 2,
    "troisieme": 3, "3e": 3, "3eme": 3, "quatrieme": 4, "4e": 4, "4eme": 4,
}  # fmt: skip


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first so that "sept" wins over "sep"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# The regular expressions, on folded text. Each named pattern has a builder in dates.py.
_MONTH, _FULL = alternation(MONTHS), alternation(FULL_MONTHS)
_NUMBER = rf"\d{{1,4}}|{alternation(NUMBERS)}"
_DAY = r"(?<![\w.,/:])(?P<d>\d{1,2})(?P<o>st|nd|rd|th|er)?(?![\w%])"
_YEAR = r"(?P<y>\d{4})(?![\w%])"
PATTERNS: dict[str, str] = {
    "day_month": rf"(?:\b(?:the|le)\s+)?{_DAY}(?:\s+of)?\s+(?P<m>{_MONTH})\b(?:\.?,?\s+{_YEAR})?",
    "month_day": rf"\b(?P<m>{_MONTH})\b\.?\s+(?:the\s+)?{_DAY}(?:,?\s+{_YEAR})?",
    "month_year": rf"\b(?P<m>{_MONTH})\b\.?,?\s+(?:of\s+|de\s+)?{_YEAR}",
    "month": rf"\b(?P<m>{_FULL})\b",
    "numeric": r"(?<![\w.,/:-])(?:(?P<iso>\d{4})(?P<isep>[-/.])(?P<mo>\d{1,2})(?P=isep)(?P<d>\d{1,2})"
    r"|(?P<dd>\d{1,2})(?P<sep>[-/.])(?P<mm>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2}))(?![\w%/-]|[.,]\d)",
    "bare_day": rf"(?:\b(?:the|le)\s+)?{_DAY}",
    "bare_year": r"(?<![\w.,/:-])(?P<y>(?:19|20)\d\d)(?![\w%]|[-/.]\d)",
    "quarter": rf"\b[qt](?P<q>[1-4])(?:\s*[-/]?\s*(?:of\s+|de\s+)?{_YEAR})?\b",
    "ordinal_quarter": rf"\b(?:(?:the|le)\s+)?(?P<o>{alternation(ORDINAL_QUARTERS)})\s+"
    rf"(?:quarter|trimestre)(?:\s+(?:of\s+|de\s+)?{_YEAR})?",
    "relative_day": rf"\b(?P<r>{alternation(RELATIVE_DAYS)})\b(?:'s)?",
    "weekday": rf"\b(?:(?P<pre>last|this|next|previous|ce)\s+)?(?P<w>{alternation(WEEKDAYS)})\b"
    r"(?:\s+(?P<post>dernier|prochain|passe|precedent)\b)?(?:'s)?",
    "period": r"\b(?:(?P<pre>this|last|next|previous|current)\s+(?P<u>week|month|quarter|year)"
    r"|(?:cette|ce)\s+(?P<u2>semaine|mois|trimestre|annee)(?:-ci)?"
    r"|(?:(?:la|le)\s+|l')?(?P<u3>semaine|mois|trimestre|annee|an)\s+"
    r"(?P<post>derniere?|prochaine?|passee?|precedente?|en\s+cours))\b(?:'s)?",
    "rolling": rf"\b(?:the\s+)?(?P<which>last|past|previous|next)\s+(?:(?P<n>{_NUMBER})\s+)?"
    r"(?P<u>days?|weeks?|months?|quarters?|years?)\b",
    "rolling_fr": rf"\b(?:les|ces|des)\s+(?P<n>{_NUMBER})\s+(?P<which>derni|prochain)(?:er|ere|e)?s"
    r"\s+(?P<u>jours|semaines|mois|trimestres|ans|annees)\b",
    "rolling_fr_one": r"\b(?:le|la|du|de\s+la)\s+(?P<which>derni)(?:er|ere)\s+(?P<u>semaine|mois|annee)\b",
    "rolling_depuis": rf"\b(?P<which>depuis)\s+(?P<n>{_NUMBER})\s+"
    r"(?P<u>jours?|semaines?|mois|ans?|annees?|trimestres?)\b",
}
# Words before a phrase that make it a date: "in May", "en mars", "since 2025".
_CUE_WORDS = (
    r"in|during|of|for|since|from|between|until|till|before|after|year|en|pendant|durant"
    r"|depuis|de|d'|entre|avant|apres|jusqu'en|jusqu'au|jusqu'a|annee"
)
CUE = rf"\b(?:{_CUE_WORDS})\s*$"
DAY_CUE = rf"\b(?:on|{_CUE_WORDS})\s*$"  # "on 3 May", not "on May"
WEEKDAY_GAP = r",?\s+"  # "Tuesday, 3 November"
RANGE_OPENER = r"\b(between|from|entre|du|de|d')\s*$"
CONNECTOR = r"\s*(and|et|to|until|till|through|thru|au|a|jusqu'au|jusqu'a|-)\s*"
PAIRED = {"between": "and", "entre": "et"}
BARE_CONNECTORS = frozenset({"to", "until", "till", "through", "thru", "au", "jusqu'au", "-"})
OPENER = r"\b(since|depuis|before|avant|after|apres|until|till|jusqu'(?:au|a|en))\s*$"
