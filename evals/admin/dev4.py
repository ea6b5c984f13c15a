"""A fourth independent development set of the admin assistant.

``python -m evals.admin.dev4 ORG_DIR`` writes ``ORG_DIR/dev4_questions.jsonl`` for an
organisation written by ``python -m evals.admin.generate ORG_DIR``. The questions are in
``evals/admin/dev4.yaml``, phrased the way admins type in a chat (fragments, "what %",
"anyone behind on", French synonyms of the catalog's names: "code de conduite", "sécurité
incendie", "métier", "chefs d'équipe"), English and French in about equal numbers: data
questions (gold computed here from the files by :mod:`evals.admin.gold` only, through
:class:`evals.admin.dev2.Dev2`'s look-ups), how-tos (the file and section of
``demo/admin-docs/`` that answers) and out-of-scope questions (gold: a refusal).

Development only (``"split": "dev"``), written without seeing the evaluation's questions
or their templates. Written for the default organisation (seed 7); another organisation
that lacks a situation a question needs stops with a ValueError rather than a wrong gold.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from evals.admin import gold as g
from evals.admin.dev2 import KINDS, Dev2, Gold, learners, number, save, written

SPEC = Path(__file__).with_name("dev4.yaml")
OUT_NAME = "dev4_questions.jsonl"
PREFIX = "dev4"


class Dev4(Dev2):
    """Dev2's look-ups and figures, dev4's questions."""

    def ask(self, key: str, gold: Gold, /, **fill: str) -> None:
        ((lang, text),) = self.asked.pop(key).items()
        self.rows.append(
            {
                "template": key,
                "family": f"{PREFIX}_{key}",
                "split": "dev",
                "language": lang,
                "kind": KINDS.get(gold["type"], "data"),
                "question": text.format(**fill),
                "gold": gold,
            }
        )

    def attendance(self) -> None:
        ask = self.ask
        gdpr = self.on("gdpr-workshop", self.lt)
        mh, fire = self.last("manual-handling"), self.last("fire-safety")
        ask("unsigned_story", learners(self.unsigned(gdpr)))
        ask("unsigned_fr", learners(self.unsigned(gdpr)))
        ask("signed_count", number(len(self.signed(mh))), day=self.en(mh))
        ask("signed_count_fr", number(len(self.signed(mh))), day=self.fr(mh))
        ask("unsigned_team_fr", learners(self.unsigned(gdpr, self.team("Lyon Sales"))))
        ask("unsigned_id", learners(self.unsigned(fire)), sid=fire)

    def sessions(self) -> None:
        ask = self.ask
        queued = [
            s.id
            for s in sorted(self.d.sessions.values(), key=lambda s: (s.day, s.id))
            if s.day > self.today and self.enrolled(s.id, "waitlisted")
        ]
        feedback = self.next("feedback-workshop")
        ask("seats_room", self.seats(self.next("fire-safety")))
        ask("seats_fr", self.seats(self.next("sst")))
        ask("waitlist_who", learners(self.enrolled(queued[0], "waitlisted")), sid=queued[0])
        count = number(len(self.enrolled(queued[-1], "waitlisted")))
        ask("waitlist_count_fr", count, sid=queued[-1])
        ask("roster_fr", learners(self.enrolled(feedback)), day=self.fr(feedback))

    def mandatory(self) -> None:
        ask, overdue = self.ask, self.overdue
        finance = learners(overdue("code-of-conduct", self.team("Lyon Finance")))
        ask("overdue_anyone", finance)
        ask("overdue_fr_synonym", finance)
        gareth = learners(overdue("fire-safety", self.managed("Gareth Hughes")))
        ask("overdue_reports", gareth)
        ask("overdue_manager_fr", gareth)
        operatives = g.with_role(self.d, "warehouse-operative")
        count = number(len(overdue("manual-handling", operatives)))
        ask("overdue_role_count", count)
        ask("overdue_role_count_fr", count)
        julien = learners(overdue(None, self.managed("Julien Moreau")))
        ask("overdue_any_course", julien)
        ask("overdue_any_course_fr", julien)

    def completion(self) -> None:
        ask, said = self.ask, self.said
        for key, gold in (
            ("rate_percent", self.rate("python-analysts", "this_year")),
            ("rate_past_90", self.rate("anti-bribery", "last_90_days")),
            ("by_team", self.by("fire-safety", "team", "this_year")),
            ("rate_previous_q", self.rate("leadership-essentials", "last_quarter")),
        ):
            ask(key if key != "by_team" else "by_team_break", gold)
            ask(f"{key}_fr", gold)
        cyber = self.by("cybersecurite", "role", "month_1")
        ask("by_role_cyber", cyber, period=said("month_1", "en"))
        ask("by_role_cyber_fr", cyber, period=said("month_1", "fr"))

    def tests(self) -> None:
        ask = self.ask
        for key, gold in (
            ("prog_improve", self.progression("python-analysts")),
            ("prog_fr", self.progression("rgpd-fondamentaux")),
        ):
            ask(key, gold)
        leaders = self.progression("leadership-essentials", g.with_role(self.d, "team-leader"))
        ask("prog_role", leaders)
        ask("prog_role_fr", leaders)
        passed = self.quiz("pass_rate", "last_90_days", item_id="python-analysts")
        ask("quiz_pass", passed)
        ask("quiz_pass_fr", passed)

    def activity(self) -> None:
        ask, p = self.ask, self.p
        month = self.engagement(p["last_month"].range)
        ask("eng_month", month)
        ask("eng_month_fr", month)
        hr = self.engagement(p["last_30_days"].range, self.team("Lyon HR"))
        ask("eng_team", hr)
        ask("eng_team_fr", hr)
        analysts = g.with_role(self.d, "data-analyst")
        role = self.engagement(p["last_quarter"].range, analysts)
        ask("eng_role", role)
        ask("eng_role_fr", number(role["active"]))  # "Nombre d'apprenants actifs": a count


def build(org_dir: Path) -> list[dict[str, Any]]:
    """Every question of the set, numbered dev4-001, dev4-002, ..."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    dev = Dev4(g.load(org_dir), dict(spec["asked"]))
    dev.attendance()
    dev.sessions()
    dev.mandatory()
    dev.completion()
    dev.tests()
    dev.activity()
    if dev.asked:
        raise ValueError(f"questions of dev4.yaml never asked: {sorted(dev.asked)}")
    rows = written(spec, PREFIX) + dev.rows
    return [{"id": f"{PREFIX}-{n:03d}", **row} for n, row in enumerate(rows, 1)]


def write(org_dir: Path) -> dict[str, int]:
    """Write ORG_DIR/dev4_questions.jsonl; returns the number of questions per kind/language."""
    return save(build(org_dir), org_dir / OUT_NAME)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.admin.dev4", description=__doc__)
    parser.add_argument("org_dir", type=Path, help="an organisation from evals.admin.generate")
    args = parser.parse_args(argv)
    counts = write(args.org_dir)
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"wrote {args.org_dir / OUT_NAME}: {sum(counts.values())} questions ({summary})")


if __name__ == "__main__":
    main()
