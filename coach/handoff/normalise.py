"""One spelling per word before any rule or feature reads a learner's message.

Learners write "debordé", "DÉBORDÉ" or "deborde", "qqn" for "quelqu'un", "pls" for
"please", and curly or straight apostrophes: :func:`normalise` folds these to one form so
that a lexicon entry covers them all.
"""

from __future__ import annotations

import re
import unicodedata

_ABBREVIATIONS = [
    (re.compile(p), r)
    for p, r in (
        (r"\bqq(?:n|1|'?un)\b", "quelqu'un"),
        (r"\bpl(?:s|z|ease)\b", "please"),
        (r"\bu\b", "you"),
        (r"\bur\b", "your"),
        (r"\bw/", "with "),
        (r"\bj ?(?:suis|sui)\b|\bchui\b", "je suis"),
        (r"\bjveux\b", "je veux"),
        (r"\bjai\b", "j'ai"),
        (r"\bjsp\b", "je sais pas"),
        (r"\bpk\b|\bpq\b", "pourquoi"),
        (r"\bbcp\b", "beaucoup"),
        (r"\brdv\b", "rendez-vous"),
        (r"\bmsgs?\b", "messages"),
        (r"\bmgr\b", "manager"),
        (r"\btbh\b", "to be honest"),
        (r"\bim\b", "i'm"),
        (r"\bive\b", "i've"),
        # not "dont": a French word ("la façon dont")
        (r"\b(can|won|didn|doesn|isn|wasn|haven|couldn|wouldn)t\b", r"\1't"),
    )
]


def normalise(text: str) -> str:
    """Lower case, accents folded, straight apostrophes, chat abbreviations spelt out."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())
