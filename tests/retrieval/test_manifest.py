"""Ingestion bookkeeping on SQLite and PostgreSQL, created by the Alembic migrations."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from retrieval.manifest import FileCommit, Manifest, metadata


def test_migrations_match_the_table_definitions(db_engine: Engine) -> None:
    # Only the manifest's tables: the service's own are checked in tests/coach/storage.
    def ours(name: str | None, type_: str, parent_names: object) -> bool:
        return type_ != "table" or name in metadata.tables

    with db_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": ours})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_generation_lifecycle(db_engine: Engine) -> None:
    m = Manifest(db_engine)
    gens = m.begin_generations(files=[("/a.md", "c1"), ("/b.md", "c1")])
    assert sorted(m.hidden_generations()) == sorted(gens.values())  # pending: hidden
    retired = m.commit(
        commits=[FileCommit(k, "/", "c1", f"hash-{k}", g, 3) for k, g in gens.items()]
    )
    assert retired == [] and m.hidden_generations() == []
    assert {k: r.generation for k, r in m.files().items()} == gens

    new = m.begin_generations(files=[("/a.md", "c1")])
    retired = m.commit(
        commits=[FileCommit("/a.md", "/", "c1", "hash-2", new["/a.md"], 4)], removed=["/b.md"]
    )
    assert sorted(retired) == sorted(gens.values())  # a's old generation and b's
    assert set(m.hidden_generations()) == set(retired)
    files = m.files()
    assert list(files) == ["/a.md"] and files["/a.md"].content_hash == "hash-2"
    m.forget(retired)
    assert m.hidden_generations() == []


def test_uncommitted_generations_stay_hidden(db_engine: Engine) -> None:
    m = Manifest(db_engine)
    gens = m.begin_generations(files=[("/x.md", "c")])
    assert m.files() == {}
    assert m.hidden_generations() == list(gens.values())
