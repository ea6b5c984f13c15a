"""Learning figures: overdue mandatory training, completion rates, pre/post progression
and quiz results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from statistics import mean
from typing import Any, Literal

from coach.admin import charts
from coach.admin.org import OrgData, Period, Person, Scope
from coach.admin.phrases import pct, say
from coach.admin.schemas import DataResult, Table
from coach.admin.tools.common import _learners, _names, columns

GroupBy = Literal["team", "role"] | None
PASS_MARK = 0.7


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
            columns=columns(lang, "col_group", "col_done", "col_population", "col_rate"),
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
            columns=columns(lang, "col_attempts", "col_avg", "col_pass"),
            rows=[[len(scores), pct(avg), pct(passed)]],
        ),
    )
