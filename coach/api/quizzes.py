"""Quizzes, answers and hints; mastery and reviews due; item curation for admins."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from coach import storage
from coach.api.deps import CurrentUser, SessionDep
from coach.learning.quizzes import QuizInputError, QuizScope, QuizService, ServedItem
from coach.learning.schemas import (
    AnswerCreate,
    AnswerResult,
    HintCreate,
    HintPublic,
    ItemPublic,
    MasteryList,
    QuizCreate,
    QuizPublic,
    ReviewDue,
    ReviewList,
    SkillMasteryPublic,
)
from coach.quizzes.items import QuizItem
from coach.schemas import CitationPublic
from coach.storage.models import utcnow

router = APIRouter(tags=["quizzes"])


def _service(request: Request) -> QuizService:
    return request.app.state.quizzes  # type: ignore[no-any-return]


def _public_item(served: ServedItem) -> ItemPublic:
    item = served.item
    return ItemPublic(
        id=served.id,
        kind=item.kind,
        stem=item.stem,
        options=[o.text for o in item.options],
        skills=list(item.skills),
        citation=CitationPublic.from_citation(item.source.citation),
        chunk_id=item.source.chunk_id,
        answered=served.answered,
        correct=served.correct,
    )


def _public_quiz(quiz: storage.Quiz, items: list[ServedItem]) -> QuizPublic:
    return QuizPublic(
        id=quiz.id,
        scope=quiz.scope,
        items=[_public_item(s) for s in items],
        created_at=quiz.created_at,
        completed_at=quiz.completed_at,
    )


@router.post("/v1/quizzes", response_model=QuizPublic, status_code=201)
def create_quiz(body: QuizCreate, user: CurrentUser, request: Request) -> QuizPublic:
    """A quiz on a course, module, skill or conversation (none: adaptive), items validated."""
    if user.role != "learner":
        raise HTTPException(403, "quizzes are taken by learners")
    scope = QuizScope(body.course_id, body.module_id, body.skill, body.conversation_id)
    try:
        quiz, items = _service(request).create(user, scope, n=body.n, kinds=body.kinds)
    except QuizInputError as err:
        raise HTTPException(422, str(err)) from err
    return _public_quiz(quiz, items)


@router.get("/v1/quizzes/{quiz_id}", response_model=QuizPublic)
def read_quiz(quiz_id: str, user: CurrentUser, request: Request) -> QuizPublic:
    """A quiz and which of its items are answered (its learner, or an admin)."""
    quiz, items = _service(request).get(user, quiz_id)
    return _public_quiz(quiz, items)


@router.post("/v1/quizzes/{quiz_id}/answers", response_model=AnswerResult)
def answer(quiz_id: str, body: AnswerCreate, user: CurrentUser, request: Request) -> AnswerResult:
    """Grade an answer (once per item): feedback, the right answer, mastery, next review."""
    try:
        out = _service(request).answer(
            user,
            quiz_id,
            body.item_id,
            choice=body.choice,
            text=body.text,
            time_taken_ms=body.time_taken_ms,
        )
    except QuizInputError as err:
        raise HTTPException(422, str(err)) from err
    item = out.item
    return AnswerResult(
        item_id=out.item_id,
        correct=out.grade.correct,
        score=out.grade.score,
        confidence=out.grade.confidence,
        feedback=out.grade.feedback,
        correct_answer=item.correct_text,
        explanation=item.explanation,
        citation=CitationPublic.from_citation(item.source.citation),
        chunk_id=item.source.chunk_id,
        hints_used=out.hints_used,
        mastery=[SkillMasteryPublic.model_validate(m, from_attributes=True) for m in out.mastery],
        next_review=out.next_review,
        quiz_completed=out.quiz_completed,
    )


@router.post("/v1/quizzes/{quiz_id}/hints", response_model=HintPublic)
def give_hint(quiz_id: str, body: HintCreate, user: CurrentUser, request: Request) -> HintPublic:
    """A hint or guiding question on an unanswered item (each one counts as a hint used)."""
    level, text = _service(request).hint(user, quiz_id, body.item_id)
    return HintPublic(item_id=body.item_id, level=level, hint=text)


def _mastery(session: SessionDep, request: Request, user_id: str) -> MasteryList:
    rows = _service(request).mastery.skills(session, user_id=user_id)
    return MasteryList(
        user_id=user_id,
        skills=[SkillMasteryPublic.model_validate(r, from_attributes=True) for r in rows],
    )


@router.get("/v1/me/mastery", response_model=MasteryList)
def my_mastery(user: CurrentUser, session: SessionDep, request: Request) -> MasteryList:
    """The caller's mastery per skill (probability and interval), weakest first."""
    return _mastery(session, request, user.id)


@router.get("/v1/learners/{user_id}/mastery", response_model=MasteryList)
def learner_mastery(
    user_id: str, user: CurrentUser, session: SessionDep, request: Request
) -> MasteryList:
    """A learner's mastery, for admins and reviewers of their organisation."""
    storage.check_mastery_reader(session, viewer=user, user_id=user_id)
    return _mastery(session, request, user_id)


@router.get("/v1/me/reviews/due", response_model=ReviewList)
def reviews_due(
    user: CurrentUser,
    session: SessionDep,
    within_hours: Annotated[int, Query(ge=0, le=24 * 14)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ReviewList:
    """Items to review now (``within_hours``: or coming due soon), most overdue first."""
    until = utcnow() + timedelta(hours=within_hours)
    due = [
        ReviewDue(
            item=_public_item(ServedItem(item.id, QuizItem.model_validate(item.payload))),
            due=card.due,
            reviews=card.reviews,
        )
        for card, item in storage.due_items(session, user_id=user.id, until=until, limit=limit)
    ]
    return ReviewList(items=due)


# -- item curation (admins; reviewers read) ----------------------------------------------------


class ItemAdmin(BaseModel):
    """An item with its answer and provenance, for curation."""

    id: str
    course_id: str
    module_id: str | None
    chunk_id: str
    kind: str
    skills: list[str]
    generator: str
    version: int
    status: str
    item: dict[str, object]
    updated_by: str | None


class ItemAdminList(BaseModel):
    items: list[ItemAdmin]


class ItemEdit(BaseModel):
    """A change by an admin: new content (validated like a generated item), or a status."""

    item: dict[str, object] | None = None
    status: Literal["active", "retired"] | None = None
    force: bool = Field(False, description="Keep the edit even if the validator objects")


def _admin_item(row: storage.QuizItem) -> ItemAdmin:
    return ItemAdmin(
        id=row.id,
        course_id=row.course_id,
        module_id=row.module_id,
        chunk_id=row.chunk_id,
        kind=row.kind,
        skills=list(row.skills),
        generator=row.generator,
        version=row.version,
        status=row.status,
        item=row.payload,
        updated_by=row.updated_by,
    )


@router.get("/v1/quiz-items", response_model=ItemAdminList)
def list_items(
    user: CurrentUser,
    session: SessionDep,
    course_id: str | None = None,
    status: Literal["active", "retired"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,  # PostgreSQL's integers
) -> ItemAdminList:
    """The organisation's stored items with answers and provenance (admins, reviewers)."""
    rows = storage.list_items(
        session, viewer=user, course_id=course_id, status=status, limit=limit, offset=offset
    )
    return ItemAdminList(items=[_admin_item(r) for r in rows])


@router.get("/v1/quiz-items/{item_id}", response_model=ItemAdmin)
def read_item(item_id: str, user: CurrentUser, session: SessionDep) -> ItemAdmin:
    return _admin_item(storage.get_item(session, item_id=item_id, viewer=user))


@router.patch("/v1/quiz-items/{item_id}", response_model=ItemAdmin)
def edit_item(
    item_id: str, body: ItemEdit, user: CurrentUser, session: SessionDep, request: Request
) -> ItemAdmin:
    """Edit an item's content (re-validated against its passage) or retire / restore it."""
    row = storage.get_item(session, item_id=item_id, viewer=user)
    if body.item is not None:
        try:
            edited = QuizItem.model_validate(body.item | {"id": ""})
        except ValueError as err:
            raise HTTPException(422, f"not a valid item: {err}") from err
        if edited.source.chunk_id != row.chunk_id:
            raise HTTPException(422, "an edit keeps the item's source passage")
        problems = _service(request).check_edit(edited)
        if problems and not body.force:
            raise HTTPException(422, f"the validator rejects this edit: {', '.join(problems)}")
        row = storage.edit_item(
            session,
            item_id=item_id,
            viewer=user,
            payload=edited.model_dump(mode="json")
            | {"id": QuizItem.model_validate(row.payload).id},
            skills=list(edited.skills),
        )
    if body.status is not None:
        row = storage.set_item_status(session, item_id=item_id, viewer=user, status=body.status)
    return _admin_item(row)
