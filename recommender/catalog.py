"""The catalog: skills framework, role profiles, items and sessions, checked as a whole.

``Catalog(...)`` refuses unknown references and prerequisite cycles (over skills and over
items) with a :class:`CatalogError` listing every problem; ``Catalog.check`` returns them
instead. Problems carry the source file and row when the caller knows them (``origins``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from recommender.model import CatalogItem, Learner, RoleProfile, Session, SkillDef, SkillLevel

Origin = tuple[str, int]  # (source, row number)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located when possible."""

    message: str
    source: str = ""
    row: int | None = None

    def __str__(self) -> str:
        where = self.source + (f":{self.row}" if self.row is not None else "")
        return f"{where}: {self.message}" if where else self.message


class CatalogError(ValueError):
    """The catalog cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every elementary cycle met by a depth-first search, each as a closed path [a, b, a]."""
    colour: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for root in graph:
        if root in colour:
            continue
        stack: list[tuple[str, list[str]]] = [(root, list(graph.get(root, ())))]
        path = [root]
        colour[root] = 1
        while stack:
            node, todo = stack[-1]
            if not todo:
                colour[node] = 2
                stack.pop()
                path.pop()
                continue
            nxt = todo.pop(0)
            state = colour.get(nxt)
            if state == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    cycles.append(cycle)
            elif state is None:
                colour[nxt] = 1
                path.append(nxt)
                stack.append((nxt, list(graph.get(nxt, ()))))
    return cycles


class Candidate(NamedTuple):
    """An item as the path builder ranks it, its facts unpacked once per catalog."""

    item: CatalogItem
    id: str
    position: int
    taught: tuple[tuple[str, int], ...]  # (skill, level) in the item's order
    hours: float
    level: int
    practice: bool
    prereq_items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pool:
    """Candidate items for one skill above one level, with what their scores can depend on:
    the skills they teach, their prerequisite items."""

    candidates: tuple[Candidate, ...]
    skills: tuple[str, ...]
    ids: frozenset[str]  # the items' ids and their prerequisite items'
    needing: dict[str, tuple[Candidate, ...]]  # skill: the candidates that need it


class Catalog:
    """Skills, roles, items and sessions with the indexes the path builder needs."""

    def __init__(
        self,
        skills: Iterable[SkillDef],
        items: Iterable[CatalogItem],
        sessions: Iterable[Session] = (),
        roles: Iterable[RoleProfile] = (),
        *,
        origins: Mapping[tuple[str, str], Origin] | None = None,
        check: bool = True,
    ) -> None:
        self.skills: dict[str, SkillDef] = {s.id: s for s in skills}
        self.items: dict[str, CatalogItem] = {i.id: i for i in items}
        self.roles: dict[str, RoleProfile] = {r.id: r for r in roles}
        self.sessions: dict[str, Session] = {s.id: s for s in sessions}
        self.origins = dict(origins or {})
        if check and (problems := self.check()):
            raise CatalogError(problems)
        self._needs: dict[str, tuple[SkillLevel, ...]] = {}
        self._candidates: dict[tuple[str, int], Pool] = {}
        self.position = {item_id: n for n, item_id in enumerate(self.items)}
        self.teaching: dict[str, list[CatalogItem]] = {}
        for item in self.items.values():
            for sl in item.skills:
                self.teaching.setdefault(sl.skill, []).append(item)
        self._reachable = {
            skill: max(i.teaches(skill) for i in items) for skill, items in self.teaching.items()
        }
        self.sessions_of: dict[str, list[Session]] = {}
        for session in sorted(self.sessions.values(), key=lambda s: (s.start, s.id)):
            self.sessions_of.setdefault(session.item_id, []).append(session)
        self.mandatory = [i for i in self.items.values() if i.mandatory_for]
        self.parts: dict[str, list[str]] = {}
        for skill in self.skills.values():
            if skill.part_of:
                self.parts.setdefault(skill.part_of, []).append(skill.id)

    def needs(self, item: CatalogItem) -> tuple[SkillLevel, ...]:
        """Skills needed before ``item``: its prerequisite skills and the prerequisites of the
        skills it teaches (unless it teaches them itself)."""
        cached = self._needs.get(item.id)
        if cached is None:
            out = {sl.skill: sl.level for sl in item.prereq_skills}
            for sl in item.skills:
                skill = self.skills.get(sl.skill)
                for req in skill.requires if skill else ():
                    if item.teaches(req.skill) < req.level:
                        out[req.skill] = max(out.get(req.skill, 0), req.level)
            cached = tuple(SkillLevel(k, v) for k, v in out.items())
            self._needs[item.id] = cached
        return cached

    def candidates(self, skill: str, above: int) -> Pool:
        """Items that bring ``skill`` above level ``above``, in catalog order (built once per
        skill and level: the path builder asks for them at every step of every path)."""
        key = (skill, above)
        pool = self._candidates.get(key)
        if pool is None:
            items = [i for i in self.teaching.get(skill, ()) if i.teaches(skill) > above]
            candidates = tuple(
                Candidate(
                    i,
                    i.id,
                    self.position[i.id],
                    tuple((sl.skill, sl.level) for sl in i.skills),
                    i.hours,
                    i.level,
                    i.modality.practice,
                    i.prereq_items,
                )
                for i in items
            )
            needing: dict[str, list[Candidate]] = {}
            for c in candidates:
                for need in {n.skill for n in self.needs(c.item)}:
                    needing.setdefault(need, []).append(c)
            pool = Pool(
                candidates,
                tuple(sorted({sl.skill for i in items for sl in i.skills})),
                frozenset(i.id for i in items) | {ref for i in items for ref in i.prereq_items},
                {k: tuple(v) for k, v in needing.items()},
            )
            self._candidates[key] = pool
        return pool

    def reachable(self, skill: str) -> int:
        """The highest level of ``skill`` any item teaches."""
        return self._reachable.get(skill, 0)

    def label(self, skill: str) -> str:
        s = self.skills.get(skill)
        return s.label if s else skill

    def top_level(self, skill: str) -> int:
        s = self.skills.get(skill)
        return s.levels if s else 1

    def _problem(self, kind: str, ident: str, message: str) -> Problem:
        source, row = self.origins.get((kind, ident), ("", None))
        return Problem(message, source, row)

    def _levels(
        self, kind: str, owner: str, what: str, refs: Iterable[SkillLevel]
    ) -> list[Problem]:
        out = []
        for ref in refs:
            skill = self.skills.get(ref.skill)
            if skill is None:
                out.append(self._problem(kind, owner, f"{what} names unknown skill '{ref.skill}'"))
            elif not 0 <= ref.level <= skill.levels:
                out.append(
                    self._problem(
                        kind,
                        owner,
                        f"{what} asks level {ref.level} of '{ref.skill}' (levels 0..{skill.levels})",
                    )
                )
        return out

    def check(self) -> list[Problem]:
        """Unknown references, bad levels and prerequisite cycles, all of them."""
        problems: list[Problem] = []
        for s in self.skills.values():
            problems += self._levels("skill", s.id, f"skill '{s.id}' requires", s.requires)
            if s.part_of is not None and s.part_of not in self.skills:
                problems.append(
                    self._problem(
                        "skill", s.id, f"skill '{s.id}' is part of unknown skill '{s.part_of}'"
                    )
                )
        for r in self.roles.values():
            problems += self._levels("role", r.id, f"role '{r.id}'", r.skills)
        for i in self.items.values():
            problems += self._levels("item", i.id, f"item '{i.id}' teaches", i.skills)
            problems += self._levels("item", i.id, f"item '{i.id}' requires", i.prereq_skills)
            for ref in i.prereq_items:
                if ref not in self.items:
                    problems.append(
                        self._problem("item", i.id, f"item '{i.id}' requires unknown item '{ref}'")
                    )
            for rule in i.mandatory_for:
                if self.roles and rule.role != "*" and rule.role not in self.roles:
                    problems.append(
                        self._problem(
                            "item",
                            i.id,
                            f"item '{i.id}' is mandatory for unknown role '{rule.role}'",
                        )
                    )
        for sess in self.sessions.values():
            item = self.items.get(sess.item_id)
            if item is None:
                problems.append(
                    self._problem(
                        "session",
                        sess.id,
                        f"session '{sess.id}' is for unknown item '{sess.item_id}'",
                    )
                )
            elif not item.modality.scheduled:
                problems.append(
                    self._problem(
                        "session",
                        sess.id,
                        f"session '{sess.id}': item '{item.id}' is {item.modality}, not held in sessions",
                    )
                )
        problems += self._cycles()
        return problems

    def _cycles(self) -> list[Problem]:
        out = []
        skill_graph = {s.id: [r.skill for r in s.requires] for s in self.skills.values()}
        for cycle in find_cycles(skill_graph):
            out.append(
                self._problem(
                    "skill", cycle[0], "prerequisite cycle among skills: " + " → ".join(cycle)
                )
            )
        parent_graph = {s.id: [s.part_of] if s.part_of else [] for s in self.skills.values()}
        for cycle in find_cycles(parent_graph):
            out.append(self._problem("skill", cycle[0], "part-of cycle: " + " → ".join(cycle)))
        item_graph = {i.id: list(i.prereq_items) for i in self.items.values()}
        for cycle in find_cycles(item_graph):
            out.append(
                self._problem(
                    "item", cycle[0], "prerequisite cycle among items: " + " → ".join(cycle)
                )
            )
        return out

    def check_learner(self, learner: Learner) -> list[str]:
        """References of a learner (role, goals, history) that the catalog does not know."""
        out = []
        if learner.role is not None and learner.role not in self.roles:
            out.append(f"unknown role '{learner.role}'")
        for goal in learner.goals:
            if goal.role is not None and goal.role not in self.roles:
                out.append(f"goal '{goal.label or goal.role}' names unknown role '{goal.role}'")
            for sl in goal.skills:
                if sl.skill not in self.skills:
                    out.append(f"goal '{goal.label or sl.skill}' names unknown skill '{sl.skill}'")
        for rec in learner.history:
            if rec.item_id is not None and rec.item_id not in self.items:
                out.append(f"history names unknown item '{rec.item_id}'")
            if rec.skill is not None and rec.skill not in self.skills:
                out.append(f"history names unknown skill '{rec.skill}'")
        return out
