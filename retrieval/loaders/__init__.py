"""Loaders: files of course content in, :class:`~retrieval.types.Document` objects out.

Supported: Markdown (front matter), HTML (meta tags), plain text (setext headings),
PDF (text layer), and SCORM 1.2 / 2004 zip packages. Metadata comes from the file, then
the ``catalog.yaml`` at the content root, then the file's place in the tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from retrieval.loaders import html as html_loader
from retrieval.loaders import markdown, pdf, scorm
from retrieval.loaders.catalog import CATALOG_NAMES, Catalog, defaults_for, find_catalog
from retrieval.loaders.common import (
    MAX_FILE_BYTES,
    Block,
    LoadError,
    SectionBuilder,
    build_document,
    decode_text,
    read_bytes,
    slugify,
)
from retrieval.types import Document, Section, content_hash

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


def _sections(blocks: Sequence[Block], default_title: str) -> tuple[str | None, list[Section]]:
    builder = SectionBuilder(default_title)
    for block in blocks:
        builder.add(block)
    return builder.title, builder.finish()


def load_file(path: Path, *, root: Path, catalog: Catalog | None = None) -> list[Document]:
    """Load one file into documents (several for a SCORM package)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(path, f"unsupported file type '{suffix or path.name}'")
    rel = PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix())
    data = read_bytes(path)
    digest = content_hash(data)
    if suffix == ".zip":
        return _load_scorm(path, rel, root, catalog, data, digest)
    meta: dict[str, Any] = {}
    blocks: list[Block] = []
    sections: list[Section] = []
    if suffix == ".pdf":
        meta, sections = pdf.load_pdf(data, str(path))
    else:
        text = decode_text(data, path)
        if suffix in (".md", ".markdown"):
            meta, body = markdown.split_front_matter(text, str(path))
            blocks = list(markdown.blocks(body))
        elif suffix == ".txt":
            blocks = list(markdown.blocks(text, atx=False, setext_levels=(2, 3)))
        else:
            soup = html_loader.parse(text)
            meta = html_loader.metadata(soup)
            blocks = list(html_loader.blocks(soup))
    defaults = defaults_for(rel, root, catalog, meta.get("course_id") or _book_id(meta))
    if blocks:
        h1, sections = _sections(blocks, str(meta.get("title") or defaults["title"]))
        if h1 and (suffix in (".html", ".htm") or not meta.get("title")):
            meta["title"] = h1  # a page's own H1 beats a site-wide <title>
    return [
        build_document(
            path=path,
            source_path=rel.as_posix(),
            sections=sections,
            meta=meta,
            defaults=defaults,
            digest=digest,
        )
    ]


def _book_id(meta: dict[str, Any]) -> str | None:
    return slugify(str(meta["book"])) if meta.get("book") else None


def _load_scorm(
    path: Path, rel: PurePosixPath, root: Path, catalog: Catalog | None, data: bytes, digest: str
) -> list[Document]:
    org_title, scos, _missing = scorm.read_package(data, str(path))
    hint = None if len(rel.parts) > 1 else slugify(org_title or rel.stem)
    defaults = defaults_for(rel, root, catalog, hint)
    if org_title and (catalog is None or not catalog.course(defaults["course_id"]).get("title")):
        defaults["course_title"] = org_title
    docs = []
    for sco in scos:
        soup = html_loader.parse(sco.html)
        page_meta = {k: v for k, v in html_loader.metadata(soup).items() if k != "title"}
        _, sections = _sections(list(html_loader.blocks(soup)), sco.title)
        meta = {
            **page_meta,
            "module_id": f"{defaults['course_id']}:{sco.identifier}",
            "title": sco.title,
        }
        docs.append(
            build_document(
                path=path,
                source_path=f"{rel.as_posix()}#{sco.href}",
                sections=sections,
                meta=meta,
                defaults=defaults,
                digest=content_hash(data + sco.href.encode()),
            )
        )
    return docs


def discover(paths: Sequence[Path]) -> tuple[list[tuple[Path, Path]], list[LoadError]]:
    """Files to load as (file, root) pairs, and errors for paths that cannot be used.

    Directories are walked in sorted order, skipping hidden entries, catalog files and
    unsupported files; a file named explicitly must be supported.
    """
    found: list[tuple[Path, Path]] = []
    errors: list[LoadError] = []
    for given in paths:
        if not given.exists():
            errors.append(LoadError(given, "no such file or directory"))
        elif given.is_dir():
            for path in sorted(given.rglob("*")):
                rel = path.relative_to(given)
                if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                    continue
                if path.name in CATALOG_NAMES or (
                    len(rel.parts) == 1 and path.name.lower() == "readme.md"
                ):
                    continue
                if path.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append((path, given))
        elif given.suffix.lower() not in SUPPORTED_SUFFIXES:
            errors.append(LoadError(given, f"unsupported file type '{given.suffix or given.name}'"))
        else:
            found.append((given, given.parent))
    return found, errors
