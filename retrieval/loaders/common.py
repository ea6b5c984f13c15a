"""What every loader shares: errors, limits, decoding, slugs, and sections from headings."""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.types import Section

MAX_FILE_BYTES = 50 * 1024 * 1024


class LoadError(Exception):
    """A file that cannot be ingested, and why (``str(err)`` is ``"path: reason"``)."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def size_error(path: str | os.PathLike[str], size: int, member: str | None = None) -> LoadError:
    """The error for a file (or an archive ``member``) over :data:`MAX_FILE_BYTES`."""
    what = repr(member) if member else "file"
    return LoadError(
        path, f"{what} is {size / 2**20:.1f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit"
    )


def read_bytes(path: Path) -> bytes:
    """The file's bytes; size is checked first so a huge file is never read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise size_error(path, size)
        with path.open("rb") as fh:
            # Bounded read: the file may have grown since stat().
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as err:
        raise LoadError(path, "no such file or directory") from err
    except PermissionError as err:
        raise LoadError(path, "permission denied") from err
    except IsADirectoryError as err:
        raise LoadError(path, "is a directory") from err
    except OSError as err:
        raise LoadError(path, f"unreadable ({err.strerror or err})") from err
    if len(data) > MAX_FILE_BYTES:
        raise size_error(path, len(data))
    return data


def decode_text(data: bytes, path: str | os.PathLike[str]) -> str:
    """UTF-8 (with or without BOM; UTF-16 only with its BOM) with newlines normalised."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # what Windows editors call "Unicode": unambiguous with a BOM
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise LoadError(
            path, f"not valid UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from err
    return text.replace("\r\n", "\n").replace("\r", "\n")


def slugify(text: str) -> str:
    """An identifier: ASCII, lowercase, runs of anything else turned into one '-'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if slug:
        return slug
    # Non-Latin names fold to nothing; keep their letters rather than collide on one id.
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-") or "untitled"


def anchor_slug(heading: str) -> str:
    """GitHub's heading anchor: lowercase, punctuation dropped, each space a '-'."""
    text = unicodedata.normalize("NFC", " ".join(heading.split())).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-") or "section"


def as_list(value: Any) -> list[str]:
    """A YAML list or a comma-separated string, as a list of non-empty strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, Iterable) and not isinstance(value, dict):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value)]


def plain(value: Any) -> Any:
    """The value with YAML extras (dates, sets) turned into JSON-friendly types."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return str(value)


@dataclass(frozen=True, slots=True)
class Block:
    """A heading (level 1-6) or a run of body text (level 0), in reading order."""

    level: int
    text: str


@dataclass(slots=True)
class Parsed:
    """What a format parser found in one module.

    ``meta`` holds what the file states about itself (front matter, meta tags);
    ``title_hint`` names the module when neither the file nor the catalog does.
    """

    meta: dict[str, Any]
    blocks: list[Block]
    title_hint: str | None = None


def first_h1(blocks: Sequence[Block]) -> str | None:
    """The title heading: a level-1 heading before any other heading."""
    for block in blocks:
        if block.level == 1:
            return " ".join(block.text.split())
        if block.level > 1:
            return None
    return None


class _Anchors:
    """Unique anchors in document order, de-duplicated like GitHub (-1, -2, ...)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def add(self, heading: str) -> str:
        base = anchor_slug(heading)
        anchor, n = base, 0
        while anchor in self._used:
            n += 1
            anchor = f"{base}-{n}"
        self._used.add(anchor)
        return anchor


def build_sections(blocks: Sequence[Block], module_title: str) -> list[Section]:
    """Sections from headings and text: level 2 opens a section, deeper levels sub-sections.

    The title heading (see :func:`first_h1`) is not a section; text before the first
    section heading becomes one section titled ``module_title``.
    """
    anchors = _Anchors()
    sections: list[Section] = []
    stack: list[tuple[int, str, str]] = []  # (level, heading, anchor), section level first
    text: list[str] = []
    intro_anchor: str | None = None
    title_seen = False

    def flush() -> None:
        nonlocal intro_anchor
        body = "\n\n".join(text).strip("\n")
        text.clear()
        if not body.strip():
            return
        if stack:
            path = tuple(h for _, h, _ in stack)
            sections.append(Section(path[0], body, stack[-1][2], path))
            return
        # Every heading gets an anchor (as on GitHub), so the intro only takes one if no
        # title heading did.
        if intro_anchor is None:
            intro_anchor = anchors.add(module_title)
        sections.append(Section(module_title, body, intro_anchor))

    for block in blocks:
        if block.level == 0:
            if block.text.strip():
                text.append(block.text.rstrip().lstrip("\n"))
            continue
        heading = " ".join(block.text.split())
        if block.level == 1 and not title_seen and not stack:
            title_seen = True  # text on both sides of it stays one intro section
            intro_anchor = anchors.add(heading)
            continue
        flush()
        level = max(block.level, 2)  # a second H1 is just another section
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading, anchors.add(heading)))
    flush()
    return sections
