"""What every loader shares: errors, limits, text decoding, slugs, sections from headings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.types import Document, Section

MAX_FILE_BYTES = 50 * 1024 * 1024


class LoadError(Exception):
    """A file that cannot be ingested, and why."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def check_size(path: Path, size: int | None = None) -> None:
    """Refuse files over the size limit before reading them."""
    size = path.stat().st_size if size is None else size
    if size > MAX_FILE_BYTES:
        raise LoadError(
            path, f"file is {size / 2**20:.1f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit"
        )


def read_bytes(path: Path) -> bytes:
    """The file's bytes, with size and permission problems turned into LoadErrors."""
    try:
        check_size(path)
        return path.read_bytes()
    except PermissionError as err:
        raise LoadError(path, "permission denied") from err
    except IsADirectoryError as err:
        raise LoadError(path, "is a directory") from err
    except OSError as err:
        raise LoadError(path, f"unreadable ({err.strerror or err})") from err


def decode_text(data: bytes, path: str | Path) -> str:
    """UTF-8 (with or without BOM) or a clear error naming the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad = data[err.start]
        raise LoadError(
            path, f"not valid UTF-8 text (byte 0x{bad:02x} at offset {err.start})"
        ) from err
    return text.replace("\r\n", "\n").replace("\r", "\n")


def slugify(text: str) -> str:
    """GitHub-style anchor: lowercase, accents folded, punctuation dropped, spaces to '-'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^\w\s-]", "", folded.lower()).strip()
    return re.sub(r"[\s_]+", "-", slug) or "section"


def as_list(value: Any) -> list[str]:
    """A YAML list or a comma-separated string, as a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


@dataclass(frozen=True, slots=True)
class Block:
    """A heading (level >= 1) or a paragraph of text (level 0)."""

    level: int
    text: str


class SectionBuilder:
    """Turns a stream of headings and paragraphs into :class:`Section` objects.

    The first level-1 heading is the module title; level-2 headings open sections;
    deeper headings open sub-sections that keep their level-2 section as title.
    """

    def __init__(self, default_title: str) -> None:
        self.title: str | None = None
        self.default_title = default_title
        self.sections: list[Section] = []
        self._path: list[str] = []
        self._levels: list[int] = []
        self._text: list[str] = []
        self._anchors: dict[str, int] = {}

    def add(self, block: Block) -> None:
        if block.level == 0:
            if block.text.strip():
                self._text.append(block.text.strip())
            return
        heading = " ".join(block.text.split())
        if block.level == 1 and self.title is None and not self.sections and not self._path:
            self._flush()
            self.title = heading
            return
        self._flush()
        level = max(block.level, 2)
        while self._levels and self._levels[-1] >= level:
            self._levels.pop()
            self._path.pop()
        self._levels.append(level)
        self._path.append(heading)

    def _anchor(self, heading: str) -> str:
        base = slugify(heading)
        n = self._anchors.get(base, 0)
        self._anchors[base] = n + 1
        return base if n == 0 else f"{base}-{n}"

    def _flush(self) -> None:
        text = "\n\n".join(self._text).strip()
        self._text = []
        if not text:
            return
        if self._path:
            title, deepest, path = self._path[0], self._path[-1], tuple(self._path)
        else:
            title = deepest = self.title or self.default_title
            path = ()
        self.sections.append(
            Section(title=title, text=text, anchor=self._anchor(deepest), heading_path=path)
        )

    def finish(self) -> list[Section]:
        self._flush()
        return self.sections


def build_document(
    *,
    path: Path,
    source_path: str,
    sections: list[Section],
    meta: Mapping[str, Any],
    defaults: Mapping[str, Any],
    digest: str,
) -> Document:
    """Merge metadata (file's own, then catalog, then defaults) into a Document."""

    def pick(*keys: str) -> Any:
        for source in (meta, defaults):
            for key in keys:
                value = source.get(key)
                if value not in (None, "", []):
                    return value
        return None

    if not any(s.text.strip() for s in sections):
        raise LoadError(path, "document is empty")
    book = meta.get("book")
    course_id = pick("course_id") or (slugify(str(book)) if book else None)
    course_title = meta.get("course_title") or book or defaults.get("course_title")
    known = {
        "course_id",
        "course_title",
        "module_id",
        "title",
        "module_title",
        "language",
        "modality",
        "skills",
        "prerequisites",
        "book",
        "module",
    }
    language = pick("language")
    return Document(
        source_path=source_path,
        course_id=str(course_id),
        course_title=str(course_title or course_id),
        module_id=str(pick("module_id", "module")),
        module_title=str(pick("title", "module_title")),
        sections=sections,
        language=str(language).lower()[:2] if language else None,
        modality=pick("modality"),
        skills=as_list(pick("skills")),
        prerequisites=as_list(pick("prerequisites")),
        metadata={k: v for k, v in {**defaults, **meta}.items() if k not in known},
        content_hash=digest,
    )
