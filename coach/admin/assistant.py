"""The admin assistant: one question in, one :class:`AdminAnswer` out.

How-to questions are answered from the admin documentation with citations (the coach's
responder over the admin docs); data questions run one read-only tool; actions are only
proposed; anything unclear gets a clarifying question with the candidate readings; what
it cannot answer, or must not, gets "I can't answer that"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from sqlalchemy.orm import Session

from coach import storage
from coach.admin import actions, slots, tools
from coach.admin.docs import Docs
from coach.admin.entities import Gazetteer, norm
from coach.admin.intents import ACTION_INTENTS, DATA_INTENTS, IntentClassifier, default_classifier
from coach.admin.org import OrgData
from coach.admin.phrases import ask_text, intent_label, refusal_text
from coach.admin.schemas import AdminAnswer, Citation, DataResult, Interpretation
from coach.admin.understand import Reading, language_of, read_question, refusal_of
from coach.insights.admin_tool import content_gaps
from coach.paths.world import NoCatalog, World

MIN_CONFIDENCE = 0.35  # below this the intent is asked about, not guessed
DOC_COURSES = ("admin-docs", "admin-docs-fr")
# Measures of what happened: a period that has not begun yet has no answer (a forecast).
MEASURED = frozenset({"completion", "progression", "quiz", "engagement", "overdue"})


class Planner(Protocol):
    """A second reader of questions (an LLM calling the same tools): it answers, or returns
    None to let the offline reading answer. It runs after the refusals and date checks."""

    def answer(
        self, assistant: AdminAssistant, session: Session, org: OrgData, r: Reading, admin_id: str
    ) -> AdminAnswer | None: ...


class AdminAssistant:
    """Answers admins' questions offline, or through ``planner`` (an LLM) when one is set."""

    def __init__(
        self,
        *,
        world: World,
        docs: Docs | None,
        classifier: IntentClassifier | None = None,
        clock: Callable[[], date] = date.today,
        planner: Planner | None = None,
    ) -> None:
        self.world, self.docs, self.clock, self.planner = world, docs, clock, planner
        self.classifier = classifier or default_classifier()

    def ask(
        self,
        session: Session,
        *,
        org_id: str,
        admin_id: str,
        question: str,
        language: str | None = None,
    ) -> AdminAnswer:
        today = self.clock()
        org = OrgData(session, org_id=org_id, world=self.world, today=today)
        try:
            gazetteer = Gazetteer(org)
        except NoCatalog:
            gazetteer = None
        if gazetteer is None:  # no catalog yet: the guide only, behind the same refusals
            lang = language_of(question, language)
            why = refusal_of(question)
            if why is not None:
                return AdminAnswer(
                    kind="refuse", text=refusal_text(lang, why), language=lang, intent="refuse"
                )
            return self.howto(question, lang, None)
        reading = read_question(
            question,
            gazetteer=gazetteer,
            classifier=self.classifier,
            today=today,
            language=language,
        )
        answer = self._answer(session, org, reading, admin_id)
        answer.today = today
        if answer.intent is None:
            answer.intent = reading.intent
        if answer.confidence is None and reading.guess and answer.responder == "offline":
            answer.confidence = round(reading.guess.confidence, 3)
        return answer

    def _answer(self, session: Session, org: OrgData, r: Reading, admin_id: str) -> AdminAnswer:
        lang = r.language
        if r.refusal is None and _names_another_org(session, org.org_id, r.question):
            r.refusal = "override"
        if r.refusal:
            return AdminAnswer(
                kind="refuse", text=refusal_text(lang, r.refusal), language=lang, intent="refuse"
            )
        if r.date_error is not None:
            return self._ask(lang, r, slots.Ask("date", []), detail=r.date_error.phrase)
        if self.planner is not None:
            planned = self.planner.answer(self, session, org, r, admin_id)
            if planned is not None:
                return planned
        assert r.guess is not None
        intent = r.intent
        named = r.names_something()
        if r.vague_time:
            return self._ask(lang, r, slots.Ask("period", []))
        if r.guess.confidence < MIN_CONFIDENCE and not r.commanded:
            top = [i for i, _ in r.guess.ranked[:2]]
            if "out_of_scope" in top or not named:  # nothing of ours named: not our question
                return self.howto(r.question, lang, r) if "howto" in top else self.refuse(lang)
            return self._ask(
                lang, r, slots.Ask("intent", [(i, intent_label(lang, i)) for i in top])
            )
        if intent == "out_of_scope":  # a how-to shape, or strong evidence, lets the guide try
            strong = self.docs is not None and self.docs.clearly_covers(r.question, lang)
            asks_how = r.how_frame or r.how_anywhere
            return self.howto(r.question, lang, r) if asks_how or strong else self.refuse(lang)
        if intent in DATA_INTENTS and r.how_frame and not named:  # "how is X calculated?"
            return self.howto(r.question, lang, r)
        if intent == "howto":
            return self.howto(r.question, lang, r)
        if intent in ACTION_INTENTS:
            return self._action(session, org, r, admin_id)
        if intent == "content_gaps":  # the Insights page's figures (coach.insights)
            gaps = content_gaps(session, org_id=org.org_id, lang=lang)
            return AdminAnswer(kind="data", text=gaps.summary, language=lang, data=gaps)
        return self._data(org, r)

    # data ------------------------------------------------------------------------------

    def _data(self, org: OrgData, r: Reading) -> AdminAnswer:
        lang, intent = r.language, r.intent
        period = slots.period(r)
        if intent in MEASURED and period is not None and period.start > org.today:
            return self.refuse(lang)  # what happened is measured, what will happen is not
        scope = slots.scope(r, org)
        if isinstance(scope, slots.Ask):
            return self._ask(lang, r, scope)
        if intent in ("seats", "roster", "attendance"):
            # sign-off is of sessions that happened; seats and rosters of coming ones
            sid = slots.session(r, org, past=intent == "attendance")
            if sid is None:
                what = "session" if slots.item(r, org) else "course"
                return self._ask(
                    lang, r, slots.Ask(what, [] if what == "session" else self._courses(org))
                )
            if isinstance(sid, slots.Ask):
                return self._ask(lang, r, sid)
            if intent == "roster" and r.seat_words and not r.who:  # "capacity, enrolled, ...?"
                intent = "seats"
            if intent in ("roster", "seats") and (r.who or r.count or intent == "roster"):
                # "who is on the waiting list", "how many are booked": the roster answers
                if intent == "roster" or r.waitlist:
                    which = "waitlisted" if r.waitlist else "enrolled"
                    result = tools.session_roster(org, sid, which=which, lang=lang)
                    if r.count:
                        result = as_number(result, len(result.answer["ids"]))
                else:
                    result = tools.session_seats(org, sid, lang=lang)
            elif intent == "seats":
                result = tools.session_seats(org, sid, lang=lang)
            else:
                # "who signed" vs "who hasn't"; about named learners: those of them missing
                signed = r.signed_words and not r.negated and scope.learners is None
                result = tools.attendance_status(
                    org, sid, scope=scope, which="signed" if signed else "unsigned", lang=lang
                )
                if r.count:
                    result = as_number(result, len(result.answer["ids"]))
        elif intent == "overdue":
            item = slots.item(r, org, among=_mandatory(org))
            if isinstance(item, slots.Ask):
                return self._ask(lang, r, item)
            result = tools.overdue_mandatory(org, scope, item_id=item, lang=lang)
            if r.count:
                result = as_number(result, len(result.answer["ids"]))
        elif intent in ("completion", "progression"):
            # completions and pre/post tests are mostly of courses: an e-learning reading
            # wins a tie unless the question says "session", "workshop"...
            item = slots.item(r, org, default="e-learning")
            if item is None:
                return self._ask(lang, r, slots.Ask("course", self._courses(org)))
            if isinstance(item, slots.Ask):
                return self._ask(lang, r, item)
            if intent == "completion":
                result = tools.completion_rate(
                    org, item, scope, period=slots.period(r), group_by=r.group_by, lang=lang
                )
            else:
                result = tools.progression(org, item, scope, lang=lang)
        elif intent == "quiz":
            skills = r.entities.of("skill")
            items = r.entities.of("item")
            # "quizzes on phishing": a skill named as well as (or better than) a course,
            # unless the question says "course"; "the skill ..." settles it
            by_skill = bool(skills) and (
                not items
                or r.skill_word
                or (skills[0].score >= items[0].score and r.modality != "e-learning")
            )
            item = None if by_skill else slots.item(r, org, default="e-learning")
            if isinstance(item, slots.Ask):
                return self._ask(lang, r, item)
            measure = (
                "pass_rate" if r.passing else "attempts" if r.count or r.attempts else "average"
            )
            result = tools.quiz_results(
                org,
                scope,
                item_id=None if by_skill else item,
                skill=skills[0].key if by_skill else None,
                period=slots.period(r),
                measure=measure,
                lang=lang,
            )
        elif intent == "engagement":
            result = tools.engagement(
                org, scope, period=slots.period(r), group_by=r.group_by, lang=lang
            )
            if r.count and not r.time_words:  # "how many were active": the count alone
                result = as_number(result, result.answer["active"])
        else:  # backlog
            result = tools.path_backlog(org, scope, lang=lang)
        return AdminAnswer(kind="data", text=result.summary, language=lang, data=result)

    def _courses(self, org: OrgData) -> list[tuple[str, str]]:
        return [(i.id, i.title) for i in org.catalog.items.values()][:12]

    # actions -----------------------------------------------------------------------------

    def _action(self, session: Session, org: OrgData, r: Reading, admin_id: str) -> AdminAnswer:
        lang, intent = r.language, r.intent
        args: dict[str, Any] = {}
        if intent in ("enrol", "mark_attendance", "cancel_session"):
            sid = slots.session(
                r,
                org,
                past=intent == "mark_attendance" or (False if intent != "cancel_session" else None),
            )
            if isinstance(sid, slots.Ask):
                return self._ask(lang, r, sid)
            if sid is None and intent != "enrol":
                return self._ask(lang, r, slots.Ask("session", []))
            if sid is not None:
                args["session_id"] = sid
                args["item_id"] = org.live_session(sid).item_id
            else:
                item = slots.item(r, org)
                if not isinstance(item, str):
                    return self._ask(lang, r, item or slots.Ask("course", self._courses(org)))
                args["item_id"] = item
        if intent == "remind":
            target = self._remind_targets(org, r)
            if isinstance(target, slots.Ask):
                return self._ask(lang, r, target)
            args.update(target)
        elif intent != "cancel_session":
            who = slots.people(r, org)
            if isinstance(who, slots.Ask):
                return self._ask(lang, r, who)
            if not who:
                return self._ask(lang, r, slots.Ask("person", []))
            args["learner_ids"] = who
        if intent == "mark_attendance":
            args["signed"] = not r.absent
        return self.propose_action(session, org, r, admin_id, intent, args)

    def propose_action(
        self,
        session: Session,
        org: OrgData,
        r: Reading,
        admin_id: str,
        kind: str,
        args: dict[str, Any],
    ) -> AdminAnswer:
        """Store an action for an admin to confirm (nothing else changes) and say what it
        will do."""
        summary = describe_action(kind, args, org, r.language)
        proposed = actions.propose(
            session,
            org_id=org.org_id,
            admin_id=admin_id,
            kind=kind,
            args=args,
            summary=summary,
            question=r.question,
        )
        text = ask_text(r.language, "confirm", summary=summary)
        return AdminAnswer(
            kind="action", text=text, language=r.language, action=proposed, intent=kind
        )

    def _remind_targets(self, org: OrgData, r: Reading) -> dict[str, Any] | slots.Ask:
        who = slots.people(r, org)
        if isinstance(who, slots.Ask):
            return who
        item = slots.item(r, org, among=None if who else _mandatory(org))
        if isinstance(item, slots.Ask):
            return item
        if who:
            return {"learner_ids": who, **({"item_id": item} if item else {})}
        if r.dates or r.entities.of("session"):  # the non-signers of a session
            sid = slots.session(r, org, past=True)
            if isinstance(sid, str):
                result = tools.attendance_status(org, sid)
                return {
                    "learner_ids": result.answer["ids"],
                    "session_id": sid,
                    "item_id": org.live_session(sid).item_id,
                }
            if isinstance(sid, slots.Ask):
                return sid
        scope = slots.scope(r, org)
        if isinstance(scope, slots.Ask):
            return scope
        result = tools.overdue_mandatory(org, scope, item_id=item)
        return {
            "learner_ids": result.answer["ids"],
            **({"item_id": item} if item else {}),
            "reason": "overdue",
        }

    # how-to, refusals, questions back ---------------------------------------------------

    def howto(self, question: str, lang: str, r: Reading | None) -> AdminAnswer:
        answer = self.docs.answer(question, lang) if self.docs is not None else None
        if answer is None:
            return self.refuse(lang)
        cites = [
            Citation(
                n=c.n,
                title=c.citation.module_title,
                section=c.citation.section_title,
                source=c.citation.source_path,
                snippet=c.quote[:300],
            )
            for c in answer.citations
        ]
        return AdminAnswer(
            kind="howto",
            text=answer.text,
            language=lang,
            citations=cites,
            intent="howto",
            responder=answer.responder,
        )

    def refuse(self, lang: str) -> AdminAnswer:
        return AdminAnswer(
            kind="refuse", text=refusal_text(lang, "scope"), language=lang, intent="out_of_scope"
        )

    def _ask(self, lang: str, r: Reading, ask: slots.Ask, detail: str = "") -> AdminAnswer:
        options = [
            Interpretation(label=label, question=f"{r.question} [{label}]")
            for _, label in ask.options
        ]
        return AdminAnswer(
            kind="clarify",
            text=ask_text(lang, ask.what, detail=detail),
            language=lang,
            options=options,
            intent=r.intent,
        )


ORG_NAMED = re.compile(
    r"\b(?:organi[sz]ation|company|entreprise|soci[eé]t[eé]|tenant|client)\s+(?:de\s+|d')?"
    r"([A-Z][\w&-]+)"
)


def _names_another_org(session: Session, org_id: str, question: str) -> bool:
    """The question names an organisation that is not the admin's ("... of the Globex
    organisation" reads as "organisation Globex" too)."""
    names = ORG_NAMED.findall(question) + re.findall(
        r"\b([A-Z][\w&-]+)\s+(?:organi[sz]ation|company|tenant)\b", question
    )
    if not names:
        return False
    org = storage.get_organisation(session, org_id=org_id)
    mine = {norm(org.name), norm(org.slug), *norm(org.name).split()}
    return any(norm(n) not in mine for n in names)


def _mandatory(org: OrgData) -> set[str]:
    return {item.id for item in org.catalog.mandatory}


def as_number(result: DataResult, value: int) -> DataResult:
    """The same result answering "how many": the count leads, the list stays in the table."""
    return result.model_copy(update={"answer": {"type": "number", "value": value}})


def describe_action(kind: str, args: dict[str, Any], org: OrgData, lang: str) -> str:
    """One line saying what the action will change."""
    names = ", ".join(p.name for p in org.people if p.id in set(args.get("learner_ids", []))) or "—"
    target = (
        org.session_label(args["session_id"])
        if args.get("session_id")
        else org.item_title(args.get("item_id", ""))
        if args.get("item_id")
        else ""
    )
    return ask_text(
        lang,
        f"do_{kind}",
        names=names,
        target=target,
        n=len(args.get("learner_ids", [])),
        signed=args.get("signed"),
    )
