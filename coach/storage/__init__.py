"""The coach's storage: typed models and the functions that read and write them.

Every function takes a SQLAlchemy :class:`~sqlalchemy.orm.Session` and keyword-only
arguments; it flushes but never commits (the caller owns the transaction). Functions that
take ``viewer=`` enforce the access rules of :mod:`coach.storage.access` and raise
:class:`NotFound` (HTTP 404) or :class:`Forbidden` (HTTP 403).
"""

from coach.storage import handoff_models as handoff_models  # hand-off tables (issue 12)
from coach.storage import kirkpatrick_models as kirkpatrick_models  # dashboard rollup
from coach.storage import privacy_models as privacy_models  # erasure register (issue 8)
from coach.storage.access import (
    AccessError,
    AlreadyExists,
    Forbidden,
    NotFound,
    Role,
    Viewer,
    can_read,
)
from coach.storage.admin import (
    attendance,
    create_action,
    enrolments,
    get_action,
    list_actions,
    save_attendance,
    save_enrolments,
    session_statuses,
    set_session_status,
)
from coach.storage.admin_models import (
    ACTION_KINDS,
    AdminAction,
    Attendance,
    Enrolment,
    SessionStatus,
)
from coach.storage.applications import (
    answer_request,
    application_answers,
    get_request,
    open_request,
    pending_requests,
    request_keys,
    requests_about,
)
from coach.storage.catalog import (
    add_learning_records,
    catalog_revision,
    catalog_rows,
    count_learning_records,
    learner_ids,
    learner_profiles,
    learning_records,
    save_catalog_rows,
    save_learner_profile,
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
from coach.storage.guard_stats import guard_stats
from coach.storage.insight_models import GapQuestion, GapTopic  # insights
from coach.storage.insights import (  # insights
    gap_questions,
    item_attempts,
    list_topics,
    mark_feedback,
    rated_answers,
    record_gap,
    replace_topics,
)
from coach.storage.manager_models import (
    ApplicationRequest,
    GoalComment,
    ManagerGoal,
    ReportingLine,
)
from coach.storage.managers import (
    add_goal_comment,
    create_goal,
    current_managers,
    direct_reports,
    get_goal,
    goal_comments,
    goals_of,
    manager_on,
    open_lines,
    reporting_history,
    reports_with_goals,
    set_manager,
    users_matching,
)
from coach.storage.mastery import (
    add_history,
    check_mastery_reader,
    clear_mastery,
    due_cards,
    due_items,
    evidence,
    get_card,
    get_model_params,
    list_mastery,
    mastery_rows,
    model_fitted_at,
    save_card,
    save_mastery,
    save_model_params,
)
from coach.storage.memory import add_memory, delete_memory, list_memory
from coach.storage.models import (
    ApiToken,
    Conversation,
    Event,
    Feedback,
    HistoryAttempt,
    LearnerMemory,
    MasteryModel,
    Message,
    Organisation,
    Quiz,
    QuizAttempt,
    QuizItem,
    QuizItemVersion,
    ReviewCard,
    SentenceVector,
    SkillMastery,
    User,
    metadata,
)
from coach.storage.nudge_models import Nudge, NudgeHoldout, NudgePreference  # nudges
from coach.storage.nudge_state import (  # nudges
    approved_path_steps,
    completion_days,
    done_items,
    due_review_counts,
    enrolled_sessions,
    finished_quizzes,
    nudge_people,
    recent_completions,
    review_card_dates,
)
from coach.storage.nudges import (  # nudges
    claim_nudge,
    due_nudge_ids,
    finish_nudge,
    holdout_draws,
    mark_notification_read,
    notifications,
    nudge_keys_since,
    nudge_preferences,
    org_nudge_preferences,
    org_nudges,
    save_holdout_draws,
    save_planned_nudges,
    set_nudge_preferences,
    unread_notifications,
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
    org_settings,
    set_user_disabled,
    update_org_settings,
    visible_course_ids,
)
from coach.storage.path_models import (
    CatalogRow,
    CatalogState,
    LearnerProfile,
    LearningPath,
    LearningRecord,
    PathAudit,
    PathVersion,
)
from coach.storage.paths import (
    Conflict,
    add_version,
    booked_sessions,
    booked_slots,
    check_reviewer,
    check_revision,
    create_path,
    get_path,
    list_paths,
    my_approved_path,
    path_history,
    path_of_user,
    path_version,
    set_status,
)
from coach.storage.quizzes import (
    active_items,
    create_quiz,
    edit_item,
    get_item,
    get_quiz,
    is_answered,
    item_payload,
    list_attempts,
    list_items,
    quiz_item,
    record_attempt,
    save_item,
    set_item_status,
    shown_at,
    use_hint,
)
from coach.storage.sentence_vectors import (
    encoder_key,
    save_sentence_vectors,
    sentence_key,
    sentence_vectors,
    stored_sentence_keys,
    to_float16,
)
from coach.storage.survey_figures import (
    business_kpis,
    completion_records,
    kpi_ends,
    kpi_points,
    learner_teams,
    mastery_levels,
    org_user_ids,
    prepost_records,
    save_business_kpis,
    step_days,
    survey_day_sums,
)
from coach.storage.survey_models import (
    BusinessKpi,
    SurveyAnswer,
    SurveyForm,
    SurveyInstance,
    SurveyTemplate,
)
from coach.storage.surveys import (
    add_survey_instances,
    answered_surveys,
    close_survey_instances,
    delete_survey_template,
    get_survey_instance,
    save_survey_answer,
    save_survey_template,
    survey_answers,
    survey_form_id,
    survey_instances,
    survey_keys,
    survey_template_overrides,
)
from coach.storage.tokens import (
    create_token,
    get_token,
    list_tokens,
    mark_token_used,
    revoke_token,
)
from coach.xapi_lrs import models as _xapi_models  # noqa: F401 - the xAPI outbox (issue 9)

__all__ = [
    "ACTION_KINDS",
    "AccessError",
    "AdminAction",
    "AlreadyExists",
    "ApiToken",
    "ApplicationRequest",
    "Attendance",
    "BusinessKpi",  # surveys
    "CatalogRow",
    "CatalogState",
    "Conflict",
    "Conversation",
    "Enrolment",
    "Event",
    "Feedback",
    "Forbidden",
    "GapQuestion",  # insights
    "GapTopic",  # insights
    "GoalComment",
    "HistoryAttempt",
    "LearnerMemory",
    "LearnerProfile",
    "LearningPath",
    "LearningRecord",
    "ManagerGoal",
    "MasteryModel",
    "Message",
    "NotFound",
    "Nudge",  # nudges
    "NudgeHoldout",  # nudges
    "NudgePreference",  # nudges
    "Organisation",
    "PathAudit",
    "PathVersion",
    "Quiz",
    "QuizAttempt",
    "QuizItem",
    "QuizItemVersion",
    "ReportingLine",
    "ReviewCard",
    "Role",
    "SentenceVector",
    "SessionStatus",
    "SkillMastery",
    "SurveyAnswer",  # surveys
    "SurveyForm",  # surveys
    "SurveyInstance",  # surveys
    "SurveyTemplate",  # surveys
    "User",
    "Viewer",
    "active_items",
    "add_goal_comment",
    "add_history",
    "add_learning_records",
    "add_memory",
    "add_message",
    "add_survey_instances",  # surveys
    "add_version",
    "answer_request",
    "answered_surveys",  # surveys
    "application_answers",
    "approved_path_steps",  # nudges
    "attendance",
    "booked_sessions",
    "booked_slots",
    "business_kpis",  # surveys
    "can_read",
    "catalog_revision",
    "catalog_rows",
    "check_mastery_reader",
    "check_reviewer",
    "check_revision",
    "claim_nudge",  # nudges
    "clear_mastery",
    "close_survey_instances",  # surveys
    "completion_days",  # nudges
    "completion_records",  # surveys
    "count_learning_records",
    "create_action",
    "create_conversation",
    "create_goal",
    "create_organisation",
    "create_path",
    "create_quiz",
    "create_token",
    "create_user",
    "current_managers",
    "delete_conversation",
    "delete_memory",
    "delete_survey_template",  # surveys
    "direct_reports",
    "done_items",  # nudges
    "due_cards",
    "due_items",
    "due_nudge_ids",  # nudges
    "due_review_counts",  # nudges
    "edit_item",
    "encoder_key",
    "enrolled_sessions",  # nudges
    "enrolments",
    "evidence",
    "feedback_for",
    "find_user",
    "finish_nudge",  # nudges
    "finished_quizzes",  # nudges
    "gap_questions",  # insights
    "get_action",
    "get_card",
    "get_conversation",
    "get_goal",
    "get_item",
    "get_message",
    "get_model_params",
    "get_organisation",
    "get_organisation_by_slug",
    "get_path",
    "get_quiz",
    "get_request",
    "get_survey_instance",  # surveys
    "get_token",
    "get_user",
    "goal_comments",
    "goals_of",
    "guard_stats",
    "holdout_draws",  # nudges
    "is_answered",
    "item_attempts",  # insights
    "item_payload",
    "kpi_ends",  # surveys
    "kpi_points",  # surveys
    "learner_ids",
    "learner_profiles",
    "learner_teams",  # surveys
    "learning_records",
    "list_actions",
    "list_attempts",
    "list_conversations",
    "list_events",
    "list_feedback",
    "list_items",
    "list_mastery",
    "list_memory",
    "list_messages",
    "list_organisations",
    "list_paths",
    "list_tokens",
    "list_topics",  # insights
    "list_users",
    "log_event",
    "manager_on",
    "mark_feedback",  # insights
    "mark_notification_read",  # nudges
    "mark_token_used",
    "mastery_levels",  # surveys
    "mastery_rows",
    "metadata",
    "model_fitted_at",
    "my_approved_path",
    "notifications",  # nudges
    "nudge_keys_since",  # nudges
    "nudge_people",  # nudges
    "nudge_preferences",  # nudges
    "older_messages",
    "older_messages_count",
    "open_lines",
    "open_request",
    "org_nudge_preferences",  # nudges
    "org_nudges",  # nudges
    "org_settings",
    "org_user_ids",  # surveys
    "path_history",
    "path_of_user",
    "path_version",
    "pending_requests",
    "prepost_records",  # surveys
    "quiz_item",
    "rated_answers",  # insights
    "recent_completions",  # nudges
    "recent_messages",
    "record_attempt",
    "record_gap",  # insights
    "replace_topics",  # insights
    "reporting_history",
    "reports_with_goals",
    "request_keys",
    "requests_about",
    "review_card_dates",  # nudges
    "revoke_token",
    "save_attendance",
    "save_business_kpis",  # surveys
    "save_card",
    "save_catalog_rows",
    "save_enrolments",
    "save_holdout_draws",  # nudges
    "save_item",
    "save_learner_profile",
    "save_mastery",
    "save_model_params",
    "save_planned_nudges",  # nudges
    "save_sentence_vectors",
    "save_survey_answer",  # surveys
    "save_survey_template",  # surveys
    "sentence_key",
    "sentence_vectors",
    "session_statuses",
    "set_item_status",
    "set_manager",
    "set_nudge_preferences",  # nudges
    "set_session_status",
    "set_status",
    "set_summary",
    "set_user_disabled",
    "shown_at",
    "step_days",  # surveys
    "stored_sentence_keys",
    "survey_answers",  # surveys
    "survey_day_sums",  # surveys
    "survey_form_id",  # surveys
    "survey_instances",  # surveys
    "survey_keys",  # surveys
    "survey_template_overrides",  # surveys
    "to_float16",
    "unread_notifications",  # nudges
    "update_org_settings",
    "upsert_feedback",
    "use_hint",
    "users_matching",
    "visible_course_ids",
]
