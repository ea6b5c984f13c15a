"""A finished answer held to the runtime guard before the learner sees it.

``pass`` and ``revise`` answers are shown (a revise is logged for the slop-rate chart).
A ``block`` is never shown: an LLM answer is rewritten once with the guard's reasons as
review notes; if that is blocked too, or the answer came from the offline responder, the
offline responder's grounded answer is tried; when every candidate is blocked the learner
gets the plain "the courses do not cover this" reply, pointing to the closest passage.
Every verdict goes into the answer's ``meta["guard"]`` and is logged with its scores.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from coach.guard import OutputGuard, verdict_record
from coach.responders.base import Answer, Responder, ResponderInput, cited_passages
from coach.responders.grounding import not_covered_message


class AnswerReview:
    """Judges answers with ``guard`` and replaces blocked ones.

    Args:
        guard: the runtime guard.
        responder: the turn's responder (asked again with review notes when it takes them).
        fallback: the offline responder, tried when the rewrite is blocked too (None: none).
    """

    def __init__(
        self, guard: OutputGuard, responder: Responder, fallback: Responder | None = None
    ) -> None:
        self.guard = guard
        self.responder = responder
        self.fallback = fallback

    def __call__(self, inp: ResponderInput, answer: Answer) -> Answer:
        """``answer`` when it may be shown, else the best replacement (see module doc)."""
        if not _claims(answer):
            return answer  # a "not covered" reply quotes nothing and claims nothing
        log: list[dict[str, Any]] = []
        verdict = self._judge(inp, answer, log)
        if verdict.verdict != "block":
            return _with_log(answer, log, outcome="shown")
        tried = {answer.responder}
        if answer.responder.startswith("llm"):
            notes = replace(inp, feedback=verdict.reasons)
            rewritten = self.responder.answer(notes)
            rewritten = replace(rewritten, meta={**rewritten.meta, "rewritten": True})
            tried.add(rewritten.responder)
            if _claims(rewritten) and self._judge(inp, rewritten, log).verdict != "block":
                return _with_log(rewritten, log, outcome="rewritten")
        fallback = self.fallback
        if fallback is not None and not any(t.startswith(fallback.name) for t in tried):
            offline = fallback.answer(inp)
            offline = replace(offline, responder=f"{fallback.name} (guard fallback)")
            if _claims(offline) and self._judge(inp, offline, log).verdict != "block":
                return _with_log(offline, log, outcome="fallback")
        closest = answer.citations[0].citation
        text = not_covered_message(inp.language, closest)
        withheld = Answer(text, (), False, answer.responder, inp.language, suggestion=closest)
        return _with_log(withheld, log, outcome="withheld")

    def _judge(self, inp: ResponderInput, answer: Answer, log: list[dict[str, Any]]) -> Any:
        passages = cited_passages(answer, inp.hits)
        verdict = self.guard.answer(inp.question, answer.text, passages)
        record = verdict_record("answer", verdict, responder=answer.responder, first=not log)
        log.append(record)
        return verdict


def _claims(answer: Answer) -> bool:
    """Whether the answer says something from the courses (cited and covered)."""
    return answer.covered and bool(answer.citations)


def _with_log(answer: Answer, log: list[dict[str, Any]], *, outcome: str) -> Answer:
    final = "block" if outcome == "withheld" else log[-1]["verdict"]
    guard = {"verdict": final, "outcome": outcome, "verdicts": log}
    return replace(answer, meta={**answer.meta, "guard": guard})
