"""The Northwind demo: ``catalog/catalog.yaml`` plus ``blended/*.yaml`` as catalog and learners.

``catalog.yaml`` gives skills (``requires``), courses (e-learning) and live offerings with
sessions or a monthly coaching capacity; ``blended/`` adds levels, roles, extra items,
mandatory rules, seats taken, learners and a cohort's completions (see its README).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from recommender.catalog import Catalog, CatalogError, Problem
from recommender.model import HistoryRecord, Learner, RecordKind
from recommender.records import as_date, load_catalog, load_learners


@dataclass
class Demo:
    catalog: Catalog
    learners: dict[str, Learner]
    cohort: list[Learner]
    today: date


def _yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def catalog_rows(root: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows for ``load_catalog`` from the demo's catalog.yaml and blended overlay."""
    cat = _yaml(root / "catalog" / "catalog.yaml")
    blend = root / "blended"
    sk = _yaml(blend / "skills.yaml")
    extra = _yaml(blend / "items.yaml")
    seats = _yaml(blend / "sessions.yaml")
    default_levels = int(sk.get("default_levels", 3))
    parents: Mapping[str, str] = sk.get("part_of", {}) or {}
    item_levels: Mapping[str, Mapping[str, int]] = sk.get("item_levels", {}) or {}
    entry: Mapping[str, int] = sk.get("item_entry_levels", {}) or {}
    mandatory: Mapping[str, list[Any]] = extra.get("mandatory", {}) or {}

    skills = [
        {"levels": default_levels, **s, "part_of": parents.get(s["id"])}
        for s in [*cat.get("skills", []), *sk.get("skills", [])]
    ]

    def item(row: Mapping[str, Any], default_level: int) -> dict[str, Any]:
        levels = item_levels.get(row["id"], {})
        return {
            "id": row["id"],
            "title": row.get("title"),
            "modality": row.get("modality", "e-learning"),
            "duration_minutes": row.get("duration_minutes"),
            "language": row.get("language", "en"),
            "level": entry.get(row["id"], 1),
            "skills": [
                {"skill": s, "level": levels.get(s, default_level)} for s in row.get("skills", [])
            ],
            "prerequisites": row.get("prerequisites") or [],
            "capacity_per_month": row.get("capacity_per_month"),
            "mandatory_for": mandatory.get(row["id"], []),
        }

    items = [item(c, 1) for c in cat.get("courses", [])]
    items += [item(o, 2) for o in cat.get("offerings", [])]
    items += list(extra.get("items", []))
    sessions = []
    overrides: Mapping[str, Mapping[str, Any]] = seats.get("seats", {}) or {}
    for o in cat.get("offerings", []):
        for n, s in enumerate(o.get("sessions", []) or [], start=1):
            sid = f"{o['id']}-{n}"
            sessions.append(
                {
                    "id": sid,
                    "item_id": o["id"],
                    "start": s["start"],
                    "seats": s.get("capacity"),
                    "place": o.get("location") or "",
                    **overrides.get(sid, {}),
                }
            )
    sessions += list(seats.get("sessions", []))
    roles = list(_yaml(blend / "roles.yaml").get("roles", []))
    return {"skills": skills, "items": items, "sessions": sessions, "roles": roles}


def load_demo(root: str | Path) -> Demo:
    """Catalog, learners, cohort and planning date of the demo directory ``root``."""
    root = Path(root)
    rows = catalog_rows(root)
    loaded = load_catalog(
        **rows,
        sources={
            "skills": "catalog.yaml+blended/skills.yaml",
            "items": "catalog.yaml+blended/items.yaml",
            "sessions": "catalog.yaml+blended/sessions.yaml",
            "roles": "blended/roles.yaml",
        },
        first_row=1,
    )
    if loaded.catalog is None:
        raise CatalogError(loaded.problems)
    people = _yaml(root / "blended" / "learners.yaml")
    learners = load_learners(
        people.get("learners", []),
        catalog=loaded.catalog,
        sources={"learners": "blended/learners.yaml"},
    )
    # goals naming unknown skills are kept on purpose: the path explains them
    fatal = [p for p in learners.problems if "unknown skill" not in p.message]
    if fatal:
        raise CatalogError(fatal)
    return Demo(
        catalog=loaded.catalog,
        learners={lr.id: lr for lr in learners.learners},
        cohort=load_cohort(root / "blended" / "cohort.csv"),
        today=as_date(people.get("today", date.today())),
    )


def load_cohort(path: Path) -> list[Learner]:
    """Colleagues' completions (``learner_id,role,item_id,date,score``) as history-only learners."""
    if not path.exists():
        return []
    by_id: dict[str, tuple[str, list[HistoryRecord]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                rec = HistoryRecord(
                    RecordKind.COMPLETION,
                    as_date(row["date"]),
                    item_id=row["item_id"],
                    score=float(row["score"]),
                )
            except (KeyError, ValueError) as exc:
                raise CatalogError([Problem(str(exc), str(path), n)]) from exc
            by_id.setdefault(row["learner_id"], (row["role"], []))[1].append(rec)
    return [Learner(id=k, role=role, history=tuple(h)) for k, (role, h) in by_id.items()]
