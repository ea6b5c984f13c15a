"""The organisation chart, fed by the learners import.

Each learner row's ``manager`` value names a user of the organisation, tried in this order:

1. a user whose external id (LMS id) is the value;
2. a user whose email is the value (case ignored);
3. the placeholder user an earlier import created for the same value (below);
4. the one user whose display name is the value (case ignored); two or more is ambiguous
   and refuses the import, naming them.

When none matches, a user with role ``manager`` is created with the external id
``mgr-<slug of the value>`` (``"Tom Hughes"`` → ``mgr-tom-hughes``; accents folded, every
run of other characters a dash), the value as display name, and the value as email when it
looks like one. When a re-import changes a learner's manager, the open reporting line is
closed on the day of the import and a new one opened: the history stays queryable.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from coach import storage
from recommender.catalog import Problem

PLACEHOLDER_PREFIX = "mgr-"


class Ambiguous(ValueError):
    """The value names several users; the message names them."""


def placeholder_id(value: str) -> str:
    """The external id of the manager user created for an unmatched ``value``."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return PLACEHOLDER_PREFIX + (slug or "unnamed")[:200]


@dataclass(frozen=True)
class Known:
    """Someone a manager value may name: a stored user or a row of the file being read."""

    external_id: str
    email: str
    name: str


class Directory:
    """Looks manager values up among people (the rules of the module docstring)."""

    def __init__(self, people: Iterable[Known]) -> None:
        self.by_id: dict[str, Known] = {}
        self.by_email: dict[str, dict[str, Known]] = defaultdict(dict)
        self.by_name: dict[str, dict[str, Known]] = defaultdict(dict)
        for p in people:
            self.add(p)

    def add(self, p: Known) -> None:
        """Know one more person."""
        self.by_id.setdefault(p.external_id, p)
        if p.email:
            self.by_email[p.email.lower()][p.external_id] = p
        if p.name:
            self.by_name[p.name.casefold()][p.external_id] = p

    def find(self, value: str) -> str | None:
        """The external id ``value`` names, or None (raises :class:`Ambiguous`)."""
        value = value.strip()
        if value in self.by_id:
            return value
        found = self.by_email.get(value.lower(), {})
        if len(found) > 1:
            raise Ambiguous(f"manager '{value}' is the email of {_names(found)}")
        if found:
            return next(iter(found))
        if placeholder_id(value) in self.by_id:
            return placeholder_id(value)
        found = self.by_name.get(value.casefold(), {})
        if len(found) > 1:
            raise Ambiguous(
                f"manager '{value}' is the name of {_names(found)}: give their LMS id or email"
            )
        return next(iter(found), None)


def _names(found: Mapping[str, Known]) -> str:
    return ", ".join(sorted(f"'{k}'" for k in found))


def _stored(session: Session, org_id: str) -> list[Known]:
    return [
        Known(u.external_id, u.email or "", u.display_name)
        for u in storage.list_users(session, org_id=org_id)
    ]


def chart_problems(
    session: Session, *, org_id: str, rows: Iterable[Mapping[str, object]], source: str
) -> list[Problem]:
    """What refuses a learners file for its chart: an ambiguous manager, or a learner
    managed by themselves. ``rows`` carry ``id``, ``name``, ``email``, ``manager``, ``_row``."""
    rows = list(rows)
    file_people = [
        Known(str(r.get("id") or "").strip(), str(r.get("email") or ""), str(r.get("name") or ""))
        for r in rows
    ]
    stored = _stored(session, org_id)
    known = {p.external_id for p in stored}
    directory = Directory([*stored, *(p for p in file_people if p.external_id not in known)])
    problems = []
    for row, me in zip(rows, file_people, strict=True):
        value = str(row.get("manager") or "").strip()
        if not value:
            continue
        try:
            found = directory.find(value)
        except Ambiguous as err:
            problems.append(Problem(str(err), source, _line(row)))
            continue
        if found == me.external_id:
            problems.append(
                Problem(f"'{me.external_id}' cannot be their own manager", source, _line(row))
            )
    return problems


def _line(row: Mapping[str, object]) -> int | None:
    value = row.get("_row")
    return value if isinstance(value, int) else None


@dataclass
class ChartChange:
    """What an import did to the chart."""

    opened: int = 0
    closed: int = 0
    created: list[str] = field(default_factory=list)  # external ids of managers created


def update_chart(
    session: Session, *, org_id: str, managers: Mapping[str, str], on: date | None = None
) -> ChartChange:
    """Set each learner's manager (learner external id → manager value, "" for nobody)
    from ``on`` (default: today, UTC), creating the managers no user matches."""
    on = on or datetime.now(UTC).date()
    users = {u.external_id: u for u in storage.list_users(session, org_id=org_id)}
    directory = Directory(
        Known(u.external_id, u.email or "", u.display_name) for u in users.values()
    )
    lines = storage.current_managers(session, org_id=org_id)
    change = ChartChange()
    new: dict[str, str] = {}
    for external_id, value in managers.items():
        report = users.get(external_id)
        if report is None:
            raise ValueError(f"no user '{external_id}' (import the learner first)")
        manager_id = None
        value = (value or "").strip()
        if value:
            found = directory.find(value)
            if found is None:
                user = storage.create_user(
                    session,
                    org_id=org_id,
                    external_id=placeholder_id(value),
                    display_name=value,
                    email=value if "@" in value else None,
                    role="manager",
                )
                change.created.append(user.external_id)
                users[user.external_id] = user
                directory.add(Known(user.external_id, user.email or "", user.display_name))
                found = user.external_id
            manager_id = users[found].id
        before = lines.get(report.id)
        if before == manager_id:
            continue
        if before is None and manager_id is not None:
            new[report.id] = manager_id  # opened together below
            continue
        storage.set_manager(
            session, org_id=org_id, report_id=report.id, manager_id=manager_id, on=on
        )
        change.closed += 1
        change.opened += manager_id is not None
    change.opened += storage.open_lines(session, org_id=org_id, managers=new, on=on)
    return change
