"""The admin assistant's read-only query functions, one per figure of
docs/admin-assistant.md. Each takes the organisation's data and typed filters and returns a
:class:`DataResult`: the figure in a fixed shape, the filters used, a table and (where a
picture reads better) a chart. None of them writes anything."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from statistics import mean
from typing import Any, Literal

from coach import storage
from coach.admin import charts
from coach.admin.org import OrgData, Period, Person, Scope
from coach.admin.phrases import pct, say
from coach.admin.schemas import DataResult, Table

GroupBy = Literal["team", "role"] | None
PASS_MARK = 0.7
ENGAGEMENT_DAYS = 30


def _learners(people: Sequence[Person]) -> dict[str, Any]:
    return {"type": "learners", "ids": sorted(p.id for p in people)}


def _people_table(people: Sequence[Person], lang: str, *extra: tuple[str, Callable]) -> Table:
    cols = [say(lang, "col_name"), "LMS id", say(lang, "col_team"), say(lang, "col_role")]
    rows = [
        [p.name, p.id, p.team, p.role or "", *[f(p) for _, f in extra]]
        for p in sorted(people, key=lambda p: (p.team, p.name))
    ]
    return Table(columns=cols + [name for name, _ in extra], rows=rows)


def _names(people: Sequence[Person], limit: int = 8) -> str:
    names = [p.name for p in sorted(people, key=lambda p: p.name)]
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" (+{more})" if more > 0 else "")


def session_seats(org: OrgData, session_id: str, *, lang: str = "en") -> DataResult:
    """Capacity, enrolled, waiting list and free seats of one session."""
    s = org.live_session(session_id)
    rows = org.session_enrolments(session_id)
    enrolled = sum(1 for e in rows if e.status == "enrolled")
    waitlisted = sum(1 for e in rows if e.status == "waitlisted")
    if not rows:  # no enrolments held here yet: the LMS's own count
        enrolled = s.seats_taken
    free = max(s.seats - enrolled, 0)
    label = org.session_label(session_id)
    cancelled = session_id in org.cancelled
    return DataResult(
        tool="session_seats",
        title=label,
        summary=say(
            lang, "seats", label=label, cap=s.seats, enr=enrolled, wait=waitlisted, free=free
        )
        + (" " + say(lang, "cancelled") if cancelled else ""),
        filters={"session_id": session_id},
        answer={
            "type": "seats",
            "capacity": s.seats,
            "enrolled": enrolled,
            "waitlisted": waitlisted,
            "free": free,
        },
        table=Table(
            columns=[
                say(lang, k) for k in ("col_capacity", "col_enrolled", "col_wait", "col_free")
            ],
            rows=[[s.seats, enrolled, waitlisted, free]],
        ),
    )


def session_roster(
    org: OrgData,
    session_id: str,
    *,
    which: Literal["enrolled", "waitlisted"] = "enrolled",
    lang: str = "en",
) -> DataResult:
    """Who is enrolled in one session, or who is on its waiting list (``which``); the table
    shows everyone with their status."""
    rows = org.session_enrolments(session_id)
    status = {e.user_id: e.status for e in rows if e.status != "cancelled"}
    enrolled = [org.by_user[u] for u, st in status.items() if st == which and u in org.by_user]
    label = org.session_label(session_id)
    return DataResult(
        tool="session_roster",
        title=label,
        summary=say(lang, f"roster_{which}", label=label, n=len(enrolled), names=_names(enrolled)),
        filters={"session_id": session_id, "status": which},
        answer=_learners(enrolled),
        table=_people_table(
            [org.by_user[u] for u in status if u in org.by_user],
            lang,
            (say(lang, "col_status"), lambda p: status[p.user_id]),
        ),
    )


def attendance_status(
    org: OrgData,
    session_id: str,
    *,
    scope: Scope | None = None,
    which: Literal["unsigned", "signed"] = "unsigned",
    lang: str = "en",
) -> DataResult:
    """Enrolled learners of a session who have not signed its attendance sheet (or, with
    ``which="signed"``, those who have), optionally only those in ``scope``."""
    scope = scope or Scope()
    enrolled = [
        org.by_user[e.user_id]
        for e in org.session_enrolments(session_id)
        if e.status == "enrolled" and e.user_id in org.by_user
    ]
    enrolled = [p for p in enrolled if scope.admits(p)]
    signed = org.signoffs(session_id)
    missing = [p for p in enrolled if not signed.get(p.user_id, False)]
    present = [p for p in enrolled if signed.get(p.user_id, False)]
    label = org.session_label(session_id)

    def state(p: Person) -> str:
        value = signed.get(p.user_id)
        return say(lang, "signed" if value else "absent" if value is False else "no_row")

    shown = missing if which == "unsigned" else present
    return DataResult(
        tool="attendance_status",
        title=label,
        summary=say(
            lang,
            "unsigned" if which == "unsigned" else "signed_list",
            label=label,
            n=len(shown),
            of=len(enrolled),
            names=_names(shown),
        ),
        filters={"session_id": session_id, "signed": which == "signed", **scope.describe()},
        answer={**_learners(shown), "signed": len(present), "enrolled": len(enrolled)},
        table=_people_table(enrolled, lang, (say(lang, "col_signoff"), state)),
    )


def _mandatory_status(org: OrgData, p: Person, item_id: str | None) -> list[tuple[str, date]]:
    """(item, due date) of each overdue mandatory item of one learner."""
    out = []
    assigned: dict[str, date] = {}
    for e in org.enrolments:  # an assignment's due date: the earliest of its live enrolments
        if e.user_id == p.user_id and e.status != "cancelled" and e.due_on is not None:
            assigned[e.item_id] = min(e.due_on, assigned.get(e.item_id, e.due_on))
    for item in org.catalog.mandatory:
        if item_id and item.id != item_id:
            continue
        for rule in item.mandatory_for:
            if rule.role not in (p.role, "*"):
                continue
            done = [
                r.on
                for r in org.records.get(p.user_id, [])
                if r.kind == "completion" and r.item_id == item.id
            ]
            if done and rule.renewal_days is None:
                continue
            due = (
                max(done) + timedelta(days=rule.renewal_days)
                if done and rule.renewal_days
                else assigned.get(item.id)
            )
            if due is not None and due < org.today:
                out.append((item.id, due))
            break  # one rule per item and learner is enough to decide
    return out


def overdue_mandatory(
    org: OrgData, scope: Scope, *, item_id: str | None = None, lang: str = "en"
) -> DataResult:
    """Learners in scope overdue on a mandatory item (renewal past, or assignment past due)."""
    rows = []
    late: list[Person] = []
    for p in org.scoped(scope):
        items = _mandatory_status(org, p, item_id)
        if items:
            late.append(p)
            rows += [
                [p.name, p.id, p.team, org.item_title(i), due.isoformat(), (org.today - due).days]
                for i, due in items
            ]
    filters = {
        **scope.describe(),
        **({"item_id": item_id} if item_id else {}),
        "today": org.today.isoformat(),
    }
    rows.sort(key=lambda r: (-r[5], r[0]))
    return DataResult(
        tool="overdue_mandatory",
        title=say(lang, "overdue_title"),
        summary=say(lang, "overdue", n=len(late), of=len(org.scoped(scope)), names=_names(late)),
        filters=filters,
        answer=_learners(late),
        table=Table(
            columns=[
                say(lang, "col_name"),
                "LMS id",
                say(lang, "col_team"),
                say(lang, "col_item"),
                say(lang, "col_due"),
                say(lang, "col_days_late"),
            ],
            rows=rows,
        ),
    )


def _groups(people: Sequence[Person], group_by: GroupBy) -> dict[str, list[Person]]:
    groups: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        key = "" if group_by is None else (p.team if group_by == "team" else p.role or "")
        groups[key].append(p)
    return dict(sorted(groups.items()))


def completion_rate(
    org: OrgData,
    item_id: str,
    scope: Scope,
    *,
    period: Period | None = None,
    group_by: GroupBy = None,
    lang: str = "en",
) -> DataResult:
    """Completed in the period / enrolled by its end and not complete before its start."""
    period = period or Period(date.min, org.today, "")
    enrolled_on: dict[str, date] = {}
    for e in org.enrolments:
        if e.item_id == item_id and e.status != "cancelled" and e.enrolled_on <= period.end:
            enrolled_on[e.user_id] = min(e.enrolled_on, enrolled_on.get(e.user_id, e.enrolled_on))
    done = org.completions(item_id)
    population = [
        p
        for p in org.scoped(scope)
        if p.user_id in enrolled_on
        and not (done.get(p.user_id) and min(done[p.user_id]) < period.start)
    ]
    completed = {p.user_id for p in population if any(d in period for d in done.get(p.user_id, []))}
    groups = _groups(population, group_by)
    table_rows, values = [], {}
    for key, members in groups.items():
        n_done = sum(1 for p in members if p.user_id in completed)
        values[key] = round(n_done / len(members), 4)
        table_rows.append([key or say(lang, "all"), n_done, len(members), pct(values[key])])
    title = say(lang, "completion_title", item=org.item_title(item_id))
    filters = {
        "item_id": item_id,
        **scope.describe(),
        **({"period": period.describe()} if period.start != date.min else {}),
    }
    if group_by:
        filters["group_by"] = group_by
        answer: dict[str, Any] = {"type": "by_group", "group": group_by, "values": values}
        chart = (
            charts.bars(
                list(values),
                {say(lang, "col_rate"): list(values.values())},
                title=title,
                percent=True,
            )
            if values
            else None
        )
        if not values:
            answer = {"type": "none"}
        summary = (
            say(
                lang,
                "completion_groups",
                item=org.item_title(item_id),
                n=len(values),
                detail="; ".join(f"{k}: {pct(v)}" for k, v in values.items()),
            )
            if values
            else say(lang, "no_population", item=org.item_title(item_id))
        )
    else:
        rate = values.get("")
        answer = {"type": "rate", "value": rate} if rate is not None else {"type": "none"}
        chart = None
        summary = (
            say(
                lang,
                "completion",
                item=org.item_title(item_id),
                rate=pct(rate),
                done=len(completed),
                n=len(population),
            )
            if rate is not None
            else say(lang, "no_population", item=org.item_title(item_id))
        )
    return DataResult(
        tool="completion_rate",
        title=title,
        summary=summary,
        filters=filters,
        answer=answer,
        table=Table(
            columns=[
                say(lang, "col_group"),
                say(lang, "col_done"),
                say(lang, "col_population"),
                say(lang, "col_rate"),
            ],
            rows=table_rows,
        ),
        chart=chart,
    )


def progression(org: OrgData, item_id: str, scope: Scope, *, lang: str = "en") -> DataResult:
    """Average pre-test, post-test and gain of learners who took both for the item."""
    rows = []
    for p in org.scoped(scope):
        tests = {}
        for r in org.records.get(p.user_id, []):  # oldest first: the latest of each wins
            if (
                r.kind == "quiz"
                and r.item_id == item_id
                and r.phase in ("pre", "post")
                and r.score is not None
            ):
                tests[r.phase] = r.score
        if len(tests) == 2:
            rows.append((p, tests["pre"], tests["post"]))
    title = say(lang, "progression_title", item=org.item_title(item_id))
    if not rows:
        return DataResult(
            tool="progression",
            title=title,
            summary=say(lang, "no_tests", item=org.item_title(item_id)),
            filters={"item_id": item_id, **scope.describe()},
            answer={"type": "none"},
            table=Table(columns=[]),
        )
    pre, post = mean(r[1] for r in rows), mean(r[2] for r in rows)
    gain = mean(r[2] - r[1] for r in rows)
    chart = charts.bars(
        [say(lang, "pre"), say(lang, "post")],
        {say(lang, "col_avg"): [pre, post]},
        title=title,
        percent=True,
    )
    return DataResult(
        tool="progression",
        title=title,
        summary=say(
            lang,
            "progression",
            item=org.item_title(item_id),
            pre=pct(pre),
            post=pct(post),
            gain=f"{gain * 100:+.1f}",
            n=len(rows),
        ),
        filters={"item_id": item_id, **scope.describe()},
        answer={
            "type": "progression",
            "pre": round(pre, 4),
            "post": round(post, 4),
            "gain": round(gain, 4),
            "n": len(rows),
        },
        table=Table(
            columns=[
                say(lang, "col_name"),
                "LMS id",
                say(lang, "col_team"),
                say(lang, "pre"),
                say(lang, "post"),
            ],
            rows=[[p.name, p.id, p.team, pct(a), pct(b)] for p, a, b in rows],
        ),
        chart=chart,
    )


def quiz_results(
    org: OrgData,
    scope: Scope,
    *,
    item_id: str | None = None,
    skill: str | None = None,
    period: Period | None = None,
    measure: Literal["average", "pass_rate", "attempts"] = "average",
    lang: str = "en",
) -> DataResult:
    """Quiz attempts of an item or skill in the period: count, average, pass rate
    (``measure`` picks the figure the answer leads with)."""
    scores = [
        r.score
        for p in org.scoped(scope)
        for r in org.records.get(p.user_id, [])
        if r.kind == "quiz"
        and r.score is not None
        and (item_id is None or r.item_id == item_id)
        and (skill is None or r.skill == skill)
        and (period is None or r.on in period)
    ]
    what = org.item_title(item_id) if item_id else (skill or say(lang, "all"))
    filters = {
        "measure": measure,
        **({"item_id": item_id} if item_id else {}),
        **({"skill": skill} if skill else {}),
        **scope.describe(),
        **({"period": period.describe()} if period else {}),
    }
    if not scores:
        return DataResult(
            tool="quiz_results",
            title=what,
            summary=say(lang, "no_quiz", what=what),
            filters=filters,
            answer={"type": "none"},
            table=Table(columns=[]),
        )
    avg = mean(scores)
    passed = sum(1 for s in scores if s >= PASS_MARK) / len(scores)
    return DataResult(
        tool="quiz_results",
        title=what,
        summary=say(lang, "quiz", what=what, n=len(scores), avg=pct(avg), passed=pct(passed)),
        filters=filters,
        answer={
            "type": "number" if measure == "attempts" else "rate",
            "value": {"average": round(avg, 4), "pass_rate": round(passed, 4)}.get(
                measure, len(scores)
            ),
            "attempts": len(scores),
            "average": round(avg, 4),
            "pass_rate": round(passed, 4),
        },
        table=Table(
            columns=[say(lang, "col_attempts"), say(lang, "col_avg"), say(lang, "col_pass")],
            rows=[[len(scores), pct(avg), pct(passed)]],
        ),
    )


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
    chart = (
        charts.bars(
            [r[0] for r in rows],
            {say(lang, "col_active"): [r[1] for r in rows]},
            title=say(lang, "engagement_title"),
        )
        if rows
        else None
    )
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
            columns=[
                say(lang, "col_group"),
                say(lang, "col_active"),
                say(lang, "col_minutes"),
                say(lang, "col_minutes_avg"),
            ],
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
    waits = sorted(((org.today - p.updated_at.date()).days, org.by_user[u.id]) for p, u in pending)
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
