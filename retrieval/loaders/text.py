"""Plain-text modules: setext-underlined headings, paragraphs separated by blank lines.

A line underlined with ``===`` opens a section and one underlined with ``---`` a
sub-section; ``#`` lines are ordinary text (shell prompts, comments, hashtags).
"""

from __future__ import annotations

from retrieval.loaders.common import Parsed
from retrieval.loaders.markdown import blocks

# Plain text has no title heading: '===' is a section, '---' a sub-section.
_SETEXT_LEVELS = (2, 3)


def parse_text(text: str) -> Parsed:
    """Headings and paragraphs of a plain-text file (no metadata of its own)."""
    found = list(blocks(text, atx=False, setext_levels=_SETEXT_LEVELS))
    return Parsed(meta={}, blocks=found)
