"""The nudge engine as the service runs it: its sources, channels and queue, from settings.

Sources are a plain list: the built-in rules first, then the other parts' own sources
(the surveys' reminders, the managers' pending confirmations, and the conversation
retention sweep, which proposes nothing but runs with the daily planning) as they are
registered here. Everything else reads ``settings.nudges`` (:class:`~coach.settings.NudgeDeliverySettings`).
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.db import make_engine, migrate
from coach.managers.applications import PendingConfirmations
from coach.nudges.candidate import Source
from coach.nudges.channels import make_channels
from coach.nudges.engine import NudgeEngine, RuleSource
from coach.nudges.queue import Runtime, make_queue
from coach.privacy.retention import RetentionSweep
from coach.settings import Settings
from coach.surveys.reminders import SurveyReminders
from coach.xapi_lrs.sender import Forwarder


def default_sources() -> list[Source]:
    """Every source of nudge candidates the service plans with."""
    return [RuleSource(), SurveyReminders(), PendingConfirmations(), RetentionSweep()]


def build_engine(settings: Settings, sources: Sequence[Source] | None = None) -> NudgeEngine:
    """The engine with the configured channels and the default (or given) sources."""
    return NudgeEngine(
        sources=default_sources() if sources is None else sources,
        channels=make_channels(settings.nudges),
        delivery=settings.nudges,
        base_url=settings.base_url,
    )


def build_runtime(settings: Settings, sources: Sequence[Source] | None = None) -> Runtime:
    """Database, engine, job queue (rq on ``nudges.redis_url``, else in-process) and the
    xAPI outbox's sender (when an LRS is configured)."""
    db = make_engine(settings.db_url)
    migrate(db)
    nudges = build_engine(settings, sources)
    queue = make_queue(settings.nudges.redis_url, settings.nudges.queue)
    return Runtime(db, nudges, queue, Forwarder.from_settings(db, settings.lrs))
