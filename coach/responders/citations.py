"""Citation markers in a streamed reply, renumbered 1..k in order of first use.

A model cites the passages it was given as ``[n]``; the learner should see ``[1]`` first,
then ``[2]``, and only numbers that point somewhere. :class:`CitationTracker` rewrites the
markers while the text streams: it holds back only a tail that might still become a
marker (``" [1"``), drops markers for passages that do not exist, writes ``[1, 3]`` as
``[1][2]``, and leaves code alone (``a[0]`` inside backticks is indexing, not a citation).
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"(\s*)\[(\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})*\s*)\]")
# A tail that could still grow into a marker; its leading space goes with it if dropped.
_TAIL = re.compile(r"\s*(?:\[[\d,;\s]{0,24})?\Z")
_NUMBER = re.compile(r"\d+")
_REF = re.compile(r"\[(\d+)\]")


class CitationTracker:
    """Renumbers ``[n]`` markers of a streamed reply; ``used`` maps new numbers to old.

    Args:
        available: passages the model was given (valid markers are ``[1]`` to this).

    Attributes:
        used: original passage numbers in order of first use (new number = index + 1).
        text: everything emitted so far.
    """

    def __init__(self, available: int) -> None:
        self.available = available
        self.used: list[int] = []
        self.text = ""
        self._pending = ""
        self._ticks = 0

    def feed(self, delta: str) -> str:
        """Take a delta from the model; return the text ready to show (may be empty)."""
        text = self._pending + delta
        cut = _TAIL.search(text)
        hold = cut.start() if cut is not None else len(text)
        self._pending = text[hold:]
        return self._emit(text[:hold])

    def flush(self) -> str:
        """Release whatever is held back (the reply has ended)."""
        text, self._pending = self._pending, ""
        return self._emit(text)

    def _emit(self, text: str) -> str:
        out: list[str] = []
        pos = 0
        for m in _MARKER.finditer(text):
            before = text[pos : m.start()]
            self._ticks += before.count("`")
            out += [before, m.group(0) if self._ticks % 2 else self._renumber(m)]
            pos = m.end()
        rest = text[pos:]
        self._ticks += rest.count("`")
        out.append(rest)
        emitted = "".join(out)
        self.text += emitted
        return emitted

    def _renumber(self, m: re.Match[str]) -> str:
        new: list[int] = []
        for n in (int(x) for x in _NUMBER.findall(m.group(2))):
            if not 1 <= n <= self.available:
                continue
            if n not in self.used:
                self.used.append(n)
            k = self.used.index(n) + 1
            if k not in new:
                new.append(k)
        return m.group(1) + "".join(f"[{k}]" for k in new) if new else ""


def remap_markers(text: str, mapping: dict[int, int]) -> str:
    """Rewrite ``[n]`` as ``[mapping[n]]`` (markers without a mapping are dropped)."""
    return _REF.sub(lambda m: f"[{mapping[int(m[1])]}]" if int(m[1]) in mapping else "", text)


def has_sentence(text: str, min_words: int = 4) -> bool:
    """Whether ``text`` holds at least one finished sentence of a few words."""
    end = re.search(r"[.!?…](?:\s*\[\d+\])*(?=\s|$)", text)
    return end is not None and len(text[: end.end()].split()) >= min_words
