"""The guard rails: which candidates become planned nudges, when, on which channels.

Pure: :func:`plan` reads the candidates, the recipients (time zone, language, open
channels, hold-out), what is already planned or sent (:class:`Ledger`), the cancelled
sessions and the clock, and returns what to send and what was dropped with the rule that
dropped it. Candidates are taken by priority (then time, then key), so when the weekly
budget cannot take them all the most useful ones go first. The delivery job checks
opt-outs and cancellations again at send time: a change is honoured immediately.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coach.nudges.candidate import Candidate
from coach.org_settings import NudgeSettings

WEEK = timedelta(days=7)
RULES = (
    "disabled",
    "unknown_recipient",
    "holdout",
    "duplicate",
    "cancelled",
    "opted_out",
    "expired",
    "rate_limit",
)


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who receives nudges, as the planner needs them."""

    user_id: str
    timezone: str | None = None
    """Their own IANA zone (profile ``timezone``), else the organisation's."""
    language: str = "en"
    channels: tuple[str, ...] = ("feed",)
    """The channels open to them now: reachable and not opted out."""
    holdout: bool = False


@dataclass(frozen=True, slots=True)
class Planned:
    candidate: Candidate
    send_at: datetime
    channels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dropped:
    candidate: Candidate
    rule: str


@dataclass
class Ledger:
    """Nudges already planned or sent: their send times per recipient (one per key) and
    their keys. :func:`plan` adds what it plans, so one ledger serves a whole run."""

    times: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    keys: set[tuple[str, str]] = field(default_factory=set)
    _counted: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def add(self, user_id: str, key: str, at: datetime, *, counts: bool = True) -> None:
        """Record a nudge: its key (never planned again) and, when it ``counts`` toward the
        weekly limit (planned or sent, not skipped or failed), its time (once per key)."""
        self.keys.add((user_id, key))
        if counts and (user_id, key) not in self._counted:
            self._counted.add((user_id, key))
            bisect.insort(self.times[user_id], at)

    def fits(self, user_id: str, at: datetime, limit: int) -> bool:
        """Whether one more nudge at ``at`` keeps every rolling 7 days at ``limit`` or less."""
        if limit <= 0:
            return False
        times = self.times.get(user_id, [])
        lo, hi = bisect.bisect_right(times, at - WEEK), bisect.bisect_left(times, at + WEEK)
        near = times[lo:hi]
        if len(near) < limit:
            return True
        for start in [*(t for t in near if t <= at), at]:  # windows [start, start + 7 days)
            count = 1 + sum(1 for t in near if start <= t < start + WEEK)
            if count > limit:
                return False
        return True


@dataclass
class Plan:
    planned: list[Planned] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"planned": len(self.planned)}
        for d in self.dropped:
            out[d.rule] = out.get(d.rule, 0) + 1
        return out


def is_quiet(at: datetime, tz: ZoneInfo, start: time, end: time) -> bool:
    """Whether ``at`` falls in the quiet hours [start, end) of ``tz`` (00:00-00:00: never)."""
    if start == end:
        return False
    local = at.astimezone(tz).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def next_allowed(at: datetime, tz: ZoneInfo, start: time, end: time) -> datetime:
    """``at``, or the end of the quiet hours it falls in (in ``tz``), as UTC."""
    if not is_quiet(at, tz, start, end):
        return at.astimezone(UTC)
    local = at.astimezone(tz)
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)


def plan(
    candidates: Iterable[Candidate],
    *,
    settings: NudgeSettings,
    recipients: Mapping[str, Recipient],
    ledger: Ledger,
    cancelled: Set[str],
    now: datetime,
) -> Plan:
    """Apply every guard rail to ``candidates``; ``ledger`` gains what is planned."""
    out = Plan()
    zones: dict[str, ZoneInfo] = {}
    ordered = sorted(candidates, key=lambda c: (-c.priority, c.not_before, c.user_id, c.key))
    for c in ordered:
        rule = None
        who = recipients.get(c.user_id)
        about = recipients.get(c.about) if c.about else None
        if not settings.enabled:
            rule = "disabled"
        elif who is None:
            rule = "unknown_recipient"
        elif who.holdout or (about is not None and about.holdout):
            rule = "holdout"
        elif (c.user_id, c.key) in ledger.keys:
            rule = "duplicate"
        elif c.session_id is not None and c.session_id in cancelled:
            rule = "cancelled"
        elif not who.channels:
            rule = "opted_out"
        if rule is not None:
            out.dropped.append(Dropped(c, rule))
            continue
        assert who is not None
        name = who.timezone or settings.timezone
        tz = zones.get(name) or zones.setdefault(name, ZoneInfo(name))
        send_at = next_allowed(max(c.not_before, now), tz, settings.quiet_start, settings.quiet_end)
        if c.expires_at is not None and send_at >= c.expires_at:
            out.dropped.append(Dropped(c, "expired"))
        elif not ledger.fits(c.user_id, send_at, settings.max_per_week):
            out.dropped.append(Dropped(c, "rate_limit"))
        else:
            ledger.add(c.user_id, c.key, send_at)
            out.planned.append(Planned(c, send_at, who.channels))
    return out
