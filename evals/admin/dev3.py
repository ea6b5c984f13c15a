"""A third development set of data, action and clarify questions for the admin assistant.

``python -m evals.admin.dev3 ORG_DIR`` reads the organisation that ``python -m
evals.admin.generate ORG_DIR`` wrote and writes ``ORG_DIR/dev3_questions.jsonl``: questions
phrased the way admins write in a ticket or a chat (fragments, the filter at the end,
polite long requests, French and English mixed around the organisation's own names), one
family per intent with two to four paraphrases sharing one gold answer.

Written from docs/admin-assistant.md and the generator's public modules only (``gold``,
``files``, ``periods``, ``org``, ``generate``), without seeing the evaluation's questions,
so that it can be tuned on while the evaluation's held-out third stays untouched. Every
answer is computed by :mod:`evals.admin.gold` from the files; people and sessions are picked
from the data by fixed rules (never by seed-dependent ids), so the set follows the
organisation it is generated for and is identical for identical files.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from evals.admin import gold as g
from evals.admin.org import FIXED_LEARNERS
from evals.admin.periods import (
    MONTHS,
    day_en,
    day_fr,
    last_days,
    last_weekday,
    month,
    quarter,
    week,
)

OUT_NAME = "dev3_questions.jsonl"
PREFIX = "dev3"
CLARIFY: dict[str, Any] = {"type": "clarify"}


# gold shapes ---------------------------------------------------------------------------


def learners(ids: Iterable[str]) -> dict[str, Any]:
    return {"type": "learners", "ids": sorted(set(ids))}


def number(value: int) -> dict[str, Any]:
    return {"type": "number", "value": int(value)}


def rate(value: float | None) -> dict[str, Any]:
    if value is None:
        raise ValueError("no rate: the population is empty")
    return {"type": "rate", "value": round(float(value), 4)}


def by_group(group: str, values: dict[str, float]) -> dict[str, Any]:
    if not values:
        raise ValueError(f"no {group} has a population")
    return {"type": "by_group", "group": group, "values": dict(sorted(values.items()))}


def seats(data: g.OrgData, session_id: str) -> dict[str, Any]:
    return {"type": "seats", **g.seats(data, session_id)}


def progression(value: dict[str, Any] | None) -> dict[str, Any]:
    if value is None:
        raise ValueError("nobody has both tests")
    return {"type": "progression", **{k: value[k] for k in ("pre", "post", "gain", "n")}}


def engagement(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "engagement",
        "active": int(value["active"]),
        "minutes": float(value["minutes"]),
    }


def action(name: str, **args: Any) -> dict[str, Any]:
    if "learner_ids" in args:
        args["learner_ids"] = sorted(set(args["learner_ids"]))
    return {"type": "action", "action": name, "args": args}


def is_trivial(gold: dict[str, Any]) -> bool:
    """An answer a reader gets right by saying "nobody" or "zero"."""
    kind = gold["type"]
    if kind == "learners":
        return not gold["ids"]
    if kind in ("number", "rate"):
        return gold["value"] == 0
    if kind == "engagement":
        return gold["active"] == 0
    if kind == "action":
        return "learner_ids" in gold["args"] and not gold["args"]["learner_ids"]
    return False


# families ------------------------------------------------------------------------------


@dataclass
class Family:
    """One intent: its kind, its gold and its paraphrases ``(language, template)``."""

    name: str
    kind: str
    gold: dict[str, Any]
    lines: list[tuple[str, str]]
    slots: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> values


def _month_name(day: date, today: date, lang: str) -> str:
    name = MONTHS[lang][day.month - 1]
    return f"{name} {day.year}" if day.year != today.year else name


class Dev3:
    """The organisation's data, the periods and names the questions use, the families."""

    def __init__(self, data: g.OrgData) -> None:
        self.d = data
        t = self.today = data.today
        lm, m2 = month(t, -1), month(t, -2)
        lq = quarter(t, -1)
        qn = (lq[0].month - 1) // 3 + 1
        half = (lm[0], lm[0] + timedelta(days=14))
        self.p = {
            "last_month": lm,
            "month_2": m2,
            "since": (m2[0], t),
            "last_quarter": lq,
            "this_quarter": quarter(t),
            "this_year": (date(t.year, 1, 1), date(t.year, 12, 31)),
            "last_year": (date(t.year - 1, 1, 1), date(t.year - 1, 12, 31)),
            "last_week": week(t, -1),
            "last_30": last_days(t, 30),
            "last_90": last_days(t, 90),
            "half": half,
            "explicit": (m2[0], m2[0] + timedelta(days=44)),
        }
        self.tue = last_weekday(t, 1)
        self.thu = last_weekday(t, 3)
        ex = self.p["explicit"]
        self.common = {
            "en": {
                "lm": _month_name(lm[0], t, "en"),
                "m2": _month_name(m2[0], t, "en"),
                "since": day_en(m2[0], t),
                "q": f"Q{qn} {lq[0].year}",
                "half_end": str(half[1].day),
                "ex_start": ex[0].isoformat(),
                "ex_end": ex[1].isoformat(),
            },
            "fr": {
                "lm": _month_name(lm[0], t, "fr"),
                "m2": _month_name(m2[0], t, "fr"),
                "since": day_fr(m2[0], t),
                "q": f"T{qn} {lq[0].year}",
                "half_end": str(half[1].day),
                "ex_start": f"{ex[0]:%d/%m/%Y}",
                "ex_end": f"{ex[1]:%d/%m/%Y}",
            },
        }

    # names and picks -------------------------------------------------------------------

    def name(self, learner_id: str) -> str:
        return self.d.people[learner_id].name

    @staticmethod
    def rng(family: str) -> random.Random:
        return random.Random(f"{PREFIX}/{family}")

    def teams(self) -> list[str]:
        return sorted({p.team for p in self.d.people.values()})

    def managers(self) -> list[str]:
        return sorted({p.manager for p in self.d.people.values()})

    @staticmethod
    def most(options: Iterable[str], score: Callable[[str], float]) -> str:
        """The option with the highest score, the first by name among ties."""
        return sorted(options, key=lambda o: (-score(o), o))[0]

    def pick(self, family: str, pool: Iterable[str], prefer: Iterable[str] = ()) -> str:
        """A learner of ``pool``: a preferred (fixed-name) one when there is one."""
        pool = sorted(set(pool))
        if not pool:
            raise ValueError(f"{family}: nobody to pick")
        liked = [i for i in pool if self.name(i) in set(prefer)]
        return self.rng(family).choice(liked or pool)

    def days(self, sid: str) -> dict[str, str]:
        day = self.d.sessions[sid].day
        return {"en": day_en(day, self.today), "fr": day_fr(day, self.today)}

    def past(self, item: str) -> list[str]:
        return g.sessions_of(self.d, item, (None, self.today - timedelta(days=1)))

    def future(self, item: str) -> list[str]:
        return g.sessions_of(self.d, item, (self.today + timedelta(days=1), date.max))

    def on_day(self, item: str, day: date) -> list[str]:
        return g.sessions_of(self.d, item, (day, day))

    def only(self, ids: list[str], what: str) -> str:
        if len(ids) != 1:
            raise ValueError(f"{what}: expected one session, found {ids}")
        return ids[0]

    def shared_days(self, *, future: bool, same_item: bool | None = None) -> list[date]:
        """Days with several sessions (of one item when ``same_item``, of different items
        when False), in the future or the past."""
        by_day: dict[date, list[str]] = {}
        for s in self.d.sessions.values():
            if (s.day > self.today) == future and s.day != self.today:
                by_day.setdefault(s.day, []).append(s.item_id)
        out = []
        for day, items in sorted(by_day.items()):
            if len(items) < 2:
                continue
            repeated = len(set(items)) < len(items)
            if same_item is None or same_item == repeated:
                out.append(day)
        return out

    # the set ---------------------------------------------------------------------------

    def families(self) -> list[Family]:
        out: list[Family] = []
        for part in (
            self.attendance,
            self.seat_families,
            self.overdue_families,
            self.completion,
            self.progression_families,
            self.quizzes,
            self.engagement_families,
            self.actions,
            self.clarify,
        ):
            out += part()
        return out

    def questions(self) -> list[dict[str, Any]]:
        rows = []
        for fam in self.families():
            for lang, template in fam.lines:
                values = self.common[lang] | fam.slots.get(lang, {})
                rows.append(
                    {
                        "id": f"{PREFIX}-{len(rows) + 1:03d}",
                        "template": template,
                        "family": f"{PREFIX}_{fam.name}",
                        "split": "dev",
                        "language": lang,
                        "kind": fam.kind,
                        "question": template.format(**values),
                        "gold": fam.gold,
                    }
                )
        return rows

    # attendance ------------------------------------------------------------------------

    def attendance(self) -> list[Family]:
        d = self.d
        out = []
        gdpr_tue = self.only(self.on_day("gdpr-workshop", self.tue), "last Tuesday's GDPR")
        out.append(
            Family(
                "unsigned_last_tuesday",
                "data",
                learners(g.sign_off(d, gdpr_tue)[1]),
                [
                    (
                        "en",
                        "who hasn't signed the attendance sheet for last Tuesday's GDPR in practice class?",
                    ),
                    (
                        "fr",
                        "qui n'a pas émargé à la classe virtuelle GDPR in practice de mardi dernier ?",
                    ),
                    ("en", "missing sign-offs pls - GDPR virtual class, last Tuesday"),
                ],
            )
        )
        fire = self.past("fire-safety")[-1]
        out.append(
            Family(
                "signed_count_fire",
                "data",
                number(len(g.sign_off(d, fire)[0])),
                [
                    (
                        "en",
                        "How many people actually signed in at the fire safety session on {day}?",
                    ),
                    ("fr", "combien d'émargements sur la session Fire safety du {day} ?"),
                    ("en", "fire safety {day} - number of signatures?"),
                ],
                self._slots(self.days(fire)),
            )
        )
        sst = self.past("sst")[-1]
        manager = self.most(
            self.managers(), lambda m: len(g.sign_off(d, sst, g.managed_by(d, m))[1])
        )
        out.append(
            Family(
                "unsigned_sst_manager",
                "data",
                learners(g.sign_off(d, sst, g.managed_by(d, manager))[1]),
                [
                    (
                        "fr",
                        "Dans l'équipe de {manager}, qui n'a pas signé la feuille d'émargement de la session SST du {day} ?",
                    ),
                    ("en", "SST on {day}: which of {manager}'s people haven't signed yet?"),
                    ("fr", "émargements manquants SST {day} – équipe de {manager} uniquement svp"),
                ],
                self._slots(self.days(sst), manager=manager),
            )
        )
        signed, unsigned = g.sign_off(d, gdpr_tue)
        fixed = self._fixed()
        a = self.pick("named_pair/a", unsigned, fixed)
        b = self.pick("named_pair/b", signed or unsigned, fixed)
        out.append(
            Family(
                "named_pair_signed",
                "data",
                learners(g.sign_off(d, gdpr_tue, {a, b})[1]),
                [
                    (
                        "en",
                        "Did {a} and {b} sign for last Tuesday's GDPR session? I need to know who's missing.",
                    ),
                    (
                        "fr",
                        "{a} et {b} ont-ils bien émargé à la classe virtuelle GDPR de mardi dernier ?",
                    ),
                    (
                        "fr",
                        "émargement GDPR in practice mardi dernier : {a}, {b} → qui n'a pas signé ?",
                    ),
                ],
                self._slots(a=self.name(a), b=self.name(b)),
            )
        )
        handling = self.past("manual-handling")[-1]
        x = self.pick("named_single", g.sign_off(d, handling)[1], fixed)
        out.append(
            Family(
                "named_single_signed",
                "data",
                learners(g.sign_off(d, handling, {x})[1]),
                [
                    ("en", "has {x} signed for the manual handling session on {day}?"),
                    (
                        "fr",
                        "est-ce que {x} a signé la feuille de présence Manual handling du {day} ?",
                    ),
                    ("en", "quick check - {x}, manual handling {day}, signed or not?"),
                ],
                self._slots(self.days(handling), x=self.name(x)),
            )
        )
        clinic = self.past("python-clinic")[-1]
        out.append(
            Family(
                "unsigned_count_clinic",
                "data",
                number(len(g.sign_off(d, clinic)[1])),
                [
                    (
                        "en",
                        "How many learners enrolled in the Python clinic on {day} still haven't signed?",
                    ),
                    ("fr", "combien de non-émargés sur la Python clinic du {day} ?"),
                ],
                self._slots(self.days(clinic)),
            )
        )
        gdpr_prev = [s for s in self.past("gdpr-workshop") if s != gdpr_tue][-1]
        out.append(
            Family(
                "signed_list_gdpr",
                "data",
                learners(g.sign_off(d, gdpr_prev)[0]),
                [
                    ("en", "list of people who signed the GDPR in practice class on {day}"),
                    ("fr", "qui a émargé à la session GDPR in practice du {day} ?"),
                    (
                        "en",
                        "Could you tell me which attendees signed off the GDPR virtual class on {day}, please?",
                    ),
                ],
                self._slots(self.days(gdpr_prev)),
            )
        )
        pair = self.on_day("feedback-workshop", self.thu)
        by_id = self.most(pair, lambda s: len(g.sign_off(d, s)[1]))
        out.append(
            Family(
                "unsigned_by_id",
                "data",
                learners(g.sign_off(d, by_id)[1]),
                [
                    ("en", "{sid} — who still hasn't signed the sheet?"),
                    ("fr", "session {sid} : liste des non-émargés stp"),
                    (
                        "en",
                        "For session {sid} (feedback workshop, last Thursday), can you pull the names of anyone enrolled who hasn't signed?",
                    ),
                ],
                self._slots(sid=by_id),
            )
        )
        return out

    # seats, waiting lists, rosters -----------------------------------------------------

    def seat_families(self) -> list[Family]:
        d = self.d
        out = []
        sst = g.next_session(d, "sst")
        assert sst
        out.append(
            Family(
                "seats_next_sst",
                "data",
                seats(d, sst),
                [
                    ("en", "seat status for the next SST session?"),
                    (
                        "fr",
                        "état des places pour la prochaine session SST : capacité, inscrits, liste d'attente ?",
                    ),
                    ("en", "next SST - how full is it?"),
                ],
            )
        )
        fire = g.next_session(d, "fire-safety")
        assert fire
        out.append(
            Family(
                "free_seats_fire",
                "data",
                number(g.seats(d, fire)["free"]),
                [
                    ("en", "how many seats are left on the fire safety session on {day}?"),
                    ("fr", "il reste combien de places sur la session Fire safety du {day} ?"),
                    ("fr", "places dispo – Fire safety, {day}"),
                ],
                self._slots(self.days(fire)),
            )
        )
        upcoming = sorted(s for s in d.sessions if d.sessions[s].day > self.today)
        waiting = self.most(upcoming, lambda s: g.seats(d, s)["waitlisted"])
        out.append(
            Family(
                "waitlist_names",
                "data",
                learners(g.session_enrolments(d, waiting, "waitlisted")),
                [
                    ("en", "who's on the waiting list for {sid}?"),
                    ("fr", "qui est sur liste d'attente pour la session {sid} ({title}, {day}) ?"),
                    ("en", "waitlist names for session {sid} please"),
                ],
                self._slots(
                    self.days(waiting),
                    sid=waiting,
                    title=d.items[d.sessions[waiting].item_id].title,
                ),
            )
        )
        clinics = self.future("python-clinic")
        roster = self.most(clinics[:3], lambda s: g.seats(d, s)["enrolled"])
        out.append(
            Family(
                "roster_clinic",
                "data",
                learners(g.session_enrolments(d, roster)),
                [
                    ("en", "who's booked on the Python clinic on {day}?"),
                    ("fr", "liste des inscrits à la Python clinic du {day}"),
                    (
                        "en",
                        "Could you send me the roster for the {day} Python clinic? The trainer is asking.",
                    ),
                ],
                self._slots(self.days(roster)),
            )
        )
        gdpr = self.most(  # the longest waiting list, the latest among equals
            self.past("gdpr-workshop"),
            lambda s: g.seats(d, s)["waitlisted"] + d.sessions[s].day.toordinal() / 1e7,
        )
        out.append(
            Family(
                "waitlist_count_gdpr",
                "data",
                number(g.seats(d, gdpr)["waitlisted"]),
                [
                    (
                        "en",
                        "how many were on the waitlist for the GDPR in practice class on {day}?",
                    ),
                    (
                        "fr",
                        "combien de personnes en liste d'attente pour la classe virtuelle GDPR du {day} ?",
                    ),
                ],
                self._slots(self.days(gdpr)),
            )
        )
        handling = g.next_session(d, "manual-handling")
        assert handling
        out.append(
            Family(
                "seats_by_id",
                "data",
                seats(d, handling),
                [
                    ("fr", "{sid} – places dispo ?"),
                    ("en", "capacity / enrolled / waitlist for {sid}?"),
                    (
                        "fr",
                        "Bonjour, pouvez-vous me donner le remplissage de la session {sid} (places, inscrits, attente) ? Merci",
                    ),
                ],
                self._slots(sid=handling),
            )
        )
        feedback = g.next_session(d, "feedback-workshop")
        assert feedback
        out.append(
            Family(
                "enrolled_count_feedback",
                "data",
                number(g.seats(d, feedback)["enrolled"]),
                [
                    ("en", "how many people are enrolled in the next Giving feedback workshop?"),
                    ("fr", "nb d'inscrits prochaine session Giving feedback workshop ?"),
                    ("en", "headcount for the next feedback workshop session?"),
                ],
            )
        )
        return out

    # overdue ---------------------------------------------------------------------------

    def overdue_families(self) -> list[Family]:
        d = self.d
        out = []
        team = self.most(self.teams(), lambda t: len(g.overdue(d, "fire-safety", g.team(d, t))))
        out.append(
            Family(
                "overdue_team_fire",
                "data",
                learners(g.overdue(d, "fire-safety", g.team(d, team))),
                [
                    ("en", "overdue list pls - {team}, fire safety"),
                    ("fr", "qui est en retard sur Fire safety chez {team} ?"),
                    ("en", "Which {team} people are past due on their fire safety refresher?"),
                ],
                self._slots(team=team),
            )
        )
        sized = [m for m in self.managers() if len(g.overdue(d, None, g.managed_by(d, m))) >= 2]
        manager = self.rng("overdue_manager_any").choice(sized or self.managers())
        out.append(
            Family(
                "overdue_manager_any",
                "data",
                learners(g.overdue(d, None, g.managed_by(d, manager))),
                [
                    ("en", "who in {manager}'s team is overdue on any mandatory training?"),
                    (
                        "fr",
                        "équipe de {manager} : qui est en retard sur ses formations obligatoires ?",
                    ),
                    (
                        "en",
                        "{manager} asked for the overdue mandatory trainings in their team - names please",
                    ),
                ],
                self._slots(manager=manager),
            )
        )
        out.append(
            Family(
                "overdue_count_role",
                "data",
                number(len(g.overdue(d, "anti-bribery", g.with_role(d, "sales-rep")))),
                [
                    ("en", "how many sales reps are overdue on anti-bribery?"),
                    ("fr", "combien de sales reps en retard sur Anti-bribery ?"),
                    ("en", "anti-bribery overdue count, role: Sales representative"),
                ],
            )
        )
        cyber_team = self.most(
            self.teams(), lambda t: len(g.overdue(d, "cybersecurite", g.team(d, t)))
        )
        out.append(
            Family(
                "overdue_cyber_team",
                "data",
                learners(g.overdue(d, "cybersecurite", g.team(d, cyber_team))),
                [
                    ("fr", "Cybersécurité : qui est en retard chez {team} ?"),
                    ("en", "Cybersécurité : les bons réflexes — overdue people in {team}?"),
                    (
                        "fr",
                        "Pourriez-vous me sortir la liste des personnes de {team} en retard sur le module Cybersécurité : les bons réflexes ? Merci d'avance",
                    ),
                ],
                self._slots(team=cyber_team),
            )
        )
        cyber_roles = {r[0] for r in d.items["cybersecurite"].rules}
        ruled = [
            i
            for i in d.people
            if d.people[i].role in cyber_roles
            and g.mandatory_status(d, i, "cybersecurite")[0] in ("overdue", "due")
        ]
        x = self.pick("overdue_named", ruled, ["Ana Ribeiro"])
        out.append(
            Family(
                "overdue_named_cyber",
                "data",
                learners(g.overdue(d, "cybersecurite", {x})),
                [
                    (
                        "en",
                        "Is {x} overdue on the cybersecurity module (Cybersécurité : les bons réflexes)?",
                    ),
                    ("fr", "{x} est en retard sur Cybersécurité : les bons réflexes ?"),
                ],
                self._slots(x=self.name(x)),
            )
        )
        out.append(
            Family(
                "overdue_count_conduct",
                "data",
                number(len(g.overdue(d, "code-of-conduct"))),
                [
                    ("en", "how many people in total are overdue on the code of conduct?"),
                    ("fr", "nombre total de retards sur le Code of conduct ?"),
                    (
                        "fr",
                        "Code of conduct : combien de personnes en retard, toutes équipes confondues ?",
                    ),
                ],
            )
        )
        rgpd_manager = self.most(
            self.managers(), lambda m: len(g.overdue(d, "rgpd-fondamentaux", g.managed_by(d, m)))
        )
        out.append(
            Family(
                "overdue_rgpd_manager",
                "data",
                learners(g.overdue(d, "rgpd-fondamentaux", g.managed_by(d, rgpd_manager))),
                [
                    ("fr", "RGPD : les fondamentaux - retards dans l'équipe de {manager}"),
                    (
                        "en",
                        "Please list everyone reporting to {manager} who is overdue on RGPD : les fondamentaux.",
                    ),
                    ("en", "RGPD fondamentaux, {manager}'s team: who's late?"),
                ],
                self._slots(manager=rgpd_manager),
            )
        )
        out.append(
            Family(
                "overdue_count_role_any",
                "data",
                number(len(g.overdue(d, None, g.with_role(d, "logistics-coordinator")))),
                [
                    (
                        "en",
                        "how many logistics coordinators are overdue on at least one mandatory course?",
                    ),
                    (
                        "fr",
                        "combien de logistics coordinators ont au moins une formation obligatoire en retard ?",
                    ),
                ],
            )
        )
        return out

    # completion ------------------------------------------------------------------------

    def completion(self) -> list[Family]:
        d, p = self.d, self.p
        out = [
            Family(
                "completion_rgpd_by_role_quarter",
                "data",
                by_group(
                    "role", g.completion_by(d, "rgpd-fondamentaux", "role", p["last_quarter"])
                ),
                [
                    ("en", "completion rate, RGPD : les fondamentaux, by role, {q}"),
                    ("fr", "taux de complétion RGPD : les fondamentaux par rôle au {q}"),
                    (
                        "en",
                        "Could you break down the RGPD fundamentals completion rate by role for {q}?",
                    ),
                ],
            )
        ]
        analysts = self.most(
            self.teams(),
            lambda t: len(g.team(d, t) & g.with_role(d, "data-analyst")),
        )
        out.append(
            Family(
                "completion_python_team_since",
                "data",
                rate(g.completion_rate(d, "python-analysts", p["since"], g.team(d, analysts))),
                [
                    ("en", "% of {team} who completed Python for analysts since {since}?"),
                    ("fr", "taux de complétion Python for analysts chez {team} depuis le {since}"),
                ],
                self._slots(team=analysts),
            )
        )

        def cyber(m: str) -> float:  # the team lagging most, among those partly done
            found = g.completion_rate(d, "cybersecurite", None, g.managed_by(d, m))
            return 1 - found if found is not None and 0 < found < 1 else -1

        cyber_manager = self.most(self.managers(), cyber)
        out.append(
            Family(
                "completion_cyber_manager",
                "data",
                rate(g.completion_rate(d, "cybersecurite", None, g.managed_by(d, cyber_manager))),
                [
                    (
                        "en",
                        "what percentage of {manager}'s team has completed Cybersécurité : les bons réflexes?",
                    ),
                    ("fr", "taux de complétion Cybersécurité pour l'équipe de {manager} ?"),
                    ("en", "cyber completion % – {manager}'s team"),
                ],
                self._slots(manager=cyber_manager),
            )
        )
        out.append(
            Family(
                "completion_conduct_by_team_year",
                "data",
                by_group("team", g.completion_by(d, "code-of-conduct", "team", p["this_year"])),
                [
                    ("en", "code of conduct completion rate by team this year"),
                    ("fr", "Code of conduct : taux de complétion par équipe cette année"),
                    (
                        "en",
                        "Hi! For the compliance committee, could I have the Code of conduct completion rate team by team for this year?",
                    ),
                ],
            )
        )
        out.append(
            Family(
                "completion_excel_year",
                "data",
                rate(g.completion_rate(d, "excel-tcd", p["this_year"])),
                [
                    ("en", "Excel : tableaux croisés dynamiques completion rate this year?"),
                    (
                        "fr",
                        "quel pourcentage a terminé Excel : tableaux croisés dynamiques cette année ?",
                    ),
                ],
            )
        )
        out.append(
            Family(
                "completion_cyber_half_month",
                "data",
                rate(g.completion_rate(d, "cybersecurite", p["half"])),
                [
                    ("en", "cybersecurity completion rate between 1 and {half_end} {lm}"),
                    ("fr", "taux de complétion Cybersécurité entre le 1er et le {half_end} {lm}"),
                    (
                        "en",
                        "Cybersécurité : les bons réflexes — what % completed it between 1 and {half_end} {lm}?",
                    ),
                ],
            )
        )
        out.append(
            Family(
                "completion_fire_by_team",
                "data",
                by_group("team", g.completion_by(d, "fire-safety", "team")),
                [
                    ("en", "fire safety completion by team"),
                    ("fr", "taux de complétion Fire safety par équipe"),
                    ("en", "Can I get the fire safety completion rate split by team, please?"),
                ],
            )
        )
        out.append(
            Family(
                "completion_leadership_role",
                "data",
                rate(
                    g.completion_rate(
                        d, "leadership-essentials", None, g.with_role(d, "team-leader")
                    )
                ),
                [
                    ("en", "completion rate of Leadership essentials among team leaders"),
                    ("fr", "Leadership essentials : taux de complétion des team leaders ?"),
                ],
            )
        )
        out.append(
            Family(
                "completion_gdpr_month",
                "data",
                rate(g.completion_rate(d, "gdpr-workshop", p["month_2"])),
                [
                    ("en", "GDPR in practice completion rate in {m2}"),
                    ("fr", "taux de réalisation de GDPR in practice en {m2}"),
                    ("fr", "quel % des inscrits a terminé GDPR in practice en {m2} ?"),
                ],
            )
        )
        out.append(
            Family(
                "completion_antibribery_by_role_last_year",
                "data",
                by_group("role", g.completion_by(d, "anti-bribery", "role", p["last_year"])),
                [
                    ("en", "anti-bribery completion by role last year"),
                    ("fr", "taux de complétion Anti-bribery par rôle l'année dernière"),
                ],
            )
        )
        return out

    # pre/post-test progression ---------------------------------------------------------

    def progression_families(self) -> list[Family]:
        d = self.d
        out = [
            Family(
                "progression_rgpd",
                "data",
                progression(g.progression(d, "rgpd-fondamentaux")),
                [
                    ("en", "pre/post progression for RGPD : les fondamentaux"),
                    ("fr", "progression pré-test / post-test sur RGPD : les fondamentaux ?"),
                    (
                        "en",
                        "how much did people improve between the pre-test and the post-test on the RGPD fundamentals course?",
                    ),
                ],
            )
        ]

        def tested(item: str, pop: set[str]) -> int:
            found = g.progression(d, item, pop)
            return found["n"] if found else 0

        team = self.most(self.teams(), lambda t: tested("python-analysts", g.team(d, t)))
        out.append(
            Family(
                "progression_python_team",
                "data",
                progression(g.progression(d, "python-analysts", g.team(d, team))),
                [
                    ("en", "Python for analysts pre vs post scores – {team} only"),
                    ("fr", "gain pré/post sur Python for analysts pour {team}"),
                ],
                self._slots(team=team),
            )
        )
        out.append(
            Family(
                "progression_leadership",
                "data",
                progression(g.progression(d, "leadership-essentials")),
                [
                    ("en", "Leadership essentials: average pre-test, post-test and gain?"),
                    ("fr", "Leadership essentials – progression entre le pré-test et le post-test"),
                ],
            )
        )
        manager = self.most(
            self.managers(), lambda m: tested("rgpd-fondamentaux", g.managed_by(d, m))
        )
        out.append(
            Family(
                "progression_rgpd_manager",
                "data",
                progression(g.progression(d, "rgpd-fondamentaux", g.managed_by(d, manager))),
                [
                    (
                        "fr",
                        "progression pré/post RGPD : les fondamentaux pour l'équipe de {manager}",
                    ),
                    ("en", "{manager}'s team — RGPD fundamentals pre/post test results"),
                    (
                        "en",
                        "Could you show me how {manager}'s people progressed from the pre-test to the post-test on RGPD : les fondamentaux?",
                    ),
                ],
                self._slots(manager=manager),
            )
        )
        out.append(
            Family(
                "progression_leadership_role",
                "data",
                progression(
                    g.progression(d, "leadership-essentials", g.with_role(d, "team-leader"))
                ),
                [
                    (
                        "fr",
                        "progression Leadership essentials des team leaders (pré-test vs post-test)",
                    ),
                    ("en", "Leadership essentials, team leaders only: pre, post and average gain"),
                ],
            )
        )
        out.append(
            Family(
                "progression_rgpd_role",
                "data",
                progression(g.progression(d, "rgpd-fondamentaux", g.with_role(d, "sales-rep"))),
                [
                    ("en", "RGPD pre/post gain for the sales reps"),
                    (
                        "fr",
                        "progression pré/post RGPD : les fondamentaux, rôle Sales representative",
                    ),
                ],
            )
        )
        out.append(
            Family(
                "progression_python",
                "data",
                progression(g.progression(d, "python-analysts")),
                [
                    (
                        "en",
                        "did Python for analysts actually move the needle? pre/post averages pls",
                    ),
                    (
                        "fr",
                        "Python for analysts : scores moyens avant/après (pré-test, post-test) et gain",
                    ),
                    ("fr", "écart moyen entre pré-test et post-test sur Python for analysts ?"),
                ],
            )
        )
        return out

    # quiz results ----------------------------------------------------------------------

    def quizzes(self) -> list[Family]:
        d, p = self.d, self.p
        out = [
            Family(
                "quiz_pass_python_quarter",
                "data",
                rate(
                    g.quiz_results(d, item_id="python-analysts", period=p["last_quarter"])[
                        "pass_rate"
                    ]
                ),
                [
                    ("en", "quiz pass rate, Python for analysts, {q}"),
                    ("fr", "taux de réussite aux quiz Python for analysts au {q}"),
                    (
                        "en",
                        "What share of the Python for analysts quiz attempts scored 70% or more last quarter?",
                    ),
                ],
            ),
            Family(
                "quiz_average_phishing_year",
                "data",
                rate(
                    g.quiz_results(d, skill="security.phishing", period=p["this_year"])["average"]
                ),
                [
                    ("en", "average quiz score on the skill Recognising phishing this year"),
                    (
                        "fr",
                        "score moyen aux quiz de la compétence Recognising phishing cette année",
                    ),
                ],
            ),
            Family(
                "quiz_attempts_excel_since",
                "data",
                number(g.quiz_results(d, item_id="excel-tcd", period=p["since"])["attempts"]),
                [
                    (
                        "en",
                        "how many quiz attempts on Excel : tableaux croisés dynamiques since {since}?",
                    ),
                    (
                        "fr",
                        "nombre de tentatives de quiz sur Excel : tableaux croisés dynamiques depuis le {since}",
                    ),
                ],
            ),
        ]
        team = self.most(
            self.teams(),
            lambda t: g.quiz_results(d, item_id="rgpd-fondamentaux", learners=g.team(d, t))[
                "attempts"
            ],
        )
        out.append(
            Family(
                "quiz_pass_rgpd_team",
                "data",
                rate(
                    g.quiz_results(d, item_id="rgpd-fondamentaux", learners=g.team(d, team))[
                        "pass_rate"
                    ]
                ),
                [
                    ("fr", "taux de réussite aux quiz RGPD : les fondamentaux chez {team}"),
                    ("en", "{team}: pass rate on the RGPD fundamentals quizzes?"),
                    (
                        "en",
                        "For {team}, what percentage of RGPD : les fondamentaux quiz attempts were passed?",
                    ),
                ],
                self._slots(team=team),
            )
        )
        out.append(
            Family(
                "quiz_average_time_90",
                "data",
                rate(g.quiz_results(d, item_id="time-management", period=p["last_90"])["average"]),
                [
                    (
                        "fr",
                        "score moyen aux quiz Gestion du temps et des priorités sur les 90 derniers jours",
                    ),
                    ("en", "Gestion du temps et des priorités – avg quiz score, last 90 days"),
                ],
            )
        )
        out.append(
            Family(
                "quiz_attempts_leading_quarter",
                "data",
                number(
                    g.quiz_results(d, skill="leadership.people", period=p["last_quarter"])[
                        "attempts"
                    ]
                ),
                [
                    ("en", "number of quiz attempts on the skill Leading a team in {q}"),
                    (
                        "fr",
                        "combien de tentatives de quiz sur la compétence Leading a team au {q} ?",
                    ),
                ],
            )
        )
        manager = self.most(
            self.managers(),
            lambda m: g.quiz_results(
                d,
                skill="compliance.anti_bribery",
                period=p["this_year"],
                learners=g.managed_by(d, m),
            )["attempts"],
        )
        out.append(
            Family(
                "quiz_pass_bribery_manager",
                "data",
                rate(
                    g.quiz_results(
                        d,
                        skill="compliance.anti_bribery",
                        period=p["this_year"],
                        learners=g.managed_by(d, manager),
                    )["pass_rate"]
                ),
                [
                    ("en", "pass rate on Preventing bribery quizzes this year, {manager}'s team"),
                    (
                        "fr",
                        "équipe de {manager} : taux de réussite aux quiz de la compétence Preventing bribery cette année",
                    ),
                    (
                        "en",
                        "How is {manager}'s team doing on the Preventing bribery skill quizzes this year? Pass rate please.",
                    ),
                ],
                self._slots(manager=manager),
            )
        )
        return out

    # engagement ------------------------------------------------------------------------

    def engagement_families(self) -> list[Family]:
        d, p = self.d, self.p
        out = [
            Family(
                "engagement_30_days",
                "data",
                engagement(g.engagement(d, p["last_30"])),
                [
                    ("en", "engagement over the last 30 days?"),
                    (
                        "fr",
                        "combien d'apprenants actifs et combien de temps passé ces 30 derniers jours ?",
                    ),
                    ("en", "active learners + time spent, last 30 days"),
                ],
            ),
            Family(
                "engagement_transport_month",
                "data",
                engagement(g.engagement(d, p["last_month"], g.team(d, "Lyon Transport"))),
                [
                    ("en", "Lyon Transport engagement last month"),
                    (
                        "fr",
                        "activité de l'équipe Lyon Transport le mois dernier : actifs et minutes",
                    ),
                ],
            ),
            Family(
                "engagement_active_manager_month",
                "data",
                number(
                    g.engagement(d, p["last_month"], g.managed_by(d, "Gareth Hughes"))["active"]
                ),
                [
                    ("en", "how many of Gareth Hughes's people were active in {lm}?"),
                    ("fr", "nombre d'apprenants actifs dans l'équipe de Gareth Hughes en {lm}"),
                    ("en", "Gareth Hughes's team, {lm}: how many active learners?"),
                ],
            ),
            Family(
                "engagement_sales_quarter",
                "data",
                engagement(g.engagement(d, p["last_quarter"], g.team(d, "Manchester Sales"))),
                [
                    ("fr", "engagement Manchester Sales au {q}"),
                    ("en", "Manchester Sales — active learners and minutes, {q}"),
                ],
            ),
            Family(
                "engagement_last_week",
                "data",
                engagement(g.engagement(d, p["last_week"])),
                [
                    ("en", "how engaged were learners last week? active count and total minutes"),
                    ("fr", "engagement de la semaine dernière"),
                    (
                        "fr",
                        "Bonjour, combien d'apprenants ont été actifs la semaine dernière et pour combien de minutes au total ?",
                    ),
                ],
            ),
            Family(
                "engagement_finance_half_month",
                "data",
                number(g.engagement(d, p["half"], g.with_role(d, "finance-officer"))["active"]),
                [
                    ("en", "how many finance officers were active between 1 and {half_end} {lm}?"),
                    (
                        "fr",
                        "combien de finance officers actifs entre le 1er et le {half_end} {lm} ?",
                    ),
                ],
            ),
        ]
        quarter_ = p["this_quarter"]
        active = sorted({r.learner_id for r in d.records if quarter_[0] <= r.on <= quarter_[1]})
        x = self.pick("engagement_named", active, ["Marie Nguyen"])
        out.append(
            Family(
                "engagement_named_quarter",
                "data",
                engagement(g.engagement(d, quarter_, {x})),
                [
                    ("en", "how much time has {x} spent on training this quarter?"),
                    ("fr", "temps passé en formation par {x} ce trimestre ?"),
                ],
                self._slots(x=self.name(x)),
            )
        )
        out.append(
            Family(
                "engagement_explicit_range",
                "data",
                engagement(g.engagement(d, p["explicit"], g.team(d, "Lyon Warehouse"))),
                [
                    ("en", "Lyon Warehouse engagement from {ex_start} to {ex_end}"),
                    (
                        "fr",
                        "activité Lyon Warehouse entre le {ex_start} et le {ex_end} (actifs, minutes)",
                    ),
                ],
            )
        )
        return out

    # actions ---------------------------------------------------------------------------

    def actions(self) -> list[Family]:
        d = self.d
        out = []
        fire = g.next_session(d, "fire-safety")
        assert fire
        booked = set(g.session_enrolments(d, fire)) | set(
            g.session_enrolments(d, fire, "waitlisted")
        )
        x = self.pick("enrol_next_fire", set(d.people) - booked, ["Ana Ribeiro"])
        out.append(
            Family(
                "enrol_next_fire",
                "action",
                action("enrol", learner_ids=[x], session_id=fire),
                [
                    ("en", "Can you book {x} onto the next fire safety session?"),
                    ("fr", "inscris {x} à la prochaine session Fire safety stp"),
                ],
                self._slots(x=self.name(x)),
            )
        )
        on_excel = {e.learner_id for e in d.enrolments if e.item_id == "excel-tcd"}
        free = sorted(set(d.people) - on_excel)
        a = self.pick("enrol_excel/a", free, ["Luc Perrin"])
        b = self.pick("enrol_excel/b", sorted(set(free) & g.with_role(d, "finance-officer") - {a}))
        out.append(
            Family(
                "enrol_excel_item",
                "action",
                action("enrol", learner_ids=[a, b], item_id="excel-tcd"),
                [
                    (
                        "fr",
                        "Merci d'inscrire {a} et {b} au module Excel : tableaux croisés dynamiques.",
                    ),
                    ("en", "enrol {a} + {b} on Excel : tableaux croisés dynamiques (e-learning)"),
                ],
                self._slots(a=self.name(a), b=self.name(b)),
            )
        )
        team = self.most(self.teams(), lambda t: len(g.overdue(d, "anti-bribery", g.team(d, t))))
        out.append(
            Family(
                "remind_overdue_bribery_team",
                "action",
                action(
                    "remind",
                    learner_ids=g.overdue(d, "anti-bribery", g.team(d, team)),
                    item_id="anti-bribery",
                ),
                [
                    ("fr", "relance les retardataires Anti-bribery de {team}"),
                    ("en", "send a reminder to everyone in {team} who's overdue on anti-bribery"),
                    (
                        "en",
                        "Could you nudge the {team} folks who are late on Anti-bribery? Thanks!",
                    ),
                ],
                self._slots(team=team),
            )
        )
        gdpr_tue = self.only(self.on_day("gdpr-workshop", self.tue), "last Tuesday's GDPR")
        out.append(
            Family(
                "remind_unsigned_gdpr",
                "action",
                action("remind", learner_ids=g.sign_off(d, gdpr_tue)[1], session_id=gdpr_tue),
                [
                    ("en", "remind everyone who hasn't signed last Tuesday's GDPR session"),
                    (
                        "fr",
                        "envoie un rappel à ceux qui n'ont pas émargé à la classe virtuelle GDPR de mardi dernier",
                    ),
                ],
            )
        )
        sst = self.past("sst")[-1]
        y = self.pick("mark_signed_sst", g.sign_off(d, sst)[1])
        out.append(
            Family(
                "mark_signed_sst",
                "action",
                action("mark_attendance", learner_ids=[y], session_id=sst, signed=True),
                [
                    (
                        "en",
                        "mark {x} as present for the SST session on {day} — they signed the paper sheet",
                    ),
                    ("fr", "merci de marquer {x} comme ayant émargé à la session SST du {day}"),
                    ("fr", "SST du {day} : {x} était bien là, tu peux valider son émargement ?"),
                ],
                self._slots(self.days(sst), x=self.name(y)),
            )
        )
        handling = self.past("manual-handling")[-1]
        z = self.pick("mark_absent_handling", g.session_enrolments(d, handling))
        out.append(
            Family(
                "mark_absent_handling",
                "action",
                action("mark_attendance", learner_ids=[z], session_id=handling, signed=False),
                [
                    (
                        "en",
                        "{x} didn't turn up to manual handling on {day}, please record them as not signed",
                    ),
                    ("fr", "note {x} comme non émargé pour la session Manual handling du {day}"),
                ],
                self._slots(self.days(handling), x=self.name(z)),
            )
        )
        sst_next = g.next_session(d, "sst")
        assert sst_next
        out.append(
            Family(
                "cancel_sst",
                "action",
                action("cancel_session", session_id=sst_next),
                [
                    ("fr", "annule la session SST du {day}, le formateur est malade"),
                    ("en", "please cancel the SST session on {day}"),
                ],
                self._slots(self.days(sst_next)),
            )
        )
        upcoming = sorted(s for s in d.sessions if d.sessions[s].day > self.today)
        empty = self.most(upcoming, lambda s: -g.seats(d, s)["enrolled"])
        out.append(
            Family(
                "cancel_by_id",
                "action",
                action("cancel_session", session_id=empty),
                [
                    ("en", "cancel {sid}, only {n} enrolled"),
                    ("fr", "peux-tu annuler la session {sid} ? pas assez d'inscrits"),
                ],
                self._slots(sid=empty, n=str(g.seats(d, empty)["enrolled"])),
            )
        )
        cyber_roles = {r[0] for r in d.items["cybersecurite"].rules}
        late = [i for i in g.overdue(d, "cybersecurite") if d.people[i].role in cyber_roles]
        w = self.pick("remind_named_cyber", late, ["Luc Perrin"])
        out.append(
            Family(
                "remind_named_cyber",
                "action",
                action("remind", learner_ids=[w], item_id="cybersecurite"),
                [
                    ("en", "remind {x} about Cybersécurité : les bons réflexes"),
                    (
                        "fr",
                        "envoie une relance à {x} pour le module Cybersécurité : les bons réflexes",
                    ),
                ],
                self._slots(x=self.name(w)),
            )
        )
        clinic = self.future("python-clinic")[0]
        taken = set(g.session_enrolments(d, clinic)) | set(
            g.session_enrolments(d, clinic, "waitlisted")
        )
        v = self.pick("enrol_clinic", g.with_role(d, "data-analyst") - taken, ["Thomas Wright"])
        out.append(
            Family(
                "enrol_clinic_date",
                "action",
                action("enrol", learner_ids=[v], session_id=clinic),
                [
                    ("fr", "inscris {x} à la Python clinic du {day}"),
                    ("en", "add {x} to the {day} Python clinic"),
                ],
                self._slots(self.days(clinic), x=self.name(v)),
            )
        )
        return out

    # clarify ---------------------------------------------------------------------------

    def clarify(self) -> list[Family]:
        d = self.d
        out = []
        firsts = Counter(p.name.split()[0] for p in d.people.values())
        if firsts["Thomas"] < 2:
            raise ValueError("expected two learners called Thomas")
        out.append(
            Family(
                "clarify_first_name",
                "clarify",
                CLARIFY,
                [
                    ("en", "has Thomas finished RGPD : les fondamentaux?"),
                    ("fr", "relance Thomas pour le Code of conduct"),
                ],
            )
        )
        if len(self.on_day("feedback-workshop", self.thu)) < 2:
            raise ValueError("expected two feedback sessions last Thursday")
        out.append(
            Family(
                "clarify_same_day_feedback",
                "clarify",
                CLARIFY,
                [
                    ("en", "who didn't sign last Thursday's feedback workshop?"),
                    ("fr", "émargements de l'atelier Giving feedback workshop de jeudi dernier ?"),
                ],
            )
        )
        teams = self.teams()
        for part in ("Sales", "Warehouse", "Lyon"):
            if sum(part in t for t in teams) < 2:
                raise ValueError(f"expected several teams named with {part!r}")
        out.append(
            Family(
                "clarify_partial_team",
                "clarify",
                CLARIFY,
                [
                    ("en", "overdue anti-bribery list for Sales"),
                    ("fr", "taux de complétion Cybersécurité pour l'équipe Warehouse"),
                    ("fr", "engagement de l'équipe Lyon le mois dernier"),
                ],
            )
        )
        if sum("Python" in i.title for i in d.items.values()) < 2:
            raise ValueError("expected two Python courses")
        out.append(
            Family(
                "clarify_two_courses",
                "clarify",
                CLARIFY,
                [
                    ("en", "completion rate for the Python course?"),
                    ("fr", "taux de complétion de la formation Python ce trimestre"),
                    ("en", "GDPR training completion, last quarter"),
                ],
            )
        )
        out.append(
            Family(
                "clarify_unreadable_period",
                "clarify",
                CLARIFY,
                [
                    ("en", "fire safety completion rate since the reorg"),
                    ("fr", "taux de complétion RGPD : les fondamentaux depuis la rentrée"),
                    ("en", "Lyon Finance engagement between 31/02/{year} and 15/03/{year}"),
                    (
                        "fr",
                        "nombre de tentatives de quiz Python for analysts pendant la haute saison",
                    ),
                ],
                self._slots(year=str(self.today.year)),
            )
        )
        maries = [m for m in self.managers() if m.startswith("Marie ")]
        if len(maries) < 2:
            raise ValueError("expected two managers called Marie")
        out.append(
            Family(
                "clarify_manager_first_name",
                "clarify",
                CLARIFY,
                [
                    ("en", "overdue list for Marie's team"),
                    ("fr", "taux de complétion Code of conduct dans l'équipe de Marie"),
                ],
            )
        )
        fire_days = self.shared_days(future=True, same_item=True)
        fire_day = next(day for day in fire_days if len(self.on_day("fire-safety", day)) >= 2)
        mixed_day = self.shared_days(future=True, same_item=False)[0]
        x = self.pick("clarify_same_day_action", sorted(d.people), self._fixed())
        out.append(
            Family(
                "clarify_same_day_action",
                "clarify",
                CLARIFY,
                [
                    ("en", "cancel the fire safety session on {fire_day}"),
                    ("fr", "annule la session du {mixed_day}"),
                ],
                {
                    "en": {
                        "fire_day": day_en(fire_day, self.today),
                        "mixed_day": day_en(mixed_day, self.today),
                        "x": self.name(x),
                    },
                    "fr": {
                        "fire_day": day_fr(fire_day, self.today),
                        "mixed_day": day_fr(mixed_day, self.today),
                        "x": self.name(x),
                    },
                },
            )
        )
        return out

    # helpers ---------------------------------------------------------------------------

    @staticmethod
    def _fixed() -> list[str]:
        """The fixed names of the organisation (the generator always writes them)."""
        return sorted(FIXED_LEARNERS)

    @staticmethod
    def _slots(days: dict[str, str] | None = None, **same: str) -> dict[str, dict[str, str]]:
        """Per-language slot values: ``day`` from ``days``, the rest the same in both."""
        out: dict[str, dict[str, str]] = {"en": dict(same), "fr": dict(same)}
        if days:
            for lang in out:
                out[lang]["day"] = days[lang]
        return out


def build(directory: Path) -> list[dict[str, Any]]:
    """The questions of the set for the organisation written in ``directory``."""
    return Dev3(g.load(directory)).questions()


def write(directory: Path) -> Path:
    """Write ``dev3_questions.jsonl`` into ``directory`` and return its path."""
    rows = build(directory)
    out = directory / OUT_NAME
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.admin.dev3", description=__doc__)
    parser.add_argument("org_dir", type=Path, help="the generated organisation's directory")
    args = parser.parse_args(argv)
    path = write(args.org_dir)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    counts = Counter(r["kind"] for r in rows) + Counter(r["language"] for r in rows)
    families = len({r["family"] for r in rows})
    print(
        f"wrote {path}: {len(rows)} questions, {families} families, "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )


if __name__ == "__main__":
    main()
