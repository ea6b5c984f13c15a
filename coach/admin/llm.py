"""The admin assistant with an LLM: tool calling over the same typed functions as the
offline reading (langchain's ``ChatOpenAI.bind_tools``), every argument checked before
anything runs.

The model gets the ``admin_plan`` prompt: the rules, then data blocks (escaped) with
today's date, the organisation's courses, sessions around today (those the question names
first), teams, managers, roles and skills, the learners and dates the question names as
the offline reader found them (not the whole directory: the model needs a learner's id
only to propose an action about them), and the admin's question. It must answer with one
tool call (:mod:`coach.admin.llm_schemas`), parsed by its pydantic model, then checked
against the organisation (:mod:`coach.admin.llm_tools`) and run through the offline
path's functions (:mod:`coach.admin.llm_run`).

What happens when something is wrong:

- the model fails (timeout, connection, HTTP error, garbage), answers in plain text, calls
  several tools, an unknown tool, or with arguments its schema rejects: the planner
  returns None and the offline reading answers (the model did not do its job);
- the call is well formed but names what this organisation does not have (an id, a team,
  a date that is no date, a period that ends before it starts, a cancelled session): a
  clarifying answer says what was wrong and offers the organisation's candidates. Nothing
  runs, nothing is stored.

Nothing the model writes is executed; its free text only appears as the question of
``ask_clarification``. Logs name the failure's kind, never the question or arguments.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr
from sqlalchemy.orm import Session

from coach.admin.assistant import AdminAssistant
from coach.admin.llm_run import Turn, clarify, run
from coach.admin.llm_schemas import TOOLS, parse
from coach.admin.org import OrgData
from coach.admin.schemas import AdminAnswer
from coach.admin.understand import Reading
from coach.llm.base import LLMError
from coach.llm.openai import to_llm_error
from coach.prompts import Prompt, load_prompt
from coach.responders.blocks import NONE, escape, language_name
from coach.settings import LLMSettings
from recommender.model import Session as LiveSession

log = logging.getLogger(__name__)
MAX_PEOPLE = 20  # learners the question names, listed with their ids


def _lines(rows: Iterable[Iterable[str]], limit: int) -> str:
    """One ``- a | b | c`` line per row (escaped, empty cells dropped), at most ``limit``."""
    out: list[str] = []
    for row in rows:
        if len(out) == limit:
            out.append("- …")
            break
        cells = [" ".join(str(c).split()) for c in row]
        out.append("- " + " | ".join(escape(c) for c in cells if c))
    return "\n".join(out) or NONE


def _named(r: Reading, kind: str) -> list[str]:
    return [m.key for m in r.entities.of(kind)]


def _sessions(org: OrgData, r: Reading, limit: int) -> list[LiveSession]:
    """Sessions the question names, then those of the courses it names, then the others,
    nearest to today first; listed by date."""
    today = org.today
    named, items = _named(r, "session"), set(_named(r, "item"))

    def rank(s: LiveSession) -> tuple[int, int]:
        first = 0 if s.id in named else 1 if s.item_id in items else 2
        return first, abs((s.start.date() - today).days)

    chosen = sorted(org.catalog.sessions.values(), key=rank)[:limit]
    return sorted(chosen, key=lambda s: (s.start, s.id))


def _session_row(org: OrgData, s: LiveSession) -> list[str]:
    start = s.start.strftime("%Y-%m-%d %H:%M (%A)")
    state = "cancelled" if s.id in org.cancelled else ""
    return [s.id, f"{org.item_title(s.item_id)} [{s.item_id}]", start, s.place, state]


def _period(start: date, end: date) -> str:
    since = "" if start == date.min else start.isoformat()
    until = "" if end == date.max else end.isoformat()
    return f"{since or '…'} to {until or '…'}"


def prompt_values(org: OrgData, r: Reading, *, max_sessions: int, max_names: int) -> dict[str, str]:
    """The ``admin_plan`` prompt's variables for one question."""
    catalog = org.catalog
    named = set(_named(r, "item"))
    items = sorted(catalog.items.values(), key=lambda i: (i.id not in named, i.id))
    by_id = {p.id: p for p in org.people}
    people = [by_id[key] for key in dict.fromkeys(_named(r, "person")) if key in by_id]
    return {
        "language": language_name(r.language),
        "today": f"{org.today.isoformat()} ({org.today.strftime('%A')})",
        "courses": _lines(
            (
                (i.id, i.title, i.modality.value, "mandatory" if i.mandatory_for else "")
                for i in items
            ),
            max_names,
        ),
        "sessions": _lines(
            (_session_row(org, s) for s in _sessions(org, r, max_sessions)), max_sessions
        ),
        "teams": _lines(([t] for t in org.teams), max_names),
        "managers": _lines(([m] for m in org.managers), max_names),
        "roles": _lines(((x.id, x.label) for x in catalog.roles.values()), max_names),
        "skills": _lines(((x.id, x.label) for x in catalog.skills.values()), max_names),
        "people": _lines(((p.id, p.name, p.team, p.role or "") for p in people), MAX_PEOPLE),
        "dates": _lines(((f"“{d.text}”", _period(d.start, d.end)) for d in r.dates), 10),
        "question": escape(r.question.strip()),
    }


class LLMPlanner:
    """Answers admin questions by letting a chat model pick one checked tool call.

    Args:
        settings: the endpoint, model, key, time limit, retries and temperature, as for
            the coach's chat model.
        prompt: the prompt file's name.
        max_sessions: sessions listed to the model at most (those the question names and
            the nearest to today first).
        max_names: courses, teams, managers, roles and skills listed at most, each.
    """

    def __init__(
        self,
        settings: LLMSettings,
        *,
        prompt: str = "admin_plan",
        max_sessions: int = 40,
        max_names: int = 80,
    ) -> None:
        if settings.base_url is None:
            raise ValueError("LLMPlanner needs llm.base_url")
        self.model = settings.model
        self.name = f"llm:{settings.model}"
        self.timeout_s = settings.timeout_s
        self.max_sessions = max_sessions
        self.max_names = max_names
        self.prompt: Prompt = load_prompt(prompt)
        chat = ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url,
            # Local servers want no key, but the client insists on one; never read the env.
            api_key=settings.api_key or SecretStr("not-needed"),
            timeout=settings.timeout_s,
            max_retries=settings.max_retries,
            temperature=settings.temperature,
            max_completion_tokens=settings.max_tokens,
            use_responses_api=False,  # any OpenAI-compatible server speaks chat completions
            streaming=False,
        )
        self._model = chat.bind_tools(list(TOOLS.values()))

    def answer(
        self, assistant: AdminAssistant, session: Session, org: OrgData, r: Reading, admin_id: str
    ) -> AdminAnswer | None:
        """The answer of one checked tool call; None to let the offline reading answer."""
        try:
            reply = self._invoke(self.messages(org, r))
        except LLMError as err:
            status = f" {err.status}" if err.status is not None else ""
            log.warning("admin planner: model failed (%s%s); answering offline", err.kind, status)
            return None
        calls = reply.tool_calls
        if len(calls) != 1 or reply.invalid_tool_calls:
            log.info("admin planner: %d usable tool call(s); answering offline", len(calls))
            return None
        call = parse(calls[0]["name"], calls[0]["args"])
        if call is None:
            log.info("admin planner: a call that fits no tool's schema; answering offline")
            return None
        turn = Turn(assistant=assistant, session=session, org=org, reading=r, admin_id=admin_id)
        problems = call.problems(org)
        if problems:
            log.info("admin planner: %s named %d unknown value(s)", call.tool_name(), len(problems))
            answer = clarify(problems, turn, call.intent)
        else:
            answer = run(call, turn)
        answer.responder = self.name
        return answer

    def messages(self, org: OrgData, r: Reading) -> list[BaseMessage]:
        """The system prompt (the rules) and the data blocks with the question."""
        values = prompt_values(org, r, max_sessions=self.max_sessions, max_names=self.max_names)
        rendered = self.prompt.render(**values)
        return [SystemMessage(rendered.system), HumanMessage(rendered.user)]

    def _invoke(self, messages: Sequence[BaseMessage]) -> AIMessage:
        """One model call within ``timeout_s`` of wall-clock time, retries included (the
        client's read timeout restarts with every byte, and retries multiply it)."""
        out: queue.SimpleQueue[Any] = queue.SimpleQueue()

        def call() -> None:
            try:
                out.put(self._model.invoke(list(messages)))
            except Exception as exc:  # reported to the caller, classified there
                out.put(exc)

        threading.Thread(target=call, name="admin-planner", daemon=True).start()
        try:
            got = out.get(timeout=self.timeout_s)
        except queue.Empty:
            raise LLMError(f"no reply within {self.timeout_s:.1f}s", kind="timeout") from None
        if isinstance(got, Exception):
            raise to_llm_error(got) from got
        if not isinstance(got, AIMessage):
            raise LLMError(f"unexpected reply {type(got).__name__}", kind="garbage")
        return got
