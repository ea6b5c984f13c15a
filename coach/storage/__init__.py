"""The coach's storage: typed models and the functions that read and write them.

Every function takes a SQLAlchemy :class:`~sqlalchemy.orm.Session` and keyword-only
arguments; it flushes but never commits (the caller owns the transaction). Functions that
take ``viewer=`` enforce the access rules of :mod:`coach.storage.access` and raise
:class:`NotFound` (HTTP 404) or :class:`Forbidden` (HTTP 403).
"""

from coach.storage.access import (
    AccessError,
    AlreadyExists,
    Forbidden,
    NotFound,
    Role,
    Viewer,
    can_read,
)
from coach.storage.conversations import (
    add_message,
    create_conversation,
    delete_conversation,
    get_conversation,
    get_message,
    list_conversations,
    list_messages,
    older_messages,
    older_messages_count,
    recent_messages,
    set_summary,
)
from coach.storage.events import list_events, log_event
from coach.storage.feedback import feedback_for, list_feedback, upsert_feedback
from coach.storage.memory import add_memory, delete_memory, list_memory
from coach.storage.models import (
    ApiToken,
    Conversation,
    Event,
    Feedback,
    LearnerMemory,
    Message,
    Organisation,
    User,
    metadata,
)
from coach.storage.orgs import (
    create_organisation,
    create_user,
    find_user,
    get_organisation,
    get_organisation_by_slug,
    get_user,
    list_organisations,
    list_users,
    set_user_disabled,
    visible_course_ids,
)
from coach.storage.tokens import (
    create_token,
    get_token,
    list_tokens,
    mark_token_used,
    revoke_token,
)

__all__ = [
    "AccessError",
    "AlreadyExists",
    "ApiToken",
    "Conversation",
    "Event",
    "Feedback",
    "Forbidden",
    "LearnerMemory",
    "Message",
    "NotFound",
    "Organisation",
    "Role",
    "User",
    "Viewer",
    "add_memory",
    "add_message",
    "can_read",
    "create_conversation",
    "create_organisation",
    "create_token",
    "create_user",
    "delete_conversation",
    "delete_memory",
    "feedback_for",
    "find_user",
    "get_conversation",
    "get_message",
    "get_organisation",
    "get_organisation_by_slug",
    "get_token",
    "get_user",
    "list_conversations",
    "list_events",
    "list_feedback",
    "list_memory",
    "list_messages",
    "list_organisations",
    "list_tokens",
    "list_users",
    "log_event",
    "mark_token_used",
    "metadata",
    "older_messages",
    "older_messages_count",
    "recent_messages",
    "revoke_token",
    "set_summary",
    "set_user_disabled",
    "upsert_feedback",
    "visible_course_ids",
]
