"""Generate the admin assistant's evaluation organisation and its questions.

``python -m evals.admin.generate OUT_DIR [--seed 7] [--today 2026-11-26]`` writes, from the
seed alone, ``org.yaml``, ``catalog.yaml``, ``learners.csv``, ``history.csv``,
``enrolments.csv``, ``attendance.csv`` (the import layout of docs/admin-assistant.md) and
``questions.jsonl`` whose gold answers :mod:`evals.admin.gold` computes from those files.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from evals.admin import org
from evals.admin.activity import Activity
from evals.admin.periods import last_weekday

ZONES = {"Lyon": "Europe/Paris", "Manchester": "Europe/London", "virtual": "Europe/Paris"}
HISTORY_COLUMNS = "learner_id,kind,date,item_id,skill,score,attended,phase,minutes".split(",")
ENROLMENT_COLUMNS = "learner_id,item_id,session_id,status,enrolled_on,due_on".split(",")
ATTENDANCE_COLUMNS = "session_id,learner_id,signed,signed_at".split(",")
LEARNER_COLUMNS = "id,name,role,team,manager,language".split(",")


@dataclass
class Person:
    """A learner with the hidden traits that shape their history."""

    id: str
    name: str
    role: str
    team: str
    manager: str
    language: str
    site: str
    ability: float
    profile: str  # dormant, lapsed, normal, keen
    start: date  # joined (or the history's horizon)
    until: date  # last day they did anything


@dataclass
class Sess:
    """A dated session of a live item."""

    id: str
    item_id: str
    day: date
    start: datetime
    site: str
    seats: int
    place: str
    trainer: str


# (item, days from today or an anchor, site, hour); anchors: "tue" = last Tuesday,
# "thu" = last Thursday (the same-day pair makes "last Thursday's feedback session" ambiguous)
PLAN: list[tuple[str, int | str, str, int]] = [
    ("gdpr-workshop", "tue", "virtual", 10),
    ("gdpr-workshop", -13, "virtual", 14),
    ("gdpr-workshop", -70, "virtual", 10),
    ("gdpr-workshop", -110, "virtual", 10),
    ("gdpr-workshop", 13, "virtual", 10),
    ("gdpr-workshop", 48, "virtual", 14),
    ("fire-safety", -112, "Lyon", 9),
    ("fire-safety", -84, "Manchester", 9),
    ("fire-safety", -47, "Lyon", 9),
    ("fire-safety", -14, "Manchester", 9),
    ("fire-safety", 7, "Manchester", 9),
    ("fire-safety", 21, "Lyon", 9),
    ("fire-safety", 21, "Manchester", 14),
    ("fire-safety", 56, "Lyon", 9),
    ("fire-safety", 84, "Manchester", 9),
    ("manual-handling", -98, "Manchester", 9),
    ("manual-handling", -41, "Lyon", 9),
    ("manual-handling", -9, "Manchester", 9),
    ("manual-handling", 7, "Lyon", 9),
    ("manual-handling", 35, "Manchester", 9),
    ("manual-handling", 70, "Lyon", 9),
    ("feedback-workshop", -101, "Lyon", 9),
    ("feedback-workshop", -58, "Manchester", 9),
    ("feedback-workshop", "thu", "Lyon", 9),
    ("feedback-workshop", "thu", "Manchester", 14),
    ("feedback-workshop", 15, "Lyon", 9),
    ("feedback-workshop", 49, "Manchester", 9),
    ("python-clinic", -90, "virtual", 10),
    ("python-clinic", -44, "virtual", 10),
    ("python-clinic", -20, "virtual", 10),
    ("python-clinic", 12, "virtual", 10),
    ("python-clinic", 19, "virtual", 10),
    ("python-clinic", 62, "virtual", 10),
    ("sst", -73, "Lyon", 9),
    ("sst", -27, "Lyon", 9),
    ("sst", 29, "Lyon", 9),
    ("sst", 86, "Lyon", 9),
]


def _day(today: date, when: int | str) -> date:
    if when == "tue":
        return last_weekday(today, 1)
    if when == "thu":
        return last_weekday(today, 3)
    day = today + timedelta(days=int(when))
    step = -1 if int(when) < 0 else 1
    # weekdays outside the Christmas break, never today
    while (
        day.weekday() >= 5
        or day == today
        or (day.month, day.day) >= (12, 24)
        or (day.month == 1 and day.day == 1)
    ):
        day += timedelta(days=step)
    return day


def make_sessions(rng: random.Random, today: date) -> list[Sess]:
    """The sessions of the plan, dated from today, with opaque ids and seats."""
    numbers = rng.sample(range(100, 1000), len(PLAN))
    out = []
    for n, (item, when, site, hour) in zip(numbers, PLAN, strict=True):
        day = _day(today, when)
        local = datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZoneInfo(ZONES[site]))
        seats = rng.randint(10, 16) if site == "virtual" else rng.randint(8, 14)
        out.append(
            Sess(
                f"S{n}",
                item,
                day,
                local,
                site,
                seats,
                rng.choice(org.PLACES[site]),
                rng.choice(org.TRAINERS[site]),
            )
        )
    return sorted(out, key=lambda s: (s.start, s.id))


def _name(rng: random.Random, lang: str, taken: set[str]) -> str:
    while True:
        first = rng.choice(org.FIRST[lang])
        name = f"{first} {rng.choice(org.LAST[lang])}"
        if first not in org.RESERVED_FIRST and name not in taken:
            return name


def make_people(rng: random.Random, today: date) -> list[Person]:
    """About 150 learners over the teams of :data:`org.TEAMS`, fixed names included."""
    slots = [
        (team, role)
        for team, (_, _, _, roles) in org.TEAMS.items()
        for role, count in roles.items()
        for _ in range(count)
    ]
    ids = rng.sample(range(1, 1000), len(slots))
    taken = {m for _, m, _, _ in org.TEAMS.values()} | set(org.FIXED_LEARNERS)
    fixed: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for name, (team, role, lang) in org.FIXED_LEARNERS.items():
        fixed.setdefault((team, role), []).append((name, lang))
    people = []
    for n, (team, role) in zip(ids, slots, strict=True):
        site, manager, team_lang, _ = org.TEAMS[team]
        lang = team_lang if rng.random() < 0.85 else ("en" if team_lang == "fr" else "fr")
        if fixed.get((team, role)):
            name, lang = fixed[(team, role)].pop()
        else:
            name = _name(rng, lang, taken)
            taken.add(name)
        profile = rng.choices(["dormant", "lapsed", "normal", "keen"], [4, 12, 64, 20])[0]
        if name in org.FIXED_LEARNERS:
            profile = "normal"
        start = today - timedelta(days=1000 if rng.random() < 0.82 else rng.randint(15, 400))
        until = today - timedelta(days=1)
        if profile == "dormant":
            until = today - timedelta(days=600)
        elif profile == "lapsed":
            until = today - timedelta(days=rng.randint(100, 300))
        people.append(
            Person(
                id=f"u{n:04d}",
                name=name,
                role=role,
                team=team,
                manager=manager,
                language=lang,
                site=site,
                ability=min(max(rng.gauss(0.72, 0.1), 0.4), 0.95),
                profile=profile,
                start=start,
                until=max(until, start),
            )
        )
    return sorted(people, key=lambda p: p.id)


def catalog(sessions: list[Sess], taken: dict[str, int]) -> dict[str, Any]:
    """catalog.yaml as ``blendcoach import catalog`` reads it."""
    items = []
    for item_id, spec in org.ITEMS.items():
        row: dict[str, Any] = {
            "id": item_id,
            "title": spec["title"],
            "modality": spec["modality"],
            "duration_minutes": spec["minutes"],
            "language": spec["language"],
            "skills": list(spec["skills"]),
        }
        rules = []
        for role, renewal in spec.get("mandatory", []):
            rules.append({"role": role} | ({"renewal_days": renewal} if renewal else {}))
        if rules:
            row["mandatory_for"] = rules
        items.append(row)
    return {
        "skills": [
            {"id": s, "label": label, "requires": org.REQUIRES.get(s, [])}
            for s, label in org.SKILLS.items()
        ],
        "roles": [
            {"id": r, "label": label, "skills": {s: 1 for s in skills}}
            for r, (label, skills) in org.ROLES.items()
        ],
        "items": items,
        "sessions": [
            {
                "id": s.id,
                "item_id": s.item_id,
                "start": s.start.isoformat(),
                "seats": s.seats,
                "seats_taken": taken.get(s.id, 0),
                "place": s.place,
                "trainer": s.trainer,
            }
            for s in sessions
        ],
    }


def _csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})


def write_org(out: Path, *, seed: int = 7, today: date) -> Activity:
    """Draw the organisation from ``seed`` and write its files into ``out``."""
    rng = random.Random(seed)
    people = make_people(rng, today)
    sessions = make_sessions(rng, today)
    act = Activity(rng, today, people, sessions).run()
    out.mkdir(parents=True, exist_ok=True)
    meta = {"slug": org.SLUG, "name": org.NAME, "today": today.isoformat()}
    (out / "org.yaml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    cat = catalog(sessions, act.seats_taken())
    text = yaml.safe_dump(cat, sort_keys=False, allow_unicode=True, width=100)
    (out / "catalog.yaml").write_text(text, encoding="utf-8")
    learners = [{k: getattr(p, k) for k in LEARNER_COLUMNS} for p in people]
    _csv(out / "learners.csv", LEARNER_COLUMNS, learners)
    _csv(out / "history.csv", HISTORY_COLUMNS, act.sorted_records())
    _csv(out / "enrolments.csv", ENROLMENT_COLUMNS, act.sorted_enrolments())
    _csv(out / "attendance.csv", ATTENDANCE_COLUMNS, act.sorted_attendance())
    return act


def main(argv: list[str] | None = None) -> None:
    """The command line: write the organisation, then its questions."""
    parser = argparse.ArgumentParser(prog="python -m evals.admin.generate", description=__doc__)
    parser.add_argument("out", type=Path, help="directory to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 26))
    args = parser.parse_args(argv)
    write_org(args.out, seed=args.seed, today=args.today)
    from evals.admin.questions import write_questions  # needs the files just written

    counts = write_questions(args.out, seed=args.seed)
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
