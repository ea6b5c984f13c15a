"""Where a module's metadata comes from: the file itself, then ``catalog.yaml``, then its path.

The catalog sits at the top of a content root::

    courses:
      - id: gdpr-basics
        title: GDPR basics
        language: en
        skills: [data_protection.principles]
        modules:
          "01-principles.md": {module_id: gdpr-01, title: Principles, duration_minutes: 20}

Module keys are a file name or a path (relative to the root or to the course folder).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from retrieval.loaders.common import LoadError, Parsed, as_list, build_sections, plain, slugify
from retrieval.types import Document

CATALOG_NAMES = ("catalog.yaml", "catalog.yml")
# Front-matter keys that fill Document fields; every other key lands in Document.metadata.
_FIELDS = frozenset(
    "course_id course_title book module_id module title module_title language modality "
    "skills prerequisites".split()
)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Courses by id, each with its module entries, as a catalog file describes them."""

    path: Path
    courses: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Catalog:
        """Read and check a catalog file; raises :class:`LoadError` saying what is wrong."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise LoadError(path, f"invalid catalog: {' '.join(str(err).split())}") from err
        if not isinstance(data, dict):
            raise LoadError(path, "invalid catalog: expected 'key: value' lines at the top")
        courses: dict[str, Mapping[str, Any]] = {}
        for n, course in enumerate(data.get("courses") or [], 1):
            if not isinstance(course, dict) or not course.get("id"):
                raise LoadError(path, f"invalid catalog: course #{n} has no id")
            modules = course.get("modules") or {}
            if not isinstance(modules, dict) or not all(
                isinstance(m, dict | None) for m in modules.values()
            ):
                raise LoadError(
                    path,
                    f"invalid catalog: modules of course {course['id']!r} must map a file to its fields",
                )
            courses[str(course["id"])] = {**course, "modules": modules}
        return cls(path=path, courses=courses)

    def module(self, course_id: str, keys: list[str]) -> Mapping[str, Any]:
        """The first module entry of the course that one of ``keys`` names."""
        modules = self.courses.get(course_id, {}).get("modules") or {}
        return next((modules[k] or {} for k in keys if k in modules), {})


def find_catalog(root: Path) -> Catalog | None:
    """The ``catalog.yaml`` (or ``.yml``) at the top of a content root, if there is one."""
    for name in CATALOG_NAMES:
        if (root / name).is_file():
            return Catalog.load(root / name)
    return None


@dataclass(frozen=True, slots=True)
class Placement:
    """The course a file belongs to, and what the catalog says about it and its module."""

    course_id: str
    default_title: str
    course: Mapping[str, Any]
    module: Mapping[str, Any]


def _titled(name: str) -> str:
    return " ".join(name.replace("-", " ").replace("_", " ").split()).title()


def place(
    rel: PurePosixPath,
    root: Path,
    catalog: Catalog | None,
    *,
    stated_course_id: str | None = None,
    course_hint: str | None = None,
) -> Placement:
    """Find a file's course: the id it states, a folder named after a catalog course, its path.

    ``course_hint`` is used when the path names no course folder (a file at the root).
    """
    folders = rel.parts[:-1]
    course_dir: tuple[str, ...] | None = None
    if stated_course_id:
        course_id, name = stated_course_id, stated_course_id
    else:
        known = catalog.courses if catalog else {}
        match = next(
            (
                i
                for i in range(len(folders) - 1, -1, -1)
                if folders[i] in known or slugify(folders[i]) in known
            ),
            None,
        )
        if match is not None:
            name = folders[match]
            course_id = name if name in known else slugify(name)
            course_dir = folders[: match + 1]
        else:
            # root/courses/<id>/..., root/<id>/..., else the root's own name.
            i = 1 if len(folders) >= 2 and folders[0] == "courses" else 0
            if folders:
                name, course_dir = folders[i], folders[: i + 1]
            else:
                name = course_hint or Path(root).resolve().name
            course_id = slugify(name)
    keys = [rel.as_posix()]
    if course_dir and rel.parts[: len(course_dir)] == course_dir:
        keys.append(PurePosixPath(*rel.parts[len(course_dir) :]).as_posix())
    keys.append(rel.name)
    course = catalog.courses.get(course_id, {}) if catalog else {}
    module = catalog.module(course_id, keys) if catalog else {}
    return Placement(course_id, _titled(name), course, module)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _first(*values: Any) -> Any:
    return next((v for v in values if _given(v)), None)


def _language(value: Any) -> str | None:
    # "en-GB", "fr_FR" -> the primary subtag, which is what detection and filters use.
    if not _given(value):
        return None
    return str(value).strip().replace("_", "-").split("-")[0].lower() or None


def assemble(
    parsed: Parsed,
    placement: Placement,
    *,
    path: Path,
    rel: PurePosixPath,
    source_path: str,
    digest: str,
    course_title_hint: str | None = None,
) -> Document:
    """Merge the file's metadata, the catalog's and the defaults; build the sections."""
    meta, course, module = parsed.meta, placement.course, placement.module
    title = str(
        _first(
            meta.get("title"),
            meta.get("module_title"),
            module.get("title"),
            parsed.title_hint,
            rel.stem,
        )
    )
    sections = build_sections(parsed.blocks, title)
    if not any(s.text.strip() for s in sections):
        raise LoadError(path, "document is empty")
    modality = _first(meta.get("modality"), module.get("modality"), course.get("modality"))
    extras = {k: v for k, v in {**module, **meta}.items() if k not in _FIELDS}
    return Document(
        source_path=source_path,
        course_id=placement.course_id,
        course_title=str(
            _first(
                meta.get("course_title"),
                meta.get("book"),
                course.get("title"),
                course_title_hint,
                placement.default_title,
            )
        ),
        module_id=str(
            _first(
                meta.get("module_id"),
                meta.get("module"),
                module.get("module_id"),
                slugify(rel.with_suffix("").as_posix()),
            )
        ),
        module_title=title,
        sections=sections,
        language=_language(
            _first(meta.get("language"), module.get("language"), course.get("language"))
        ),
        modality=str(modality) if modality is not None else None,
        skills=as_list(_first(meta.get("skills"), module.get("skills"), course.get("skills"))),
        prerequisites=as_list(
            _first(
                meta.get("prerequisites"), module.get("prerequisites"), course.get("prerequisites")
            )
        ),
        metadata=plain(extras),
        content_hash=digest,
    )
