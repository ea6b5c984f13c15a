"""The blendcoach command line: ingest, search, and their errors."""

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coach.cli import app
from coach.db import make_engine
from coach.settings import get_settings
from coach.storage import SentenceVector
from tests.conftest import DEMO_CATALOG

runner = CliRunner()


def sentence_vectors() -> int:
    engine = make_engine(get_settings().db_url)
    try:
        with Session(engine) as session:
            return int(session.scalar(select(func.count()).select_from(SentenceVector)) or 0)
    finally:
        engine.dispose()


def test_ingest_then_search_prints_cited_passages(cli_env: Path) -> None:
    result = runner.invoke(app, ["ingest", str(DEMO_CATALOG)])
    assert result.exit_code == 0, result.output
    assert "27 added" in result.output and "0 skipped" in result.output
    stored = sentence_vectors()
    assert stored > 100, "the offline responder's sentence vectors are stored at ingest"
    again = runner.invoke(app, ["ingest", str(DEMO_CATALOG)])
    assert "0 added, 0 updated, 27 unchanged" in again.output
    assert sentence_vectors() == stored
    found = runner.invoke(
        app, ["search", "forklift pedestrian walkway", "-k", "2", "--course", "warehouse-safety"]
    )
    assert found.exit_code == 0, found.output
    assert "Warehouse" in found.output and "courses/warehouse-safety/" in found.output


def test_skipped_files_make_a_nonzero_exit(cli_env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"binary")
    result = runner.invoke(app, ["ingest", str(bad)])
    assert result.exit_code == 1
    assert "notes.docx" in result.output and "unsupported" in result.output


def test_empty_query_is_refused(cli_env: Path) -> None:
    result = runner.invoke(app, ["search", "   "])
    assert result.exit_code == 2
    assert "query is empty" in result.output
