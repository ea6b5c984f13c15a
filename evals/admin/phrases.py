"""How admins name the generated organisation's entities, in English and French.

A slot value is a ``(kind, value)`` pair; :meth:`Phrases.render` turns it into words with the
phrasings of ``templates.yaml`` and dates relative to the organisation's today. A session is
named by its date only when no other session of its item starts that day; "last Tuesday",
"yesterday", "next Monday" and "the next ... session" only when they name its day.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from typing import Any

from evals.admin import gold
from evals.admin.periods import (
    WEEKDAYS,
    Period,
    day_en,
    day_fr,
    last_weekday,
    next_weekday,
)

Slot = tuple[str, Any]


class Phrases:
    """Renders slot values; ``rng`` picks among the valid phrasings."""

    def __init__(
        self,
        data: gold.OrgData,
        spec: dict[str, Any],
        periods: dict[str, Period],
        rng: random.Random,
    ) -> None:
        self.data, self.spec, self.periods, self.rng = data, spec, periods, rng
        self.per_day = Counter((s.item_id, s.day) for s in data.sessions.values())
        names = [p.name.split()[0] for p in data.people.values()]
        names += [
            p.manager.split()[0] for p in {p.manager: p for p in data.people.values()}.values()
        ]
        self.first_names = Counter(names)

    def render(self, slot: Slot, lang: str) -> str:
        kind, value = slot
        return str(getattr(self, kind)(value, lang))

    def _pick(self, options: list[str]) -> str:
        return self.rng.choice(options)

    # entities --------------------------------------------------------------------------

    def course(self, item_id: str, lang: str) -> str:
        return self._pick(self.spec["courses"][item_id][lang])

    def role(self, role: str, lang: str) -> str:
        return self._pick(self.spec["roles"][role][lang])

    def skill(self, skill: str, lang: str) -> str:
        return self._pick(self.spec["skills"][skill][lang])

    def period(self, key: str, lang: str) -> str:
        return self._pick(list(getattr(self.periods[key], lang)))

    def text(self, value: dict[str, list[str]], lang: str) -> str:
        """A phrase given as is (the ambiguous names of the clarify questions)."""
        return self._pick(value[lang])

    def who(self, value: tuple[str, str], lang: str) -> str:
        """A team (``("team", name)``) or a manager's team (``("manager", name)``)."""
        kind, name = value
        if kind == "manager":
            return f"{name}'s team" if lang == "en" else f"l'équipe de {name}"
        return self._pick([f"the {name} team", name]) if lang == "en" else f"l'équipe {name}"

    def learner(self, learner_id: str, lang: str) -> str:
        return self.data.people[learner_id].name

    def learner_short(self, learner_id: str, lang: str) -> str:
        """The first name alone when nobody else (learner or manager) bears it."""
        name = self.data.people[learner_id].name
        first = name.split()[0]
        if self.first_names[first] == 1 and self.rng.random() < 0.5:
            return first
        return name

    # sessions --------------------------------------------------------------------------

    def session_options(
        self, session_id: str, lang: str, *, unique: bool = True
    ) -> tuple[list[str], list[str]]:
        """(relative, explicit) ways to name the session by its item and day. With
        ``unique`` (the default) only when no other session of the item starts that day; the
        clarify questions pass False to name a day that several sessions share."""
        sess = self.data.sessions[session_id]
        today, day = self.data.today, sess.day
        if unique and self.per_day[(sess.item_id, day)] > 1:
            return [], []
        name = self._pick(self.spec["session_names"][sess.item_id][lang])
        is_next = unique and gold.next_session(self.data, sess.item_id) == session_id
        wd = WEEKDAYS[lang][day.weekday()]
        checks = (
            day == today - timedelta(days=1),
            day == last_weekday(today, day.weekday()),
            day == next_weekday(today, 0),
            is_next,
        )
        if lang == "en":
            relative = (
                f"yesterday's {name} session",
                f"last {wd}'s {name} session",
                f"next Monday's {name} session",
                f"the next {name} session",
            )
            explicit = [
                f"the {name} session on {day_en(day, today)}",
                f"the {name} session on {day:%d/%m/%Y}",
                f"the {day.isoformat()} {name} session",
            ]
        else:
            relative = (
                f"la session {name} d'hier",
                f"la session {name} de {wd} dernier",
                f"la session {name} de lundi prochain",
                f"la prochaine session {name}",
            )
            explicit = [
                f"la session {name} du {day_fr(day, today)}",
                f"la session {name} du {day:%d/%m/%Y}",
            ]
        return [text for text, ok in zip(relative, checks, strict=True) if ok], explicit

    def session(self, session_id: str, lang: str) -> str:
        """A session by its relative day (preferred), its date, or its id."""
        relative, explicit = self.session_options(session_id, lang)
        if not explicit or self.rng.random() < 0.1:
            return f"session {session_id}" if lang == "en" else f"la session {session_id}"
        if relative and self.rng.random() < 0.7:
            return self._pick(relative)
        return self._pick(explicit)

    def session_day(self, session_id: str, lang: str) -> str:
        """The session's item and day, even when another session of the item shares it."""
        relative, explicit = self.session_options(session_id, lang, unique=False)
        return self._pick(relative if relative and self.rng.random() < 0.6 else explicit)
