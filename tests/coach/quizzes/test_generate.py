"""Offline generation: cited items from definitions, spread, deterministic, EN and FR."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from coach.quizzes import BLANK, OfflineConfig, OfflineGenerator
from coach.quizzes.generate import find_terms
from retrieval.embedding import Embedder, FakeEmbedder
from retrieval.types import SearchHit


def test_definitions_become_cited_items_of_every_kind(en_passages: list[SearchHit]) -> None:
    items = OfflineGenerator(FakeEmbedder()).generate(en_passages, 8, seed=1)
    assert len(items) == 8
    assert set(Counter(i.kind for i in items)) == {"mcq", "cloze", "true_false", "short_answer"}
    by_id = {p.chunk_id: p for p in en_passages}
    for item in items:
        passage = by_id[item.source.chunk_id]  # every item cites a passage of the scope
        assert item.source.citation == passage.citation
        assert item.generator == "offline" and item.skills == ("basics",)
        assert item.explanation and item.explanation in passage.text.replace("**", "")
        if item.kind == "cloze":
            assert BLANK in item.stem and item.answer.lower() not in item.stem.lower()
        if item.kind == "mcq":
            assert 3 <= len(item.options) <= 4 and item.correct_index is not None
    # Spread: no passage gives more than two items of eight.
    assert max(Counter(i.source.chunk_id for i in items).values()) <= 2


def test_same_seed_same_quiz_other_seed_other_quiz(en_passages: list[SearchHit]) -> None:
    gen = OfflineGenerator(FakeEmbedder())
    first = gen.generate(en_passages, 6, seed=3)
    assert [i.id for i in first] == [i.id for i in gen.generate(en_passages, 6, seed=3)]
    assert [i.id for i in first] != [i.id for i in gen.generate(en_passages, 6, seed=4)]


def test_french_bold_list_terms_and_definitions(fr_passages: list[SearchHit]) -> None:
    terms = {f.term for fs in find_terms(fr_passages) for f in fs if f.kind == "definition"}
    assert {"Droit d'accès", "Droit d'opposition", "donnée personnelle"} <= terms
    items = OfflineGenerator(FakeEmbedder()).generate(fr_passages, 6, seed=0)
    assert items and all(i.language == "fr" for i in items)
    stems = " ".join(i.stem for i in items)
    assert "Vrai ou faux" in stems or "Quel terme" in stems or "Avec vos mots" in stems
    mcqs = [i for i in items if i.kind == "mcq"]
    for item in mcqs:  # rights are offered against other rights of the same list
        assert sum(o.text.startswith("Droit") for o in item.options) >= 2


class TableEmbedder(Embedder):
    """Fixed vectors per text (unknown texts: orthogonal), to pin similarities down."""

    def __init__(self, table: dict[str, Sequence[float]]) -> None:
        self.table = table
        self.dim = 8
        self.name = "table"

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = self.table.get(t, np.eye(self.dim)[7])
        return out


def test_near_synonyms_are_never_distractors(en_passages: list[SearchHit]) -> None:
    # "function" and "library" are near-synonyms here (cosine ~0.99); "string" and
    # "variable" are plausible but different (~0.7); "program", "traceback" unrelated.
    table = {
        "function": [1, 0.1, 0, 0, 0, 0, 0, 0],
        "library": [1, 0.12, 0, 0, 0, 0, 0, 0],
        "string": [0.7, 0.7, 0, 0, 0, 0, 0, 0],
        "variable": [0.7, 0, 0.7, 0, 0, 0, 0, 0],
        "program": [0, 0, 0, 1, 0, 0, 0, 0],
        "traceback": [0, 0, 0, 0, 1, 0, 0, 0],
    }
    gen = OfflineGenerator(TableEmbedder(table), OfflineConfig(kinds=("mcq",)))
    items = gen.generate(en_passages, 6, seed=0)
    function_items = [i for i in items if i.answer == "function"]
    assert function_items, "the 'function' definition gives a multiple-choice item"
    texts = {o.text for o in function_items[0].options}
    assert "library" not in texts
    assert {"string", "variable"} <= texts


def test_fragments_with_pronouns_are_not_terms_but_acronyms_are() -> None:
    from coach.quizzes.terms import _plausible_term

    assert not _plausible_term("Protecting it", "en")
    assert not _plausible_term("Ask them", "en")
    assert not _plausible_term("Prévenez vous", "fr")
    assert _plausible_term("IT security", "en")
    assert _plausible_term("Multi-factor authentication", "en")
