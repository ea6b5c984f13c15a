"""Course metadata from a ``catalog.yaml`` beside the content, and path-based defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from retrieval.loaders.common import LoadError, slugify

CATALOG_NAMES = ("catalog.yaml", "catalog.yml")


@dataclass
class Catalog:
    """The parts of a catalog file that ingestion uses: courses and their modules."""

    path: Path
    courses: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Catalog:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            raise LoadError(path, f"invalid catalog: {err}") from err
        courses = {
            str(c["id"]): c
            for c in data.get("courses", []) or []
            if isinstance(c, dict) and c.get("id")
        }
        return cls(path=path, courses=courses)

    def course(self, course_id: str | None) -> dict[str, Any]:
        return self.courses.get(course_id or "", {})

    def module(self, course_id: str | None, rel: PurePosixPath) -> dict[str, Any]:
        modules = self.course(course_id).get("modules") or {}
        for key in (rel.as_posix(), rel.name):
            if key in modules:
                return dict(modules[key] or {})
        return {}


def find_catalog(root: Path) -> Catalog | None:
    """The catalog file at the top of a content root, if there is one."""
    for name in CATALOG_NAMES:
        if (root / name).is_file():
            return Catalog.load(root / name)
    return None


def path_course_id(rel: PurePosixPath, root: Path) -> str:
    """Course id from where a file sits: ``courses/<id>/file``, ``<id>/file`` or the root's name."""
    parts = rel.parts[:-1]
    if len(parts) >= 2 and parts[0] == "courses":
        return slugify(parts[1])
    if parts:
        return slugify(parts[0])
    return slugify(root.resolve().name)


def defaults_for(
    rel: PurePosixPath, root: Path, catalog: Catalog | None, course_hint: str | None
) -> dict[str, Any]:
    """Metadata a file gets unless it says otherwise: catalog entries, then its path."""
    course_id = course_hint or path_course_id(rel, root)
    defaults: dict[str, Any] = {
        "course_id": course_id,
        "course_title": course_id.replace("-", " ").replace("_", " ").title(),
        "module_id": slugify(rel.with_suffix("").as_posix().replace("/", "-")),
        "title": rel.stem.replace("-", " ").replace("_", " ").strip().capitalize(),
    }
    if catalog is not None:
        course = catalog.course(course_id)
        for key, target in (
            ("title", "course_title"),
            ("language", "language"),
            ("modality", "modality"),
            ("skills", "skills"),
        ):
            if course.get(key) not in (None, "", []):
                defaults[target] = course[key]
        defaults.update(
            {k: v for k, v in catalog.module(course_id, rel).items() if v not in (None, "", [])}
        )
    return defaults
