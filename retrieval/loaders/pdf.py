"""PDF text layers: sections from the outline (bookmarks), else one per page."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from retrieval.loaders.common import LoadError, slugify
from retrieval.types import Section


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    """Top-level bookmarks as (title, first page index), in page order."""
    marks: list[tuple[str, int]] = []
    try:
        for item in reader.outline:
            if isinstance(item, list):
                continue  # nested bookmarks belong to their parent section
            page = reader.get_destination_page_number(item)
            if page is not None and item.title:
                marks.append((str(item.title).strip(), page))
    except (PdfReadError, KeyError, TypeError, AttributeError):
        return []
    return sorted(marks, key=lambda m: m[1])


def load_pdf(data: bytes, path: str) -> tuple[dict[str, Any], list[Section]]:
    """Metadata and sections of a PDF's text layer."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except Exception as err:  # pypdf raises many kinds on broken files
        raise LoadError(path, f"not a readable PDF ({err.__class__.__name__}: {err})") from err
    if not any(pages):
        raise LoadError(path, "PDF has no text layer (scanned?)")
    meta: dict[str, Any] = {}
    info = reader.metadata
    if info is not None and info.title:
        meta["title"] = str(info.title).strip()
    marks = _outline(reader)
    sections: list[Section] = []
    if marks:
        if marks[0][1] > 0 and any(pages[: marks[0][1]]):
            marks.insert(0, (meta.get("title") or "Introduction", 0))
        seen: dict[str, int] = {}
        for i, (title, start) in enumerate(marks):
            end = marks[i + 1][1] if i + 1 < len(marks) else len(pages)
            text = "\n\n".join(p for p in pages[start : max(end, start + 1)] if p)
            if text:
                base = slugify(title)
                seen[base] = seen.get(base, 0) + 1
                anchor = base if seen[base] == 1 else f"{base}-{seen[base] - 1}"
                sections.append(
                    Section(title=title, text=text, anchor=anchor, heading_path=(title,))
                )
    else:
        sections = [
            Section(title=f"Page {i}", text=text, anchor=f"page-{i}")
            for i, text in enumerate(pages, 1)
            if text
        ]
    return meta, sections
