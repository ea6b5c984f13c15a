"""Activity figures: engagement (active learners, time spent) and the path review backlog."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from coach import storage
from coach.admin import charts
from coach.admin.org import OrgData, Period, Scope
from coach.admin.phrases import say
from coach.admin.schemas import DataResult, Table
from coach.admin.tools.common import columns
from coach.admin.tools.learning import GroupBy, _groups

ENGAGEMENT_DAYS = 30
TREND_WEEKS = 6  # from this many weeks on, engagement is drawn week by week


def _weekly_active(org: OrgData, scope: Scope, period: Period) -> dict[str, int]:
    """Active learners per calendar week (Monday) of the period, oldest first."""
    weeks: dict[date, set[str]] = {}
    monday = period.start - timedelta(days=period.start.weekday())
    while monday <= period.end:
        weeks[monday] = set()
        monday += timedelta(days=7)
    for p in org.scoped(scope):
        for r in org.records.get(p.user_id, []):
            if r.on in period:
                weeks[r.on - timedelta(days=r.on.weekday())].add(p.user_id)
    return {d.isoformat(): len(users) for d, users in weeks.items()}


def engagement(
    org: OrgData,
    scope: Scope,
    *,
    period: Period | None = None,
    group_by: GroupBy = None,
    lang: str = "en",
) -> DataResult:
    """Active learners (any record dated in the period) and the minutes they spent."""
    period = period or Period(org.today - timedelta(days=ENGAGEMENT_DAYS - 1), org.today, "")
    per: dict[str, float] = {}
    for p in org.scoped(scope):
        recs = [r for r in org.records.get(p.user_id, []) if r.on in period]
        if recs:
            per[p.user_id] = sum(r.minutes or 0.0 for r in recs)
    active = [org.by_user[u] for u in per]
    minutes = round(sum(per.values()), 2)
    groups = _groups(active, group_by or "team")
    rows = [
        [
            k or "—",
            len(v),
            round(sum(per[p.user_id] for p in v)),
            round(sum(per[p.user_id] for p in v) / len(v)),
        ]
        for k, v in groups.items()
    ]
    weeks = _weekly_active(org, scope, period)
    if group_by is None and len(weeks) >= TREND_WEEKS:  # a long period reads as a trend
        chart = charts.line(
            list(weeks),
            {say(lang, "col_active"): list(weeks.values())},
            title=say(lang, "engagement_trend"),
        )
    elif rows:
        chart = charts.bars(
            [r[0] for r in rows],
            {say(lang, "col_active"): [r[1] for r in rows]},
            title=say(lang, "engagement_title"),
        )
    else:
        chart = None
    return DataResult(
        tool="engagement",
        title=say(lang, "engagement_title"),
        summary=say(
            lang,
            "engagement",
            n=len(active),
            minutes=round(minutes),
            avg=round(minutes / len(active)) if active else 0,
            start=period.start.isoformat(),
            end=period.end.isoformat(),
        ),
        filters={**scope.describe(), "period": period.describe(), "group_by": group_by or "team"},
        answer={"type": "engagement", "active": len(active), "minutes": minutes},
        table=Table(
            columns=columns(lang, "col_group", "col_active", "col_minutes", "col_minutes_avg"),
            rows=rows,
        ),
        chart=chart,
    )


def path_backlog(org: OrgData, scope: Scope, *, lang: str = "en") -> DataResult:
    """Paths submitted for review and not yet decided: how many, oldest wait, by team."""
    viewer = storage.Viewer(id="", org_id=org.org_id, role="admin")
    rows, _ = storage.list_paths(
        org.session, viewer=viewer, status="pending", team=scope.team, role=scope.role, limit=None
    )
    pending = [(p, u) for p, u in rows if u.id in org.by_user and scope.admits(org.by_user[u.id])]
    waits = sorted(  # changed after the planning date: waited 0 days, not -n
        ((max((org.today - p.updated_at.date()).days, 0), org.by_user[u.id]) for p, u in pending),
        key=lambda w: (w[0], w[1].name),  # people do not compare: a tie must not reach them
    )
    oldest = waits[-1][0] if waits else 0
    by_team: dict[str, int] = defaultdict(int)
    for _, person in waits:
        by_team[person.team or "—"] += 1
    return DataResult(
        tool="path_backlog",
        title=say(lang, "backlog_title"),
        summary=say(lang, "backlog", n=len(pending), oldest=oldest),
        filters={**scope.describe(), "status": "pending"},
        answer={"type": "number", "value": len(pending), "oldest_days": oldest},
        table=Table(
            columns=[
                say(lang, "col_name"),
                "LMS id",
                say(lang, "col_team"),
                say(lang, "col_waiting"),
            ],
            rows=[[p.name, p.id, p.team, days] for days, p in reversed(waits)],
        ),
        chart=charts.bars(
            list(by_team),
            {say(lang, "backlog_title"): list(by_team.values())},
            title=say(lang, "backlog_title"),
        )
        if by_team
        else None,
    )
