"""Bindings of the action families (what the assistant must propose) and of the clarify
families (names that fit several people, teams, courses or sessions: it must ask).

Action golds: ``{"type": "action", "action": NAME, "args": ARGS}`` with ARGS
``{"learner_ids": [..], "session_id": S}`` or ``{"learner_ids": [..], "item_id": I}`` for
``enrol`` and ``remind``, ``{"learner_ids": [id], "session_id": S, "signed": bool}`` for
``mark_attendance``, ``{"session_id": S}`` for ``cancel_session``. Clarify golds:
``{"type": "clarify", "candidates": [...]}`` (the candidates are for diagnostics).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from evals.admin import gold
from evals.admin.bindings import CLARIFY, Binding, DataBuilder, action


def _site(text: str) -> str:
    return text.split()[0] if text.split()[0] in ("Lyon", "Manchester") else "virtual"


class Builder(DataBuilder):
    """Bindings of every family of ``templates.yaml``."""

    # actions ---------------------------------------------------------------------------

    def _booked(self, learner_id: str, item_id: str) -> bool:
        return any(
            e.learner_id == learner_id and e.item_id == item_id and e.status != "cancelled"
            for e in self.data.enrolments
        )

    def _signed_rows(self, session_id: str) -> set[str]:
        return {s.learner_id for s in self.data.signatures if s.session_id == session_id}

    def act_enrol_session(self) -> list[Binding]:
        first, out = [], []
        for item in sorted({self.data.sessions[s].item_id for s in self.future}):
            sid = gold.next_session(self.data, item)
            if sid is None or sid in self.shared_day or not gold.seats(self.data, sid)["free"]:
                continue
            site = _site(self.data.sessions[sid].place)
            for p in sorted(self.data.people.values(), key=lambda p: p.id):
                status = gold.mandatory_status(self.data, p.id, item)[0]
                if site not in ("virtual", _site(p.team)) or self._booked(p.id, item):
                    continue
                slots = {"learner": ("learner_short", p.id), "session": ("session", sid)}
                binding = self._b(slots, action("enrol", learner_ids=[p.id], session_id=sid))
                if p.name == "Ana Ribeiro" and item == "fire-safety":
                    first.append(binding)
                elif status in ("overdue", "due", "not_assigned"):
                    out.append(binding)
        for binding in first:
            binding.pinned = True
        return first + out[::5]

    def act_enrol_item(self) -> list[Binding]:
        out = []
        for item in self.elearning:
            if self.data.items[item].rules:
                continue
            for p in sorted(self.data.people.values(), key=lambda p: p.id)[::9]:
                if not self._booked(p.id, item):
                    slots = {"learner": ("learner_short", p.id), "course": ("course", item)}
                    out.append(self._b(slots, action("enrol", learner_ids=[p.id], item_id=item)))
        return out

    def act_remind_overdue(self) -> list[Binding]:
        out = []
        for item in self.mandatory:
            for who in self.whos:
                ids = gold.overdue(self.data, item, self._members(who))
                if ids:
                    slots = {"who": ("who", who), "course": ("course", item)}
                    out.append(self._b(slots, action("remind", learner_ids=ids, item_id=item)))
        return out

    def act_remind_unsigned(self) -> list[Binding]:
        out = []
        for sid in [s for s in self.named if s in self.past]:
            unsigned = gold.sign_off(self.data, sid)[1]
            if unsigned:
                answer = action("remind", learner_ids=unsigned, session_id=sid)
                out.append(self._b({"session": ("session", sid)}, answer))
        return out

    def _mark(self, signed: bool) -> list[Binding]:
        out = []
        for sid in [s for s in self.named if s in self.past]:
            rows = self._signed_rows(sid)
            for lid in gold.sign_off(self.data, sid)[1]:
                if lid not in rows:  # no sign-off row yet: either way is a change
                    slots = {"learner": ("learner_short", lid), "session": ("session", sid)}
                    answer = action(
                        "mark_attendance", learner_ids=[lid], session_id=sid, signed=signed
                    )
                    out.append(self._b(slots, answer))
                    name = self.data.people[lid].name
                    out[-1].pinned = sid == self.last_tuesday_gdpr and name == "Luc Perrin"
        return out

    def act_mark_present(self) -> list[Binding]:
        return self._mark(True)

    def act_mark_absent(self) -> list[Binding]:
        return self._mark(False)

    def act_cancel_session(self) -> list[Binding]:
        out = []
        for sid in [s for s in self.named if s in self.future]:
            out.append(
                self._b({"session": ("session", sid)}, action("cancel_session", session_id=sid))
            )
            out[-1].pinned = sid == gold.next_session(self.data, "manual-handling")
        return out

    # clarify ---------------------------------------------------------------------------

    def _clarify(self, slots: dict[str, tuple[str, Any]], candidates: list[str]) -> Binding:
        return self._b(slots, {**CLARIFY, "candidates": sorted(candidates)})

    def clar_manager_first(self) -> list[Binding]:
        by_first: dict[str, set[str]] = defaultdict(set)
        for p in self.data.people.values():
            by_first[p.manager.split()[0]].add(p.manager)
        out = []
        for first, managers in sorted(by_first.items()):
            if len(managers) < 2:
                continue
            who = {"en": [f"{first}'s team"], "fr": [f"l'équipe de {first}"]}
            for item, key in zip(
                self.mandatory, ["this_quarter", "last_month", "this_year", "since"], strict=False
            ):
                slots = {
                    "who": ("text", who),
                    "course": ("course", item),
                    "period": ("period", key),
                }
                out.append(self._clarify(slots, list(managers)))
        return out

    def clar_learner_first(self) -> list[Binding]:
        out = []
        for sid in [s for s in self.named if s in self.past]:
            by_first: dict[str, list[str]] = defaultdict(list)
            for lid in gold.session_enrolments(self.data, sid):
                by_first[self.data.people[lid].name.split()[0]].append(lid)
            for first, ids in sorted(by_first.items()):
                if len(ids) > 1:
                    slots = {
                        "learner": ("text", {"en": [first], "fr": [first]}),
                        "session": ("session", sid),
                    }
                    out.append(self._clarify(slots, ids))
                    out[-1].pinned = sid == self.last_tuesday_gdpr
        return out

    def clar_same_day_session(self) -> list[Binding]:
        out = []
        for sid in self.shared_day:
            day, item = self.data.sessions[sid].day, self.data.sessions[sid].item_id
            same = gold.sessions_of(self.data, item, (day, day))
            if sid == same[0]:
                out.append(self._clarify({"session": ("session_day", sid)}, same))
        return out

    def clar_team_partial(self) -> list[Binding]:
        teams = sorted({p.team for p in self.data.people.values()})
        out = []
        for word, phrasing in self.spec["partial_teams"].items():
            matching = [t for t in teams if word in t.split()]
            if len(matching) < 2:
                continue
            members = {p.id for p in self.data.people.values() if p.team in matching}
            required = Counter(
                i for i in self.mandatory for m in sorted(members) if self._required(i, {m})
            )
            for item, _ in required.most_common(2):
                slots = {
                    "who": ("text", phrasing),
                    "course": ("course", item),
                    "period": ("period", "this_quarter"),
                }
                out.append(self._clarify(slots, matching))
        return out

    def clar_course_partial(self) -> list[Binding]:
        out = []
        ids = sorted(self.data.people)
        for n, entry in enumerate(self.spec["partial_courses"]):
            for k, key in enumerate(["this_quarter", "last_month", "this_year"]):
                slots = {
                    "course": ("text", {"en": entry["en"], "fr": entry["fr"]}),
                    "period": ("period", key),
                    "learner": ("learner", ids[(n * 3 + k) * 17 % len(ids)]),
                }
                out.append(self._clarify(slots, list(entry["items"])))
        return out
