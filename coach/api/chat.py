"""Chat: ask the coach (JSON or streamed), read conversations, give feedback, open citations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from coach import storage
from coach.api.deps import ChatDep, CurrentUser, RetrieverDep, SessionDep
from coach.conversation.engine import (
    ChatEngine,
    ChatInputError,
    Guard,
    PreparedTurn,
    TurnResult,
    citation_dict,
)
from coach.conversation.schemas import (
    AnswerCitation,
    ChatCreate,
    ChatPublic,
    ChunkPublic,
    ConversationList,
    ConversationPublic,
    ConversationSummary,
    FeedbackCreate,
    FeedbackPublic,
    MessagePublic,
)
from coach.conversation.sse import sse
from coach.learning.quizzes import QuizService
from coach.schemas import CitationPublic
from retrieval.search import QueryError
from retrieval.types import SearchFilter

router = APIRouter(prefix="/v1", tags=["chat"])


def _prepare(chat: ChatEngine, user: storage.Viewer, body: ChatCreate) -> PreparedTurn:
    try:
        return chat.prepare(
            user,
            message=body.message,
            conversation_id=body.conversation_id,
            course_id=body.course_id,
        )
    except (ChatInputError, QueryError) as err:
        raise HTTPException(status_code=422, detail=str(err)) from err


def _public(turn: PreparedTurn, result: TurnResult) -> ChatPublic:
    a = result.answer
    return ChatPublic(
        conversation_id=result.conversation_id,
        message_id=result.message_id,
        user_message_id=turn.user_message_id,
        answer=a.text,
        citations=[AnswerCitation.model_validate(citation_dict(c)) for c in a.citations],
        covered=a.covered,
        responder=a.responder,
        degraded=a.degraded,
        language=a.language,
        suggestion=CitationPublic.from_citation(a.suggestion) if a.suggestion else None,
    )


def _guard(request: Request, user: storage.Viewer, body: ChatCreate) -> Guard | None:
    """During a quiz (``quiz_id`` + ``item_id``) answers that give the item away become hints."""
    if body.quiz_id is None or body.item_id is None:
        return None
    quizzes: QuizService = request.app.state.quizzes
    return quizzes.socratic_guard(user, body.quiz_id, body.item_id)


@router.post("/chat", response_model=ChatPublic)
def chat(
    body: ChatCreate,
    user: CurrentUser,
    chat: ChatDep,
    tasks: BackgroundTasks,
    request: Request,
) -> ChatPublic:
    """Ask the coach; the answer comes back whole, with numbered citations."""
    guard = _guard(request, user, body)
    turn = _prepare(chat, user, body)
    result = chat.answer(turn, guard)
    tasks.add_task(chat.summarise, result.conversation_id)
    return _public(turn, result)


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "meta, token…, citations, done"}
    },
)
def chat_stream(
    body: ChatCreate, user: CurrentUser, chat: ChatDep, request: Request
) -> StreamingResponse:
    """Ask the coach; the answer streams as Server-Sent Events (meta, token, citations, done).

    During a quiz the answer is checked whole before any of it is shown (one ``token``)."""
    guard = _guard(request, user, body)
    turn = _prepare(chat, user, body)

    def run() -> Iterator[str | TurnResult]:
        if guard is None:
            yield from chat.stream(turn)
            return
        result = chat.answer(turn, guard)
        yield result.answer.text
        yield result

    def events() -> Iterator[bytes]:
        yield sse(
            "meta",
            {"conversation_id": turn.conversation_id, "user_message_id": turn.user_message_id},
        )
        try:
            for event in run():
                if isinstance(event, TurnResult):
                    public = _public(turn, event)
                    yield sse(
                        "citations", {"citations": [c.model_dump() for c in public.citations]}
                    )
                    yield sse(
                        "done",
                        {
                            "message_id": public.message_id,
                            "conversation_id": public.conversation_id,
                            "covered": public.covered,
                            "responder": public.responder,
                            "degraded": public.degraded,
                            "language": public.language,
                            "suggestion": public.suggestion.model_dump()
                            if public.suggestion
                            else None,
                        },
                    )
                else:
                    yield sse("token", {"text": event})
        except Exception as err:  # the learner's message is stored; say what went wrong
            yield sse("error", {"detail": f"the coach could not answer: {type(err).__name__}"})
            raise
        chat.summarise(turn.conversation_id)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/conversations", response_model=ConversationList)
def list_conversations(
    user: CurrentUser,
    session: SessionDep,
    user_id: Annotated[str | None, Query(description="Admins: another learner's")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ConversationList:
    """The caller's conversations, newest first (admins may ask for a learner's)."""
    rows = storage.list_conversations(session, viewer=user, user_id=user_id, limit=limit)
    return ConversationList(
        conversations=[ConversationSummary.model_validate(c, from_attributes=True) for c in rows]
    )


@router.get("/conversations/{conversation_id}", response_model=ConversationPublic)
def get_conversation(
    conversation_id: str, user: CurrentUser, session: SessionDep
) -> ConversationPublic:
    """One conversation with its messages, citations and the caller's feedback."""
    conv = storage.get_conversation(session, conversation_id=conversation_id, viewer=user)
    messages = storage.list_messages(session, conversation_id=conv.id)
    feedback = storage.feedback_for(session, message_ids=[m.id for m in messages], user_id=user.id)
    return ConversationPublic(
        **ConversationSummary.model_validate(conv, from_attributes=True).model_dump(),
        messages=[
            MessagePublic(
                id=m.id,
                role=m.role,  # type: ignore[arg-type]
                content=m.content,
                citations=[AnswerCitation.model_validate(c) for c in (m.citations or [])],
                language=m.language,
                covered=m.covered,
                responder=m.responder,
                created_at=m.created_at,
                feedback=(
                    FeedbackPublic.model_validate(feedback[m.id], from_attributes=True)
                    if m.id in feedback
                    else None
                ),
            )
            for m in messages
        ],
    )


@router.post("/messages/{message_id}/feedback", response_model=FeedbackPublic)
def give_feedback(
    message_id: str, body: FeedbackCreate, user: CurrentUser, session: SessionDep
) -> FeedbackPublic:
    """Thumbs up or down on one of the coach's answers (again: replaces it)."""
    message = storage.get_message(session, message_id=message_id, viewer=user, write=True)
    if message.role != "assistant":
        raise HTTPException(status_code=422, detail="feedback is for the coach's answers")
    row = storage.upsert_feedback(
        session, message_id=message.id, user_id=user.id, rating=body.rating, comment=body.comment
    )
    return FeedbackPublic.model_validate(row, from_attributes=True)


@router.get("/chunks/{chunk_id:path}", response_model=ChunkPublic)
def get_chunk(
    chunk_id: str, user: CurrentUser, session: SessionDep, retriever: RetrieverDep
) -> ChunkPublic:
    """The passage behind a citation (from a course the caller's organisation can see)."""
    visible = storage.visible_course_ids(storage.get_organisation(session, org_id=user.org_id))
    flt: Any = SearchFilter(course_ids=tuple(visible)) if visible is not None else None
    hit = None if visible == [] else retriever.get_chunk(chunk_id, flt=flt)
    if hit is None:
        raise HTTPException(status_code=404, detail="passage not found")
    return ChunkPublic(
        chunk_id=hit.chunk_id,
        text=hit.text,
        language=hit.language,
        citation=CitationPublic.from_citation(hit.citation),
    )
