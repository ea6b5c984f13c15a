"""Builds the expensive parts once (engine, encoder, index) from Settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import Engine

from coach.admin.assistant import AdminAssistant
from coach.admin.docs import DOC_COURSES, Docs
from coach.conversation.engine import ChatEngine
from coach.conversation.review import AnswerReview
from coach.db import make_engine, migrate
from coach.guard import OutputGuard, make_guard
from coach.learning.quizzes import QuizService
from coach.observability.instrument import MeteredGuard, MeteredRetriever
from coach.observability.metrics import Metrics
from coach.paths import PathService, World
from coach.responders.base import Responder
from coach.responders.offline import OfflineConfig, OfflineResponder
from coach.responders.sentence_vectors import SentenceVectorStore
from coach.settings import Settings
from retrieval.embedding import Embedder, make_embedder
from retrieval.index import EdgeIndex, IndexReadOnlyError, QdrantClientIndex, VectorIndex
from retrieval.ingest import Ingestor
from retrieval.lexical import BM25Encoder
from retrieval.manifest import Manifest
from retrieval.search import Retriever, SearchConfig


class IndexUnavailableError(RuntimeError):
    """The embedded index cannot be opened by this process (the message says why)."""


class IndexBusyError(IndexUnavailableError):
    """The embedded index is open in another process."""


def open_index(settings: Settings, dim: int) -> VectorIndex:
    """The server index when a URL is set, else the embedded Qdrant Edge shard."""
    if settings.qdrant_url:
        return QdrantClientIndex.connect(
            settings.qdrant_url,
            settings.qdrant_collection,
            dim,
            api_key=settings.qdrant_api_key,
            shard_number=settings.qdrant_shard_number,
            replication_factor=settings.qdrant_replication_factor,
            write_consistency_factor=settings.qdrant_write_consistency_factor,
        )
    try:
        return EdgeIndex(settings.index_path, dim)
    except IndexReadOnlyError as err:
        raise IndexUnavailableError(f"{err}; make it writable, or use a Qdrant server") from err
    except Exception as err:  # the engine reports a held WAL lock as a generic error
        if "WouldBlock" in str(err):
            raise IndexBusyError(
                f"the index at {settings.index_path} is open in another process "
                "(is `blendcoach serve` running?); stop it, or use a Qdrant server"
            ) from err
        raise


@dataclass
class Services:
    """The long-lived parts of the app, built once and shared."""

    settings: Settings
    engine: Engine
    embedder: Embedder
    index: VectorIndex
    manifest: Manifest
    bm25: BM25Encoder
    offline: OfflineConfig = field(default_factory=OfflineConfig)
    metrics: Metrics = field(default_factory=Metrics)
    """Where retrieval timings and guard verdicts are counted (the app's ``/metrics``)."""

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        metrics: Metrics | None = None,
    ) -> Services:
        engine = make_engine(settings.db_url)
        migrate(engine)
        embedder = embedder or make_embedder(
            settings.embedding_model, batch_size=settings.embedding_batch_size
        )
        index = open_index(settings, embedder.dim)
        return cls(
            settings,
            engine,
            embedder,
            index,
            Manifest(engine),
            BM25Encoder(),
            metrics=metrics or Metrics(),
        )

    def retriever(self) -> Retriever:
        s = self.settings.search
        return MeteredRetriever(
            metrics=self.metrics,
            index=self.index,
            embedder=self.embedder,
            bm25=self.bm25,
            hidden_generations=self.manifest.hidden_generations,
            config=SearchConfig(
                candidates=s.candidates,
                dense_weight=s.dense_weight,
                module_weight=s.module_weight,
                per_section=s.per_section,
                hnsw_ef=s.hnsw_ef,
            ),
            languages=self.settings.languages,
            hidden_courses=DOC_COURSES,  # the admin guide is for the admin assistant alone
        )

    def admin_assistant(self, retriever: Retriever, world: World | None = None) -> AdminAssistant:
        """The admin assistant: the admin guide through the offline responder (cited), the
        live data through read-only tools, on the planning date when one is set; with an
        LLM endpoint, the model picks the tool call first (checked, offline fallback)."""
        offline = OfflineResponder(self.embedder, self.offline, self.sentence_vectors())
        fixed = self.settings.planning_date
        planner = None
        if self.settings.llm.base_url is not None:
            from coach.admin.llm import LLMPlanner  # langchain loads in ~1 s: only when used

            planner = LLMPlanner(self.settings.llm)
        return AdminAssistant(
            world=world or World(),
            docs=Docs(retriever=retriever, responder=offline),
            clock=(lambda: fixed) if fixed else date.today,
            planner=planner,
        )

    @cached_property
    def guard(self) -> OutputGuard | None:
        """The runtime guard (one per process: it caches sentence vectors), None when off;
        its verdicts are counted in ``metrics``."""
        guard = make_guard(self.settings.guard, self.embedder, self.sentence_vectors())
        return MeteredGuard(guard, self.metrics) if guard is not None else None

    def sentence_vectors(
        self, also: Callable[[str], Sequence[str]] | None = None
    ) -> SentenceVectorStore:
        """Sentence vectors written at ingest and read per turn; ``also``: another reader's
        split of a passage whose sentences are stored at ingest too."""
        return SentenceVectorStore(
            self.engine,
            self.embedder,
            min_words=self.offline.min_words,
            max_words=self.offline.max_sentence_words,
            also=also,
        )

    def chat_engine(self, retriever: Retriever) -> ChatEngine:
        """The conversation engine: offline responder, or the LLM with offline fallback."""
        from coach.llm import make_chat_model
        from coach.responders.llm import LLMResponder
        from coach.responders.llm_rewrite import LLMRewriter
        from coach.responders.rewrite import OfflineRewriter, QueryRewriter
        from coach.responders.summarise import LLMSummariser, Summariser, TruncatingSummariser

        offline = OfflineResponder(self.embedder, self.offline, self.sentence_vectors())
        model = make_chat_model(self.settings.llm)
        responder: Responder = (
            LLMResponder(model, offline, embedder=self.embedder) if model else offline
        )
        rewriter: QueryRewriter = LLMRewriter(model) if model else OfflineRewriter()
        summariser: Summariser = LLMSummariser(model) if model else TruncatingSummariser()
        guard = self.guard
        return ChatEngine(
            db=self.engine,
            retriever=retriever,
            responder=responder,
            rewriter=rewriter,
            summariser=summariser,
            languages=tuple(self.settings.languages),
            review=AnswerReview(guard, responder, offline) if guard is not None else None,
            base_url=self.settings.base_url,  # xAPI statements of conversations
        )

    def path_service(self) -> PathService:
        """Paths under review, planned on ``settings.planning_date`` when one is set."""
        return PathService.planning_on(
            self.settings.planning_date, guard=self.guard, base_url=self.settings.base_url
        )

    def quiz_service(self, retriever: Retriever) -> QuizService:
        """Quizzes: offline (or LLM, falling back offline) generation, validation, grading."""
        from coach.learning.mastery import MasteryTracker
        from coach.learning.quizzes import Grader
        from coach.learning.reviews import ReviewScheduler
        from coach.llm import make_chat_model
        from coach.quizzes.generate import OfflineGenerator, QuizGenerator
        from coach.quizzes.grade import LLMRubric
        from coach.quizzes.llm import LLMQuizGenerator
        from coach.quizzes.validate import Validator
        from recommender.mastery import KnowledgeTracer

        offline = OfflineGenerator(self.embedder)
        model = make_chat_model(self.settings.llm)
        generator: QuizGenerator = LLMQuizGenerator(model, offline) if model else offline
        rubric = LLMRubric(model) if model else None
        return QuizService(
            db=self.engine,
            retriever=retriever,
            generator=generator,
            validator=Validator(self.embedder),
            grader=Grader(self.embedder, retriever, rubric),
            mastery=MasteryTracker(KnowledgeTracer.prior()),
            reviews=ReviewScheduler(),
            base_url=self.settings.base_url,
            guard=self.guard,
        )

    def ingestor(self) -> Ingestor:
        """The ingestor; chunks it writes get their sentence vectors stored too (those the
        offline responder quotes and, with the guard on, those the guard reads)."""
        guard = self.guard
        store = self.sentence_vectors(guard.context_sentences if guard is not None else None)
        return Ingestor(
            index=self.index,
            embedder=self.embedder,
            manifest=self.manifest,
            chunking=self.settings.chunk.config(),
            bm25=self.bm25,
            languages=self.settings.languages,
            after_write=store.after_ingest,
        )

    def close(self) -> None:
        self.index.close()
        self.engine.dispose()
