"""The demo's catalog and learners imported into an organisation, for path tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.paths import World
from coach.paths.imports import import_catalog, import_learners

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo"
DEMO_TODAY = date(2026, 11, 23)  # the demo's planning date (demo/blended/learners.yaml)


def demo_learners_file(folder: Path) -> Path:
    """The demo learners as an import file (the demo keeps them beside its planning date)."""
    data = yaml.safe_load((DEMO / "blended" / "learners.yaml").read_text(encoding="utf-8"))
    path = folder / "learners.yaml"
    path.write_text(yaml.safe_dump({"learners": data["learners"]}), encoding="utf-8")
    return path


def seed_demo_paths(engine: Engine, folder: Path, org: str = "northwind") -> str:
    """Import the demo catalog and learners into ``org`` (created if missing); its id."""
    with Session(engine) as session, session.begin():
        found = storage.get_organisation_by_slug(session, slug=org)
        if found is None:
            found = storage.create_organisation(session, slug=org, name=org.title())
        import_catalog(session, org_id=found.id, path=DEMO)
        import_learners(session, world=World(), org_id=found.id, path=demo_learners_file(folder))
        return found.id
