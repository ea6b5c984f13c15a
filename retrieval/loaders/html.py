"""HTML pages (and SCORM SCOs): meta-tag metadata, <h2> sections, readable body text."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    NavigableString,
    PageElement,
    Tag,
    XMLParsedAsHTMLWarning,
)

from retrieval.loaders.common import Block, Parsed, first_h1

# Never content: code, chrome around the page, embedded widgets.
_DROP = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "button",
    "select",
]
_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt "
    "fieldset figcaption figure form hr html legend li main ol p section summary table "
    "tbody thead tfoot ul".split()
)
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
META_KEYS = frozenset(
    "course_id course_title module_id title module_title modality duration_minutes language "
    "skills prerequisites book chapter chapter_title module license attribution description "
    "author".split()
)
_NUMBERS = frozenset({"duration_minutes", "chapter"})
_BR = "\x00"  # stands for <br> until a paragraph's whitespace is collapsed


def parse(markup: str) -> BeautifulSoup:
    """A lenient parse: real-world pages and XHTML SCOs (with ``<?xml ...?>``) alike."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "lxml")


def metadata(soup: BeautifulSoup) -> dict[str, Any]:
    """What the page states about itself: known ``<meta name>`` tags and ``<html lang>``."""
    meta: dict[str, Any] = {}
    for tag in soup.find_all("meta"):
        name = tag.get("name") or tag.get("http-equiv")
        content = tag.get("content")
        if not isinstance(name, str) or not isinstance(content, str) or not content.strip():
            continue
        key = name.strip().lower().replace("-", "_")
        if key == "content_language":
            key = "language"
        if key in META_KEYS:
            value = content.strip()
            # Meta tags only hold strings; numbers should read as they do in front matter.
            meta[key] = int(value) if key in _NUMBERS and value.isdigit() else value
    root = soup.find("html")
    lang = root.get("lang") or root.get("xml:lang") if isinstance(root, Tag) else None
    if "language" not in meta and isinstance(lang, str) and lang.strip():
        meta["language"] = lang.strip()
    return meta


def _text(node: Tag, br: str = " ") -> str:
    """Visible text of an element; comments and other non-text strings left out."""
    parts: list[str] = []
    for d in node.descendants:
        if type(d) is NavigableString:
            parts.append(str(d))
        elif isinstance(d, Tag) and d.name == "br":
            parts.append(br)
    return "".join(parts)


def _collapse(raw: str) -> str:
    lines = (" ".join(part.split()) for part in raw.split(_BR))
    return "\n".join(line for line in lines if line)


def _walk(body: Tag) -> Iterator[Block]:
    """Blocks in reading order; an explicit stack, since real pages nest deeper than recursion."""
    inline: list[str] = []

    def paragraph() -> Iterator[Block]:
        if text := _collapse("".join(inline)):
            yield Block(0, text)
        inline.clear()

    # Each entry iterates an element's children; None marks the end of a block element.
    stack: list[Iterator[PageElement] | None] = [iter(body.children)]
    while stack:
        children = stack[-1]
        if children is None:
            stack.pop()
            yield from paragraph()
            continue
        child = next(children, None)
        if child is None:
            stack.pop()
        elif type(child) is NavigableString:
            inline.append(str(child))
        elif not isinstance(child, Tag):
            continue  # comments, doctype, processing instructions
        elif child.name == "br":
            inline.append(_BR)
        elif child.name in _HEADINGS:
            yield from paragraph()
            yield Block(_HEADINGS[child.name], " ".join(_text(child).split()))
        elif child.name == "pre":
            yield from paragraph()
            yield Block(0, _text(child, "\n").strip("\n"))  # whitespace is meaning here
        elif child.name == "tr":
            yield from paragraph()
            cells = (" ".join(_text(c).split()) for c in child.find_all(["td", "th"]))
            yield Block(0, " | ".join(c for c in cells if c))
        elif child.name in _BLOCKS:
            yield from paragraph()
            stack += [None, iter(child.children)]
        else:
            stack.append(iter(child.children))  # inline element: its text joins the paragraph
    yield from paragraph()


def blocks(soup: BeautifulSoup) -> list[Block]:
    """Headings and paragraphs of the page body, in reading order (modifies ``soup``)."""
    body = soup.body or soup
    for tag in body.find_all(_DROP):
        tag.decompose()
    # A site banner is chrome, but an <article>'s own <header> holds its title.
    for tag in body.find_all("header"):
        if tag.find_parent(["article", "main"]) is None:
            tag.decompose()
    return list(_walk(body))


def parse_html(markup: str) -> Parsed:
    """Meta tags, then body blocks; ``<title>`` (else the first ``<h1>``) is the title hint."""
    soup = parse(markup)
    meta = metadata(soup)
    head_title = soup.find("title")
    title = " ".join(_text(head_title).split()) if isinstance(head_title, Tag) else ""
    found = blocks(soup)
    return Parsed(meta=meta, blocks=found, title_hint=title or first_h1(found))
