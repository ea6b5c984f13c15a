"""Data blocks for prompts: learner text and passages escaped so they cannot pose as markup.

Every piece of text a prompt did not write itself (passages, learner messages, summaries)
goes inside a named block, with ``&``, ``<`` and ``>`` escaped: a passage that contains
``</passages>`` or "ignore your instructions" stays one inert string inside its block.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from coach.responders.base import CitationRef, Turn

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
}
NONE = "(none)"
_MARKERS = re.compile(r"\s*\[\d+\](?:\[\d+\])*")


def escape(text: str) -> str:
    """Escape ``& < >`` so the text cannot open or close a block."""
    return html.escape(text, quote=False)


def attribute(text: str) -> str:
    """Escape text for a double-quoted attribute value (newlines flattened)."""
    return html.escape(" ".join(text.split()), quote=True)


def language_name(code: str) -> str:
    """The English name of a language code, for the prompt ("French")."""
    return LANGUAGE_NAMES.get(code.lower(), f"the language with code {attribute(code)}")


def passages_block(refs: Sequence[CitationRef]) -> str:
    """Numbered passages, one ``<passage n=.. source=..>`` element each."""
    return "\n".join(
        f'<passage n="{r.n}" source="{attribute(r.citation.breadcrumb)}">\n'
        f"{escape(r.quote.strip())}\n</passage>"
        for r in refs
    )


def learner_message(text: str) -> str:
    """A learner's message in its own block."""
    return f"<learner_message>\n{escape(text.strip())}\n</learner_message>"


def turns_block(turns: Sequence[Turn]) -> str:
    """Earlier turns as ``<turn role=learner|coach>`` elements (coach citations dropped)."""
    if not turns:
        return NONE
    parts = []
    for turn in turns:
        role = "learner" if turn.role == "user" else "coach"
        content = turn.content if turn.role == "user" else strip_markers(turn.content)
        parts.append(f'<turn role="{role}">\n{escape(content.strip())}\n</turn>')
    return "\n".join(parts)


def strip_markers(text: str) -> str:
    """Drop ``[n]`` citation markers (an earlier turn's numbers mean nothing now)."""
    return _MARKERS.sub("", text)


def lines_block(items: Sequence[str]) -> str:
    """Short items (learner facts) one per line, escaped."""
    cleaned = [escape(" ".join(i.split())) for i in items if i.strip()]
    return "\n".join(f"- {i}" for i in cleaned) or NONE


def text_block(text: str | None) -> str:
    """Free text (a summary) escaped, or ``(none)``."""
    return escape(text.strip()) if text and text.strip() else NONE
