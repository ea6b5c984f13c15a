"""The nudge engine: plan an organisation's day, deliver one nudge.

:meth:`NudgeEngine.plan_day` gathers candidates from its sources (the built-in rules, and
whatever the surveys and managers parts register), applies the guard rails with what is
already planned or sent, renders each planned nudge in its recipient's language and stores
one row per channel; running it again for the same day adds nothing.
:meth:`NudgeEngine.deliver` claims one row, checks opt-outs, cancellation and expiry
*again* (a change since planning is honoured), sends it, and records the outcome: a
channel that is down puts the row back with exponential back-off, until
``max_attempts`` marks it failed (kept and visible, never silently dropped).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.candidate import Candidate, Source
from coach.nudges.channels import Channel, DeliveryError, OutgoingMessage
from coach.nudges.gather import People, learner_states, recipients, zone
from coach.nudges.holdout import draw
from coach.nudges.plan import Dropped, Ledger, Plan, next_allowed, plan
from coach.nudges.rules import learner_candidates
from coach.nudges.state import RuleConfig
from coach.nudges.templates import Rendered, Templates, default_templates
from coach.org_settings import NudgeSettings
from coach.paths.world import NoCatalog, World
from coach.settings import NudgeDeliverySettings
from coach.storage.models import new_id

HISTORY = timedelta(days=90)
"""How far back stored nudges count for duplicates (rule keys name their day or object)."""


class RuleSource:
    """The built-in rules as a :class:`~coach.nudges.candidate.Source`."""

    def __init__(self, config: RuleConfig | None = None, world: World | None = None) -> None:
        self.config = config or RuleConfig()
        self.world = world or World()

    def candidates(self, session: Session, *, org_id: str, day: date) -> Iterable[Candidate]:
        """The rules' candidates for every learner of the organisation on ``day``."""
        org_zone = storage.org_settings(session, org_id=org_id).nudges.timezone
        try:
            catalog = self.world.catalog(session, org_id)
        except NoCatalog:
            catalog = None
        states = learner_states(session, org_id=org_id, day=day, org_zone=org_zone, catalog=catalog)
        cache: dict[str, ZoneInfo] = {}
        for st in states:
            name = st.timezone or org_zone
            tz = cache.get(name) or cache.setdefault(name, ZoneInfo(name))
            yield from learner_candidates(st, day=day, tz=tz, config=self.config)


@dataclass
class PlanReport:
    """What a planning run did: per rule, how many candidates it dropped."""

    org_id: str
    day: date
    candidates: int
    counts: dict[str, int]
    added: dict[str, datetime] = field(default_factory=dict)
    """The rows this run stored: id → send time (what delivery jobs are enqueued for)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Time spent per phase: recipients (with the hold-out draw), candidates, plan, store."""


class _Stopwatch:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 4)
        self._last = now


def ensure_holdout(
    session: Session, *, org_id: str, settings: NudgeSettings, people: People | None = None
) -> dict[str, bool]:
    """Draw the learners not drawn yet (all of them after a change of seed or share) and
    return every learner's group (True: held out)."""
    recorded = storage.holdout_draws(session, org_id=org_id)
    stale = any(
        r.seed != settings.holdout_seed or abs(r.share - settings.holdout_share) > 1e-9
        for r in recorded.values()
    )
    if stale:
        recorded = {}
    teams: dict[str, list[str]] = {}
    next_position: dict[str, int] = {}
    for r in recorded.values():
        next_position[r.team] = max(next_position.get(r.team, 0), r.position + 1)
    people = storage.nudge_people(session, org_id=org_id) if people is None else people
    for p in people:
        if p.role == "learner" and p.team is not None and p.id not in recorded:
            teams.setdefault(p.team, []).append(p.id)
    draws = draw(
        teams, recorded=next_position, share=settings.holdout_share, seed=settings.holdout_seed
    )
    if draws or stale:
        storage.save_holdout_draws(
            session,
            org_id=org_id,
            draws=[
                {"user_id": d.user_id, "team": d.team, "position": d.position, "holdout": d.holdout}
                for d in draws
            ],
            seed=settings.holdout_seed,
            share=settings.holdout_share,
            replace=stale,
        )
    groups = {u: r.holdout for u, r in recorded.items()}
    groups.update({d.user_id: d.holdout for d in draws})
    return groups


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a planning run.

    A run holds some hundred thousand rows, objects and candidates at once, and every full
    collection walks all of them: on 10,000 learners that was a third of the run's CPU time
    (docs/nudges.md). Reference counting still frees everything not caught in a cycle; the
    collector resumes afterwards (left alone if something else had disabled it).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def backoff(attempts: int, settings: NudgeDeliverySettings) -> timedelta:
    """The wait after the ``attempts``-th failure: doubling from the base, capped."""
    return timedelta(
        seconds=min(settings.retry_base_s * 2 ** max(attempts - 1, 0), settings.retry_max_s)
    )


class NudgeEngine:
    """Plans and delivers nudges.

    Args:
        sources: who proposes nudges (default: the built-in rules only). The surveys and
            managers parts add theirs: ``NudgeEngine(sources=[RuleSource(), *others])``.
        channels: channel name → :class:`Channel` (``make_channels(settings)``).
        delivery: retry, lease and back-off settings.
        templates: the texts (default: the built-in file).
        base_url: the service's public URL, prefixed to deep links.
        clock: the current time (UTC), for tests and the benchmark.
    """

    def __init__(
        self,
        *,
        sources: Sequence[Source] | None = None,
        channels: Mapping[str, Channel] | None = None,
        delivery: NudgeDeliverySettings | None = None,
        templates: Templates | None = None,
        base_url: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.sources: list[Source] = list(sources) if sources is not None else [RuleSource()]
        self.channels = dict(channels or {})
        self.delivery = delivery or NudgeDeliverySettings()
        self.templates = templates or default_templates()
        self.base_url = base_url.rstrip("/")
        self.clock = clock or (lambda: datetime.now(UTC))

    def plan_day(
        self, session: Session, *, org_id: str, day: date, now: datetime | None = None
    ) -> PlanReport:
        """Plan ``day`` for one organisation (idempotent: a rerun adds nothing new)."""
        with cycle_collection_paused():
            return self._plan_day(session, org_id=org_id, day=day, now=now or self.clock())

    def _plan_day(self, session: Session, *, org_id: str, day: date, now: datetime) -> PlanReport:
        clock = _Stopwatch()
        settings = storage.org_settings(session, org_id=org_id).nudges
        people = storage.nudge_people(session, org_id=org_id)
        groups = ensure_holdout(session, org_id=org_id, settings=settings, people=people)
        who = recipients(
            people,
            storage.org_nudge_preferences(session, org_id=org_id),
            default_zone=settings.timezone,
            holdout=groups,
            channels=list(self.channels),
        )
        clock.lap("recipients")
        candidates = [
            c for src in self.sources for c in src.candidates(session, org_id=org_id, day=day)
        ]
        clock.lap("candidates")
        known = [c for c in candidates if c.kind in self.templates.kinds]
        ledger = Ledger()
        for user, key, at, status in storage.nudge_keys_since(
            session, org_id=org_id, since=now - HISTORY
        ):
            # a failed or skipped key is not planned again either, but does not count
            ledger.add(user, key, at, counts=status in ("planned", "sending", "sent"))
        statuses = storage.session_statuses(session, org_id=org_id)
        cancelled = {sid for sid, status in statuses.items() if status == "cancelled"}
        result = plan(
            known, settings=settings, recipients=who, ledger=ledger, cancelled=cancelled, now=now
        )
        result.dropped += [
            Dropped(c, "no_template") for c in candidates if c.kind not in self.templates.kinds
        ]
        clock.lap("plan")
        rows = self._rows(result, who)
        inserted = set(storage.save_planned_nudges(session, rows=rows))
        added = {r["id"]: r["send_at"] for r in rows if r["id"] in inserted}
        counts = result.counts()
        storage.log_event(
            session,
            org_id=org_id,
            type="nudges.planned",
            payload={"day": day.isoformat(), "candidates": len(candidates), **counts},
        )
        clock.lap("store")
        return PlanReport(org_id, day, len(candidates), counts, added, clock.laps)

    def _rows(self, result: Plan, who: Mapping[str, Any]) -> list[dict[str, Any]]:
        rows = []
        texts: dict[tuple[Any, ...], Rendered] = {}  # a session's reminder reads alike for all
        for p in result.planned:
            c = p.candidate
            text = self._render(c, who[c.user_id].language, texts)
            for channel in p.channels:
                rows.append(
                    {
                        "id": new_id(),
                        "org_id": c.org_id,
                        "user_id": c.user_id,
                        "key": c.key,
                        "channel": channel,
                        "kind": c.kind,
                        "send_at": p.send_at,
                        "expires_at": c.expires_at,
                        "session_id": c.session_id,
                        "about": c.about,
                        "language": text.language,
                        "subject": text.subject,
                        "body": text.body,
                        "link": c.link,
                        "reason": c.reason,
                        "priority": c.priority,
                    }
                )
        return rows

    def _render(
        self, c: Candidate, language: str, texts: dict[tuple[Any, ...], Rendered]
    ) -> Rendered:
        """``c`` rendered in ``language``, once per distinct kind, language and parameters."""
        key = (c.kind, language, *((k, type(v), v) for k, v in c.params.items()))
        try:
            text = texts.get(key)
        except TypeError:  # a parameter that cannot be hashed (a list): rendered apart
            return self.templates.render(c.kind, c.params, language)
        if text is None:
            text = texts[key] = self.templates.render(c.kind, c.params, language)
        return text

    def deliver(self, engine: Engine, *, nudge_id: str, now: datetime | None = None) -> str:
        """Deliver one nudge if it is due and nobody else has it; returns the outcome
        (``sent``, ``retry``, ``failed``, ``postponed`` (quiet hours), ``skipped:<why>`` or
        ``not_due_or_taken``)."""
        now = now or self.clock()
        lease = timedelta(seconds=self.delivery.lease_s)
        with Session(engine) as session, session.begin():
            nudge = storage.claim_nudge(session, nudge_id=nudge_id, now=now, lease=lease)
            if nudge is None:
                return "not_due_or_taken"
            why, message = self._check(session, nudge, now)
            if why is not None:
                storage.finish_nudge(session, nudge=nudge, status="skipped", now=now, error=why)
                return f"skipped:{why}"
            allowed = self._allowed(session, nudge)
            if allowed(now) != now:  # a worker catching up at night: wait for the morning
                nudge.attempts -= 1
                storage.finish_nudge(
                    session, nudge=nudge, status="planned", now=now, retry_at=allowed(now)
                )
                return "postponed"
            attempts, channel = nudge.attempts, self.channels[nudge.channel]
        # the claim is committed: another worker retrying this job now finds it taken
        try:
            assert message is not None
            channel.send(message)
            outcome, error, retry_at = "sent", "", None
        except DeliveryError as err:
            error = str(err)[:2000]
            if attempts >= self.delivery.max_attempts:
                outcome, retry_at = "failed", None
            else:
                outcome = "retry"
                retry_at = allowed(now + backoff(attempts, self.delivery))
        with Session(engine) as session, session.begin():
            nudge = session.get(storage.Nudge, nudge_id)
            assert nudge is not None
            status = "planned" if outcome == "retry" else outcome
            storage.finish_nudge(
                session, nudge=nudge, status=status, now=now, error=error, retry_at=retry_at
            )
        return outcome

    def _allowed(self, session: Session, nudge: storage.Nudge) -> Callable[[datetime], datetime]:
        """The recipient's quiet hours, as a function: a time → the first allowed one."""
        settings = storage.org_settings(session, org_id=nudge.org_id).nudges
        profile = session.get(storage.LearnerProfile, nudge.user_id)
        name = zone(profile.data.get("timezone") if profile else None, settings.timezone)
        tz = ZoneInfo(name)
        return lambda at: next_allowed(at, tz, settings.quiet_start, settings.quiet_end)

    def _check(
        self, session: Session, nudge: storage.Nudge, now: datetime
    ) -> tuple[str | None, OutgoingMessage | None]:
        if nudge.channel not in self.channels:
            return "channel_not_configured", None
        pref = storage.nudge_preferences(session, user_id=nudge.user_id)
        if pref is not None and nudge.channel in pref.opted_out:
            return "opted_out", None
        if nudge.session_id:
            statuses = storage.session_statuses(session, org_id=nudge.org_id)
            if statuses.get(nudge.session_id) == "cancelled":
                return "cancelled", None
        if nudge.expires_at is not None and now >= nudge.expires_at:
            return "expired", None
        user = storage.get_user(session, user_id=nudge.user_id)
        if user.disabled:
            return "user_disabled", None
        address = {
            "feed": user.id,
            "email": user.email or "",
            "webhook": (pref.webhook_url if pref else None) or "",
        }[nudge.channel]
        if not address:
            return "no_address", None
        message = OutgoingMessage(
            nudge.id, address, nudge.subject, nudge.body, self.base_url + nudge.link, nudge.language
        )
        return None, message

    def close(self) -> None:
        """Release the channels' connections."""
        for channel in self.channels.values():
            channel.close()
