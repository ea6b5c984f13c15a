"""What the admin assistant returns: data results (numbers, filters, table, chart), cited
how-to answers, proposed actions, clarifying questions and refusals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

AnswerKind = Literal["data", "howto", "action", "clarify", "refuse"]


class Table(BaseModel):
    """Rows as shown: column headers, then one list of cells per row."""

    columns: list[str]
    rows: list[list[Any]] = Field(default_factory=list)


class Chart(BaseModel):
    """A chart drawn for the answer (SVG text) with its text alternative."""

    format: Literal["svg"] = "svg"
    svg: str
    alt: str


class DataResult(BaseModel):
    """One read-only query's result: ``answer`` is the figure itself in a fixed shape
    (``learners``, ``number``, ``rate``, ``by_group``, ``seats``, ``progression``,
    ``engagement``), ``filters`` says what was counted."""

    tool: str
    title: str
    summary: str
    filters: dict[str, Any]
    answer: dict[str, Any]
    table: Table
    chart: Chart | None = None


class Citation(BaseModel):
    """A passage of the admin documentation an answer rests on."""

    n: int
    title: str
    section: str
    source: str
    snippet: str = ""


class ProposedAction(BaseModel):
    """An action waiting for an admin's confirmation."""

    id: str
    kind: str
    args: dict[str, Any]
    summary: str
    status: str
    expires_at: datetime
    confirm_url: str


class Interpretation(BaseModel):
    """One reading of an ambiguous question, which the admin can pick."""

    label: str
    question: str


class AdminAnswer(BaseModel):
    """The assistant's reply to one question."""

    kind: AnswerKind
    text: str
    language: str = "en"
    intent: str | None = None
    confidence: float | None = None
    data: DataResult | None = None
    citations: list[Citation] = Field(default_factory=list)
    action: ProposedAction | None = None
    options: list[Interpretation] = Field(default_factory=list)
    today: date | None = None
    responder: str = "offline"


class AskRequest(BaseModel):
    """``POST /v1/admin/ask``."""

    question: str = Field(min_length=1, max_length=2000)
    language: Literal["en", "fr"] | None = None


class ActionPublic(BaseModel):
    """An action as the audit shows it."""

    id: str
    kind: str
    args: dict[str, Any]
    summary: str
    status: str
    question: str
    proposed_by: str | None
    confirmed_by: str | None
    result: dict[str, Any] | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
