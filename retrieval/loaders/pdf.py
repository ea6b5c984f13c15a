"""PDF text layers: sections from the outline (bookmarks), else one section per page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

from retrieval.loaders.common import Block, LoadError, Parsed

# What producers write when nobody set a title (ReportLab: "untitled").
_PLACEHOLDERS = frozenset({"untitled", "untitled document", "unknown", "document", "title"})
_EXPORTED = re.compile(r"^Microsoft (?:Word|PowerPoint) - (.+?)(?:\.(?:docx?|pptx?))?$")


@dataclass(frozen=True, slots=True)
class _Mark:
    """A bookmark placed in the text: depth 0 is a section, deeper ones sub-sections."""

    title: str
    depth: int
    page: int
    start: int = 0  # where the bookmark's heading starts on its page (previous text ends)
    end: int = 0  # where the section's own text starts


def _flatten(items: list[Any], depth: int = 0) -> Iterator[tuple[int, Any]]:
    # pypdf nests a bookmark's children as a list right after it.
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item, depth + 1)
        else:
            yield depth, item


def _outline(reader: PdfReader) -> list[_Mark]:
    """Bookmarks with a title and a page, in page order (document order within a page)."""
    marks: list[_Mark] = []
    try:
        for depth, item in _flatten(reader.outline):
            title = " ".join(str(getattr(item, "title", "") or "").split())
            page = reader.get_destination_page_number(item)
            if title and page is not None and 0 <= page < len(reader.pages):
                marks.append(_Mark(title, depth, page))
    except Exception:  # a broken outline is no reason to lose the text: fall back to pages
        return []
    return sorted(marks, key=lambda m: m.page)


def _place(marks: list[_Mark], pages: list[str]) -> list[_Mark]:
    """Find each bookmark's heading in its page's text, so sections can start mid-page."""
    placed: list[_Mark] = []
    for mark in marks:
        low = placed[-1].end if placed and placed[-1].page == mark.page else 0
        words = [re.escape(w) for w in mark.title.split()]
        found = re.compile(r"\s+".join(words), re.I).search(pages[mark.page], low)
        start, end = (found.start(), found.end()) if found else (low, low)
        placed.append(_Mark(mark.title, mark.depth, mark.page, start, end))
    return placed


def _outline_blocks(marks: list[_Mark], pages: list[str]) -> Iterator[Block]:
    page, offset = 0, 0
    for mark in _place(marks, pages):
        # The text from the previous cut up to this heading, page by page.
        for p in range(page, mark.page + 1):
            chunk = pages[p][offset if p == page else 0 : mark.start if p == mark.page else None]
            yield Block(0, chunk.strip())
        yield Block(mark.depth + 2, mark.title)
        page, offset = mark.page, mark.end
    for p in range(page, len(pages)):
        yield Block(0, pages[p][offset if p == page else 0 :].strip())


def _title(raw: object) -> str | None:
    title = " ".join(str(raw or "").split())
    if exported := _EXPORTED.match(title):
        title = exported.group(1)
    return title if title.lower() not in _PLACEHOLDERS else None


def _page_blocks(pages: list[str]) -> Iterator[Block]:
    for number, text in enumerate(pages, 1):
        yield Block(2, f"Page {number}")
        yield Block(0, text)


def parse_pdf(data: bytes, path: str) -> Parsed:
    """Sections of a PDF's text layer; the document's /Title is the title hint."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(path, "PDF is encrypted")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata
        title = _title(info.title) if info is not None else None
    except LoadError:
        raise
    except Exception as err:  # pypdf raises many kinds of errors on broken files
        raise LoadError(path, f"not a readable PDF ({type(err).__name__}: {err})") from err
    if not any(pages):
        raise LoadError(path, "PDF has no text layer (scanned?)")
    marks = _outline(reader)
    found = list(_outline_blocks(marks, pages) if marks else _page_blocks(pages))
    return Parsed(meta={}, blocks=found, title_hint=title)
