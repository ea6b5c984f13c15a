"""One model of arguments per tool the LLM may call: read-only figures, how-tos from the
admin guide, proposed actions (nothing runs until an admin confirms), a clarifying
question or a refusal. Each docstring is the tool's description the model reads; each
model's title is the tool's name."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError

from coach.admin.llm_tools import (
    Dated,
    Problem,
    Scoped,
    Tool,
    item_problems,
    learner_problems,
    missing,
    session_problems,
)
from coach.admin.org import OrgData

Label = Annotated[str, Field(min_length=1, max_length=160)]


def _session() -> Any:
    return Field(min_length=1, max_length=200, description="a session id from <sessions>")


def _learners() -> Any:
    return Field(min_length=1, max_length=500, description="LMS ids from <people_named>")


def _count() -> Any:
    return Field(False, description="true when the admin asks 'how many'")


def _title(name: str) -> ConfigDict:
    return ConfigDict(title=name, extra="forbid", frozen=True)


class AnswerFromGuide(Tool):
    """How to do something in the LMS or with blendcoach, answered from the admin guide."""

    model_config = _title("answer_from_guide")
    intent = "howto"
    question: str = Field(min_length=1, max_length=500, description="the how-to question")


class SessionSeats(Tool):
    """Capacity, enrolled, waiting list and free seats of one session."""

    model_config = _title("session_seats")
    intent = "seats"
    session_id: str = _session()

    def problems(self, org: OrgData) -> list[Problem]:
        return session_problems(org, self.session_id)


class SessionRoster(Tool):
    """Who is enrolled in one session, or who is on its waiting list."""

    model_config = _title("session_roster")
    intent = "roster"
    session_id: str = _session()
    which: Literal["enrolled", "waitlisted"] = "enrolled"
    count: bool = _count()

    def problems(self, org: OrgData) -> list[Problem]:
        return session_problems(org, self.session_id)


class AttendanceStatus(Tool):
    """Attendance sign-off of a session that took place: who has not signed (and counts)."""

    model_config = _title("attendance_status")
    intent = "attendance"
    session_id: str = _session()
    count: bool = _count()
    unsigned: bool = Field(True, description="count those who did NOT sign (false: who did)")

    def problems(self, org: OrgData) -> list[Problem]:
        return session_problems(org, self.session_id)


class OverdueMandatory(Scoped):
    """Learners overdue on mandatory training (renewal lapsed or assignment past due)."""

    model_config = _title("overdue_mandatory")
    intent = "overdue"
    learner_ids: list[str] | None = Field(None, max_length=500, description="LMS ids")
    item_id: str | None = Field(None, description="a course id from <courses>")
    count: bool = _count()

    def problems(self, org: OrgData) -> list[Problem]:
        return [
            *super().problems(org),
            *learner_problems(org, self.learner_ids or ()),
            *item_problems(org, self.item_id),
        ]


class CompletionRate(Dated, Scoped):
    """Completion rate of a course in a period, optionally by team or by role."""

    model_config = _title("completion_rate")
    intent = "completion"
    item_id: str = Field(min_length=1, description="a course id from <courses>")
    group_by: Literal["team", "role"] | None = None

    def problems(self, org: OrgData) -> list[Problem]:
        return [*super().problems(org), *item_problems(org, self.item_id)]


class Progression(Scoped):
    """Average pre-test and post-test scores of a course and the gain between them."""

    model_config = _title("progression")
    intent = "progression"
    item_id: str = Field(min_length=1, description="a course id from <courses>")

    def problems(self, org: OrgData) -> list[Problem]:
        return [*super().problems(org), *item_problems(org, self.item_id)]


class QuizResults(Dated, Scoped):
    """Quiz attempts of a course or a skill in a period: attempts, average, pass rate."""

    model_config = _title("quiz_results")
    intent = "quiz"
    item_id: str | None = Field(None, description="a course id from <courses>")
    skill: str | None = Field(None, description="a skill id from <skills>")
    measure: Literal["average", "pass_rate", "attempts"] = "average"

    def problems(self, org: OrgData) -> list[Problem]:
        skills = missing("skill", [self.skill], org.catalog.skills)
        return [*super().problems(org), *item_problems(org, self.item_id), *skills]


class Engagement(Dated, Scoped):
    """Active learners and time spent in a period (default: the last 30 days)."""

    model_config = _title("engagement")
    intent = "engagement"
    group_by: Literal["team", "role"] | None = None


class PathBacklog(Scoped):
    """Learning paths waiting for a reviewer's approval: how many, the oldest wait."""

    model_config = _title("path_backlog")
    intent = "backlog"


class ProposeEnrol(Tool):
    """Propose enrolling learners in a session, or in a course without sessions."""

    model_config = _title("propose_enrol")
    intent = "enrol"
    learner_ids: list[str] = _learners()
    session_id: str | None = Field(None, description="a session id from <sessions>")
    item_id: str | None = Field(None, description="a course id, when there is no session")

    def problems(self, org: OrgData) -> list[Problem]:
        found = learner_problems(org, self.learner_ids)
        if self.session_id is None and self.item_id is None:
            return [*found, Problem("target")]
        found += item_problems(org, self.item_id)
        if self.session_id is not None:
            found += session_problems(org, self.session_id, live=True)
            if (
                not found
                and self.item_id
                and org.live_session(self.session_id).item_id != self.item_id
            ):
                found.append(Problem("mismatch", self.session_id))
        return found


class ProposeReminder(Tool):
    """Propose sending learners a reminder, about a course or a session."""

    model_config = _title("propose_reminder")
    intent = "remind"
    learner_ids: list[str] = _learners()
    item_id: str | None = Field(None, description="a course id from <courses>")
    session_id: str | None = Field(None, description="a session id from <sessions>")

    def problems(self, org: OrgData) -> list[Problem]:
        found = [*learner_problems(org, self.learner_ids), *item_problems(org, self.item_id)]
        return found + (session_problems(org, self.session_id) if self.session_id else [])


class ProposeMarkAttendance(Tool):
    """Propose marking learners present (signed) or absent at a session that took place."""

    model_config = _title("propose_mark_attendance")
    intent = "mark_attendance"
    learner_ids: list[str] = _learners()
    session_id: str = _session()
    signed: bool = Field(description="true: present and signed; false: absent")

    def problems(self, org: OrgData) -> list[Problem]:
        found = [*learner_problems(org, self.learner_ids), *session_problems(org, self.session_id)]
        if not found and org.live_session(self.session_id).start.date() > org.today:
            found.append(Problem("future", org.session_label(self.session_id)))
        return found


class ProposeCancelSession(Tool):
    """Propose cancelling one session."""

    model_config = _title("propose_cancel_session")
    intent = "cancel_session"
    session_id: str = _session()

    def problems(self, org: OrgData) -> list[Problem]:
        return session_problems(org, self.session_id, live=True)


class AskClarification(Tool):
    """Ask the admin what they mean when the question is ambiguous or lacks a name."""

    model_config = _title("ask_clarification")
    question: str = Field(min_length=1, max_length=400)
    options: list[Label] = Field(default_factory=list, max_length=8)


class Refuse(Tool):
    """Decline a question outside the organisation's training administration, or one that
    asks for secrets, other organisations' data, or to bypass confirmation."""

    model_config = _title("refuse")
    intent = "out_of_scope"
    reason: str = Field("", max_length=400)


TOOLS: dict[str, type[Tool]] = {
    t.tool_name(): t
    for t in (
        AnswerFromGuide,
        SessionSeats,
        SessionRoster,
        AttendanceStatus,
        OverdueMandatory,
        CompletionRate,
        Progression,
        QuizResults,
        Engagement,
        PathBacklog,
        ProposeEnrol,
        ProposeReminder,
        ProposeMarkAttendance,
        ProposeCancelSession,
        AskClarification,
        Refuse,
    )
}


def parse(name: str, args: object) -> Tool | None:
    """The call's arguments as their model; None for an unknown tool, or arguments that do
    not fit its schema (missing, mistyped, unexpected)."""
    model = TOOLS.get(name)
    if model is None or not isinstance(args, dict):
        return None
    try:
        return model.model_validate(args)
    except ValidationError:
        return None
