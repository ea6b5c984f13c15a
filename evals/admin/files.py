"""The files of the import layout, read into plain rows for :mod:`evals.admin.gold`.

``org.yaml`` (``today``), ``catalog.yaml`` (items with their ``mandatory_for`` rules,
sessions), ``learners.csv``, ``history.csv``, ``enrolments.csv`` and ``attendance.csv``, as
docs/admin-assistant.md describes them; a session's day is the date of its ``start`` in the
offset it is written with.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    role: str
    team: str
    manager: str
    language: str = "en"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    modality: str
    rules: tuple[tuple[str, int | None], ...] = ()  # (role or "*", renewal_days)


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    item_id: str
    day: date
    seats: int
    seats_taken: int = 0
    place: str = ""


@dataclass(frozen=True, slots=True)
class Record:
    learner_id: str
    kind: str
    on: date
    item_id: str | None = None
    skill: str | None = None
    score: float | None = None
    attended: bool | None = None
    phase: str | None = None
    minutes: float | None = None


@dataclass(frozen=True, slots=True)
class Enrolment:
    learner_id: str
    item_id: str
    session_id: str | None
    status: str
    enrolled_on: date
    due_on: date | None = None


@dataclass(frozen=True, slots=True)
class Signature:
    session_id: str
    learner_id: str
    signed: bool


@dataclass
class OrgData:
    """Everything the figures read."""

    today: date
    people: dict[str, Person]
    items: dict[str, Item]
    sessions: dict[str, SessionRow]
    records: list[Record] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)


def _opt(value: str | None) -> str | None:
    return value if value not in (None, "") else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load(directory: Path) -> OrgData:
    """Read the generated organisation's files."""
    meta = yaml.safe_load((directory / "org.yaml").read_text(encoding="utf-8"))
    cat = yaml.safe_load((directory / "catalog.yaml").read_text(encoding="utf-8"))
    items = {
        i["id"]: Item(
            i["id"],
            i["title"],
            i["modality"],
            tuple((r["role"], r.get("renewal_days")) for r in i.get("mandatory_for", [])),
        )
        for i in cat["items"]
    }
    sessions = {
        s["id"]: SessionRow(
            s["id"],
            s["item_id"],
            datetime.fromisoformat(s["start"]).date(),
            int(s["seats"]),
            int(s.get("seats_taken") or 0),
            str(s.get("place") or ""),
        )
        for s in cat.get("sessions", [])
    }
    people = {
        r["id"]: Person(r["id"], r["name"], r["role"], r["team"], r["manager"], r["language"])
        for r in _rows(directory / "learners.csv")
    }
    records = [
        Record(
            r["learner_id"],
            r["kind"],
            date.fromisoformat(r["date"]),
            _opt(r["item_id"]),
            _opt(r["skill"]),
            float(r["score"]) if r["score"] else None,
            None if not r["attended"] else r["attended"].lower() == "true",
            _opt(r["phase"]),
            float(r["minutes"]) if r["minutes"] else None,
        )
        for r in _rows(directory / "history.csv")
    ]
    enrolments = [
        Enrolment(
            r["learner_id"],
            r["item_id"],
            _opt(r["session_id"]),
            r["status"],
            date.fromisoformat(r["enrolled_on"]),
            _day(r["due_on"]),
        )
        for r in _rows(directory / "enrolments.csv")
    ]
    signatures = [
        Signature(r["session_id"], r["learner_id"], r["signed"].lower() == "true")
        for r in _rows(directory / "attendance.csv")
    ]
    return OrgData(
        date.fromisoformat(str(meta["today"])),
        people,
        items,
        sessions,
        records,
        enrolments,
        signatures,
    )
