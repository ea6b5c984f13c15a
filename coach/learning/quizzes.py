"""Quizzes in the service: scope → passages → stored or freshly validated items → a quiz;
an answer → grade → attempt → mastery → next review → xAPI statement.

Items are generated once and stored (per organisation, by content fingerprint); a quiz
takes stored items first and generates only what is missing. Nothing reaches a learner
without passing the validator; what it rejects is logged (``quiz.item_rejected``) with the
reasons. Item order is adaptive: the skill the learner is least sure of comes first.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage, xapi
from coach.conversation.engine import Guard
from coach.guard import OutputGuard, verdict_record
from coach.learning.mastery import MasteryTracker, SkillView
from coach.learning.reviews import ReviewScheduler
from coach.quizzes.generate import QuizGenerator
from coach.quizzes.grade import Grade, LLMRubric, grade, hint, reveals
from coach.quizzes.items import QuizItem
from coach.quizzes.validate import Validator
from coach.responders.base import Answer
from coach.storage.models import utcnow
from recommender.gaps import MASTERED
from retrieval.embedding import Embedder
from retrieval.search import Retriever
from retrieval.types import SearchFilter, SearchHit


class QuizInputError(ValueError):
    """A request that cannot make a quiz or be graded as sent (HTTP 422)."""


class ItemRetired(storage.AccessError):
    """The item was retired after the quiz was made (HTTP 409)."""

    status_code = 409


@dataclass(frozen=True, slots=True)
class Grader:
    """Grades answers (short answers by meaning, or by the LLM rubric when configured) and
    gives hints."""

    embedder: Embedder
    retriever: Retriever
    rubric: LLMRubric | None = None

    def grade(self, item: QuizItem, response: int | str) -> Grade:
        passage = None
        if self.rubric is not None and item.kind == "short_answer":
            hit = self.retriever.get_chunk(item.source.chunk_id)
            passage = hit.text if hit is not None else None
        return grade(item, response, embedder=self.embedder, rubric=self.rubric, passage=passage)

    def hint(self, item: QuizItem, level: int) -> str:
        return hint(item, level)


@dataclass(frozen=True, slots=True)
class QuizScope:
    """What a quiz is about (all empty: adaptive, from the learner's own record)."""

    course_id: str | None = None
    module_id: str | None = None
    skill: str | None = None
    conversation_id: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "course_id": self.course_id,
            "module_id": self.module_id,
            "skill": self.skill,
            "conversation_id": self.conversation_id,
        }


@dataclass(frozen=True, slots=True)
class QuizConfig:
    """Limits of quiz building.

    Attributes:
        max_passages: passages a quiz is drawn from at most (spread over the scope).
        generate_factor: items generated per missing item (the validator drops some).
        conversation_messages: recent answers whose citations define a conversation's topic.
        goals: the learner's most recent goals an adaptive quiz follows.
        passages_per_goal: passages retrieved for each goal.
        due_first: items due for review an adaptive quiz starts with at most.
    """

    max_passages: int = 40
    goals: int = 3
    passages_per_goal: int = 4
    due_first: int = 2
    generate_factor: int = 2
    conversation_messages: int = 3


@dataclass(frozen=True, slots=True)
class ServedItem:
    """A stored item and its content, as a quiz serves it."""

    id: str
    item: QuizItem
    answered: bool = False
    correct: bool | None = None  # once answered: graded right or not


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    item_id: str
    item: QuizItem
    grade: Grade
    hints_used: int
    mastery: list[SkillView]
    next_review: datetime
    quiz_completed: bool


@dataclass
class QuizService:
    """Builds quizzes, grades answers and keeps mastery and reviews up to date."""

    db: Engine
    retriever: Retriever
    generator: QuizGenerator
    validator: Validator
    grader: Grader
    mastery: MasteryTracker
    reviews: ReviewScheduler
    base_url: str
    config: QuizConfig = field(default_factory=QuizConfig)
    guard: OutputGuard | None = None
    """The runtime guard: a quiz is checked whole before it is stored and shown."""

    # -- building a quiz -----------------------------------------------------------------------

    def create(
        self,
        viewer: storage.Viewer,
        scope: QuizScope,
        *,
        n: int,
        kinds: Sequence[str] | None = None,
    ) -> tuple[storage.Quiz, list[ServedItem]]:
        """A new quiz of up to ``n`` validated items for the viewer (a learner)."""
        with Session(self.db) as session, session.begin():
            org = storage.get_organisation(session, org_id=viewer.org_id)
            visible = storage.visible_course_ids(org)
            passages = self._passages(session, viewer, scope, visible)
            if not passages:
                raise QuizInputError("there is no course content to quiz on in this scope")
            due = self._due(session, viewer, kinds) if scope == QuizScope() else []
            fresh = self._items(session, viewer, passages, n=n, kinds=kinds)
            chosen = list({s.id: s for s in due + fresh}.values())[:n]
            chosen = self._guarded(session, viewer, chosen, passages)
            if not chosen:
                raise QuizInputError(
                    "no valid question could be built from this content; try another module"
                )
            quiz = storage.create_quiz(
                session,
                viewer=viewer,
                item_ids=[s.id for s in chosen],
                scope=scope.as_dict(),
                conversation_id=scope.conversation_id,
            )
            storage.log_event(
                session,
                org_id=viewer.org_id,
                user_id=viewer.id,
                type="quiz.created",
                payload={"quiz_id": quiz.id, "scope": scope.as_dict(), "items": len(chosen)},
            )
            session.expunge(quiz)
        return quiz, chosen

    def _guarded(
        self,
        session: Session,
        viewer: storage.Viewer,
        chosen: list[ServedItem],
        passages: list[SearchHit],
    ) -> list[ServedItem]:
        """``chosen`` without the items the guard withholds (its verdict is logged)."""
        if self.guard is None or not chosen:
            return chosen
        sources = {p.chunk_id: p.text for p in passages}
        for served in chosen:  # items due for review may come from elsewhere in the course
            chunk_id = served.item.source.chunk_id
            if chunk_id not in sources and (hit := self.retriever.get_chunk(chunk_id)):
                sources[chunk_id] = hit.text
        items = [s.item for s in chosen]
        verdict = self.guard.quiz(items, sources, validator=self.validator)
        drop = self.guard.withheld(verdict, items)
        kept = [s for i, s in enumerate(chosen) if i not in drop]
        outcome = "shown" if not drop else "trimmed" if kept else "withheld"
        record = verdict_record("quiz", verdict, first=True, items=len(items))
        payload = {**record, "outcome": outcome, "withheld": [chosen[i].id for i in sorted(drop)]}
        storage.log_event(
            session, org_id=viewer.org_id, user_id=viewer.id, type="guard.verdict", payload=payload
        )
        return kept

    def _passages(
        self,
        session: Session,
        viewer: storage.Viewer,
        scope: QuizScope,
        visible: list[str] | None,
    ) -> list[SearchHit]:
        courses = tuple(visible) if visible is not None else ()
        if visible is not None and not courses:
            return []
        if scope.course_id is not None and visible is not None and scope.course_id not in visible:
            raise storage.NotFound("course not found")
        flt = SearchFilter(course_ids=courses)
        if scope.conversation_id is not None:
            return self._conversation_passages(session, viewer, scope.conversation_id, flt)
        if scope.course_id is not None or scope.skill is not None:
            skill_flt = SearchFilter(
                course_ids=courses, skills=(scope.skill,) if scope.skill else ()
            )
            hits = self.retriever.chunks(
                course_id=scope.course_id, module_id=scope.module_id, flt=skill_flt
            )
            if not hits and scope.course_id is not None:
                raise storage.NotFound("course or module not found")
            return _spread(hits, self.config.max_passages)
        # Adaptive: what the learner's goals are about, and their weakest practised skills;
        # failing both, their latest conversation.
        hits = []
        goals = [
            m.text for m in storage.list_memory(session, user_id=viewer.id) if m.kind == "goal"
        ]
        for goal in goals[-self.config.goals :]:
            hits += self.retriever.search(goal, k=self.config.passages_per_goal, flt=flt)
        weakest = [r.skill for r in self.mastery.skills(session, user_id=viewer.id)][:3]
        for skill in weakest:
            hits += self.retriever.chunks(flt=SearchFilter(course_ids=courses, skills=(skill,)))
        if hits:
            unique = list({h.chunk_id: h for h in hits}.values())
            return _spread(unique, self.config.max_passages)
        latest = storage.list_conversations(session, viewer=viewer, limit=1)
        if latest:
            return self._conversation_passages(session, viewer, latest[0].id, flt)
        raise QuizInputError(
            "say what to quiz on (course_id, module_id, skill or conversation_id): "
            "there is no answered question or past conversation to start from"
        )

    def _due(
        self, session: Session, viewer: storage.Viewer, kinds: Sequence[str] | None
    ) -> list[ServedItem]:
        """Items due for review now (an adaptive quiz starts with them)."""
        due = storage.due_items(session, user_id=viewer.id, until=utcnow(), limit=10)
        out = [
            ServedItem(row.id, QuizItem.model_validate(row.payload))
            for _, row in due
            if not kinds or row.kind in kinds
        ]
        return out[: self.config.due_first]

    def _conversation_passages(
        self, session: Session, viewer: storage.Viewer, conversation_id: str, flt: SearchFilter
    ) -> list[SearchHit]:
        conversation = storage.get_conversation(
            session, conversation_id=conversation_id, viewer=viewer, write=True
        )
        messages = storage.recent_messages(session, conversation_id=conversation.id, limit=12)
        cited: list[str] = []
        answers = [m for m in messages if m.role == "assistant"]
        for message in answers[-self.config.conversation_messages :]:
            cited += [str(c["chunk_id"]) for c in message.citations if c.get("chunk_id")]
        hits = [self.retriever.get_chunk(cid, flt=flt) for cid in dict.fromkeys(cited)]
        return [h for h in hits if h is not None]

    def _items(
        self,
        session: Session,
        viewer: storage.Viewer,
        passages: list[SearchHit],
        *,
        n: int,
        kinds: Sequence[str] | None,
    ) -> list[ServedItem]:
        ids = [p.chunk_id for p in passages]
        answered = {a.item_id for a in storage.list_attempts(session, user_id=viewer.id)}
        stored = [
            s
            for s in storage.active_items(session, org_id=viewer.org_id, chunk_ids=ids)
            if kinds is None or s.kind in kinds
        ]
        fresh = [s for s in stored if s.id not in answered]
        served = [ServedItem(s.id, QuizItem.model_validate(s.payload)) for s in fresh]
        if len(served) < n:
            served += self._generate(session, viewer, passages, served, n - len(served), kinds)
        if len(served) < n:  # answered before: better than nothing, least recent first
            again = [s for s in stored if s.id in answered]
            served += [ServedItem(s.id, QuizItem.model_validate(s.payload)) for s in again]
        return self._order(session, viewer, served)[:n]

    def _generate(
        self,
        session: Session,
        viewer: storage.Viewer,
        passages: list[SearchHit],
        have: list[ServedItem],
        missing: int,
        kinds: Sequence[str] | None,
    ) -> list[ServedItem]:
        seed = zlib.crc32(f"{viewer.id}:{len(have)}:{utcnow().date()}".encode())
        made = self.generator.generate(passages, missing * self.config.generate_factor, seed=seed)
        if kinds is not None:
            made = [m for m in made if m.kind in kinds]
        sources = {p.chunk_id: p.text for p in passages}
        report = self.validator.validate(made, sources, accepted=[s.item for s in have])
        for rejected in report.rejected:
            storage.log_event(
                session,
                org_id=viewer.org_id,
                user_id=None,
                type="quiz.item_rejected",
                payload={
                    "reasons": list(rejected.reasons),
                    "details": {k: round(v, 4) for k, v in rejected.details.items()},
                    "chunk_id": rejected.item.source.chunk_id,
                    "kind": rejected.item.kind,
                    "stem": rejected.item.stem,
                    "generator": rejected.item.generator,
                },
            )
        out = []
        for item in report.accepted:
            row, created = storage.save_item(
                session,
                org_id=viewer.org_id,
                course_id=item.source.course_id,
                module_id=item.source.module_id or None,
                chunk_id=item.source.chunk_id,
                kind=item.kind,
                skills=item.skills,
                payload=item.model_dump(mode="json"),
                fingerprint=item.id,
                generator=item.generator,
            )
            if row.status == "active" and (created or row.id not in {h.id for h in have}):
                out.append(ServedItem(row.id, QuizItem.model_validate(row.payload)))
        return out[:missing]

    def _order(
        self, session: Session, viewer: storage.Viewer, served: list[ServedItem]
    ) -> list[ServedItem]:
        """Most informative first: items whose predicted success is nearest one half, then
        the least mastered skill (a question the learner surely gets right teaches little)."""
        skills = sorted({s for it in served for s in it.item.skills})
        p = self.mastery.predict(session, org_id=viewer.org_id, user_id=viewer.id, skills=skills)

        def key(it: ServedItem) -> tuple[float, float]:
            probs = [p[s] for s in it.item.skills if s in p] or [0.5]
            mean = sum(probs) / len(probs)
            return (abs(mean - 0.5), mean)

        return sorted(served, key=key)

    def check_edit(self, item: QuizItem) -> list[str]:
        """What the validator objects to in an admin's edit (empty: fine)."""
        hit = self.retriever.get_chunk(item.source.chunk_id)
        reasons, _ = self.validator.check(item, hit.text if hit is not None else None)
        return reasons

    # -- reading ----------------------------------------------------------------------------

    def get(self, viewer: storage.Viewer, quiz_id: str) -> tuple[storage.Quiz, list[ServedItem]]:
        """A quiz the viewer may read, its items and which ones are answered."""
        with Session(self.db) as session:
            quiz = storage.get_quiz(session, quiz_id=quiz_id, viewer=viewer)
            done = {a.item_id: a.correct for a in storage.list_attempts(session, quiz_id=quiz.id)}
            items = []
            for item_id in quiz.item_ids:
                row = storage.quiz_item(session, quiz=quiz, item_id=item_id)
                payload = QuizItem.model_validate(row.payload)
                items.append(ServedItem(row.id, payload, item_id in done, done.get(item_id)))
            session.expunge(quiz)
        return quiz, items

    # -- hints and answers --------------------------------------------------------------------

    def socratic_guard(self, viewer: storage.Viewer, quiz_id: str, item_id: str) -> Guard:
        """While an item is open, a chat answer that would give it away (it quotes the item's
        passage or states its answer) becomes the next hint instead.

        Raises:
            NotFound / Forbidden: not the viewer's quiz, or no such item in it.
            AlreadyExists: the item is answered (no quiz in progress on it).
        """
        with Session(self.db) as session:
            quiz = storage.get_quiz(session, quiz_id=quiz_id, viewer=viewer, write=True)
            row = storage.quiz_item(session, quiz=quiz, item_id=item_id)
            if storage.is_answered(session, quiz_id=quiz.id, item_id=item_id):
                raise storage.AlreadyExists("this item is answered: the quiz is not in progress")
            item = QuizItem.model_validate(row.payload)

        def guard(answer: Answer) -> Answer | None:
            cited = {c.chunk_id for c in answer.citations}
            gives_away = item.source.chunk_id in cited or (
                item.kind != "true_false" and reveals(answer.text, item)
            )
            if not answer.covered or not gives_away:
                return None
            level, text = self.hint(viewer, quiz_id, item_id)
            meta = {"socratic": True, "hint_level": level, "withheld": answer.responder}
            return Answer(text, (), True, "socratic", answer.language, meta=meta)

        return guard

    def hint(self, viewer: storage.Viewer, quiz_id: str, item_id: str) -> tuple[int, str]:
        """The next hint level of an unanswered item, and its text."""
        with Session(self.db) as session, session.begin():
            quiz = storage.get_quiz(session, quiz_id=quiz_id, viewer=viewer, write=True)
            row = storage.quiz_item(session, quiz=quiz, item_id=item_id)
            if storage.is_answered(session, quiz_id=quiz.id, item_id=item_id):
                raise storage.AlreadyExists("this item is answered: no more hints")
            level = storage.use_hint(session, quiz=quiz, item_id=item_id)
            item = QuizItem.model_validate(row.payload)
            return level, self.grader.hint(item, level)

    def answer(
        self,
        viewer: storage.Viewer,
        quiz_id: str,
        item_id: str,
        *,
        choice: int | None,
        text: str | None,
        time_taken_ms: int | None,
    ) -> AnswerOutcome:
        """Grade an answer once, store it, update mastery and reviews, log the statement."""
        now = utcnow()
        with Session(self.db) as session, session.begin():
            quiz = storage.get_quiz(session, quiz_id=quiz_id, viewer=viewer, write=True)
            row = storage.quiz_item(session, quiz=quiz, item_id=item_id)
            if row.status != "active":
                raise ItemRetired("this item was retired; skip it")
            item = QuizItem.model_validate(row.payload)
            response = _response(item, choice, text)
            grade = self.grader.grade(item, response)
            if time_taken_ms is None and (shown := storage.shown_at(quiz, item_id=item_id)):
                time_taken_ms = int((now - shown).total_seconds() * 1000)
            attempt = storage.record_attempt(
                session,
                quiz=quiz,
                item=row,
                answer={"choice": choice, "text": text},
                correct=grade.correct,
                score=grade.score,
                confidence=grade.confidence,
                feedback=grade.feedback,
                time_taken_ms=time_taken_ms,
            )
            before = {  # values now: update() changes these very rows
                skill: row.p_mastery
                for skill, row in storage.mastery_rows(
                    session, user_id=viewer.id, skills=list(item.skills)
                ).items()
            }
            mastery = self.mastery.update(
                session,
                org_id=viewer.org_id,
                user_id=viewer.id,
                skills=item.skills,
                correct=grade.correct,
            )
            card = storage.get_card(session, user_id=viewer.id, item_id=row.id)
            state, due = self.reviews.review(
                card.card if card else None,
                correct=grade.correct,
                score=grade.score,
                hints_used=attempt.hints_used,
                at=now,
            )
            storage.save_card(
                session, user_id=viewer.id, item_id=row.id, card=state, due=due, reviewed_at=now
            )
            user = storage.get_user(session, user_id=viewer.id)
            org = storage.get_organisation(session, org_id=viewer.org_id)
            statement = xapi.answered(
                statement_id=attempt.id,
                base_url=self.base_url,
                org_home=f"{self.base_url}/orgs/{org.slug}",
                external_id=user.external_id,
                display_name=user.display_name,
                item_id=row.id,
                item=item,
                quiz_id=quiz.id,
                response=_cmi_response(item, choice, text),
                correct=grade.correct,
                score=grade.score,
                confidence=grade.confidence,
                hints_used=attempt.hints_used,
                time_taken_ms=time_taken_ms,
                timestamp=now,
            )
            storage.log_event(
                session,
                org_id=viewer.org_id,
                user_id=viewer.id,
                type="quiz.answered",
                payload={
                    "attempt_id": attempt.id,
                    "quiz_id": quiz.id,
                    "item_id": row.id,
                    "correct": grade.correct,
                    "score": grade.score,
                    "skills": list(item.skills),
                    "xapi": statement,
                },
            )
            for view in mastery:  # a skill crossing the mastered line: xAPI "mastered"
                if view.p_mastery >= MASTERED > before.get(view.skill, 0.0):
                    storage.log_event(
                        session,
                        org_id=viewer.org_id,
                        user_id=viewer.id,
                        type="mastery.reached",
                        payload={
                            "skill": view.skill,
                            "p_mastery": view.p_mastery,
                            "attempt_id": attempt.id,
                            "xapi": xapi.mastery_reached(
                                statement_id=xapi.new_statement_id(),
                                base_url=self.base_url,
                                learner=statement["actor"],
                                skill=view.skill,
                                p_mastery=view.p_mastery,
                                attempts=view.n_attempts,
                                quiz_id=quiz.id,
                                language=item.language,
                                timestamp=now,
                            ),
                        },
                    )
            return AnswerOutcome(
                item_id=row.id,
                item=item,
                grade=grade,
                hints_used=attempt.hints_used,
                mastery=mastery,
                next_review=due,
                quiz_completed=quiz.completed_at is not None,
            )


def _response(item: QuizItem, choice: int | None, text: str | None) -> int | str:
    """The answer in the form the item takes, or a clear reason it cannot be graded."""
    if item.options:
        if choice is None:
            raise QuizInputError("this item takes a choice (the option's index)")
        if not 0 <= choice < len(item.options):
            raise QuizInputError(f"choice must be between 0 and {len(item.options) - 1}")
        return choice
    if choice is not None or not (text or "").strip():
        raise QuizInputError("this item takes a text answer")
    return (text or "").strip()


def _cmi_response(item: QuizItem, choice: int | None, text: str | None) -> str:
    if item.kind == "true_false":
        return "true" if choice == 0 else "false"
    if item.options:
        return str(choice)
    return (text or "").strip()


def _spread(hits: list[SearchHit], limit: int) -> list[SearchHit]:
    """At most ``limit`` passages spread evenly over the scope (not just its beginning)."""
    if len(hits) <= limit:
        return hits
    step = len(hits) / limit
    return [hits[int(i * step)] for i in range(limit)]
