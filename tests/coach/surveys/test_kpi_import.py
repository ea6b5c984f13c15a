"""KPI import: every line checked, problems with their line numbers, nothing half-imported;
a re-import replaces values. On SQLite and PostgreSQL; the command on SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coach import storage
from coach.cli import app
from coach.db import make_engine
from coach.paths.imports import ImportRefused
from coach.settings import get_settings
from coach.surveys.kpi_import import import_kpis
from tests.coach.surveys.conftest import Org

GOOD = """team,month,indicator,value,unit
Sales,2026-01,revenue,120000,EUR
Sales,2026-02,revenue,"131500,5",EUR
Support,2026-01,first contact resolution,0.71,
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kpis.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_clean_file_is_imported_and_a_reimport_replaces(
    session: Session, org: Org, tmp_path: Path
) -> None:
    done = import_kpis(session, org_id=org.id, path=_write(tmp_path, GOOD))
    assert done.counts == {"added": 3, "updated": 0}
    again = GOOD.replace("0.71", "0.75")
    assert import_kpis(session, org_id=org.id, path=_write(tmp_path, again)).counts == {
        "added": 0,
        "updated": 3,
    }
    rows = storage.business_kpis(session, org_id=org.id)
    assert [(r.team, r.month, r.indicator, r.value, r.unit) for r in rows] == [
        ("Sales", "2026-01", "revenue", 120000.0, "EUR"),
        ("Sales", "2026-02", "revenue", 131500.5, "EUR"),
        ("Support", "2026-01", "first contact resolution", 0.75, ""),
    ]
    assert storage.business_kpis(session, org_id=org.id, since_month="2026-02") == [rows[1]]


def test_a_bad_file_is_refused_whole_with_line_numbers(
    session: Session, org: Org, tmp_path: Path
) -> None:
    bad = GOOD + (
        "Marketing,2026-01,leads,40,\n"  # line 5: unknown team
        "Sales,2026-13,revenue,1,\n"  # line 6: no such month
        "Sales,2026-03,revenue,n/a,\n"  # line 7: not a number
        'Sales,2026-03,margin,"1,234,5",\n'  # line 8: thousands separator
        "Sales,2026-01,revenue,5,\n"  # line 9: duplicate of line 2
        "Support,2026-04,nps,inf,\n"  # line 10: not finite
    )
    with pytest.raises(ImportRefused) as err:
        import_kpis(session, org_id=org.id, path=_write(tmp_path, bad))
    said = [(p.row, p.message.split(" (")[0]) for p in err.value.problems]
    assert said == [
        (5, "unknown team 'Marketing'"),
        (6, "bad month '2026-13'"),
        (7, "value is not a number: 'n/a'"),
        (8, "value is not a number: '1,234,5'"),
        (9, "same team, month and indicator as line 2"),
        (10, "value is not a number: 'inf'"),
    ]
    assert storage.business_kpis(session, org_id=org.id) == []
    with pytest.raises(ImportRefused, match="1 problem"):
        import_kpis(
            session, org_id=org.id, path=_write(tmp_path, "team,month,value\nSales,2026-01,3\n")
        )


def test_the_command_reports_problems_and_imports_nothing(cli_env: Path, tmp_path: Path) -> None:
    engine = make_engine(get_settings().db_url)
    from coach.db import migrate
    from tests.coach.surveys.conftest import make_org

    migrate(engine)
    with Session(engine) as session:
        make_org(session)
    runner = CliRunner()
    bad = _write(tmp_path, GOOD + "Legal,2026-01,cases,3,\n")
    out = runner.invoke(app, ["import", "kpis", str(bad), "--org", "northwind"])
    assert out.exit_code == 1
    assert f"{bad}:5: unknown team 'Legal'" in out.output
    assert "KPIs: 1 problem(s); nothing imported" in out.output
    ok = runner.invoke(app, ["import", "kpis", str(_write(tmp_path, GOOD)), "--org", "northwind"])
    assert ok.exit_code == 0 and "imported KPIs: 3 added, 0 updated" in ok.output
    with Session(engine) as session:
        org = storage.get_organisation_by_slug(session, slug="northwind")
        assert org is not None and len(storage.business_kpis(session, org_id=org.id)) == 3
    engine.dispose()
