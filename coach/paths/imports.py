"""Imports for the path builder: catalog, sessions, learners, history, xAPI statements.

Each import reads its whole file, checks every row against what is stored plus the file,
and writes only when nothing is wrong: a problem anywhere refuses the file, and every
problem is reported with its line (CSV, JSON lines) or its position (YAML, JSON arrays).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from coach import storage
from coach.managers.chart import chart_problems
from coach.managers.sync import learners_imported
from coach.paths.world import World
from recommender.catalog import Problem
from recommender.demo import catalog_rows as demo_catalog_rows
from recommender.records import as_date, load_catalog, load_learners

Row = dict[str, Any]
PARTS = {"skills": "skill", "roles": "role", "items": "item", "sessions": "session"}
# goals naming a skill the catalog lacks are kept: the path says it ignores them
SOFT = ("unknown skill",)


class ImportRefused(ValueError):
    """The file was not imported; ``problems`` says every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): nothing imported")


@dataclass
class Imported:
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    user_ids: list[str] = field(default_factory=list)  # learners whose history changed


# reading files ---------------------------------------------------------------------------


def read_rows(path: Path, key: str | None = None) -> list[Row]:
    """Rows of a CSV (line numbers from 2), a YAML/JSON list (or a mapping holding ``key``),
    or JSON lines; each row gets ``_row``."""
    if not path.is_file():
        raise ImportRefused([Problem("not a file", str(path))])
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(newline="", encoding="utf-8-sig") as fh:
                return [{**_blank_none(r), "_row": n} for n, r in enumerate(csv.DictReader(fh), 2)]
        if suffix in (".jsonl", ".ndjson"):
            return _json_lines(path)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))  # YAML reads JSON too
    except (yaml.YAMLError, UnicodeDecodeError, csv.Error) as exc:
        raise ImportRefused([Problem(f"unreadable: {exc}", str(path))]) from exc
    if isinstance(data, Mapping) and key is not None:
        data = data.get(key)
    if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
        want = f"a list of rows (or a mapping with '{key}')" if key else "a list of rows"
        raise ImportRefused([Problem(f"expected {want}", str(path))])
    return [{**r, "_row": n} for n, r in enumerate(data, 1)]


def _blank_none(row: Mapping[str | None, Any]) -> Row:
    return {str(k): (None if v == "" else v) for k, v in row.items() if k is not None}


def _json_lines(path: Path) -> list[Row]:
    rows, problems = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"not JSON: {exc.msg}", str(path), n))
            continue
        if not isinstance(value, dict):
            problems.append(Problem("not a JSON object", str(path), n))
            continue
        rows.append({**value, "_row": n})
    if problems:
        raise ImportRefused(problems)
    return rows


# catalog and sessions -------------------------------------------------------------------


def import_catalog(session: Session, *, org_id: str, path: Path) -> Imported:
    """Replace the organisation's skills, roles and items (and sessions, when the file has
    some) by the file's; stored sessions are kept otherwise, and must still fit."""
    if path.is_dir():
        parts = demo_catalog_rows(path)
        source = {k: f"{path}:{k}" for k in PARTS}
        numbered = {k: [{**r, "_row": n} for n, r in enumerate(v, 1)] for k, v in parts.items()}
    else:
        data = _mapping(path)
        source = {k: str(path) + f" ({k})" for k in PARTS}
        numbered = {
            k: [{**r, "_row": n} for n, r in enumerate(_list(data, k, path), 1)] for k in PARTS
        }
    stored = storage.catalog_rows(session, org_id=org_id)
    if not numbered["sessions"] and stored["session"]:
        numbered["sessions"] = [{**r, "_row": n} for n, r in enumerate(stored["session"], 1)]
        source["sessions"] = "stored sessions"
    loaded = load_catalog(**numbered, sources=source, first_row=1)
    if loaded.problems:
        raise ImportRefused(loaded.problems)
    storage.save_catalog_rows(
        session,
        org_id=org_id,
        rows={PARTS[k]: v for k, v in numbered.items()},
        replace=list(PARTS.values()),
    )
    return Imported(counts={k: len(v) for k, v in numbered.items()})


def _mapping(path: Path) -> Mapping[str, Any]:
    if not path.is_file():
        raise ImportRefused([Problem("not a file or a catalog directory", str(path))])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportRefused([Problem(f"unreadable: {exc}", str(path))]) from exc
    if not isinstance(data, Mapping) or not data.get("items"):
        raise ImportRefused(
            [
                Problem(
                    "expected a mapping with 'skills', 'items' (and 'roles', 'sessions')", str(path)
                )
            ]
        )
    return data


def _list(data: Mapping[str, Any], key: str, path: Path) -> list[Row]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
        raise ImportRefused([Problem(f"'{key}' must be a list of mappings", str(path))])
    return [dict(r) for r in value]


def import_sessions(session: Session, *, org_id: str, path: Path) -> Imported:
    """Add or update sessions (by id) in the stored catalog."""
    rows = read_rows(path, "sessions")
    stored = storage.catalog_rows(session, org_id=org_id)
    if not stored["item"]:
        raise ImportRefused([Problem("no catalog yet: import the catalog first", str(path))])
    ids = {str(r.get("id")) for r in rows}
    kept = [{**r, "_row": 0} for r in stored["session"] if str(r["id"]) not in ids]
    loaded = load_catalog(
        skills=stored["skill"],
        roles=stored["role"],
        items=stored["item"],
        sessions=[*rows, *kept],
        sources={"sessions": str(path)},
    )
    if loaded.problems:
        raise ImportRefused(loaded.problems)
    storage.save_catalog_rows(session, org_id=org_id, rows={"session": rows})
    return Imported(counts={"sessions": len(rows)})


# learners and history -------------------------------------------------------------------


def import_learners(session: Session, *, world: World, org_id: str, path: Path) -> Imported:
    """Create or update learners (and their users), with goals and nested history."""
    catalog = world.catalog(session, org_id)
    rows = [_flat_goal(r) for r in read_rows(path, "learners")]
    loaded = load_learners(rows, catalog=catalog, sources={"learners": str(path)}, first_row=2)
    hard = [p for p in loaded.problems if not any(s in p.message for s in SOFT)]
    users: dict[str, storage.User | None] = {}
    for row, learner in zip(rows, loaded.learners, strict=False):
        user = storage.find_user(session, org_id=org_id, external_id=learner.id)
        if user is not None and user.role not in ("learner", "manager"):  # managers learn too
            hard.append(
                Problem(f"'{learner.id}' is a {user.role}, not a learner", str(path), row["_row"])
            )
        users[learner.id] = user
    hard += chart_problems(session, org_id=org_id, rows=rows, source=str(path))
    if hard:
        raise ImportRefused(hard)
    out = Imported(warnings=[str(p) for p in loaded.problems])
    records = []
    for row, learner in zip(rows, loaded.learners, strict=True):
        user = users[learner.id] or storage.create_user(
            session,
            org_id=org_id,
            external_id=learner.id,
            display_name=learner.name or learner.id,
            email=row.get("email"),
            locale=learner.language if learner.language in ("en", "fr") else "en",
        )
        data = {k: v for k, v in row.items() if k not in ("_row", "id", "history", "email")}
        storage.save_learner_profile(
            session,
            org_id=org_id,
            user_id=user.id,
            role=learner.role,
            team=learner.team,
            manager=learner.manager,
            data=data,
        )
        for rec in learner.history:
            records.append(_record(user.id, rec, "import"))
        out.user_ids.append(user.id)
    chart = learners_imported(
        session, org_id=org_id, managers={lr.id: lr.manager for lr in loaded.learners}
    )
    out.counts = {
        "learners": len(rows),
        "managers created": len(chart.created),
        "records": storage.add_learning_records(session, org_id=org_id, records=records),
    }
    return out


def _flat_goal(row: Row) -> Row:
    """A CSV row's ``goal_*`` columns as one nested goal."""
    goal = {k[5:]: v for k, v in row.items() if k.startswith("goal_") and v not in (None, "")}
    if not goal:
        return row
    base = {k: v for k, v in row.items() if not k.startswith("goal_")}
    return {**base, "goals": [*(base.get("goals") or []), goal]}


def _record(user_id: str, rec: Any, source: str, ref: str | None = None) -> Row:
    return {
        "user_id": user_id,
        "kind": rec.kind.value,
        "on": rec.on,
        "item_id": rec.item_id,
        "skill": rec.skill,
        "score": rec.score,
        "attended": rec.attended,
        "phase": rec.phase,
        "minutes": rec.minutes,
        "source": source,
        "ref": ref,
    }


def import_history(session: Session, *, world: World, org_id: str, path: Path) -> Imported:
    """Add completions, scores and attendance (``learner_id`` = the learner's LMS id)."""
    rows = read_rows(path, "history")
    return add_history_rows(session, world, org_id, rows, str(path), "csv", {})


def add_history_rows(
    session: Session,
    world: World,
    org_id: str,
    rows: list[Row],
    source: str,
    origin: str,
    refs: Mapping[int, str],
) -> Imported:
    catalog = world.catalog(session, org_id)
    ext_ids = sorted({str(r.get("learner_id", "")).strip() for r in rows})
    people = {p.user.external_id: p for p in world.people(session, org_id, external_ids=ext_ids)}
    problems = [
        Problem(
            f"unknown learner '{r.get('learner_id', '')}' (import learners first)",
            source,
            r["_row"],
        )
        for r in rows
        if str(r.get("learner_id", "")).strip() not in people
    ]
    known = [r for r in rows if str(r.get("learner_id", "")).strip() in people]
    renamed = [{**r, "learner_id": people[str(r["learner_id"]).strip()].user.id} for r in known]
    loaded = load_learners(
        [{"id": p.user.id} for p in people.values()],
        history=renamed,
        catalog=catalog,
        sources={"history": source},
    )
    problems += [p for p in loaded.problems if p.source == source]  # rows that do not parse
    problems += _reference_problems(renamed, catalog, source)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row or 0))
    by_learner: dict[str, list[Row]] = {}
    for r in renamed:
        by_learner.setdefault(r["learner_id"], []).append(r)
    records = [
        _record(learner.id, rec, origin, refs.get(row["_row"]))
        for learner in loaded.learners
        for row, rec in zip(by_learner.get(learner.id, []), learner.history, strict=True)
    ]
    added = storage.add_learning_records(session, org_id=org_id, records=records)
    return Imported(
        counts={"records": added, "duplicates": len(records) - added},
        user_ids=sorted({r["learner_id"] for r in renamed}),
    )


def _reference_problems(rows: Iterable[Row], catalog: Any, source: str) -> list[Problem]:
    out = []
    for r in rows:
        item, skill = r.get("item_id") or r.get("item"), r.get("skill")
        if item and item not in catalog.items:
            out.append(Problem(f"unknown item '{item}'", source, r["_row"]))
        if skill and skill not in catalog.skills:
            out.append(Problem(f"unknown skill '{skill}'", source, r["_row"]))
        try:
            as_date(r.get("date") or r.get("on"))
        except (TypeError, ValueError):
            out.append(Problem(f"bad or missing date {r.get('date')!r}", source, r["_row"]))
    return out
