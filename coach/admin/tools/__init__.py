"""The admin assistant's read-only query functions, one per figure of
docs/admin-assistant.md. Each takes the organisation's data and typed filters and returns a
:class:`DataResult`: the figure in a fixed shape, the filters used, a table and (where a
picture reads better) a chart. None of them writes anything."""

from coach.admin.tools.activity import ENGAGEMENT_DAYS, engagement, path_backlog
from coach.admin.tools.learning import (
    PASS_MARK,
    GroupBy,
    _mandatory_status,
    completion_rate,
    overdue_mandatory,
    progression,
    quiz_results,
)
from coach.admin.tools.sessions import attendance_status, session_roster, session_seats

__all__ = [
    "ENGAGEMENT_DAYS",
    "PASS_MARK",
    "GroupBy",
    "_mandatory_status",
    "attendance_status",
    "completion_rate",
    "engagement",
    "overdue_mandatory",
    "path_backlog",
    "progression",
    "quiz_results",
    "session_roster",
    "session_seats",
]
