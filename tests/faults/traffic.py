"""Learner traffic over real HTTP for the fault tests, and the ledger of what it was told.

Each :class:`Learner` thread loops: ask the coach, rate the answer, answer a quiz item. Every
write the service acknowledged (a 2xx with its body read) goes into the :class:`Ledger`;
:meth:`Ledger.verify` re-reads each one through the API afterwards. A 503 must carry the
JSON reason; any other status, or a request slower than ``HANG_S``, is a defect recorded in
``Ledger.problems``. A lost connection (the server was killed) is neither: the write was
never acknowledged.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

QUESTIONS = (
    "How quickly must a personal data breach be reported?",
    "What should I do after a near miss in the warehouse?",
    "How do I give feedback with the SBI model?",
    "What is a lawful basis for processing personal data?",
    "How should I lift a heavy box safely?",
)
HANG_S = 10.0
"""A request slower than this counts as a hang (the database's connect timeout is 5 s)."""


@dataclass
class Ledger:
    """Writes acknowledged with a 2xx, statuses seen, and anything that should not happen."""

    chats: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    unavailable: list[dict[str, Any]] = field(default_factory=list)
    """Bodies of the 503s (each names its reason)."""
    slowest_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def acknowledged(self) -> int:
        return len(self.chats) + len(self.feedback) + len(self.answers)

    def verify(self, http: httpx.Client, users: dict[str, dict[str, str]]) -> int:
        """Re-read every acknowledged write as its learner, through ``http`` (a client of the
        service, e.g. a ``TestClient``); returns how many were checked."""
        checked = 0
        conversations: dict[str, dict[str, Any]] = {}
        for chat in self.chats:
            cid = chat["conversation_id"]
            if cid not in conversations:
                resp = http.get(f"/v1/conversations/{cid}", headers=users[chat["user"]])
                assert resp.status_code == 200, f"conversation {cid} lost: {resp.text}"
                conversations[cid] = {m["id"]: m for m in resp.json()["messages"]}
            messages = conversations[cid]
            asked = messages.get(chat["user_message_id"])
            answered = messages.get(chat["message_id"])
            assert asked is not None and asked["content"] == chat["question"], chat
            assert answered is not None and answered["content"] == chat["answer"], chat
            checked += 1
        for fb in self.feedback:
            message = conversations[fb["conversation_id"]][fb["message_id"]]
            got = message["feedback"]
            assert got is not None, f"feedback on {fb['message_id']} lost"
            assert (got["rating"], got["comment"]) == (fb["rating"], fb["comment"]), fb
            checked += 1
        quizzes: dict[str, dict[str, Any]] = {}
        for ans in self.answers:
            qid = ans["quiz_id"]
            if qid not in quizzes:
                resp = http.get(f"/v1/quizzes/{qid}", headers=users[ans["user"]])
                assert resp.status_code == 200, f"quiz {qid} lost: {resp.text}"
                quizzes[qid] = {i["id"]: i for i in resp.json()["items"]}
            item = quizzes[qid][ans["item_id"]]
            assert item["answered"] and item["correct"] == ans["correct"], (ans, item)
            checked += 1
        return checked


QUIZ_COURSES = ("gdpr-basics", "warehouse-safety")


def make_quizzes(base_url: str, headers: dict[str, str]) -> list[tuple[str, dict]]:
    """A quiz of 5 items per course of ``QUIZ_COURSES``; their items as ``(quiz_id, item)``."""
    items = []
    with httpx.Client(base_url=base_url, timeout=60) as http:
        for course in QUIZ_COURSES:
            resp = http.post("/v1/quizzes", json={"n": 5, "course_id": course}, headers=headers)
            assert resp.status_code == 201, resp.text
            quiz = resp.json()
            items += [(quiz["id"], item) for item in quiz["items"]]
    return items


def _answer_body(item: dict[str, Any]) -> dict[str, Any]:
    if item["kind"] in ("mcq", "true_false"):
        return {"item_id": item["id"], "choice": 0}
    return {"item_id": item["id"], "text": "report it within the deadline"}


class Learner(threading.Thread):
    """One learner's loop of writes until :attr:`stop` is set (or the server is gone)."""

    def __init__(
        self,
        base_url: str,
        name: str,
        headers: dict[str, str],
        items: list[tuple[str, dict[str, Any]]],
        ledger: Ledger,
        stop: threading.Event,
        *,
        stop_on_disconnect: bool = False,
    ) -> None:
        super().__init__(name=f"learner-{name}", daemon=True)
        self.base_url, self.user, self.headers = base_url, name, headers
        self.items, self.ledger, self.stop = list(items), ledger, stop
        self.stop_on_disconnect = stop_on_disconnect
        self.disconnects = 0
        self._questions = itertools.cycle(QUESTIONS)

    def _post(self, http: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """The JSON of a 2xx, None otherwise (503s and the rest go to the ledger)."""
        started = time.monotonic()
        try:
            resp = http.post(path, json=body, headers=self.headers)
        except httpx.TransportError as err:
            if isinstance(err, httpx.TimeoutException):
                with self.ledger.lock:
                    self.ledger.problems.append(f"{path}: no answer within {HANG_S}s")
            else:
                self.disconnects += 1
                if self.stop_on_disconnect:
                    self.stop.set()
            return None
        seconds = time.monotonic() - started
        with self.ledger.lock:
            ledger = self.ledger
            ledger.statuses[resp.status_code] += 1
            ledger.slowest_s = max(ledger.slowest_s, seconds)
            if 200 <= resp.status_code < 300:
                return dict(resp.json())
            if resp.status_code == 503 and resp.headers.get("content-type") == "application/json":
                ledger.unavailable.append(resp.json())
            else:
                ledger.problems.append(f"{path}: {resp.status_code} {resp.text[:300]}")
        if resp.status_code == 503:
            self.stop.wait(0.05)  # a client backs off a little (Retry-After says 5 s)
        return None

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=HANG_S) as http:
            while not self.stop.is_set():
                self.step(http)

    def step(self, http: httpx.Client) -> None:
        question = next(self._questions)
        chat = self._post(http, "/v1/chat", {"message": question})
        if chat is not None:
            with self.ledger.lock:
                self.ledger.chats.append(
                    {
                        "user": self.user,
                        "conversation_id": chat["conversation_id"],
                        "user_message_id": chat["user_message_id"],
                        "message_id": chat["message_id"],
                        "question": question,
                        "answer": chat["answer"],
                    }
                )
            rating = 1 if len(chat["answer"]) % 2 else -1
            comment = f"{self.user} rated {chat['message_id'][:8]}"
            body = {"rating": rating, "comment": comment}
            if self._post(http, f"/v1/messages/{chat['message_id']}/feedback", body) is not None:
                with self.ledger.lock:
                    self.ledger.feedback.append(
                        {
                            "conversation_id": chat["conversation_id"],
                            "message_id": chat["message_id"],
                            "rating": rating,
                            "comment": comment,
                        }
                    )
        if self.items and not self.stop.is_set():
            quiz_id, item = self.items[0]
            graded = self._post(http, f"/v1/quizzes/{quiz_id}/answers", _answer_body(item))
            if graded is not None:
                self.items.pop(0)
                with self.ledger.lock:
                    self.ledger.answers.append(
                        {
                            "user": self.user,
                            "quiz_id": quiz_id,
                            "item_id": item["id"],
                            "correct": graded["correct"],
                        }
                    )
