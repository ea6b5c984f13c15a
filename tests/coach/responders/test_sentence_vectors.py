"""Sentence vectors stored at ingest: a turn reads them and encodes no sentence."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coach import storage
from coach.db import make_engine, migrate
from coach.responders.base import ResponderInput
from coach.responders.offline import OfflineConfig, OfflineResponder
from coach.responders.sentence_vectors import SentenceVectorStore
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import FakeEmbedder, ProgressFn
from retrieval.types import Chunk, SearchHit
from tests.conftest import DEMO_CATALOG, REPO
from tests.utils.hits import make_hit

CONFIG = OfflineConfig()


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, recording every text it embeds as a document."""

    def __init__(self) -> None:
        super().__init__(dim=64)
        self.documents: list[str] = []

    def embed_documents(
        self, texts: Sequence[str], *, progress: ProgressFn | None = None
    ) -> np.ndarray:
        self.documents.extend(texts)
        return super().embed_documents(texts, progress=progress)


class Recorder:
    """Ingest progress, as calls."""

    def __init__(self) -> None:
        self.started: list[tuple[int, str]] = []
        self.advanced = 0

    def start(self, total: int, description: str) -> None:
        self.started.append((total, description))

    def advance(self, n: int) -> None:
        self.advanced += n

    def note(self, message: str) -> None:
        pass


def store_for(engine: Engine, embedder: FakeEmbedder) -> SentenceVectorStore:
    return SentenceVectorStore(
        engine, embedder, min_words=CONFIG.min_words, max_words=CONFIG.max_sentence_words
    )


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = make_engine(f"sqlite:///{tmp_path / 'coach.db'}")
    migrate(made)
    yield made
    made.dispose()


def rows(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(storage.SentenceVector)) or 0)


def chunk(chunk_id: str, text: str) -> Chunk:
    hit = make_hit(text, chunk_id=chunk_id)
    return Chunk(chunk_id, text, hit.citation, "en")


SHARED = "Every visitor signs the register at the front desk before entering."
PASSAGE = f"## Visitors\n\n{SHARED} Badges are returned at the end of the visit. Short one."


def test_ingest_stores_each_distinct_quotable_sentence_once(engine: Engine) -> None:
    embedder = CountingEmbedder()
    store = store_for(engine, embedder)
    progress = Recorder()
    chunks = [chunk("a:0", PASSAGE), chunk("a:1", f"{SHARED} Doors close at six in the evening.")]
    assert store.after_ingest(chunks, progress) == 3
    assert sorted(embedder.documents) == sorted(
        [
            SHARED,
            "Badges are returned at the end of the visit.",
            "Doors close at six in the evening.",
        ]
    ), "headings and too-short sentences are not quotable; the shared sentence is encoded once"
    assert progress.started == [(3, "Sentence vectors")] and progress.advanced == 3
    assert rows(engine) == 3
    embedder.documents.clear()
    assert store.after_ingest([chunk("b:0", PASSAGE)], Recorder()) == 0
    assert embedder.documents == [], "stored sentences are not encoded again"


def test_a_turn_after_ingest_encodes_no_sentence_and_answers_as_encoding_would(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "var", embedding_model="fake", _env_file=None)  # type: ignore[call-arg]
    embedder = CountingEmbedder()
    services = Services.build(settings, embedder=embedder)
    try:
        services.ingestor().ingest([DEMO_CATALOG])
        assert rows(services.engine) > 100
        retriever = services.retriever()
        stored = OfflineResponder(embedder, services.offline, services.sentence_vectors())
        encoding = OfflineResponder(FakeEmbedder(dim=64), services.offline)
        questions = [
            json.loads(line)
            for line in (REPO / "demo" / "questions.jsonl").read_text().splitlines()
        ]
        embedder.documents.clear()
        answered = 0
        for q in questions:
            hits = tuple(retriever.search(q["question"], k=5))
            inp = ResponderInput(q["question"], q["question"], q["language"], hits)
            ans = stored.answer(inp)
            assert ans.text == encoding.answer(inp).text, q["question"]
            answered += ans.covered
        assert answered >= len(questions) // 2
        assert embedder.documents == [], "no text was encoded at query time"
    finally:
        services.close()


def test_a_guarded_chat_turn_after_ingest_encodes_no_sentence(tmp_path: Path) -> None:
    """The runtime guard reads cited passages as its own sentences: stored at ingest too."""
    settings = Settings(data_dir=tmp_path / "var", embedding_model="fake", _env_file=None)  # type: ignore[call-arg]
    embedder = CountingEmbedder()
    services = Services.build(settings, embedder=embedder)
    try:
        services.ingestor().ingest([DEMO_CATALOG])
        engine = services.chat_engine(services.retriever())
        assert engine.review is not None
        with Session(services.engine) as session, session.begin():
            org = storage.create_organisation(session, slug="o", name="O")
            user = storage.create_user(session, org_id=org.id, external_id="u", role="learner")
            viewer = storage.Viewer.from_user(user)
        questions = [
            json.loads(line)
            for line in (REPO / "demo" / "questions.jsonl").read_text().splitlines()
        ]
        judged = 0
        answers = []
        embedder.documents.clear()
        for q in questions[:10]:
            result = engine.answer(engine.prepare(viewer, message=q["question"]))
            judged += "guard" in result.answer.meta
            answers.append(result.answer.text)
        # At most a sentence of an answer that the guard splits otherwise than the responder
        # quoted it (encoded as the answer streams, maybe finishing during the next turn);
        # never the cited passages.
        encoded = list(embedder.documents)
        assert all(any(text in a for a in answers) for text in encoded), encoded
        assert judged >= 5
    finally:
        services.close()


HITS: tuple[SearchHit, ...] = (
    make_hit(
        "Pedestrians must use the marked walkways at all times. "
        "Stay at least 3 metres from a working forklift, and never walk under raised forks. "
        "Make eye contact with the driver before you cross in front of a forklift.",
        section="Rules for pedestrians",
    ),
    make_hit(
        "Drivers must chock the wheels of every trailer before a forklift enters it.",
        section="Loading docks",
    ),
)
QUESTION = "How far should I stay from a working forklift?"


def test_sentences_ingested_before_the_store_are_encoded_once_then_read(engine: Engine) -> None:
    embedder = CountingEmbedder()
    inp = ResponderInput(QUESTION, QUESTION, "en", HITS)
    first = OfflineResponder(embedder, CONFIG, store_for(engine, embedder)).answer(inp)
    assert first.covered and embedder.documents, "nothing was stored: the turn encodes"
    assert rows(engine) == len(set(embedder.documents))
    embedder.documents.clear()
    restarted = OfflineResponder(embedder, CONFIG, store_for(engine, embedder))
    assert restarted.answer(inp).text == first.text
    assert embedder.documents == [], "the next server reads what the first turn stored"


def test_a_store_splitting_other_sentences_is_refused(engine: Engine) -> None:
    embedder = FakeEmbedder()
    store = SentenceVectorStore(engine, embedder, min_words=3, max_words=CONFIG.max_sentence_words)
    with pytest.raises(ValueError, match="quotable sentence lengths"):
        OfflineResponder(embedder, CONFIG, store)
