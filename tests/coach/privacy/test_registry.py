"""The registry of people's data covers the whole schema: a table or a foreign key to a
person added later fails here until it says how it is exported and erased."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from coach.models import target_metadata
from coach.storage.user_data import DERIVED, NO_PERSONAL_DATA, USER_TABLES, registry_problems


def test_every_table_of_the_schema_is_classified_once() -> None:
    assert registry_problems(target_metadata) == []
    tables = {name for meta in target_metadata for name in meta.tables}
    assert set(USER_TABLES) | set(DERIVED) | set(NO_PERSONAL_DATA) == tables
    assert all(e.what for e in USER_TABLES.values())
    assert all(NO_PERSONAL_DATA.values()) and all(DERIVED.values())  # each says why


def _schema() -> MetaData:
    """The real schema's tables, copied into a metadata a test may extend."""
    meta = MetaData()
    for source in target_metadata:
        for table in source.sorted_tables:
            table.to_metadata(meta)
    return meta


def test_a_new_table_holding_a_persons_data_is_reported() -> None:
    meta = _schema()
    Table(
        "message_reactions",
        meta,
        Column("id", Integer, primary_key=True),
        Column("message_id", String(36), ForeignKey("messages.id", ondelete="CASCADE")),
        Column("emoji", String(8)),
    )
    Table(
        "badges",
        meta,
        Column("id", Integer, primary_key=True),
        Column("learner_id", String(36)),  # names a person, no foreign key
    )
    problems = registry_problems(meta)
    assert any(p.startswith("message_reactions: must be in exactly one") for p in problems)
    assert any(
        p.startswith("message_reactions.message_id: points to ['messages']") for p in problems
    )
    assert any(p.startswith("badges.learner_id: looks like it names a person") for p in problems)


def test_a_new_column_pointing_to_a_person_is_reported() -> None:
    meta = _schema()
    meta.tables["quizzes"].append_column(
        Column("assigned_by", String(36), ForeignKey("users.id", ondelete="SET NULL"))
    )
    meta.tables["catalog_rows"].append_column(
        Column("owner_id", String(36), ForeignKey("users.id", ondelete="SET NULL"))
    )
    problems = registry_problems(meta)
    assert any(p.startswith("quizzes.assigned_by: a foreign key to ['users']") for p in problems)
    assert any(p.startswith("catalog_rows.owner_id: points to ['users']") for p in problems)


def test_a_table_dropped_from_the_schema_is_reported() -> None:
    meta = _schema()
    meta.remove(meta.tables["nudge_holdout"])
    problems = registry_problems(meta)
    assert problems == ["nudge_holdout: in USER_TABLES but no such table"]
