"""Every way to fill each template family's slots, with the gold answer of each.

:class:`Builder` has one method per family of ``templates.yaml``, named after it, returning
:class:`Binding` objects in a deterministic order. Golds come from :mod:`evals.admin.gold`
only; the filters each question used are derived from its slots.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from evals.admin import gold
from evals.admin.periods import Period, last_weekday

Who = tuple[str, str]  # ("team", name) or ("manager", name)
RATE_PERIODS = ["this_quarter", "last_quarter", "last_month", "month_2", "since", "this_year"]
RATE_PERIODS += ["between"]
ENGAGEMENT_PERIODS = ["last_7_days", "last_30_days", "this_month", "month_1", "last_week"]
FILTER_OF = {"session": "session_id", "course": "item_id", "role": "role", "skill": "skill"}


@dataclass
class Binding:
    """Slot values (``kind, value``), the gold answer, and filters the slots do not say."""

    slots: dict[str, tuple[str, Any]]
    gold: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    periods: dict[str, Period] = field(default_factory=dict, repr=False)
    pinned: bool = False  # always asked (the examples the brief names)

    @property
    def filters(self) -> dict[str, Any]:
        """The filters the question names, for diagnostics."""
        out: dict[str, Any] = {}
        for kind, value in self.slots.values():
            if kind in FILTER_OF:
                out[FILTER_OF[kind]] = value
            elif kind == "who":
                out[value[0]] = value[1]
            elif kind in ("learner", "learner_short"):
                out["learner_id"] = value
            elif kind == "period":
                out["period"] = self.periods[value].iso()
        return {**out, **self.extra}


def learners(ids: list[str]) -> dict[str, Any]:
    return {"type": "learners", "ids": sorted(ids)}


def number(value: int) -> dict[str, Any]:
    return {"type": "number", "value": int(value)}


def rate(value: float) -> dict[str, Any]:
    return {"type": "rate", "value": round(float(value), 4)}


def action(name: str, **args: Any) -> dict[str, Any]:
    if "learner_ids" in args:
        args["learner_ids"] = sorted(args["learner_ids"])
    return {"type": "action", "action": name, "args": args}


CLARIFY = {"type": "clarify"}


class DataBuilder:
    """Bindings of the data families (methods named after the families)."""

    def __init__(self, data: gold.OrgData, spec: dict[str, Any], periods: dict[str, Period]):
        self.data, self.spec, self.periods = data, spec, periods
        today = data.today
        by_day = sorted(data.sessions.values(), key=lambda s: (s.day, s.id))
        per_day = Counter((s.item_id, s.day) for s in by_day)
        self.past = [s.id for s in reversed(by_day) if s.day < today and (today - s.day).days < 120]
        self.future = [s.id for s in by_day if s.day > today]
        self.shared_day = [s.id for s in by_day if per_day[(s.item_id, s.day)] > 1]
        self.named = [s for s in self.past + self.future if s not in self.shared_day]
        tuesday = last_weekday(today, 1)
        self.last_tuesday_gdpr = next(
            (s.id for s in by_day if s.item_id == "gdpr-workshop" and s.day == tuesday), None
        )
        teams = sorted({p.team for p in data.people.values()})
        managers = sorted({p.manager for p in data.people.values()})
        self.whos: list[Who] = [("team", t) for t in teams] + [("manager", m) for m in managers]
        self.mandatory = [i.id for i in data.items.values() if i.rules]
        self.elearning = [i.id for i in data.items.values() if i.modality == "e-learning"]
        self.prepost = sorted(
            {r.item_id for r in data.records if r.phase and r.item_id is not None}
        )

    def _b(
        self, slots: dict[str, tuple[str, Any]], answer: dict[str, Any], **extra: Any
    ) -> Binding:
        return Binding(slots, answer, extra, self.periods)

    def _members(self, who: Who) -> set[str]:
        kind, name = who
        return gold.team(self.data, name) if kind == "team" else gold.managed_by(self.data, name)

    def _range(self, key: str | None) -> gold.Range | None:
        return None if key is None else self.periods[key].range

    # attendance ------------------------------------------------------------------------

    def _sign_off(self, family: str) -> list[Binding]:
        out = []
        for sid in self.named:
            if sid not in self.past:
                continue
            signed, unsigned = gold.sign_off(self.data, sid)
            answer = {
                "att_not_signed": learners(unsigned),
                "att_signed_count": number(len(signed)),
                "att_not_signed_count": number(len(unsigned)),
            }[family]
            out.append(self._b({"session": ("session", sid)}, answer))
            out[-1].pinned = sid == self.last_tuesday_gdpr and family == "att_not_signed"
        return out

    def att_not_signed(self) -> list[Binding]:
        return self._sign_off("att_not_signed")

    def att_signed_count(self) -> list[Binding]:
        return self._sign_off("att_signed_count")

    def att_not_signed_count(self) -> list[Binding]:
        return self._sign_off("att_not_signed_count")

    def att_not_signed_team(self) -> list[Binding]:
        out = []
        for sid in [s for s in self.named if s in self.past]:
            enrolled = set(gold.session_enrolments(self.data, sid))
            for who in self.whos:
                members = self._members(who)
                if enrolled & members:
                    unsigned = gold.sign_off(self.data, sid, members)[1]
                    slots = {"session": ("session", sid), "who": ("who", who)}
                    out.append(self._b(slots, learners(unsigned)))
        return out

    # overdue ---------------------------------------------------------------------------

    def _required(self, item_id: str, ids: set[str]) -> bool:
        roles = {r for r, _ in self.data.items[item_id].rules}
        return "*" in roles or any(self.data.people[i].role in roles for i in ids)

    def overdue_manager(self) -> list[Binding]:
        return [
            self._b({"who": ("who", w)}, learners(gold.overdue(self.data, None, self._members(w))))
            for w in self.whos
            if w[0] == "manager"
        ]

    def overdue_team_item(self) -> list[Binding]:
        out = []
        for item in self.mandatory:
            for who in self.whos:
                members = self._members(who)
                if self._required(item, members):
                    ids = gold.overdue(self.data, item, members)
                    out.append(
                        self._b({"who": ("who", who), "course": ("course", item)}, learners(ids))
                    )
        return out

    def overdue_count_item(self) -> list[Binding]:
        return [
            self._b({"course": ("course", i)}, number(len(gold.overdue(self.data, i))))
            for i in self.mandatory
        ]

    def overdue_role_item(self) -> list[Binding]:
        out = []
        for item in self.mandatory:
            for role in self.spec["roles"]:
                members = gold.with_role(self.data, role)
                if self._required(item, members):
                    ids = gold.overdue(self.data, item, members)
                    out.append(
                        self._b({"role": ("role", role), "course": ("course", item)}, learners(ids))
                    )
        return out

    # completion ------------------------------------------------------------------------

    def _rate_items(self) -> list[str]:
        return sorted({e.item_id for e in self.data.enrolments})

    def completion_rate(self) -> list[Binding]:
        out = []
        for item in self._rate_items():
            for key in RATE_PERIODS:
                value = gold.completion_rate(self.data, item, self._range(key))
                if value is not None:
                    slots = {"course": ("course", item), "period": ("period", key)}
                    out.append(self._b(slots, rate(value)))
        return out

    def completion_rate_all_time(self) -> list[Binding]:
        out = []
        for item in self._rate_items():
            value = gold.completion_rate(self.data, item)
            if value is not None:
                all_time = [None, self.data.today.isoformat()]
                out.append(self._b({"course": ("course", item)}, rate(value), period=all_time))
        return out

    def _by(self, group: str, key: str | None) -> list[Binding]:
        out = []
        for item in self._rate_items():
            values = gold.completion_by(self.data, item, group, self._range(key))
            if len(values) > 1:
                slots: dict[str, tuple[str, Any]] = {"course": ("course", item)}
                extra: dict[str, Any] = {"group": group}
                if key is None:
                    extra["period"] = [None, self.data.today.isoformat()]
                else:
                    slots["period"] = ("period", key)
                answer = {"type": "by_group", "group": group, "values": values}
                out.append(self._b(slots, answer, **extra))
        return out

    def completion_by_team(self) -> list[Binding]:
        return [b for key in RATE_PERIODS for b in self._by("team", key)]

    def completion_by_role(self) -> list[Binding]:
        return self._by("role", None)

    def completion_rate_team(self) -> list[Binding]:
        out = []
        for item in self._rate_items():
            for who in self.whos:
                for key in RATE_PERIODS[:4]:
                    value = gold.completion_rate(
                        self.data, item, self._range(key), self._members(who)
                    )
                    if value is not None:
                        slots = {
                            "course": ("course", item),
                            "who": ("who", who),
                            "period": ("period", key),
                        }
                        out.append(self._b(slots, rate(value)))
        return out

    # seats -----------------------------------------------------------------------------

    def seats(self) -> list[Binding]:
        ids = [s for s in self.named if s in self.future] + [s for s in self.named[:4]]
        return [
            self._b({"session": ("session", s)}, {"type": "seats", **gold.seats(self.data, s)})
            for s in ids
        ]

    def enrolled_list(self) -> list[Binding]:
        return [
            self._b({"session": ("session", s)}, learners(gold.session_enrolments(self.data, s)))
            for s in self.named
            if s in self.future
        ]

    def waitlist_list(self) -> list[Binding]:
        out = []
        for s in self.named:
            waiting = gold.session_enrolments(self.data, s, "waitlisted")
            if waiting:
                out.append(self._b({"session": ("session", s)}, learners(waiting)))
        return out

    # progression and quizzes -----------------------------------------------------------

    def _progression(self, item: str, members: set[str] | None) -> dict[str, Any] | None:
        found = gold.progression(self.data, item, members)
        return None if found is None else {"type": "progression", **found}

    def progression(self) -> list[Binding]:
        out = []
        for item in self.prepost:
            if (answer := self._progression(item, None)) is not None:
                out.append(self._b({"course": ("course", item)}, answer))
        return out

    def progression_team(self) -> list[Binding]:
        out = []
        for item in self.prepost:
            for who in self.whos:
                answer = self._progression(item, self._members(who))
                if answer is not None and answer["n"] >= 3:
                    out.append(self._b({"course": ("course", item), "who": ("who", who)}, answer))
        return out

    def _quiz(self, kind: str, field: str) -> list[Binding]:
        out = []
        topics = [*self.prepost, "python-analysts", "excel-tcd", "time-management"]
        values = sorted(set(topics)) if kind == "course" else list(self.spec["skills"])
        for value in values:
            for key in RATE_PERIODS[:4]:
                arg = {"item_id": value} if kind == "course" else {"skill": value}
                found = gold.quiz_results(self.data, period=self._range(key), **arg)
                if found["attempts"]:
                    answer = number(found[field]) if field == "attempts" else rate(found[field])
                    out.append(self._b({kind: (kind, value), "period": ("period", key)}, answer))
        return out

    def quiz_average_item(self) -> list[Binding]:
        return self._quiz("course", "average")

    def quiz_pass_rate_skill(self) -> list[Binding]:
        return self._quiz("skill", "pass_rate")

    def quiz_attempts_skill(self) -> list[Binding]:
        return self._quiz("skill", "attempts")

    # engagement ------------------------------------------------------------------------

    def _engagement(self, key: str | None, members: set[str] | None) -> dict[str, Any]:
        found = gold.engagement(self.data, self._range(key), members)
        return {"type": "engagement", "active": found["active"], "minutes": found["minutes"]}

    def engagement(self) -> list[Binding]:
        return [
            self._b({"period": ("period", key)}, self._engagement(key, None))
            for key in ENGAGEMENT_PERIODS
        ]

    def engagement_default(self) -> list[Binding]:
        default = gold.last_days(self.data.today, 30)
        period = [default[0].isoformat(), default[1].isoformat()]
        return [self._b({}, self._engagement(None, None), period=period)]

    def engagement_team(self) -> list[Binding]:
        return [
            self._b(
                {"who": ("who", who), "period": ("period", key)},
                self._engagement(key, self._members(who)),
            )
            for who in self.whos
            for key in ENGAGEMENT_PERIODS
        ]
