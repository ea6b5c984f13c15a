"""Markdown modules: YAML front matter, ATX and setext headings, fenced code kept whole."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from retrieval.loaders.common import Block, LoadError

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str]:
    """Front matter as a dict and the body after it."""
    match = _FRONT.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        raise LoadError(path, f"invalid front matter: {err}") from err
    if not isinstance(meta, dict):
        raise LoadError(path, "invalid front matter: expected key: value pairs")
    return meta, text[match.end() :]


def blocks(
    body: str, *, atx: bool = True, setext_levels: tuple[int, int] = (1, 2)
) -> Iterator[Block]:
    """Headings and paragraphs of a Markdown (or setext-only plain text) body.

    ``setext_levels`` are the heading levels of ``===`` and ``---`` underlines (plain
    text uses them for sections and sub-sections: (2, 3)).
    """
    lines = body.split("\n")
    para: list[str] = []
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            in_fence = not in_fence
            para.append(line)
        elif in_fence:
            para.append(line)
        elif atx and (m := _ATX.match(line)):
            if para:
                yield Block(0, "\n".join(para))
                para = []
            yield Block(len(m.group(1)), m.group(2))
        elif (
            line.strip()
            and i + 1 < len(lines)
            and _SETEXT.match(lines[i + 1])
            and not para
            and not line.startswith(("-", "*", " ", "\t"))
        ):
            equals = lines[i + 1].lstrip().startswith("=")
            yield Block(setext_levels[0] if equals else setext_levels[1], line.strip())
            i += 1
        elif not line.strip():
            if para:
                yield Block(0, "\n".join(para))
                para = []
        else:
            para.append(line)
        i += 1
    if para:
        yield Block(0, "\n".join(para))
