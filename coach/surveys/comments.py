"""Free-text answers and their offline summary: key phrases per group, each linked to the
comments (ids) it came from.

A comment's id is ``"<answer id>:<question id>"``. Key phrases are TF-IDF word n-grams (1 to
3 words, English and French stop words removed) fitted over every comment of the period and
ranked per group by their summed weight in that group's comments; a phrase must occur in
two comments of the group when the group has two or more; a word is shown as the longest
phrase found in exactly the same comments ('role' → 'role plays'), and a phrase inside one
already chosen (or containing it) is skipped. Nothing leaves the machine.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sqlalchemy.orm import Session

from coach import storage
from coach.surveys.catalog import catalog_view
from coach.surveys.rates import teams_of

FRENCH_STOP_WORDS = frozenset(
    """a à afin ai aie aient aies ait alors as au aucun aucune aura aurai auraient aurais
    aurait aussi autre autres aux avaient avais avait avant avec avez aviez avoir avons ayant
    beaucoup bien c ça car ce ceci cela celle celles celui ces cet cette ceux chaque chez
    comme comment d dans de des donc dont du elle elles en encore est et étaient étais était
    été êtes être eu eux fait faire fois font hors il ils j je jusqu l la le les leur leurs
    lui m ma mais me même mes moi moins mon n ne ni nos notre nous on ont ou où par parce pas
    peu peut plus pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa sans se
    sera serait ses si son sont sous sur t ta te tes toi ton tous tout toute toutes très tu
    un une vos votre vous y""".split()
)
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | FRENCH_STOP_WORDS)
_APOSTROPHE = re.compile(r"[’']")


@dataclass(frozen=True)
class Comment:
    """One free-text answer, with what it is about."""

    id: str
    text: str
    group: str
    kind: str
    audience: str
    language: str


class KeyPhrase(BaseModel):
    """A phrase and the comments it came from."""

    phrase: str
    score: float
    comment_ids: list[str]


def collect(
    session: Session,
    *,
    org_id: str,
    group_by: str,
    since: date,
    until: date,
    kind: str | None = None,
) -> list[Comment]:
    """Every non-empty free-text answer about steps taken in ``[since, until]``."""
    view = catalog_view(session, org_id=org_id)
    teams = teams_of(session, org_id) if group_by == "team" else {}
    key: Callable[[str, str], str] = {
        "course": lambda _, item: view.title(item),
        "modality": lambda _, item: view.modality(item),
        "team": lambda who, _: teams.get(who, "—"),
    }[group_by]
    out = []
    rows = storage.answered_surveys(session, org_id=org_id, kind=kind, since=since, until=until)
    for inst, answer in rows:
        texts = [q["id"] for q in inst.template.get("questions", []) if q.get("type") == "text"]
        for qid in texts:
            text = answer.values.get(qid)
            if isinstance(text, str) and text.strip():
                out.append(
                    Comment(
                        f"{answer.id}:{qid}",
                        text,
                        key(inst.subject_id, inst.item_id),
                        inst.kind,
                        inst.audience,
                        answer.language,
                    )
                )
    return out


def _prepare(text: str) -> str:
    return _APOSTROPHE.sub(" ", text.lower())


def key_phrases(comments: Sequence[Comment], *, top: int = 8) -> dict[str, list[KeyPhrase]]:
    """Group → its key phrases, best first (empty when no phrase stands out)."""
    if not comments:
        return {}
    vectorizer = TfidfVectorizer(
        preprocessor=_prepare, stop_words=STOP_WORDS, ngram_range=(1, 3), sublinear_tf=True
    )
    try:
        matrix = vectorizer.fit_transform([c.text for c in comments]).tocsc()
    except ValueError:  # only stop words
        return {}
    terms = vectorizer.get_feature_names_out()
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(comments):
        rows_of[c.group].append(i)
    out = {}
    for group, rows in sorted(rows_of.items()):
        sub = matrix[rows]
        weight = sub.sum(axis=0).A1
        support = (sub > 0).sum(axis=0).A1
        need = 2 if len(rows) >= 2 else 1
        kept = {j: frozenset(sub[:, j].nonzero()[0]) for j in (support >= need).nonzero()[0]}
        chosen: list[KeyPhrase] = []
        for j in sorted(kept, key=lambda j: -weight[j]):
            if len(chosen) >= top:
                break
            # the longest phrase saying the same thing: 'role' in the same comments as
            # 'role plays' is shown as 'role plays'
            same = [k for k, rows_k in kept.items() if rows_k == kept[j]]
            best = max(
                (k for k in same if f" {terms[j]} " in f" {terms[k]} "),
                key=lambda k: (len(str(terms[k]).split()), weight[k]),
            )
            phrase = str(terms[best])
            if any(_overlaps(phrase, k.phrase) for k in chosen):
                continue
            ids = [comments[rows[r]].id for r in sorted(kept[best])]
            chosen.append(
                KeyPhrase(phrase=phrase, score=round(float(weight[best]), 4), comment_ids=ids)
            )
        out[group] = chosen
    return out


def _overlaps(a: str, b: str) -> bool:
    wa, wb = f" {a} ", f" {b} "
    return wa in wb or wb in wa
