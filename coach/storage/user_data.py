"""Where a person's data lives: every table, classified once, for export and erasure.

Every table of the service's metadata is in exactly one of three places:

- :data:`USER_TABLES`: tables with rows that are a person's (``owner`` columns hold their
  id, or ``via`` a foreign key to a row of theirs) or that name them in someone else's row
  (``mentions``). Export reads the rows that are theirs; erasure deletes them (or keeps
  them anonymised, ``erase``) and sets the mentions to NULL.
- :data:`DERIVED`: tables computed from the others; erasure drops what a person fed.
- :data:`NO_PERSONAL_DATA`: tables that hold nothing about a person, with the reason.

:func:`registry_problems` checks the metadata against these lists: a table added later,
or a foreign key to ``users`` (or to a table of a person's) added to an existing table,
is reported until it is classified here (``tests/coach/privacy/test_registry.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import MetaData, Table

Erase = Literal["delete", "events", "requests"]


@dataclass(frozen=True, slots=True)
class UserTable:
    """How one table holds a person's data.

    Attributes:
        what: what the table holds about a person (in the export's ``about``).
        owner: columns holding the person's id: the row is theirs.
        via: foreign keys to a table of theirs: the row is theirs through its parent.
        mentions: foreign keys to ``users`` naming them in a row that is not theirs (an
            actor, an author): set to NULL on erasure, with the ``blank`` columns emptied.
        blank: text columns copying the mentioned person's name.
        links: foreign keys to another table of theirs that are no ownership (the
            database sets them NULL when that row goes).
        refs: columns naming a person by value, without a foreign key: a scrubber in
            :mod:`coach.storage.scrub` handles them.
        secret: columns never exported (``"[redacted]"`` when set).
        erase: ``delete`` the person's rows; ``events``: see ``scrub.erase_events``;
            ``requests``: see ``personal_data`` (the erasure's own audit line stays).
    """

    what: str
    owner: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    blank: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    secret: tuple[str, ...] = ()
    erase: Erase = "delete"


T = UserTable
USER_TABLES: dict[str, UserTable] = {
    "users": T("The account: LMS id, name, email, role, language.", owner=("id",)),
    "api_tokens": T(
        "Issued sign-in tokens (when, until when, revoked, last used).",
        owner=("user_id",),
        secret=("jti",),
    ),
    "conversations": T("Conversations with the coach and their summaries.", owner=("user_id",)),
    "messages": T("Every message of those conversations.", via=("conversation_id",)),
    "feedback": T(
        "Thumbs up/down and comments on answers.", owner=("user_id",), via=("message_id",)
    ),
    "events": T(
        "The event log of what the person did (answers, quizzes, hand-offs, consents, ...).",
        owner=("user_id",),
        refs=("payload",),
        erase="events",
    ),
    "xapi_outbox": T(
        "Whether each of the person's xAPI statements reached the organisation's LRS, and "
        "when (the statement itself is in the event).",
        via=("event_id",),
    ),
    "learner_memory": T(
        "Goals and facts the person told the coach.",
        owner=("user_id",),
        links=("source_message_id",),
    ),
    "quizzes": T("Quizzes served.", owner=("user_id",), links=("conversation_id",)),
    "quiz_attempts": T("Graded answers.", owner=("user_id",), via=("quiz_id",)),
    "history_attempts": T("Graded history imported from elsewhere.", owner=("user_id",)),
    "skill_mastery": T("Mastery estimates per skill.", owner=("user_id",)),
    "review_cards": T("Spaced-review schedule of answered items.", owner=("user_id",)),
    "enrolments": T("Enrolments and mandatory assignments.", owner=("user_id",)),
    "attendance": T("Attendance sign-off of live sessions.", owner=("user_id",)),
    "learner_profiles": T(
        "Role, team, manager, availability, preferences and goals from the LMS.",
        owner=("user_id",),
        refs=("manager", "data"),
    ),
    "learning_records": T("Completions, scores and attendance from the LMS.", owner=("user_id",)),
    "learning_paths": T("The blended path under review.", owner=("user_id",)),
    "path_versions": T("Every version of that path.", via=("path_id",), mentions=("created_by",)),
    "path_audit": T(
        "The path's review trail.",
        via=("path_id",),
        mentions=("actor_id",),
        blank=("actor_name",),
    ),
    "reporting_lines": T("Who managed whom, and when.", owner=("report_id", "manager_id")),
    "manager_goals": T(
        "Goals a manager proposed for the person.", owner=("report_id",), mentions=("manager_id",)
    ),
    "goal_comments": T(
        "Comments on those goals.",
        via=("goal_id",),
        mentions=("author_id",),
        blank=("author_name",),
    ),
    "application_requests": T(
        "Managers' confirmations that the person applies a skill on the job.",
        owner=("report_id", "manager_id"),
        mentions=("answered_by",),
    ),
    "survey_instances": T(
        "Evaluation surveys sent to the person, or about them to their manager.",
        owner=("respondent_id", "subject_id"),
    ),
    "survey_answers": T(
        "Answers to those surveys.", owner=("respondent_id",), via=("instance_id",)
    ),
    "nudges": T(
        "Reminders and notifications sent to the person (and read receipts).",
        owner=("user_id",),
        refs=("about",),
    ),
    "nudge_preferences": T(
        "Channel opt-outs and the person's own webhook.",
        owner=("user_id",),
        secret=("webhook_url",),
    ),
    "nudge_holdout": T(
        "Whether the person is in the no-nudge comparison group.", owner=("user_id",)
    ),
    "handoffs": T(
        "Hand-offs to a person offered, consented, declined or withdrawn (with summaries).",
        owner=("user_id",),
        mentions=("recipient_id",),
        links=("conversation_id", "message_id"),
        refs=("options",),
    ),
    "handoff_notices": T(
        "Notices a trainer received about hand-offs.", owner=("recipient_id",), via=("handoff_id",)
    ),
    "gap_questions": T(
        "Questions the courses did not answer well (content gap insights).",
        owner=("user_id",),
        via=("message_id",),
    ),
    "erasure_requests": T(
        "Requests to erase the person's data.",
        owner=("user_id",),
        mentions=("decided_by",),
        erase="requests",
    ),
    # Tables of the organisation that only name a person as the one who acted.
    "admin_actions": T(
        "Admin assistant actions proposed or confirmed by the person (or naming them).",
        mentions=("proposed_by", "confirmed_by"),
        refs=("args", "result", "summary", "question"),
    ),
    "quiz_items": T("Quiz items the person last edited.", mentions=("updated_by",)),
    "quiz_item_versions": T("Quiz item versions the person edited.", mentions=("edited_by",)),
    "survey_templates": T("Survey templates the person edited.", mentions=("updated_by",)),
}
del T

DERIVED: dict[str, str] = {
    "gap_topics": "Topics clustered from gap questions, with example questions: the topics "
    "holding one of the person's questions are deleted (the next insights refresh rebuilds "
    "them from the questions that remain).",
    "kirkpatrick_rollups": "When the Kirkpatrick rollup was built: dropped with its cells, "
    "so the dashboard rebuilds it from the raw tables (without the person) on its next read.",
    "kirkpatrick_survey_cells": "Survey sums per group and day: dropped with the rollup.",
    "kirkpatrick_span_cells": "Learning and mastery sums per group: dropped with the rollup.",
    "kirkpatrick_group_teams": "Days a team took steps of a group: dropped with the rollup.",
}

NO_PERSONAL_DATA: dict[str, str] = {
    "organisations": "The customer organisation and its settings, not a person.",
    "catalog_rows": "The organisation's skills, roles, items and sessions.",
    "catalog_states": "The catalog's revision number.",
    "session_status": "Which catalog sessions were cancelled, and why.",
    "business_kpis": "Business indicators per team and month, imported as aggregates.",
    "mastery_models": "Learner-model parameters fitted over all of an organisation's "
    "attempts: a few numbers per skill, no value of any one learner.",
    "survey_forms": "Survey templates exactly as sent (questions, no answers).",
    "sentence_vectors": "Vectors of course sentences.",
    "ingested_files": "Course files ingested into the index.",
    "ingest_generations": "Ingestion runs of course files.",
}

# Column names that hold a person's id or name, whatever the table: each must be a foreign
# key declared above, or a declared ``refs`` column.
PERSON_COLUMN = re.compile(
    r"^(user|learner|report|respondent|subject|author|actor|recipient|manager|owner)_(id|name)$"
    r"|^(user|learner|manager|author|about|email)$|ed_by$"
)


def user_tables() -> dict[str, UserTable]:
    """The registry (a copy)."""
    return dict(USER_TABLES)


def _tables(metadata: MetaData | Iterable[MetaData]) -> dict[str, Table]:
    metas = [metadata] if isinstance(metadata, MetaData) else list(metadata)
    return {name: table for meta in metas for name, table in meta.tables.items()}


def registry_problems(metadata: MetaData | Iterable[MetaData]) -> list[str]:
    """What the registry gets wrong about ``metadata`` (empty: every table is classified,
    and every foreign key to a person or to a table of theirs is declared)."""
    tables = _tables(metadata)
    problems: list[str] = []
    lists: dict[str, set[str]] = {
        "USER_TABLES": set(USER_TABLES),
        "DERIVED": set(DERIVED),
        "NO_PERSONAL_DATA": set(NO_PERSONAL_DATA),
    }
    for name in sorted(tables):
        found = [label for label, entries in lists.items() if name in entries]
        if len(found) != 1:
            where = " and ".join(found) if found else "none of them"
            problems.append(
                f"{name}: must be in exactly one of USER_TABLES, DERIVED, NO_PERSONAL_DATA "
                f"(found in {where}); a new table holding people's data needs an entry"
            )
    for label, entries in lists.items():
        problems += [
            f"{name}: in {label} but no such table" for name in sorted(entries - set(tables))
        ]
    personal = {name for name, entry in USER_TABLES.items() if entry.owner or entry.via}
    for name, table in sorted(tables.items()):
        entry = USER_TABLES.get(name)
        for column in table.columns:
            targets = {fk.column.table.name for fk in column.foreign_keys}
            to_person = "users" in targets or bool(targets & (personal - {"users"}))
            if entry is None:
                if to_person:
                    problems.append(f"{name}.{column.name}: points to {sorted(targets)}")
                elif PERSON_COLUMN.search(column.name):
                    problems.append(f"{name}.{column.name}: looks like it names a person")
                continue
            if name == "users":  # the account itself: every column is the person's
                continue
            declared = entry.owner + entry.via + entry.mentions + entry.links + entry.refs
            if to_person and column.name not in declared:
                problems.append(
                    f"{name}.{column.name}: a foreign key to {sorted(targets)} that the "
                    "registry does not declare (owner, via, mentions or links)"
                )
            elif (
                not targets
                and PERSON_COLUMN.search(column.name)
                and column.name not in (entry.refs + entry.blank + entry.owner)
            ):
                problems.append(f"{name}.{column.name}: looks like it names a person: declare it")
        if entry is not None:
            for column_name in (
                entry.owner + entry.via + entry.mentions + entry.blank + entry.links
                + entry.refs + entry.secret
            ):  # fmt: skip
                if column_name not in table.columns:
                    problems.append(f"{name}.{column_name}: declared but no such column")
            for column_name in entry.via:
                if column_name in table.columns:
                    parents = {
                        fk.column.table.name for fk in table.columns[column_name].foreign_keys
                    }
                    if not parents & personal:
                        problems.append(f"{name}.{column_name}: via a table that is not a person's")
    return problems
