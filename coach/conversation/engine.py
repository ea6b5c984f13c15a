"""One chat turn, from the learner's message to a stored, cited answer.

``prepare`` does everything that can fail with a 4xx before any byte is streamed: it
checks the message and the conversation, stores the learner's message (so nothing they
typed is lost, whatever happens next), rewrites a follow-up into a standalone query,
retrieves from the courses the learner can see and remembers what they said about
themselves. ``stream`` then runs the responder, yields its text, and stores the answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage, xapi
from coach.conversation.facts import extract_facts
from coach.conversation.review import AnswerReview
from coach.handoff.hook import HandoffHook
from coach.insights.record import gap_of
from coach.responders.base import Answer, CitationRef, Responder, ResponderInput, Turn
from coach.responders.rewrite import QueryRewriter
from coach.responders.summarise import Summariser
from coach.schemas import CitationPublic
from retrieval.language import detect
from retrieval.search import Retriever
from retrieval.types import SearchFilter

Guard = Callable[[Answer], "Answer | None"]
"""Looks at a finished answer and returns a replacement, or None to keep it."""


class ChatInputError(ValueError):
    """A message that cannot be answered as sent (empty, too long)."""


@dataclass(frozen=True, slots=True)
class ChatConfig:
    """Conversation limits.

    Attributes:
        max_message_chars: longest learner message accepted.
        k: passages retrieved per turn.
        recent_messages: messages kept verbatim as context; older ones are summarised.
        facts_shown: most recent goals and facts handed to the responder.
        title_chars: a new conversation is titled with its first question, cut here.
    """

    max_message_chars: int = 4000
    k: int = 5
    recent_messages: int = 6
    facts_shown: int = 10
    title_chars: int = 80


@dataclass(slots=True)
class PreparedTurn:
    """A turn ready to answer: the learner's message is stored, passages retrieved."""

    conversation_id: str
    user_message_id: str
    org_id: str
    user_id: str
    inp: ResponderInput
    started: float
    meta: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TurnResult:
    """The stored answer of one turn."""

    conversation_id: str
    message_id: str
    answer: Answer
    latency_ms: float


class ChatEngine:
    """Runs chat turns: storage, follow-up rewriting, retrieval, answering.

    Args:
        db: the database engine (the engine opens its own short transactions, so a
            streamed answer is stored even after the request's session is gone).
        retriever: hybrid search over the course content.
        responder: writes the answer (offline or LLM with offline fallback).
        rewriter: turns follow-ups into standalone queries.
        summariser: condenses older turns (None keeps only the recent ones).
        config: limits.
        languages: languages a message may be detected in.
        review: the runtime guard's review of each answer (None: answers are shown as
            they stream). With it, an answer is held until it passes, then sent.
        handoff: reads each message for a person to suggest (None: the offline detector).
    """

    def __init__(
        self,
        *,
        db: Engine,
        retriever: Retriever,
        responder: Responder,
        rewriter: QueryRewriter,
        summariser: Summariser | None = None,
        config: ChatConfig | None = None,
        languages: tuple[str, ...] = ("en", "fr"),
        review: AnswerReview | None = None,
        handoff: HandoffHook | None = None,
        base_url: str | None = None,
    ) -> None:
        self.base_url = base_url  # xAPI activity ids live under it (None: no statements)
        self.review = review
        self.handoff = handoff or HandoffHook()
        self.db = db
        self.retriever = retriever
        self.responder = responder
        self.rewriter = rewriter
        self.summariser = summariser
        self.config = config or ChatConfig()
        self.languages = languages

    def check_message(self, message: str) -> str:
        """The message stripped, or a clear reason it cannot be sent."""
        text = message.strip()
        if not text:
            raise ChatInputError("message is empty")
        if len(text) > self.config.max_message_chars:
            raise ChatInputError(
                f"message is {len(text)} characters; the limit is {self.config.max_message_chars}"
            )
        return text

    def prepare(
        self,
        viewer: storage.Viewer,
        *,
        message: str,
        conversation_id: str | None = None,
        course_id: str | None = None,
    ) -> PreparedTurn:
        """Validate, store the learner's message, rewrite and retrieve (raises 4xx errors)."""
        started = time.perf_counter()
        text = self.check_message(message)
        if conversation_id is None or not self.rewriter.is_follow_up(text):
            # The search will embed the message as it is: start now, under the writes below.
            self.retriever.prefetch(text)
        language = detect(text, languages=self.languages, min_confidence=0.8) or (
            viewer.locale if viewer.locale in self.languages else self.languages[0]
        )
        found = self.handoff.detect(text, language=language)  # before the transaction
        with Session(self.db) as session, session.begin():
            org = storage.get_organisation(session, org_id=viewer.org_id)
            visible = storage.visible_course_ids(org)
            if course_id is not None and visible is not None and course_id not in visible:
                raise storage.NotFound("course not found")
            if conversation_id is None:
                conversation = storage.create_conversation(
                    session,
                    viewer=viewer,
                    title=_title(text, self.config.title_chars),
                    course_id=course_id,
                )
                if self.base_url:  # xAPI "initialized" (coach.xapi)
                    storage.log_event(
                        session,
                        org_id=viewer.org_id,
                        user_id=viewer.id,
                        type="chat.started",
                        payload={
                            "conversation_id": conversation.id,
                            "course_id": course_id,
                            "xapi": xapi.conversation_started(
                                statement_id=conversation.id,
                                base_url=self.base_url,
                                learner=xapi.person(
                                    session, base_url=self.base_url, user_id=viewer.id
                                ),
                                conversation_id=conversation.id,
                                course_id=course_id,
                                language=language,
                                timestamp=conversation.created_at,
                            ),
                        },
                    )
            else:
                conversation = storage.get_conversation(
                    session, conversation_id=conversation_id, viewer=viewer, write=True
                )
                course_id = course_id or conversation.course_id
            history = [
                Turn(m.role, m.content)  # type: ignore[arg-type]
                for m in storage.recent_messages(
                    session, conversation_id=conversation.id, limit=self.config.recent_messages
                )
            ]
            user_message = storage.add_message(
                session,
                conversation_id=conversation.id,
                role="user",
                content=text,
                language=language,
            )
            for fact in extract_facts(text):
                storage.add_memory(
                    session,
                    user_id=viewer.id,
                    kind=fact.kind,
                    text=fact.text,
                    source_message_id=user_message.id,
                )
            offer = self.handoff.offer(
                session,
                viewer=viewer,
                found=found,
                language=language,
                conversation_id=conversation.id,
                message_id=user_message.id,
                course_id=course_id,
            )
            facts = tuple(
                m.text
                for m in storage.list_memory(session, user_id=viewer.id)[-self.config.facts_shown :]
            )
            summary = conversation.summary
            ids = (conversation.id, user_message.id)

        query = self.rewriter.rewrite(text, history)
        courses: tuple[str, ...] = (course_id,) if course_id else tuple(visible or ())
        if visible is not None and not courses:
            hits: list = []  # the organisation sees no course at all
        else:
            hits = self.retriever.search(
                query, k=self.config.k, flt=SearchFilter(course_ids=courses)
            )
        inp = ResponderInput(
            question=text,
            query=query,
            language=language,
            hits=tuple(hits),
            history=tuple(history),
            summary=summary,
            learner_facts=facts,
            term_stats=self.retriever.term_stats() if hits else None,
        )
        return PreparedTurn(
            conversation_id=ids[0],
            user_message_id=ids[1],
            org_id=viewer.org_id,
            user_id=viewer.id,
            inp=inp,
            started=started,
            meta={"retrieval_ms": (time.perf_counter() - started) * 1000, "handoff": offer},
        )

    def stream(self, turn: PreparedTurn) -> Iterator[str | TurnResult]:
        """Yield the answer's text deltas, then the stored :class:`TurnResult`."""
        final: Answer | None = None
        for event in self._respond(turn):
            if isinstance(event, Answer):
                final = event
            else:
                yield event
        if final is None:
            raise RuntimeError(f"{self.responder.name} ended without an answer")
        yield self._store(turn, final)

    def answer(self, turn: PreparedTurn, guard: Guard | None = None) -> TurnResult:
        """Run the turn to the end (the JSON route); ``guard`` may replace the answer before
        it is stored or shown (a quiz in progress: no answer that gives the item away)."""
        final: Answer | None = None
        for event in self._respond(turn):
            if isinstance(event, Answer):
                final = event
        if final is None:
            raise RuntimeError(f"{self.responder.name} ended without an answer")
        if guard is not None and (replaced := guard(final)) is not None:
            final = replaced
        return self._store(turn, final)

    def _respond(self, turn: PreparedTurn) -> Iterator[str | Answer]:
        """The responder's events; under review, held until the answer passes the guard."""
        handoff = self.handoff.reply(
            turn.meta.get("handoff"), question=turn.inp.question, language=turn.inp.language
        )
        if handoff is not None:  # a person should take over: no answer on the matter itself
            yield handoff.text
            yield handoff
            return
        if self.review is None:
            yield from self.responder.respond(turn.inp)
            return
        deltas: list[str] = []
        final: Answer | None = None
        for event in self.responder.respond(turn.inp):
            if isinstance(event, Answer):
                final = event
            else:
                deltas.append(event)
                if _ends_sentence(event):
                    # the guard starts on the finished sentences while the rest streams
                    self.review.guard.warm("".join(deltas))
        if final is None:
            raise RuntimeError(f"{self.responder.name} ended without an answer")
        reviewed = self.review(turn.inp, final)
        if reviewed.text == final.text:
            yield from deltas  # as the responder wrote it (the widget renders it the same)
        else:
            yield reviewed.text
        yield reviewed

    def _store(self, turn: PreparedTurn, answer: Answer) -> TurnResult:
        latency_ms = (time.perf_counter() - turn.started) * 1000
        with Session(self.db) as session, session.begin():
            message = storage.add_message(
                session,
                conversation_id=turn.conversation_id,
                role="assistant",
                content=answer.text,
                language=answer.language,
                citations=[citation_dict(c) for c in answer.citations],
                responder=answer.responder,
                rewritten_query=turn.inp.query if turn.inp.query != turn.inp.question else None,
                covered=answer.covered,
                meta={**turn.meta, **answer.meta, "suggestion": _suggestion(answer)},
                latency_ms=latency_ms,
            )
            storage.log_event(
                session,
                org_id=turn.org_id,
                user_id=turn.user_id,
                type="chat.answered",
                payload={
                    "conversation_id": turn.conversation_id,
                    "message_id": message.id,
                    "question_message_id": turn.user_message_id,
                    "covered": answer.covered,
                    "responder": answer.responder,
                    "language": answer.language,
                    "latency_ms": round(latency_ms, 1),
                    "chunks": [c.chunk_id for c in answer.citations],
                    "suggested_module": (
                        answer.suggestion.module_id if answer.suggestion else None
                    ),
                    "retrieved": [h.chunk_id for h in turn.inp.hits],
                }
                | self._asked(session, turn, answer, message.created_at, latency_ms),
            )
            if (gap := gap_of(answer, turn.inp.hits)) is not None:  # content gap insights
                storage.record_gap(
                    session,
                    org_id=turn.org_id,
                    user_id=turn.user_id,
                    message_id=message.id,
                    conversation_id=turn.conversation_id,
                    question=turn.inp.question,
                    **gap,
                )
            guard = answer.meta.get("guard")
            for record in guard["verdicts"] if isinstance(guard, dict) else ():
                storage.log_event(
                    session,
                    org_id=turn.org_id,
                    user_id=turn.user_id,
                    type="guard.verdict",
                    payload={**record, "outcome": guard["outcome"], "message_id": message.id},
                )
            message_id = message.id
        return TurnResult(turn.conversation_id, message_id, answer, latency_ms)

    def _asked(
        self,
        session: Session,
        turn: PreparedTurn,
        answer: Answer,
        at: datetime,
        latency_ms: float,
    ) -> dict[str, Any]:
        """The turn's xAPI ``asked`` statement, as the event's ``xapi`` field."""
        if not self.base_url:
            return {}
        conversation = session.get(storage.Conversation, turn.conversation_id)
        statement = xapi.question_asked(
            statement_id=turn.user_message_id,
            base_url=self.base_url,
            learner=xapi.person(session, base_url=self.base_url, user_id=turn.user_id),
            conversation_id=turn.conversation_id,
            message_id=turn.user_message_id,
            course_id=conversation.course_id if conversation else None,
            language=answer.language,
            covered=bool(answer.covered),
            responder=answer.responder,
            chunks=[c.chunk_id for c in answer.citations],
            latency_ms=latency_ms,
            timestamp=at,
        )
        return {"xapi": statement}

    def summarise(self, conversation_id: str) -> None:
        """Fold turns older than the recent window into the conversation's summary."""
        if self.summariser is None:
            return
        with Session(self.db) as session:
            older = storage.older_messages(
                session, conversation_id=conversation_id, keep=self.config.recent_messages
            )
            if not older:
                return
            summary = self.summariser.summarise(
                [Turn(m.role, m.content) for m in older]  # type: ignore[arg-type]
            )
        if summary:
            with Session(self.db) as session, session.begin():
                storage.set_summary(session, conversation_id=conversation_id, summary=summary)


def _ends_sentence(delta: str) -> bool:
    """Whether a streamed delta ends a sentence (a cheap trigger; the guard splits properly)."""
    return any(mark in delta for mark in (". ", "? ", "! ", ".\n"))


def citation_dict(ref: CitationRef) -> dict[str, object]:
    """A citation as stored with the message and sent to the widget."""
    return {
        "n": ref.n,
        "chunk_id": ref.chunk_id,
        **CitationPublic.from_citation(ref.citation).model_dump(),
        "quote": ref.quote,
    }


def _suggestion(answer: Answer) -> dict[str, str] | None:
    s = answer.suggestion
    return CitationPublic.from_citation(s).model_dump() if s is not None else None


def _title(text: str, limit: int) -> str:
    first = " ".join(text.split())
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"
