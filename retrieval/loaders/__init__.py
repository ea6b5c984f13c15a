"""Loaders: files of course content in, :class:`~retrieval.types.Document` objects out.

Supported: Markdown (front matter), HTML (meta tags), plain text (setext headings),
PDF (text layer) and SCORM 1.2 / 2004 packages (one document per SCO). Metadata comes
from the file itself, then the ``catalog.yaml`` at the content root, then the file's
place in the tree. Anything that cannot be loaded raises :class:`LoadError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from retrieval.loaders.catalog import CATALOG_NAMES, Catalog, assemble, find_catalog, place
from retrieval.loaders.common import (
    MAX_FILE_BYTES,
    LoadError,
    Parsed,
    decode_text,
    read_bytes,
    slugify,
)
from retrieval.loaders.html import parse_html
from retrieval.loaders.markdown import parse_markdown
from retrieval.loaders.pdf import parse_pdf
from retrieval.loaders.scorm import read_package
from retrieval.loaders.text import parse_text
from retrieval.types import Document, content_hash

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".pdf", ".txt", ".zip"})

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "Catalog",
    "LoadError",
    "discover",
    "find_catalog",
    "load_file",
]


def _unsupported(path: Path) -> LoadError:
    return LoadError(path, f"unsupported file type '{path.suffix.lower() or path.name}'")


def _relative(path: Path, root: Path) -> PurePosixPath:
    # abspath, not resolve: a symlink inside the root keeps its place in the tree.
    rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root)))
    if rel.parts[:1] == ("..",) or rel.is_absolute():
        raise LoadError(path, f"not inside the content root {root}")
    return PurePosixPath(rel.as_posix())


def _parse(suffix: str, data: bytes, path: Path) -> Parsed:
    if suffix == ".pdf":
        return parse_pdf(data, str(path))
    text = decode_text(data, path)
    if suffix in (".md", ".markdown"):
        return parse_markdown(text, str(path))
    if suffix in (".html", ".htm"):
        return parse_html(text)
    return parse_text(text)


def load_file(path: Path, *, root: Path, catalog: Catalog | None = None) -> list[Document]:
    """Load one file into documents: one per module, one per SCO for a SCORM package."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(path)
    rel = _relative(path, root)
    data = read_bytes(path)
    if suffix == ".zip":
        return _load_scorm(data, path=path, rel=rel, root=root, catalog=catalog)
    parsed = _parse(suffix, data, path)
    meta = parsed.meta
    stated = meta.get("course_id") or (slugify(str(meta["book"])) if meta.get("book") else None)
    placement = place(rel, root, catalog, stated_course_id=str(stated) if stated else None)
    digest = content_hash(data)
    return [
        assemble(parsed, placement, path=path, rel=rel, source_path=rel.as_posix(), digest=digest)
    ]


# A SCO's own page may not rename the module or move it: the manifest decides those.
_SCO_FIXED = ("course_id", "module_id", "module", "title", "module_title")


def _load_scorm(
    data: bytes, *, path: Path, rel: PurePosixPath, root: Path, catalog: Catalog | None
) -> list[Document]:
    package = read_package(data, str(path))
    placement = place(rel, root, catalog, course_hint=package.title or rel.stem)
    docs: list[Document] = []
    skipped = list(package.skipped)
    for sco in package.scos:
        page = parse_html(sco.html)
        meta = {k: v for k, v in page.meta.items() if k not in _SCO_FIXED}
        meta.update(module_id=f"{placement.course_id}:{sco.identifier}", title=sco.title)
        try:
            doc = assemble(
                Parsed(meta, page.blocks, page.title_hint),
                placement,
                path=path,
                rel=rel,
                source_path=f"{rel.as_posix()}#{sco.href}",
                # Distinct per SCO, stable while the package is unchanged.
                digest=content_hash(data + sco.href.encode()),
                course_title_hint=package.title or None,
            )
        except LoadError:  # an empty page: the rest of the course is still worth having
            skipped.append(sco.identifier)
            continue
        docs.append(doc)
    if not docs:
        raise LoadError(path, "SCORM package has no loadable SCO")
    if skipped:
        for doc in docs:
            doc.metadata["scorm_skipped"] = skipped
    return docs


def _walk(top: Path, errors: list[LoadError]) -> Iterator[Path]:
    def unreadable(err: OSError) -> None:
        errors.append(LoadError(err.filename or top, f"unreadable directory ({err.strerror})"))

    for folder, dirs, files in os.walk(top, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # pruned, never walked
        at_top = Path(folder) == top
        for name in files:
            lower = name.lower()
            if name.startswith(".") or lower in CATALOG_NAMES or (at_top and lower == "readme.md"):
                continue
            if Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(folder, name)


def discover(paths: Sequence[Path]) -> tuple[list[tuple[Path, Path]], list[LoadError]]:
    """Files to load as (file, root) pairs, and errors for paths that cannot be used.

    Directories are walked recursively in sorted order, skipping hidden entries, catalog
    files, a README.md at the top and unsupported files; a file named explicitly must be
    supported, and its root is its folder. A file reached twice is listed once.
    """
    found: list[tuple[Path, Path]] = []
    errors: list[LoadError] = []
    seen: set[str] = set()

    def add(file: Path, root: Path) -> None:
        key = os.path.realpath(file)
        if key not in seen:
            seen.add(key)
            found.append((file, root))

    for given in paths:
        if given.is_dir():
            for file in sorted(_walk(given, errors), key=lambda p: p.relative_to(given).parts):
                add(file, given)
        elif not given.exists():
            errors.append(LoadError(given, "no such file or directory"))
        elif given.suffix.lower() not in SUPPORTED_SUFFIXES:
            errors.append(_unsupported(given))
        else:
            add(given, given.parent)
    return found, errors
