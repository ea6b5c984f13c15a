"""Build the model from parsed CSV/YAML rows, reporting every bad row with its number.

Each row is a mapping (a ``csv.DictReader`` row or a YAML mapping). Lists may be YAML lists
or strings separated by ``;`` ``,`` or ``|``; a skill with a level is ``skill:2`` or
``{skill: x, level: 2}``. Row numbers count from ``first_row`` (2 for a CSV with a header)
unless the row carries its own ``_row``. Nothing is half-imported: the catalog is None when
any problem was found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from recommender.catalog import Catalog, CatalogError, Origin, Problem
from recommender.model import (
    CatalogItem,
    Goal,
    HistoryRecord,
    Learner,
    MandatoryRule,
    Modality,
    RecordKind,
    RoleProfile,
    Session,
    SkillDef,
    SkillLevel,
)

Row = Mapping[str, Any]
T = TypeVar("T")
_SPLIT = re.compile(r"[;,|]")
ENTRY_LEVELS = {"beginner": 1, "intermediate": 2, "advanced": 3}
MODALITY_ALIASES = {
    "elearning": Modality.E_LEARNING,
    "e-learning": Modality.E_LEARNING,
    "online": Modality.E_LEARNING,
    "in-person": Modality.IN_PERSON,
    "in person": Modality.IN_PERSON,
    "classroom": Modality.IN_PERSON,
    "workshop": Modality.IN_PERSON,
    "virtual": Modality.VIRTUAL,
    "virtual class": Modality.VIRTUAL,
    "coaching": Modality.COACHING,
    "on-the-job": Modality.ON_THE_JOB,
    "on the job": Modality.ON_THE_JOB,
    "task": Modality.ON_THE_JOB,
}


def as_list(value: Any) -> list[Any]:
    """A YAML list as is; a string split on ``;`` ``,`` ``|``; nothing as []."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in _SPLIT.split(value) if part.strip()]
    if isinstance(value, Mapping):
        return [{"skill": k, "level": v} for k, v in value.items()]
    return list(value)


def skill_level(value: Any, default: int = 1) -> SkillLevel:
    """``"x"``, ``"x:2"`` or ``{skill: x, level: 2}`` as a SkillLevel."""
    if isinstance(value, Mapping):
        return SkillLevel(str(value["skill"]), int(value.get("level", default)))
    text = str(value).strip()
    name, sep, level = text.rpartition(":")
    if sep and level.strip().isdigit():
        return SkillLevel(name.strip(), int(level))
    return SkillLevel(text, default)


def modality(value: Any) -> Modality:
    key = str(value).strip().lower().replace("_", "-")
    if key not in MODALITY_ALIASES:
        raise ValueError(
            f"unknown modality '{value}' (one of {', '.join(m.value for m in Modality)})"
        )
    return MODALITY_ALIASES[key]


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip()[:10])


def as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value).strip())


def _opt(row: Row, *keys: str) -> Any:
    for key in keys:
        value = row.get(key)
        if value is not None and value != "":
            return value
    return None


def _hours(row: Row) -> float:
    if (h := _opt(row, "hours")) is not None:
        return float(h)
    if (m := _opt(row, "duration_minutes", "minutes")) is not None:
        return float(m) / 60
    raise ValueError("needs hours or duration_minutes")


@dataclass
class Parsed(Generic[T]):
    values: list[T] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)


def _parse(
    rows: Iterable[Row], kind: str, source: str, first_row: int, build: Callable[[Row], T]
) -> Parsed[T]:
    out: Parsed[T] = Parsed()
    for n, row in enumerate(rows):
        line = int(row.get("_row", first_row + n))
        try:
            value = build(row)
        except (KeyError, ValueError, TypeError) as exc:
            msg = f"missing column {exc}" if isinstance(exc, KeyError) else str(exc)
            out.problems.append(Problem(msg, source, line))
            continue
        ident = str(getattr(value, "id", ""))
        if ident and (kind, ident) in out.origins:
            first = out.origins[(kind, ident)][1]
            out.problems.append(
                Problem(f"duplicate {kind} id '{ident}' (first on row {first})", source, line)
            )
            continue
        if ident:
            out.origins[(kind, ident)] = (source, line)
        out.values.append(value)
    return out


def _skill(row: Row) -> SkillDef:
    return SkillDef(
        id=str(row["id"]).strip(),
        label=str(_opt(row, "label", "name") or row["id"]),
        levels=int(_opt(row, "levels") or 3),
        requires=tuple(skill_level(v) for v in as_list(row.get("requires"))),
        part_of=_opt(row, "part_of"),
    )


def _role(row: Row) -> RoleProfile:
    return RoleProfile(
        id=str(row["id"]).strip(),
        label=str(_opt(row, "label", "name") or row["id"]),
        skills=tuple(skill_level(v) for v in as_list(row.get("skills"))),
    )


def _rule(value: Any) -> MandatoryRule:
    if isinstance(value, Mapping):
        renew = value.get("renewal_days")
        return MandatoryRule(
            str(value["role"]),
            None if renew in (None, "") else int(renew),
            int(value.get("within_days", 30)),
        )
    role, _, renew = str(value).partition(":")
    return MandatoryRule(role.strip(), int(renew) if renew.strip() else None)


def _item(row: Row) -> CatalogItem:
    level = str(_opt(row, "level") or 1).strip().lower()
    cap = _opt(row, "monthly_capacity", "capacity_per_month")
    return CatalogItem(
        id=str(row["id"]).strip(),
        title=str(_opt(row, "title") or row["id"]),
        modality=modality(row["modality"]),
        hours=_hours(row),
        language=str(_opt(row, "language") or "en"),
        level=ENTRY_LEVELS[level] if level in ENTRY_LEVELS else int(level),
        skills=tuple(skill_level(v) for v in as_list(row.get("skills"))),
        # resolved into skills and items by load_catalog, which knows both id sets
        prereq_items=tuple(str(v) for v in as_list(row.get("prerequisites"))),
        cost=float(_opt(row, "cost") or 0.0),
        mandatory_for=tuple(_rule(v) for v in as_list(row.get("mandatory_for"))),
        monthly_capacity=None if cap is None else int(cap),
    )


def _session(row: Row) -> Session:
    start = as_datetime(row["start"])
    item_id = str(row["item_id"]).strip()
    enrol = _opt(row, "enrol_by", "enrolment_deadline")
    return Session(
        id=str(_opt(row, "id") or f"{item_id}@{start.isoformat()}"),
        item_id=item_id,
        start=start,
        seats=int(_opt(row, "seats", "capacity") or 0),
        seats_taken=int(_opt(row, "seats_taken", "taken") or 0),
        place=str(_opt(row, "place", "location", "link") or ""),
        trainer=str(_opt(row, "trainer") or ""),
        enrol_by=as_date(enrol) if enrol is not None else (start.date() - timedelta(days=7)),
    )


@dataclass
class CatalogLoad:
    """The catalog, or None with every problem found (an import refuses the whole file)."""

    catalog: Catalog | None
    problems: list[Problem]


def load_catalog(
    *,
    skills: Iterable[Row],
    items: Iterable[Row],
    sessions: Iterable[Row] = (),
    roles: Iterable[Row] = (),
    sources: Mapping[str, str] | None = None,
    first_row: int = 2,
) -> CatalogLoad:
    """Parse and check a whole catalog; ``sources`` names each part's file for the problems."""
    src = {"skills": "skills", "items": "items", "sessions": "sessions", "roles": "roles"}
    src.update(sources or {})
    ps = _parse(skills, "skill", src["skills"], first_row, _skill)
    pr = _parse(roles, "role", src["roles"], first_row, _role)
    pi = _parse(items, "item", src["items"], first_row, _item)
    pe = _parse(sessions, "session", src["sessions"], first_row, _session)
    problems = ps.problems + pr.problems + pi.problems + pe.problems
    origins = {**ps.origins, **pr.origins, **pi.origins, **pe.origins}
    skill_ids = {s.id for s in ps.values}
    item_ids = {i.id for i in pi.values}
    resolved = []
    for item in pi.values:
        pre_items, pre_skills = [], []
        for ref in item.prereq_items:
            sl = skill_level(ref)
            if ref in item_ids:
                pre_items.append(ref)
            elif sl.skill in skill_ids:
                pre_skills.append(sl)
            else:
                source, line = origins[("item", item.id)]
                problems.append(
                    Problem(
                        f"item '{item.id}' requires '{ref}', neither an item nor a skill",
                        source,
                        line,
                    )
                )
        resolved.append(
            replace(item, prereq_items=tuple(pre_items), prereq_skills=tuple(pre_skills))
        )
    try:
        catalog = Catalog(ps.values, resolved, pe.values, pr.values, origins=origins)
    except CatalogError as exc:
        problems += exc.problems
        return CatalogLoad(None, problems)
    return CatalogLoad(None if problems else catalog, problems)


def _goal(row: Row) -> Goal:
    deadline = _opt(row, "deadline", "by")
    return Goal(
        label=str(_opt(row, "label", "name") or _opt(row, "role") or "goal"),
        role=_opt(row, "role", "target_role"),
        skills=tuple(skill_level(v) for v in as_list(row.get("skills"))),
        deadline=None if deadline is None else as_date(deadline),
        weight=float(_opt(row, "weight") or 1.0),
    )


def _record(row: Row) -> HistoryRecord:
    score = _opt(row, "score")
    attended = _opt(row, "attended")
    if score is not None:
        score = float(score)
        score = score / 100 if score > 1 else score
    return HistoryRecord(
        kind=RecordKind(str(_opt(row, "kind") or "completion").strip().lower()),
        on=as_date(_opt(row, "date", "on")),
        item_id=_opt(row, "item_id", "item"),
        skill=_opt(row, "skill"),
        score=score,
        attended=None if attended is None else str(attended).lower() in ("1", "true", "yes"),
        phase=_phase(_opt(row, "phase")),
        minutes=None if (m := _opt(row, "minutes")) is None else float(m),
    )


def _phase(value: Any) -> str | None:
    if value is None:
        return None
    phase = str(value).strip().lower()
    if phase not in ("pre", "post"):
        raise ValueError(f"phase must be 'pre' or 'post', not {value!r}")
    return phase


def _learner(row: Row) -> Learner:
    return Learner(
        id=str(row["id"]).strip(),
        role=_opt(row, "role"),
        name=str(_opt(row, "name") or ""),
        team=str(_opt(row, "team") or ""),
        manager=str(_opt(row, "manager") or ""),
        language=str(_opt(row, "language") or "en"),
        other_languages=tuple(str(v) for v in as_list(row.get("other_languages"))),
        hours_per_week=float(_opt(row, "hours_per_week", "availability") or 3.0),
        preferences=tuple(modality(v) for v in as_list(row.get("preferences"))),
        goals=tuple(_goal(g) for g in as_list(row.get("goals"))),
        history=tuple(_record(h) for h in as_list(row.get("history"))),
    )


@dataclass
class LearnerLoad:
    learners: list[Learner]
    problems: list[Problem]


def load_learners(
    rows: Iterable[Row],
    *,
    goals: Iterable[Row] = (),
    history: Iterable[Row] = (),
    catalog: Catalog | None = None,
    sources: Mapping[str, str] | None = None,
    first_row: int = 2,
) -> LearnerLoad:
    """Learners with goals and history (nested in each row, or as separate rows with a
    ``learner_id`` column); references are checked against ``catalog`` when given."""
    src = {"learners": "learners", "goals": "goals", "history": "history"}
    src.update(sources or {})
    pl = _parse(rows, "learner", src["learners"], first_row, _learner)
    problems = list(pl.problems)
    by_id = {lr.id: lr for lr in pl.values}
    extra: dict[str, tuple[list[Goal], list[HistoryRecord]]] = {k: ([], []) for k in by_id}
    for part, part_rows, build in (("goals", goals, _goal), ("history", history, _record)):
        for n, row in enumerate(part_rows):
            line = int(row.get("_row", first_row + n))
            owner = str(row.get("learner_id", "")).strip()
            if owner not in by_id:
                problems.append(Problem(f"unknown learner '{owner}'", src[part], line))
                continue
            try:
                value = build(row)
            except (KeyError, ValueError, TypeError) as exc:
                problems.append(Problem(str(exc), src[part], line))
                continue
            extra[owner][0 if part == "goals" else 1].append(value)  # type: ignore[arg-type]
    learners = []
    for learner in pl.values:
        more_goals, more_history = extra[learner.id]
        learner = replace(
            learner,
            goals=learner.goals + tuple(more_goals),
            history=learner.history + tuple(more_history),
        )
        if catalog is not None:
            source, line = pl.origins.get(("learner", learner.id), (src["learners"], 0))
            problems += [
                Problem(f"learner '{learner.id}': {msg}", source, line)
                for msg in catalog.check_learner(learner)
            ]
        learners.append(learner)
    return LearnerLoad(learners, problems)
