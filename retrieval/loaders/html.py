"""HTML pages (and SCORM SCOs): <title>/<h1> title, <h2> sections, meta-tag metadata."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

from retrieval.loaders.common import Block

_DROP = ("script", "style", "nav", "header", "footer", "noscript", "template", "svg", "form")
_BLOCKS = {"p", "li", "pre", "blockquote", "td", "th", "dd", "dt", "figcaption", "caption"}
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
META_KEYS = (
    "course_id",
    "course_title",
    "module_id",
    "title",
    "modality",
    "duration_minutes",
    "language",
    "skills",
    "prerequisites",
)


def parse(markup: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(markup, "lxml")


def metadata(soup: BeautifulSoup) -> dict[str, Any]:
    """``<meta name=... content=...>`` values we know, plus the ``<title>`` and ``lang``."""
    meta: dict[str, Any] = {}
    for tag in soup.find_all("meta"):
        name, content = tag.get("name"), tag.get("content")
        if isinstance(name, str) and name.lower() in META_KEYS and isinstance(content, str):
            meta[name.lower()] = content.strip()
    if "title" not in meta and soup.title and soup.title.get_text(strip=True):
        meta["title"] = soup.title.get_text(" ", strip=True)
    html = soup.find("html")
    if "language" not in meta and isinstance(html, Tag) and isinstance(html.get("lang"), str):
        meta["language"] = str(html.get("lang"))
    return meta


def blocks(soup: BeautifulSoup) -> Iterator[Block]:
    """Headings and text blocks of the page body, in reading order."""
    body = soup.body or soup
    for tag in body.find_all(_DROP):
        tag.decompose()
    yield from _walk(body)


def _walk(node: Tag) -> Iterator[Block]:
    loose: list[str] = []
    for child in node.children:
        if isinstance(child, Tag):
            name = child.name.lower()
            if name in _HEADINGS or name in _BLOCKS:
                if loose:
                    yield Block(0, " ".join(loose))
                    loose = []
                if name in _HEADINGS:
                    yield Block(_HEADINGS[name], child.get_text(" ", strip=True))
                elif name == "pre":
                    yield Block(0, child.get_text())
                else:
                    yield Block(0, " ".join(child.get_text(" ", strip=True).split()))
            elif name in ("br",):
                continue
            elif any(
                isinstance(d, Tag) and d.name in _HEADINGS.keys() | _BLOCKS
                for d in child.descendants
            ):
                if loose:
                    yield Block(0, " ".join(loose))
                    loose = []
                yield from _walk(child)
            else:
                text = " ".join(child.get_text(" ", strip=True).split())
                if text:
                    loose.append(text)
        else:
            text = " ".join(str(child).split())
            if text:
                loose.append(text)
    if loose:
        yield Block(0, " ".join(loose))
