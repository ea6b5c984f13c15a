import pytest

from retrieval.chunking import ChunkingConfig, chunk_document, dense_windows, split_sentences
from retrieval.types import Document, Section


def _doc(sections: list[Section]) -> Document:
    return Document(
        source_path="courses/gdpr/01-basics.md",
        course_id="gdpr",
        course_title="GDPR basics",
        module_id="gdpr-01",
        module_title="Basics",
        sections=sections,
        skills=["privacy.basics"],
    )


def _sentences(n: int, words: int = 10) -> str:
    return " ".join(f"Sentence {i} " + "word " * (words - 3) + "end." for i in range(n))


def test_chunks_stay_inside_sections_and_carry_citations() -> None:
    doc = _doc(
        [
            Section("Lawful basis", _sentences(5), "lawful-basis"),
            Section("Retention", _sentences(3), "retention", ("Retention", "Schedules")),
        ]
    )
    chunks = chunk_document(doc, ChunkingConfig(words=250), "en")
    assert [c.citation.section_title for c in chunks] == ["Lawful basis", "Retention"]
    assert chunks[1].citation.anchor == "retention"
    assert chunks[1].context == "GDPR basics › Basics › Retention › Schedules"
    assert chunks[0].chunk_id == "courses/gdpr/01-basics.md#lawful-basis:0"
    assert chunks[0].skills == ("privacy.basics",)


def test_long_sections_split_on_sentences_with_overlap() -> None:
    text = _sentences(60)  # 600 words
    chunks = chunk_document(
        _doc([Section("Long", text, "long")]), ChunkingConfig(words=100, overlap=20), "en"
    )
    assert len(chunks) >= 6
    for c in chunks:
        assert len(c.text.split()) <= 100
        assert c.text.endswith("end.")  # whole sentences
    # consecutive chunks share their boundary sentences
    assert chunks[0].text.split("end.")[-2] in chunks[1].text
    covered = " ".join(c.text for c in chunks)
    assert all(f"Sentence {i} " in covered for i in range(60))


def test_oversized_sentence_is_hard_split() -> None:
    blob = "token " * 700
    chunks = chunk_document(
        _doc([Section("Table", blob, "table")]), ChunkingConfig(words=250, overlap=0), "en"
    )
    assert len(chunks) == 3 and all(len(c.text.split()) <= 250 for c in chunks)


def test_dense_windows_prefix_breadcrumb_and_cover_the_chunk() -> None:
    text = " ".join(f"w{i}" for i in range(100))
    (chunk,) = chunk_document(
        _doc([Section("S", text + ".", "s")]), ChunkingConfig(words=250), "en"
    )
    windows = dense_windows(chunk, ChunkingConfig(window_words=40, window_stride=20))
    assert all(w.startswith("GDPR basics › Basics › S: ") for w in windows)
    assert "w0" in windows[0] and "w99." in windows[-1]
    assert len(windows) == 4  # starts 0, 20, 40, 60: the last ends on the last word
    whole = dense_windows(chunk, ChunkingConfig(window_words=0))
    assert len(whole) == 1


def test_sentence_split_keeps_code_and_abbreviations_reasonable() -> None:
    assert split_sentences("First one. Second one!\n\nThird") == [
        "First one.",
        "Second one!",
        "Third",
    ]


@pytest.mark.parametrize(
    "kwargs",
    [{"words": 5}, {"words": 100, "overlap": 60}, {"window_words": 10, "window_stride": 20}],
)
def test_bad_configs_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        ChunkingConfig(**kwargs)
