"""Markdown modules: YAML front matter, ATX and setext headings, fenced code kept whole."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from retrieval.loaders.common import Block, LoadError, Parsed, first_h1

_FRONT = re.compile(r"\A---[ \t]*\n(?:(.*?)\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# Inline markup that GitHub does not show in a heading (and so leaves out of its anchor).
_INLINE = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"!?\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # code spans
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),  # strong (not `__`: dunder names are literal)
    (re.compile(r"[ \t]*\{#[^}]*\}[ \t]*$"), ""),  # {#custom-id} attributes
)


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str]:
    """Front matter as a dict, and the body after it."""
    match = _FRONT.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as err:
        raise LoadError(path, f"invalid front matter: {' '.join(str(err).split())}") from err
    if not isinstance(meta, dict):
        raise LoadError(path, "invalid front matter: expected 'key: value' lines")
    return {str(k): v for k, v in meta.items()}, text[match.end() :]


def heading_text(raw: str) -> str:
    """A heading as readers see it: inline markup removed, spaces collapsed."""
    for pattern, repl in _INLINE:
        raw = pattern.sub(repl, raw)
    return " ".join(raw.split())


def blocks(
    body: str, *, atx: bool = True, setext_levels: tuple[int, int] = (1, 2)
) -> Iterator[Block]:
    """Headings and paragraphs of a Markdown body (or, with ``atx=False``, plain text).

    ``setext_levels`` are the levels of ``===`` and ``---`` underlined headings.
    """
    lines = body.split("\n")
    para: list[str] = []
    fence: str | None = None  # the opening fence while inside a code block
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if fence is not None:
            para.append(line)
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None  # closing fence: same character, at least as long, no info
        elif opening := _FENCE_OPEN.match(line):
            if not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                fence = opening.group(1)
            para.append(line)
        elif atx and (m := _ATX.match(line)):
            if para:
                yield Block(0, "\n".join(para))
                para = []
            if title := heading_text(m.group(2) or ""):
                yield Block(len(m.group(1)), title)
        elif (
            not para
            and line.strip()
            and len(line) - len(line.lstrip(" ")) < 4
            and (under := _UNDERLINE.match(nxt))
            and not _BREAK.match(line)
            and not line.lstrip().startswith(("- ", "* ", "+ ", ">"))
        ):
            level = setext_levels[0] if under.group(1)[0] == "=" else setext_levels[1]
            yield Block(level, heading_text(line))
            i += 1  # the underline
        elif not line.strip() or _BREAK.match(line) or _UNDERLINE.match(line):
            # Blank lines end paragraphs; thematic breaks and stray underlines just separate.
            if para:
                yield Block(0, "\n".join(para))
                para = []
        else:
            para.append(line)
        i += 1
    if para:
        yield Block(0, "\n".join(para))


def parse_markdown(text: str, path: str) -> Parsed:
    """Front matter, then headings and paragraphs; the H1 is the title hint."""
    meta, body = split_front_matter(text, path)
    found = list(blocks(body))
    return Parsed(meta=meta, blocks=found, title_hint=first_h1(found))
