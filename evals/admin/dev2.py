"""A second independent development set of the admin assistant.

``python -m evals.admin.dev2 ORG_DIR`` writes ``ORG_DIR/dev2_questions.jsonl`` for an
organisation written by ``python -m evals.admin.generate ORG_DIR``. The questions are in
``evals/admin/dev2.yaml``: how-to questions (written from the admin guide in
``demo/admin-docs/``, each with the file and ``## `` section that answers it), out-of-scope
questions (gold: a refusal), and data, action and clarify questions whose placeholders
(dates, session ids, names) and gold answers are computed here from the organisation's
files, by :mod:`evals.admin.gold` only. Their phrasings are deliberately unlike templates:
context first, questions inside requests, French with English course names and the reverse,
abbreviations, typos, a learner named before their team.

Development only (``"split": "dev"``): nothing of the evaluation's held-out questions went
into it. The output depends on the organisation alone. The questions are written for the
default organisation (seed 7, today 2026-11-26): another seed or date may lose a situation
one of them needs (a session next Thursday, two Thomases in last Tuesday's session), which
stops with a ValueError rather than writing a wrong gold.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from evals.admin import gold as g
from evals.admin.periods import day_en, day_fr, last_weekday, month, next_weekday, periods, quarter

SPEC = Path(__file__).with_name("dev2.yaml")
OUT_NAME = "dev2_questions.jsonl"
KINDS = {"action": "action", "clarify": "clarify"}  # gold type -> kind; others are "data"
Gold = dict[str, Any]


# gold shapes (every figure in them comes from evals.admin.gold) --------------------------


def learners(ids: list[str] | set[str]) -> Gold:
    return {"type": "learners", "ids": sorted(ids)}


def number(value: int) -> Gold:
    return {"type": "number", "value": value}


def rate(value: float | None) -> Gold:
    if value is None:
        raise ValueError("no rate: the population is empty")
    return {"type": "rate", "value": round(value, 4)}


def clarify() -> Gold:
    return {"type": "clarify"}


def action(kind: str, **args: Any) -> Gold:
    if "learner_ids" in args:
        if not args["learner_ids"]:
            raise ValueError(f"{kind}: nobody to act on")
        args["learner_ids"] = sorted(args["learner_ids"])
    return {"type": "action", "action": kind, "args": args}


class Dev2:
    """The organisation's data, the written questions and the lines made of them."""

    def __init__(self, data: g.OrgData, asked: dict[str, dict[str, str]]) -> None:
        self.d = data
        self.today = data.today
        self.p = periods(data.today)
        self.asked = asked
        self.by_name = {p.name: p.id for p in data.people.values()}
        self.rows: list[dict[str, Any]] = []
        self.lt = last_weekday(self.today, 1)  # last Tuesday
        self.lth = last_weekday(self.today, 3)  # last Thursday
        self.nth = next_weekday(self.today, 3)  # next Thursday

    def ask(self, key: str, gold: Gold, /, **fill: str) -> None:
        """Add the question ``key`` of dev2.yaml, its placeholders filled, with its gold."""
        ((lang, text),) = self.asked.pop(key).items()
        self.rows.append(
            {
                "template": key,
                "family": f"dev2_{key}",
                "split": "dev",
                "language": lang,
                "kind": KINDS.get(gold["type"], "data"),
                "question": text.format(**fill),
                "gold": gold,
            }
        )

    # organisation look-ups --------------------------------------------------------------

    def who(self, name: str) -> str:
        return self.by_name[name]

    def name(self, learner_id: str) -> str:
        return self.d.people[learner_id].name

    def team_of(self, name: str) -> set[str]:
        return g.team(self.d, self.d.people[self.who(name)].team)

    def team(self, name: str) -> set[str]:
        return g.team(self.d, name)

    def managed(self, manager: str) -> set[str]:
        return g.managed_by(self.d, manager)

    def on(self, item: str, day: date) -> str:
        """The single session of ``item`` on ``day``."""
        found = g.sessions_of(self.d, item, (day, day))
        if len(found) != 1:
            raise ValueError(f"{item} on {day}: {found}")
        return found[0]

    def last(self, item: str) -> str:
        """The item's most recent session before today."""
        return g.sessions_of(self.d, item, (None, self.today - timedelta(days=1)))[-1]

    def next(self, item: str) -> str:
        """The item's next session, alone on its day."""
        sid = g.next_session(self.d, item)
        if sid is None:
            raise ValueError(f"no next session of {item}")
        return self.on(item, self.d.sessions[sid].day)

    def en(self, sid: str) -> str:
        return day_en(self.d.sessions[sid].day, self.today)

    def fr(self, sid: str) -> str:
        return day_fr(self.d.sessions[sid].day, self.today)

    def said(self, key: str, lang: str, n: int = 0) -> str:
        """How the period ``key`` is said (the n-th way)."""
        return getattr(self.p[key], lang)[n]

    # figures ----------------------------------------------------------------------------

    def seats(self, sid: str) -> Gold:
        return {"type": "seats", **g.seats(self.d, sid)}

    def signed(self, sid: str, pool: set[str] | None = None) -> list[str]:
        return g.sign_off(self.d, sid, pool)[0]

    def unsigned(self, sid: str, pool: set[str] | None = None) -> list[str]:
        return g.sign_off(self.d, sid, pool)[1]

    def enrolled(self, sid: str, status: str = "enrolled") -> list[str]:
        return g.session_enrolments(self.d, sid, status)

    def overdue(self, item: str | None, pool: set[str]) -> list[str]:
        return g.overdue(self.d, item, pool)

    def rate(self, item: str, key: str | None = None, pool: set[str] | None = None) -> Gold:
        period = self.p[key].range if key else None
        return rate(g.completion_rate(self.d, item, period, pool))

    def by(self, item: str, group: str, key: str) -> Gold:
        values = g.completion_by(self.d, item, group, self.p[key].range)
        return {"type": "by_group", "group": group, "values": values}

    def progression(self, item: str, pool: set[str] | None = None) -> Gold:
        found = g.progression(self.d, item, pool)
        if found is None:
            raise ValueError(f"no progression for {item}")
        return {"type": "progression", **found}

    def quiz(self, measure: str, key: str, **what: str) -> Gold:
        found = g.quiz_results(self.d, period=self.p[key].range, **what)
        return number(found[measure]) if measure == "attempts" else rate(found[measure])

    def engagement(self, period: g.Range | None, pool: set[str] | None = None) -> Gold:
        found = g.engagement(self.d, period, pool)
        return {"type": "engagement", "active": found["active"], "minutes": found["minutes"]}

    # the questions ----------------------------------------------------------------------

    def attendance(self) -> None:
        ask, gdpr = self.ask, self.on("gdpr-workshop", self.lt)
        earlier = g.sessions_of(self.d, "gdpr-workshop", (None, self.lt - timedelta(days=1)))[-1]
        fire, mh, sst = self.last("fire-safety"), self.last("manual-handling"), self.last("sst")
        ask("signoff_story", learners(self.unsigned(gdpr)))
        ask("signoff_signed", learners(self.signed(gdpr)))
        ask("signoff_id_terse", learners(self.unsigned(fire)), sid=fire)
        ask("signoff_team", learners(self.unsigned(gdpr, self.team("Lyon Sales"))))
        ask("signoff_count", number(len(self.signed(mh))), day=self.en(mh))
        pool = self.managed("Sarah O'Brien")
        ask("signoff_manager", learners(self.unsigned(fire, pool)), day=self.fr(fire))
        day = f"{self.d.sessions[earlier].day:%d/%m/%Y}"
        ask("signoff_dmy", learners(self.unsigned(earlier)), day=day)
        ask("signoff_count_sst", number(len(self.unsigned(sst))), day=self.fr(sst))

    def sessions(self) -> None:
        ask = self.ask
        fire, sst, clinic = self.next("fire-safety"), self.next("sst"), self.next("python-clinic")
        gdpr, feedback = self.next("gdpr-workshop"), self.next("feedback-workshop")
        mh = self.on("manual-handling", self.nth)
        queued = [
            s.id
            for s in sorted(self.d.sessions.values(), key=lambda s: (s.day, s.id))
            if s.day > self.today and self.enrolled(s.id, "waitlisted")
        ]
        ask("seats_next_story", self.seats(fire))
        ask("seats_next_sst", self.seats(sst))
        ask("seats_id_terse", self.seats(gdpr), sid=gdpr)
        ask("seats_date", self.seats(clinic), day=self.fr(clinic))
        ask("seats_next_thursday", self.seats(mh))
        ask("waitlist_count", number(len(self.enrolled(queued[-1], "waitlisted"))), sid=queued[-1])
        ask("waitlist_roster", learners(self.enrolled(queued[0], "waitlisted")), sid=queued[0])
        ask("roster_date", learners(self.enrolled(feedback)), day=self.en(feedback))
        ask("roster_count", number(len(self.enrolled(mh))), day=self.fr(mh))

    def mandatory(self) -> None:
        ask, overdue, team, managed = self.ask, self.overdue, self.team, self.managed
        ask("overdue_team", learners(overdue("code-of-conduct", team("Lyon Finance"))))
        gareth = managed("Gareth Hughes")
        ask("overdue_manager_story", learners(overdue("fire-safety", gareth)))
        analytics = team("Manchester Analytics")
        ask("overdue_count_cyber", number(len(overdue("cybersecurite", analytics))))
        ask("overdue_any_manager", learners(overdue(None, managed("Julien Moreau"))))
        officers = g.with_role(self.d, "finance-officer")
        ask("overdue_role_terse", learners(overdue("anti-bribery", officers)))
        luc = self.team_of("Luc Perrin")
        ask("overdue_learner_team", learners(overdue("rgpd-fondamentaux", luc)))
        operatives = g.with_role(self.d, "warehouse-operative")
        ask("overdue_role_fr", learners(overdue("manual-handling", operatives)))
        sarah = managed("Sarah O'Brien")
        ask("overdue_count_manager", number(len(overdue(None, sarah))))
        ask("overdue_course_en", learners(overdue("fire-safety", team("Lyon Warehouse"))))
        thomas = self.team_of("Thomas Wright")
        ask("overdue_teammates", learners(overdue("cybersecurite", thomas)))

    def completion(self) -> None:
        ask, said = self.ask, self.said
        ask("rate_year", self.rate("python-analysts", "this_year"))
        lq = "last_quarter"
        ask("rate_quarter", self.rate("leadership-essentials", lq), period=said(lq, "fr"))
        ask("by_team_committee", self.by("code-of-conduct", "team", "this_quarter"))
        ask("by_role", self.by("cybersecurite", "role", "month_1"), period=said("month_1", "fr"))
        finance = self.team("Lyon Finance")
        ask("rate_team_fr_course", self.rate("excel-tcd", None, finance))
        priya = self.managed("Priya Shah")
        gold = self.rate("code-of-conduct", "since", priya)
        ask("rate_manager_since", gold, period=said("since", "fr"))
        gold = self.rate("time-management", "between")
        ask("rate_between", gold, period=said("between", "en"))
        ask("rate_terse", self.rate("anti-bribery", "last_90_days"))
        marie = self.team_of("Marie Nguyen")
        ask("rate_learner_team", self.rate("rgpd-fondamentaux", "this_year", marie))
        ask("by_team_fire", self.by("fire-safety", "team", "this_year"))
        ask("rate_q_code", self.rate("sst", lq), period=said(lq, "en", 1))
        ask("rate_all_time", self.rate("gdpr-workshop"))

    def tests(self) -> None:
        ask = self.ask
        ask("prog_terse", self.progression("python-analysts"))
        ask("prog_fr_course", self.progression("rgpd-fondamentaux"))
        leaders = g.with_role(self.d, "team-leader")
        ask("prog_role", self.progression("leadership-essentials", leaders))
        analytics = self.team("Manchester Analytics")
        ask("prog_team", self.progression("python-analysts", analytics))
        ask("quiz_attempts_skill", self.quiz("attempts", "this_year", skill="security.phishing"))
        gold = self.quiz("pass_rate", "last_90_days", item_id="python-analysts")
        ask("quiz_pass", gold, period=self.said("last_90_days", "fr"))
        gold = self.quiz("average", "last_quarter", skill="data_protection.principles")
        ask("quiz_average_skill", gold)

    def activity(self) -> None:
        ask, p, team = self.ask, self.p, self.team
        yesterday = self.today - timedelta(days=1)
        ask("eng_newsletter", self.engagement(p["last_month"].range))
        ask("eng_team_week", self.engagement(p["this_week"].range, team("Lyon Sales")))
        ask("eng_default_team", self.engagement(None, team("Manchester Sales")))
        bernard = self.managed("Nicolas Bernard")
        ask("eng_manager", self.engagement(p["last_7_days"].range, bernard))
        analysts = g.with_role(self.d, "data-analyst")
        gold = self.engagement(p["last_quarter"].range, analysts)
        ask("eng_role_quarter", gold, period=self.said("last_quarter", "en", 1))
        ask("eng_yesterday", self.engagement((yesterday, yesterday)))
        gold = self.engagement(p["between"].range, team("Lyon HR"))
        ask("eng_range", gold, period=self.said("between", "en", 1))
        start, end = quarter(self.today, -2)
        gold = self.engagement((start, end), team("Lyon Transport"))
        ask("eng_quarter", gold, period=f"T{(start.month - 1) // 3 + 1} {start.year}")
        first, last = month(self.today, -1)
        gold = self.engagement((first, last), self.managed("Priya Shah"))
        ask(
            "eng_dates",
            gold,
            start=day_fr(first, self.today, year=True),
            end=day_fr(last, self.today, year=True),
        )

    def actions(self) -> None:
        ask, who = self.ask, self.who
        gdpr_lt = self.on("gdpr-workshop", self.lt)
        fire, gdpr, sst = self.next("fire-safety"), self.next("gdpr-workshop"), self.next("sst")
        clinic, feedback = self.next("python-clinic"), self.next("feedback-workshop")
        mh_next, mh_last = self.on("manual-handling", self.nth), self.last("manual-handling")
        sst_last = self.last("sst")
        ask("enrol_story", action("enrol", learner_ids=[who("Ana Ribeiro")], session_id=fire))
        gold = action("enrol", learner_ids=[who("Thomas Girard")], item_id="python-analysts")
        ask("enrol_item", gold)
        gold = action("enrol", learner_ids=[who("Marie Nguyen")], session_id=gdpr)
        ask("enrol_date", gold, day=self.en(gdpr))
        gold = action("enrol", learner_ids=[who("Luc Perrin")], session_id=sst)
        ask("enrol_sst", gold, day=self.fr(sst))
        gold = action("enrol", learner_ids=[who("Thomas Wright")], session_id=gdpr)
        ask("enrol_next_terse", gold)
        gold = action("enrol", learner_ids=[who("Marie Nguyen")], item_id="time-management")
        ask("enrol_course_fr", gold)
        late = self.overdue("code-of-conduct", self.team("Lyon Finance"))
        ask("remind_overdue_team", action("remind", learner_ids=late, item_id="code-of-conduct"))
        missing = self.unsigned(gdpr_lt)
        ask("remind_unsigned", action("remind", learner_ids=missing, session_id=gdpr_lt))
        late = self.overdue("fire-safety", self.managed("Gareth Hughes"))
        ask("remind_manager", action("remind", learner_ids=late, item_id="fire-safety"))
        gold = action("remind", learner_ids=[who("Marie Nguyen")], item_id="cybersecurite")
        ask("remind_one", gold)
        late = self.overdue("rgpd-fondamentaux", self.managed("Priya Shah"))
        ask("remind_manager_fr", action("remind", learner_ids=late, item_id="rgpd-fondamentaux"))
        gold = action("remind", learner_ids=self.enrolled(mh_next), session_id=mh_next)
        ask("remind_session", gold, day=self.en(mh_next))
        for name, learner in zip(("mark_signed", "mark_present"), missing[:2], strict=True):
            gold = action("mark_attendance", learner_ids=[learner], session_id=gdpr_lt, signed=True)
            ask(name, gold, name=self.name(learner))
        wrong = self.signed(mh_last)[0]
        gold = action("mark_attendance", learner_ids=[wrong], session_id=mh_last, signed=False)
        ask("mark_not_signed", gold, name=self.name(wrong), sid=mh_last)
        absent = self.signed(sst_last)[0]
        gold = action("mark_attendance", learner_ids=[absent], session_id=sst_last, signed=False)
        ask("mark_absent", gold, name=self.name(absent), day=self.fr(sst_last))
        ask("cancel_story", action("cancel_session", session_id=clinic), day=self.en(clinic))
        ask("cancel_next_thursday", action("cancel_session", session_id=mh_next))
        ask("cancel_terse", action("cancel_session", session_id=feedback), sid=feedback)

    def clarify(self) -> None:
        """Questions that must be asked back; the ambiguities they rely on are checked."""
        d, ask = self.d, self.ask
        thomases = {p.id for p in d.people.values() if p.name.split()[0] == "Thomas"}
        maries = {p.manager for p in d.people.values() if p.manager.startswith("Marie ")}
        lyon = {p.team for p in d.people.values() if p.team.startswith("Lyon ")}
        gdpr_thomases = thomases & set(self.enrolled(self.on("gdpr-workshop", self.lt)))
        future: dict[tuple[date, str], list[str]] = {}
        for s in sorted(d.sessions.values(), key=lambda s: (s.day, s.id)):
            if s.day > self.today:
                future.setdefault((s.day, s.item_id), []).append(s.id)
        pair_day, pair_item = next(k for k, v in future.items() if len(v) > 1)
        course = pair_item.replace("-", " ")
        if min(len(thomases), len(gdpr_thomases), len(maries), len(lyon)) < 2 or (
            len(g.sessions_of(d, "feedback-workshop", (self.lth, self.lth))) < 2
        ):
            raise ValueError("the organisation lost an ambiguity the clarify questions need")
        pair = {"day": day_en(pair_day, self.today), "course": course}
        ask("two_thomases", clarify())
        ask("two_sessions", clarify())
        ask("same_day_pair", clarify(), **pair)
        ask("partial_team", clarify())
        ask("easter", clarify())
        ask("recently", clarify())
        ask("bad_date", clarify())
        ask("two_maries", clarify())
        ask("thomas_enrol", clarify(), day=self.fr(self.next("feedback-workshop")))
        ask("cancel_pair", clarify(), **pair)
        ask("summer", clarify())
        ask("thomas_mark", clarify())


# how-to and out-of-scope questions -------------------------------------------------------


def written(spec: dict[str, Any], prefix: str = "dev2") -> list[dict[str, Any]]:
    """The how-to and out-of-scope questions of a dev set's YAML (dev2.yaml by default) as
    question lines, their families named after ``prefix``."""
    rows = []
    for need in spec["howto"]:
        for lang in ("en", "fr"):
            rows += [
                {
                    "template": f"howto_{need['name']}",
                    "family": f"{prefix}_howto_{need['name']}",
                    "split": "dev",
                    "language": lang,
                    "kind": "howto",
                    "question": text,
                    "file": need["file"],
                    "section_title": need["section"],
                }
                for text in need.get(lang, [])
            ]
    for reason in spec["out_of_scope"]:
        for lang in ("en", "fr"):
            rows += [
                {
                    "template": f"oos_{reason['name']}",
                    "family": f"{prefix}_oos_{reason['name']}",
                    "split": "dev",
                    "language": lang,
                    "kind": "out_of_scope",
                    "question": text,
                    "gold": {"type": "refuse"},
                }
                for text in reason.get(lang, [])
            ]
    return rows


def build(org_dir: Path) -> list[dict[str, Any]]:
    """Every question of the set, numbered dev2-001, dev2-002, ..."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    dev = Dev2(g.load(org_dir), dict(spec["asked"]))
    dev.attendance()
    dev.sessions()
    dev.mandatory()
    dev.completion()
    dev.tests()
    dev.activity()
    dev.actions()
    dev.clarify()
    if dev.asked:
        raise ValueError(f"questions of dev2.yaml never asked: {sorted(dev.asked)}")
    rows = written(spec) + dev.rows
    return [{"id": f"dev2-{n:03d}", **row} for n, row in enumerate(rows, 1)]


def write(org_dir: Path) -> dict[str, int]:
    """Write ORG_DIR/dev2_questions.jsonl; returns the number of questions per kind/language."""
    return save(build(org_dir), org_dir / OUT_NAME)


def save(rows: list[dict[str, Any]], path: Path) -> dict[str, int]:
    """Write a dev set's question lines to ``path``; the number per kind/language."""
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    counts: dict[str, int] = {}
    for row in rows:
        key = f"{row['kind']}/{row['language']}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.admin.dev2", description=__doc__)
    parser.add_argument("org_dir", type=Path, help="an organisation from evals.admin.generate")
    args = parser.parse_args(argv)
    counts = write(args.org_dir)
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"wrote {args.org_dir / OUT_NAME}: {sum(counts.values())} questions ({summary})")


if __name__ == "__main__":
    main()
