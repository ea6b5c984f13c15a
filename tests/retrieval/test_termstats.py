"""How rare the courses' terms are: counted from passages, and kept by the retriever."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.embedding import FakeEmbedder
from retrieval.termstats import TermStats
from tests.utils.stack import module_md, open_stack, write_course

STATS = TermStats.from_passages(
    [
        ("Forklifts\nStay 3 metres from a working forklift.", "en"),
        ("Racking\nReport any damaged racking to the supervisor.", "en"),
        ("Lifting\nReport a strain to the supervisor the same day.", "en"),
        ("Incidents\nLes incidents de sécurité sont signalés au RSSI.", "fr"),
    ]
)


@pytest.mark.parametrize(
    ("rarer", "commoner", "language"),
    [
        ("forklift", "report", "en"),  # in one passage of three vs in two
        ("ladder", "forklift", "en"),  # in none vs in one: unknown words weigh the most
        ("report", "supervisor", "fr"),  # per language: no French passage holds either
    ],
)
def test_a_rarer_term_weighs_more(rarer: str, commoner: str, language: str) -> None:
    assert STATS.idf(rarer, language) >= STATS.idf(commoner, language)
    if language == "en":
        assert STATS.idf(rarer, language) > STATS.idf(commoner, language)


def test_terms_are_counted_once_per_passage_as_analysed() -> None:
    assert STATS.docs == {"en": 3, "fr": 1}
    assert STATS.df["en"]["report"] == 2  # stems: "Report" and "report"
    assert STATS.df["en"]["forklift"] == 1  # title and text of one passage count once
    assert STATS.df["fr"]["incident"] == 1  # French stems ("incidents")
    assert "the" not in STATS.df["en"]  # stop words are not terms


def test_no_passages_means_no_statistics() -> None:
    assert not TermStats()
    assert TermStats().idf("anything", "en") > 0  # still defined: every word weighs alike


def test_the_retriever_counts_live_passages_and_recounts_after_a_change(
    tmp_path: Path, embedder: FakeEmbedder
) -> None:
    root = tmp_path / "content"
    sections = {"Forklifts": "Stay 3 metres from a working forklift.", "Racking": "Report damage."}
    write_course(root, "safety", {"01-a.md": module_md("safety", "One", sections)})
    stack = open_stack(tmp_path / "data", embedder)
    try:
        stack.ingestor.ingest([root])
        first = stack.retriever.term_stats()
        assert first.docs == {"en": 2} and first.df["en"]["forklift"] == 1
        assert stack.retriever.term_stats() is first  # unchanged index: no recount
        write_course(
            root,
            "privacy",
            {"01-p.md": module_md("privacy", "GDPR", {"Breaches": "Report breaches at once."})},
        )
        stack.ingestor.ingest([root])
        second = stack.retriever.term_stats()
        assert second.docs == {"en": 3} and second.df["en"]["report"] == 2
    finally:
        stack.close()
