"""The privacy routes' schemas, named by role."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from coach.privacy.erasure import RESPOND_WITHIN, ErasureReport
from coach.storage.models import User
from coach.storage.privacy_models import ErasureRequest


class PersonRef(BaseModel):
    """Who a request is from (absent once they are erased)."""

    id: str
    external_id: str
    display_name: str


class ErasureRequestPublic(BaseModel):
    """A request to be erased: ``pending`` until an admin erases (``done``) or declines
    (``declined``, with ``reason``), or the learner withdraws it (``cancelled``)."""

    id: str
    status: str
    origin: str
    requested_at: datetime
    respond_by: datetime
    decided_at: datetime | None
    reason: str
    person: PersonRef | None = None
    counts: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, row: ErasureRequest, user: User | None = None) -> ErasureRequestPublic:
        return cls(
            id=row.id,
            status=row.status,
            origin=row.origin,
            requested_at=row.requested_at,
            respond_by=row.requested_at + RESPOND_WITHIN,
            decided_at=row.decided_at,
            reason=row.reason,
            person=PersonRef.model_validate(user, from_attributes=True) if user else None,
            counts=row.counts or {},
        )


class ErasureRequestList(BaseModel):
    requests: list[ErasureRequestPublic]


class DeclineBody(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)
    """What the learner will read: why their data is kept."""


class ErasureResult(BaseModel):
    """What an erasure did: rows deleted, anonymised or dropped per table; index points."""

    request_id: str
    erased_at: datetime
    rows: dict[str, dict[str, int]]
    index_points: int

    @classmethod
    def of(cls, report: ErasureReport) -> ErasureResult:
        return cls(
            request_id=report.request_id,
            erased_at=report.erased_at,
            rows=report.rows,
            index_points=report.index_points,
        )


class PersonalDataExport(BaseModel):
    """Everything stored about a person (see docs/privacy.md, "Export")."""

    format: str
    exported_at: datetime
    person: dict[str, Any]
    organisation: dict[str, Any]
    data: dict[str, list[dict[str, Any]]]
    mentions: dict[str, list[dict[str, Any]]]
    about: dict[str, str]
