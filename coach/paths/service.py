"""Paths for learners, under L&D review: generate, re-plan, edit, approve, reject.

Every write goes through :mod:`coach.storage.paths` (versions, status, audit trail, the
optimistic lock). A re-plan that changes nothing writes nothing; one that changes the path
writes a new version, back to ``pending``, while the learner keeps the approved one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from coach import storage, xapi
from coach.guard import OutputGuard, verdict_record
from coach.paths.world import Person, World, ledger_for, mastery_of
from recommender.catalog import Catalog
from recommender.edits import Edit, EditError, apply_edits
from recommender.paths import build_path, diff_paths, reserve, validate_path
from recommender.plan import Path, path_from_json, path_to_json
from recommender.review import PathProblem
from recommender.schedule import SeatLedger

BLOCKING = frozenset(
    {
        "unknown_item",
        "duplicate",
        "prerequisite",
        "no_session",
        "unknown_session",
        "session_full",
        "session_closed",
        "past",
    }
)
ACTIONS = ("approve", "reject", "request_changes", "comment", "edit", "submit")
NEEDS_COMMENT = ("reject", "request_changes", "comment")
APPROVABLE = ("draft", "pending", "changes_requested")


class PathInputError(ValueError):
    """A request the service cannot carry out (HTTP 422), with the problems found."""

    def __init__(self, message: str, problems: Sequence[dict[str, Any]] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


def problem_json(p: PathProblem) -> dict[str, Any]:
    return {
        "kind": p.kind,
        "message": p.message,
        "step": p.step,
        "item_id": p.item_id,
        "blocking": p.kind in BLOCKING,
    }


def figures(path: Path) -> dict[str, Any]:
    """A version's size and dates: steps, hours, first and last day."""
    steps = path.steps
    return {
        "n_steps": len(steps),
        "hours": round(sum(s.hours for s in steps), 2),
        "start": min((s.start for s in steps), default=None),
        "end": max((s.end for s in steps), default=None),
    }


def summary(path: Path, problems: Sequence[dict[str, Any]], catalog: Catalog) -> dict[str, Any]:
    """The figures a path row carries for lists, filters and the seats it holds."""
    steps = path.steps
    capped = {
        s.item_id
        for s in steps
        if s.item_id in catalog.items and catalog.items[s.item_id].monthly_capacity is not None
    }
    return {
        "item_ids": [s.item_id for s in steps],
        "session_ids": [s.session_id for s in steps if s.session_id],
        "slots": [
            f"{s.item_id}|{s.start.year}|{s.start.month}"
            for s in steps
            if s.item_id in capped and not s.session_id
        ],
        **figures(path),
        "blocking": sum(1 for p in problems if p["blocking"]),
        "warnings": len(path.warnings) + sum(1 for p in problems if not p["blocking"]),
    }


def _same(a: Path, b: Path) -> bool:
    """Whether two versions plan the same steps on the same dates (reasons aside)."""
    key = [(s.item_id, s.session_id, s.start, s.end) for s in a.steps]
    return key == [(s.item_id, s.session_id, s.start, s.end) for s in b.steps] and [
        w.message for w in a.warnings
    ] == [w.message for w in b.warnings]


@dataclass
class Generated:
    """What a generation did: paths written, learners whose path did not change, problems."""

    paths: list[storage.LearningPath] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)


class PathService:
    """The path workflow over storage; ``today`` is injectable for tests."""

    def __init__(
        self,
        world: World | None = None,
        today: Callable[[], date] = date.today,
        guard: OutputGuard | None = None,
        base_url: str | None = None,
    ):
        self.world = world or World()
        self.today = today
        self.guard = guard
        self.base_url = base_url  # xAPI activity ids live under it (None: no statements)

    @classmethod
    def planning_on(
        cls,
        fixed: date | None,
        world: World | None = None,
        guard: OutputGuard | None = None,
        base_url: str | None = None,
    ) -> PathService:
        """A service planning on ``fixed`` (the ``planning_date`` setting), else on today."""
        if fixed is None:
            return cls(world, guard=guard, base_url=base_url)
        return cls(world, lambda: fixed, guard=guard, base_url=base_url)

    # generation -------------------------------------------------------------------------

    def generate(
        self,
        session: Session,
        *,
        viewer: storage.Viewer | None,
        org_id: str,
        external_ids: Sequence[str] | None = None,
        user_ids: Sequence[str] | None = None,
        team: str | None = None,
        role: str | None = None,
        submit: bool = True,
    ) -> Generated:
        """Build (or re-plan) the paths of the matching learners, one seat ledger for all."""
        catalog = self.world.catalog(session, org_id)
        people = self.world.people(
            session, org_id, external_ids=external_ids, user_ids=user_ids, team=team, role=role
        )
        out = Generated()
        if external_ids is not None:
            found = {p.user.external_id for p in people}
            out.problems += [
                {"learner": x, "message": "no such learner (import learners first)"}
                for x in external_ids
                if x not in found
            ]
        signal = self.world.signal(session, org_id)
        # the learners being planned: their own current bookings must not block their re-plan
        ledger = ledger_for(session, org_id, except_users=[p.user.id for p in people])
        today = self.today()
        for person in people:
            row = storage.path_of_user(session, user_id=person.user.id)
            path, changed = self._plan(session, person, row, catalog, signal, ledger, today)
            reserve(ledger, path, catalog)
            if not changed:
                out.unchanged.append(person.user.external_id)
                continue
            out.paths.append(
                self._write(session, viewer, person, row, path, catalog, ledger, today, submit)
            )
        return out

    def _plan(
        self,
        session: Session,
        person: Person,
        row: storage.LearningPath | None,
        catalog: Catalog,
        signal: Any,
        ledger: SeatLedger,
        today: date,
    ) -> tuple[Path, bool]:
        previous = current = None
        if row is not None:
            current = path_from_json(
                storage.path_version(session, path_id=row.id, version=row.version).content
            )
            if row.approved_version is not None:
                previous = path_from_json(
                    storage.path_version(
                        session, path_id=row.id, version=row.approved_version
                    ).content
                )
        path = build_path(
            person.learner,
            catalog,
            mastery_of(session, person.user.id),
            today,
            cocompletion=signal,
            ledger=ledger,
            previous=previous or current,
            language="fr" if person.learner.language == "fr" else "en",
        )
        return path, current is None or not _same(current, path)

    def _write(
        self,
        session: Session,
        viewer: storage.Viewer | None,
        person: Person,
        row: storage.LearningPath | None,
        path: Path,
        catalog: Catalog,
        ledger: SeatLedger,
        today: date,
        submit: bool,
    ) -> storage.LearningPath:
        # the ledger already holds this path's own seats: check against the others only
        others = SeatLedger()
        others.seats.update(ledger.seats)
        others.seats.subtract(s.session_id for s in path.steps if s.session_id)
        mastery = mastery_of(session, person.user.id)
        problems = [
            problem_json(p)
            for p in validate_path(
                path, catalog, person.learner, today, mastery=mastery, ledger=others
            )
        ]
        checked = self._guard(path, catalog, person, today, mastery, others)
        created = row is None
        if row is None:
            row = storage.create_path(
                session,
                org_id=person.user.org_id,
                user_id=person.user.id,
                status="draft",
                team=person.profile.team,
                role=person.profile.role,
            )
        before = row.status
        against = row.approved_version or (row.version or None)
        old = (
            path_from_json(storage.path_version(session, path_id=row.id, version=against).content)
            if against
            else None
        )
        storage.add_version(
            session,
            path=row,
            content=path_to_json(path),
            problems=problems,
            origin="generated" if created else "replanned",
            actor_id=None if viewer is None else viewer.id,
            summary={**summary(path, problems, catalog), "team": person.profile.team},
            guard=checked,
        )
        if checked:
            storage.log_event(
                session,
                org_id=person.user.org_id,
                user_id=person.user.id,
                type="guard.verdict",
                payload={**checked, "path_id": row.id, "version": row.version},
            )
        changes = [] if old is None else [_change(c) for c in diff_paths(old, path).changes]
        storage.set_status(
            session,
            path=row,
            status="pending" if submit else "draft",
            action="generate" if created else "replan",
            actor=viewer,
            changes=changes,
            from_status=before,
            new=created,
        )
        return row

    def _guard(
        self,
        path: Path,
        catalog: Catalog,
        person: Person,
        today: date,
        mastery: Any,
        ledger: SeatLedger,
    ) -> dict[str, Any] | None:
        """The runtime guard's verdict on a generated path, shown to its reviewer."""
        if self.guard is None:
            return None
        verdict = self.guard.path(
            path, catalog, person.learner, today, mastery=mastery, ledger=ledger
        )
        outcome = "held for review" if verdict.verdict == "block" else "shown"
        return {**verdict_record("path", verdict, first=True), "outcome": outcome}

    # review -----------------------------------------------------------------------------

    def review(
        self,
        session: Session,
        *,
        viewer: storage.Viewer,
        path_id: str,
        action: str,
        revision: int,
        comment: str = "",
        edits: Sequence[dict[str, Any]] = (),
    ) -> storage.LearningPath:
        """Apply a reviewer's decision (and edits) to a path, or refuse it whole."""
        if action not in ACTIONS:
            raise PathInputError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
        comment = comment.strip()
        if action in NEEDS_COMMENT and not comment:
            raise PathInputError(f"'{action}' needs a comment saying why")
        if action == "edit" and not edits:
            raise PathInputError("'edit' needs at least one edit")
        row = storage.get_path(session, viewer=viewer, path_id=path_id)
        storage.check_revision(row, revision=revision)
        try:
            parsed = [Edit.from_dict(dict(e)) for e in edits]
        except EditError as err:
            raise PathInputError(str(err)) from err
        if action == "approve" and row.status not in APPROVABLE:
            raise storage.Conflict(f"a path {row.status.replace('_', ' ')} cannot be approved")
        if action == "submit" and row.status not in ("draft", "changes_requested"):
            raise storage.Conflict(f"a path {row.status.replace('_', ' ')} cannot be submitted")
        try:
            return self._decide(session, viewer, row, action, comment, parsed)
        except StaleDataError as err:
            raise storage.Conflict("the path changed while you saved: reload it") from err

    def _decide(
        self,
        session: Session,
        viewer: storage.Viewer,
        row: storage.LearningPath,
        action: str,
        comment: str,
        edits: list[Edit],
    ) -> storage.LearningPath:
        before = row.status
        changes: list[dict[str, Any]] = []
        if edits:
            changes = self._edit(session, viewer, row, edits, comment)
        if action == "approve":
            problems = self.current_problems(session, row)
            blocking = [p for p in problems if p["blocking"]]
            if blocking:
                raise PathInputError("the path has problems to fix before approval", blocking)
        status = {
            "approve": "approved",
            "reject": "rejected",
            "request_changes": "changes_requested",
            "submit": "pending",
            "edit": "pending",
        }.get(action, row.status)
        if edits and action == "comment":
            status = "pending"
        storage.set_status(
            session,
            path=row,
            status=status,
            action=action,
            actor=viewer,
            comment=comment,
            changes=changes,
            from_status=before,
        )
        if status == "approved":
            self._approved(session, viewer, row)
        return row

    def _approved(
        self, session: Session, viewer: storage.Viewer | None, row: storage.LearningPath
    ) -> None:
        """Log the approval as an event with its xAPI ``registered`` statement."""
        if not self.base_url:
            return
        learner = storage.get_user(session, user_id=row.user_id)
        statement = xapi.path_approved(
            statement_id=xapi.new_statement_id(),
            base_url=self.base_url,
            learner=xapi.person(session, base_url=self.base_url, user_id=row.user_id),
            reviewer=None
            if viewer is None
            else xapi.person(session, base_url=self.base_url, user_id=viewer.id),
            path_id=row.id,
            version=row.version,
            steps=list(row.item_ids),
            language=learner.locale,
            timestamp=row.updated_at,
        )
        storage.log_event(
            session,
            org_id=row.org_id,
            user_id=row.user_id,
            type="path.approved",
            payload={"path_id": row.id, "version": row.version, "xapi": statement},
        )

    def _edit(
        self,
        session: Session,
        viewer: storage.Viewer,
        row: storage.LearningPath,
        edits: list[Edit],
        comment: str,
    ) -> list[dict[str, Any]]:
        catalog = self.world.catalog(session, row.org_id)
        person = self._person(session, row)
        old = path_from_json(
            storage.path_version(session, path_id=row.id, version=row.version).content
        )
        today = self.today()
        ledger = ledger_for(session, row.org_id, except_users=[row.user_id])
        try:
            new = apply_edits(
                old,
                edits,
                catalog,
                person.learner,
                today,
                ledger=ledger,
                editor=viewer.display_name or "reviewer",
            )
        except EditError as err:
            raise PathInputError(str(err)) from err
        problems = [
            problem_json(p)
            for p in validate_path(
                new,
                catalog,
                person.learner,
                today,
                mastery=mastery_of(session, row.user_id),
                ledger=ledger,
            )
        ]
        storage.add_version(
            session,
            path=row,
            content=path_to_json(new),
            problems=problems,
            origin="edited",
            actor_id=viewer.id,
            comment=comment,
            summary=summary(new, problems, catalog),
        )
        return [_change(c) for c in diff_paths(old, new).changes]

    def _person(self, session: Session, row: storage.LearningPath) -> Person:
        people = self.world.people(session, row.org_id, user_ids=[row.user_id])
        if not people:
            raise PathInputError("the learner of this path has no profile any more")
        return people[0]

    def current_problems(
        self, session: Session, row: storage.LearningPath, version: int | None = None
    ) -> list[dict[str, Any]]:
        """The problems of a version checked now (sessions fill up, dates pass)."""
        catalog = self.world.catalog(session, row.org_id)
        person = self._person(session, row)
        content = storage.path_version(
            session, path_id=row.id, version=version or row.version
        ).content
        return [
            problem_json(p)
            for p in validate_path(
                path_from_json(content),
                catalog,
                person.learner,
                self.today(),
                mastery=mastery_of(session, row.user_id),
                ledger=ledger_for(session, row.org_id, except_users=[row.user_id]),
            )
        ]

    def bulk_approve(
        self,
        session: Session,
        *,
        viewer: storage.Viewer,
        ids: Sequence[str] | None = None,
        team: str | None = None,
        role: str | None = None,
        item: str | None = None,
        comment: str = "",
        revisions: Mapping[str, int] | None = None,
    ) -> tuple[list[str], list[dict[str, str]]]:
        """Approve every pending path matching the filters that has no blocking problem;
        with ``revisions`` (id → revision read), a path changed since is skipped."""
        rows, _ = storage.list_paths(
            session,
            viewer=viewer,
            status="pending",
            team=team,
            role=role,
            item=item,
            ids=ids,
            limit=None,
        )
        approved: list[str] = []
        skipped: list[dict[str, str]] = []
        if ids is not None:
            found = {p.id for p, _ in rows}
            known = {
                p.id: p
                for p, _ in storage.list_paths(session, viewer=viewer, ids=ids, limit=None)[0]
            }
            for i in ids:
                if i in found:
                    continue
                other = known.get(i)
                reason = (
                    "no such path"
                    if other is None
                    else f"{other.status.replace('_', ' ')}, not pending"
                    if other.status != "pending"
                    else "outside the filters"
                )
                skipped.append({"id": i, "reason": reason})
        for row, _user in rows:
            if revisions is not None and revisions.get(row.id, row.revision) != row.revision:
                skipped.append({"id": row.id, "reason": "changed since you read it: reload"})
                continue
            blocking = [p for p in self.current_problems(session, row) if p["blocking"]]
            if blocking:
                skipped.append({"id": row.id, "reason": blocking[0]["message"]})
                continue
            storage.set_status(
                session,
                path=row,
                status="approved",
                action="approve",
                actor=viewer,
                comment=comment or "bulk approval",
            )
            self._approved(session, viewer, row)
            approved.append(row.id)
        return approved, skipped


def _change(c: Any) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "item_id": c.item_id,
        "title": c.title,
        "text": c.text,
        "before": c.before,
        "after": c.after,
    }
