"""Locust users for ``bench.load``: learners chatting, searching and taking quizzes, and the
``/healthz`` floor. Run by ``bench.load`` (``locust -f bench/locustfile.py --headless ...``).

Reads ``BENCH_LOAD_SETUP`` (JSON: ``tokens``, ``questions``, ``quiz_scopes``, ``wait_s``) and
writes every request it timed to ``BENCH_LOAD_RECORD`` (JSON: ``spawned_at``, ``stopped_at``
and ``requests``: ``[name, start, ms, outcome]``, outcome ``ok``, ``rate_limited`` or an
error text) when locust quits. Each learner uses its own token (the next one in the list), so
the per-user rate limits apply as they would to real learners.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task
from locust.contrib.fasthttp import ResponseContextManager

SETUP: dict[str, Any] = json.loads(Path(os.environ["BENCH_LOAD_SETUP"]).read_text())
RECORD: dict[str, Any] = {"spawned_at": None, "stopped_at": None, "requests": []}
_next_token = itertools.count()


@events.spawning_complete.add_listener
def _spawned(user_count: int, **_: Any) -> None:
    RECORD["spawned_at"] = time.time()


@events.request.add_listener
def _record(
    name: str,
    start_time: float,
    response_time: float,
    exception: BaseException | None,
    response: Any = None,
    **_: Any,
) -> None:
    status = getattr(response, "status_code", None)
    if status == 429:
        outcome = "rate_limited"
    elif exception is None:
        outcome = "ok"
    else:
        outcome = str(exception)[:300]
    RECORD["requests"].append([name, start_time, response_time, outcome])


@events.test_stop.add_listener
def _stopped(**_: Any) -> None:
    RECORD["stopped_at"] = time.time()


@events.quitting.add_listener
def _write(**_: Any) -> None:
    if RECORD["stopped_at"] is None:
        RECORD["stopped_at"] = time.time()
    with open(os.environ["BENCH_LOAD_RECORD"], "w") as fh:
        json.dump(RECORD, fh)


def _reason(resp: ResponseContextManager) -> str:
    """Why a response failed: its status and body, or the connection error (status 0)."""
    if not resp.status_code:
        return f"no response: {getattr(resp, 'error', None)!r}"
    return f"HTTP {resp.status_code}: {(resp.text or '')[:200]}"


def _check(resp: ResponseContextManager, expected: int) -> dict[str, Any] | None:
    """Mark the response (429s stay failures: the record counts them apart); its JSON."""
    if resp.status_code != expected:
        resp.failure(_reason(resp))
        return None
    try:
        body: dict[str, Any] = resp.json()
    except ValueError:
        resp.failure("response is not JSON")
        return None
    resp.success()
    return body


class Learner(FastHttpUser):
    """A busy learner on the widget: asks the coach (streamed, follow-ups in the same
    conversation), searches, and takes short quizzes, with think time between requests."""

    wait_time = between(*SETUP["wait_s"])
    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        tokens = SETUP["tokens"]
        self.auth = {"Authorization": f"Bearer {tokens[next(_next_token) % len(tokens)]}"}
        self.conversation: str | None = None
        self.turns = 0

    @task(5)
    def chat(self) -> None:
        """``POST /v1/chat/stream`` as the widget sends it, timed to the ``done`` event."""
        if self.turns >= 3:  # a new topic after a few follow-ups
            self.conversation, self.turns = None, 0
        body = {"message": random.choice(SETUP["questions"]), "conversation_id": self.conversation}
        started = time.perf_counter()
        with self.client.request(
            "POST",
            "/v1/chat/stream",
            name="chat",
            json=body,
            headers=self.auth | {"Accept": "text/event-stream"},
            stream=True,
            catch_response=True,
        ) as resp:
            if resp.status_code != 200:
                resp.failure(_reason(resp))
                return
            event, last = "", ""
            buffer = ""
            for chunk in resp.iter_content(4096):
                buffer += chunk if isinstance(chunk, str) else chunk.decode()
                *lines, buffer = buffer.split("\n")
                for line in lines:
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:") and event in ("meta", "done", "error"):
                        last = event
                        data = json.loads(line[5:])
                        if event == "meta":
                            self.conversation = data["conversation_id"]
            resp.request_meta["response_time"] = (time.perf_counter() - started) * 1000
            if last != "done":
                resp.failure(f"stream ended with {last or 'no'} event")
                return
            resp.success()
            self.turns += 1

    @task(3)
    def search(self) -> None:
        """``GET /v1/search`` with a question from the course."""
        with self.client.get(
            "/v1/search",
            name="search",
            params={"q": random.choice(SETUP["questions"]), "k": 5},
            headers=self.auth,
            catch_response=True,
        ) as resp:
            _check(resp, 200)

    @task(2)
    def quiz(self) -> None:
        """A short quiz on a module: create it, then answer each item after thinking."""
        scope = random.choice(SETUP["quiz_scopes"])
        with self.client.post(
            "/v1/quizzes",
            name="quiz_create",
            json=scope | {"n": 3},
            headers=self.auth,
            catch_response=True,
        ) as resp:
            quiz = _check(resp, 201)
        if quiz is None:
            return
        for item in quiz["items"]:
            self.wait()
            answer: dict[str, Any] = {"item_id": item["id"], "time_taken_ms": 20_000}
            if item["options"]:
                answer["choice"] = random.randrange(len(item["options"]))
            else:
                answer["text"] = random.choice(item["stem"].split())
            with self.client.post(
                f"/v1/quizzes/{quiz['id']}/answers",
                name="quiz_answer",
                json=answer,
                headers=self.auth,
                catch_response=True,
            ) as resp:
                _check(resp, 200)


class Floor(FastHttpUser):
    """The HTTP floor of the stack: ``GET /healthz`` at the learners' pace."""

    wait_time = between(*SETUP["wait_s"])
    network_timeout = 60.0
    connection_timeout = 10.0

    @task
    def healthz(self) -> None:
        with self.client.get("/healthz", name="healthz", catch_response=True) as resp:
            _check(resp, 200)
