"""End to end on demo courses with the real MiniLM: search, then the offline answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.responders.base import ResponderInput
from coach.responders.offline import OfflineResponder
from retrieval.embedding import Embedder
from tests.conftest import DEMO_CATALOG
from tests.utils.stack import Stack, open_stack

pytestmark = pytest.mark.slow  # the real encoder: ingesting two courses takes a few seconds


@pytest.fixture(scope="module")
def demo(minilm: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = open_stack(Path(tmp_path_factory.mktemp("demo")), minilm)
    # Two courses are enough (one French, one English) and keep the encoder's work small.
    courses = DEMO_CATALOG / "courses"
    stack.ingestor.ingest([courses / "gdpr-basics", courses / "warehouse-safety"])
    yield stack
    stack.close()


def ask(demo: Stack, question: str, language: str) -> ResponderInput:
    hits = tuple(demo.retriever.search(question, k=5))
    return ResponderInput(question=question, query=question, language=language, hits=hits)


def test_a_french_gdpr_question_gets_french_sentences_from_the_gdpr_course(
    demo: Stack, minilm: Embedder
) -> None:
    inp = ask(demo, "Combien de temps garder les images de vidéosurveillance ?", "fr")
    ans = OfflineResponder(minilm).answer(inp)
    assert ans.covered
    assert ans.citations
    assert all(r.citation.course_id == "gdpr-basics" for r in ans.citations)
    passages = {h.chunk_id: h.text for h in inp.hits}
    for ref in ans.citations:
        assert ref.quote and ref.quote.split(". ")[0] in passages[ref.chunk_id]
        assert f"[{ref.n}]" in ans.text


def test_an_english_safety_question_is_answered_from_the_right_section(
    demo: Stack, minilm: Embedder
) -> None:
    inp = ask(demo, "How far away should I stay from a forklift that's working?", "en")
    ans = OfflineResponder(minilm).answer(inp)
    assert ans.covered
    assert "3 metres" in ans.text
    assert ans.citations[0].citation.section_title == "Rules for pedestrians"


def test_an_off_topic_question_is_not_covered(demo: Stack, minilm: Embedder) -> None:
    inp = ask(demo, "What's a good recipe for a vegetarian lasagne?", "en")
    ans = OfflineResponder(minilm).answer(inp)
    assert not ans.covered
    assert ans.citations == ()
    assert "don't cover" in ans.text
