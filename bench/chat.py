"""Chat turns at the API: offline latency, LLM overhead, and answers that quote the gold text.

    python -m bench.chat BOOK_OR_DEMO_DIR --out F.json [--questions 200] [--tokens-per-s 200]

The app runs as it is served (``create_app`` under uvicorn on 127.0.0.1, SQLite and the
embedded index in a temporary data directory, the packaged encoder) and a learner asks
``--questions`` of the folder's labelled questions (a stable spread across modules), each
as a new conversation, over real HTTP with httpx:

* **offline**: ``POST /v1/chat`` and ``POST /v1/chat/stream`` (until its ``done`` event),
  wall time per turn at the client, p50/p95. Baselines measured in the same run: the
  retriever alone on the same questions (what a turn cannot go below) and ``GET /v1/me``
  (the cost of an authenticated request through the stack).
* **llm**: the same turns answered through the real ``openai`` client by a local fake
  OpenAI-compatible server streaming at ``--tokens-per-s`` (a well-behaved model: it quotes
  the first passage it is given, cited, so the runtime guard lets it through); the overhead of a turn is its
  client time minus the time the server spent on it (its own time, first byte received
  to last byte sent), over the turns that called the model (not-covered answers do not).
* **gold text**: how often the offline answer quotes a sentence of the gold section (as in
  ``bench.answers``), on the held-out modules and on all asked questions.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.progress import track
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.answers import gold_items, percentiles
from bench.common import holdout, print_table, serve_app, write_json
from bench.retrieval import is_gold
from coach import storage
from coach.auth import auth_secret, issue_token
from coach.db import make_engine
from coach.services import Services
from coach.settings import Settings
from coach.storage.models import Message
from retrieval.embedding import Embedder, make_embedder
from tests.utils.fake_openai import FakeOpenAI, Reply

TARGET_OFFLINE_P95_MS = 150.0
TARGET_OVERHEAD_P95_MS = 30.0


@dataclass
class Live:
    url: str
    headers: dict[str, str]


def prepare(settings: Settings, embedder: Embedder, content: Path) -> dict[str, str]:
    """Ingest ``content`` into the data directory and sign up one learner (their headers)."""
    services = Services.build(settings, embedder=embedder)
    try:
        services.ingestor().ingest([content])
        with Session(services.engine) as session, session.begin():
            org = storage.create_organisation(session, slug="bench", name="Bench")
            user = storage.create_user(
                session, org_id=org.id, external_id="learner", role="learner"
            )
            token = issue_token(session, user=user, secret=auth_secret(settings), days=1).token
    finally:
        services.close()
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def serve(env: dict[str, str], headers: dict[str, str]) -> Iterator[Live]:
    """``blendcoach serve`` in its own process (fresh caches) on the prepared data directory."""
    with serve_app(env, ready="/healthz", timeout=120) as served:
        yield Live(served.url, headers)


def chat_json(client: httpx.Client, question: str) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = client.post("/v1/chat", json={"message": question})
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, response.json()


def chat_stream(client: httpx.Client, question: str) -> tuple[float, float | None, dict[str, Any]]:
    """Wall time to the ``done`` event, to the first token (None: no token), and ``done``."""
    started = time.perf_counter()
    first: float | None = None
    event = ""
    with client.stream("POST", "/v1/chat/stream", json={"message": question}) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
                if event == "token" and first is None:
                    first = (time.perf_counter() - started) * 1000
            elif line.startswith("data:") and event in ("done", "error"):
                done = json.loads(line[5:])
                break
        else:
            raise RuntimeError("stream ended without a done event")
    if event != "done":
        raise RuntimeError(f"stream ended with an error: {done}")
    return (time.perf_counter() - started) * 1000, first, done


def quotes_gold(reply: dict[str, Any], gold: tuple[str, str], text: str | None) -> bool:
    """Whether a quoted sentence of the answer comes from the gold section."""
    squash = " ".join
    for c in reply["citations"]:
        if not is_gold(c["source_path"], c["section_title"], gold):
            continue
        if text is None:
            return True
        section = squash(text.split())
        if squash(c["quote"].split()) in section:
            return True
        parts = [p for p in c["quote"].split(". ") if len(p) > 20]
        if any(squash(p.split()) in section for p in parts):
            return True
    return False


def pick(items: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """A stable, module-spread choice of ``n`` questions."""
    return sorted(items, key=lambda it: zlib.crc32(it["question"].encode()))[:n]


Turn = Callable[[httpx.Client, dict[str, Any]], dict[str, Any]]


def run_pass(
    live: Live, items: list[dict[str, Any]], warmup: list[str], turn: Turn, what: str
) -> list[dict[str, Any]]:
    """Warm the connection on ``warmup`` questions, then time ``turn`` on every item."""
    with httpx.Client(base_url=live.url, headers=live.headers, timeout=60) as client:
        for q in warmup:
            turn(client, {"question": q, "gold": ("", ""), "text": None, "key": ""})
        return [turn(client, item) for item in track(items, description=what)]


def offline_json(client: httpx.Client, item: dict[str, Any]) -> dict[str, Any]:
    ms, reply = chat_json(client, item["question"])
    return {
        "ms": ms,
        "covered": reply["covered"],
        "quotes_gold": quotes_gold(reply, item["gold"], item["text"]),
        "holdout": holdout(item["key"]),
    }


def offline_stream(client: httpx.Client, item: dict[str, Any]) -> dict[str, Any]:
    ms, first, _ = chat_stream(client, item["question"])
    return {"ms": ms, "first_token_ms": first}


def me(client: httpx.Client, item: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    client.get("/v1/me").raise_for_status()
    return {"ms": (time.perf_counter() - started) * 1000}


def llm_turn(fake: FakeOpenAI, stream: bool) -> Turn:
    """A turn through the fake model: client time, the model's own time, their difference."""

    def turn(client: httpx.Client, item: dict[str, Any]) -> dict[str, Any]:
        before = len(fake.spans)
        if stream:
            ms, _, reply = chat_stream(client, item["question"])
        else:
            ms, reply = chat_json(client, item["question"])
        spans = fake.spans[before:]
        if reply["responder"] == "handoff":  # a person was offered: no answer to time
            return {"ms": ms, "called": False, "handoff": True}
        if not reply["responder"].startswith("llm") or not spans:
            # not covered (no model call), or the model failed or the guard replaced it
            fallback = "guard fallback" in reply["responder"] or (spans and not reply["covered"])
            return {"ms": ms, "called": False, "guard_replaced": bool(fallback)}
        own = sum(end - start for start, end in spans) * 1000
        return {
            "ms": ms,
            "called": True,
            "calls": len(spans),  # 2: the guard blocked the first draft and it was rewritten
            "llm_ms": own,
            "overhead_ms": ms - own,
            "message_id": reply["message_id"],
        }

    return turn


def stored_retrieval_ms(settings: Settings, rows: list[dict[str, Any]]) -> None:
    """Add each turn's retrieval time (the engine stores it with the answer) to its row."""
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            ids = [r["message_id"] for r in rows]
            found = session.execute(select(Message.id, Message.meta).where(Message.id.in_(ids)))
            meta = {row.id: row.meta for row in found}
    finally:
        engine.dispose()
    for r in rows:
        r["retrieval_ms"] = float(meta[r["message_id"]]["retrieval_ms"])


def search_only(
    settings: Settings, embedder: Embedder, items: list[dict[str, Any]], warmup: list[str]
) -> list[float]:
    """The retriever alone, in this process, cold query cache (the floor of a turn)."""
    services = Services.build(settings, embedder=embedder)
    embedder.clear_query_cache()
    retriever = services.retriever()
    times = []
    try:
        for q in warmup:
            retriever.search(q, k=5)
        for item in items:
            started = time.perf_counter()
            retriever.search(item["question"], k=5)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        services.close()
    return times


def gold_rate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    held = [r for r in rows if r["holdout"]]
    return {
        "holdout": sum(r["quotes_gold"] for r in held) / max(len(held), 1),
        "all": sum(r["quotes_gold"] for r in rows) / max(len(rows), 1),
        "n_holdout": len(held),
        "n_all": len(rows),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="book or demo directory")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--tokens-per-s", type=float, default=200.0)
    parser.add_argument("--first-token-delay-s", type=float, default=0.05)
    parser.add_argument("--model", default="minilm")
    args = parser.parse_args(argv)

    content, all_items = gold_items(args.folder)
    items = pick(all_items, args.questions)
    warmup = [it["question"] for it in pick(all_items[::-1], 5)]
    embedder = make_embedder(args.model)
    with tempfile.TemporaryDirectory(prefix="blendcoach-bench-chat-") as tmp:
        env = {
            "BLENDCOACH_DATA_DIR": tmp,
            "BLENDCOACH_EMBEDDING_MODEL": args.model,
            "BLENDCOACH_LOG_LEVEL": "warning",
            "BLENDCOACH_LLM_BASE_URL": "",
            # One learner asks hundreds of questions a minute: a latency benchmark, not limits.
            "BLENDCOACH_LIMITS__PER_USER": "0",
            "BLENDCOACH_LIMITS__PER_ORG": "0",
            "HF_HUB_OFFLINE": "1",
        }
        settings = Settings(data_dir=Path(tmp), embedding_model=args.model, _env_file=None)  # type: ignore[call-arg]
        headers = prepare(settings, embedder, content)
        search_ms = search_only(settings, embedder, items, warmup)
        # Each pass is a fresh server process: nothing is cached at its start.
        with serve(env, headers) as live:  # /v1/me warms nothing a chat turn uses
            me_rows = run_pass(live, items, warmup, me, "GET /v1/me")
            json_rows = run_pass(live, items, warmup, offline_json, "Offline /v1/chat")
        with serve(env, headers) as live:
            stream_rows = run_pass(live, items, warmup, offline_stream, "Offline stream")
        fake = FakeOpenAI(
            default=Reply.quote(),
            tokens_per_s=args.tokens_per_s,
            first_token_delay_s=args.first_token_delay_s,
        )
        llm_rows: dict[str, list[dict[str, Any]]] = {}
        guard_counts: dict[str, dict[str, int]] = {}
        with fake:
            llm_env = env | {
                "BLENDCOACH_LLM_BASE_URL": fake.base_url,
                "BLENDCOACH_LLM_MODEL": "bench",
                "BLENDCOACH_LLM_API_KEY": "k",
            }
            for mode in ("json", "stream"):
                turn = llm_turn(fake, stream=mode == "stream")
                with serve(llm_env, headers) as live:
                    rows = run_pass(live, items, warmup, turn, f"LLM {mode}")
                # Overhead over the turns answered by one model call (the guard passed the
                # first draft); rewrites and guard replacements are counted apart.
                llm_rows[mode] = [r for r in rows if r["called"] and r["calls"] == 1]
                guard_counts[mode] = {
                    "rewritten": sum(r["called"] and r["calls"] > 1 for r in rows),
                    "replaced": sum(r.get("guard_replaced", False) for r in rows),
                    "handed_off": sum(r.get("handoff", False) for r in rows),
                }
                stored_retrieval_ms(settings, llm_rows[mode])

    offline = {
        "n_questions": len(items),
        "search": percentiles(search_ms),
        "me": percentiles([r["ms"] for r in me_rows]),
        "json": percentiles([r["ms"] for r in json_rows]),
        "stream": percentiles([r["ms"] for r in stream_rows]),
        "stream_first_token": percentiles(
            [r["first_token_ms"] for r in stream_rows if r["first_token_ms"] is not None]
        ),
        "covered": sum(r["covered"] for r in json_rows) / max(len(json_rows), 1),
    }
    llm_result: dict[str, Any] = {
        "tokens_per_s": args.tokens_per_s,
        "first_token_delay_s": args.first_token_delay_s,
    }
    for mode, chosen in llm_rows.items():
        llm_result[mode] = {
            "n_turns": len(chosen),
            "guard": guard_counts[mode],
            "turn": percentiles([r["ms"] for r in chosen]),
            "llm_own": percentiles([r["llm_ms"] for r in chosen]),
            "overhead": percentiles([r["overhead_ms"] for r in chosen]),
            "retrieval": percentiles([r["retrieval_ms"] for r in chosen]),
            "overhead_excluding_retrieval": percentiles(
                [r["overhead_ms"] - r["retrieval_ms"] for r in chosen]
            ),
        }
    gold = gold_rate(json_rows)
    result = {
        "offline": offline,
        "llm": llm_result,
        "gold_text_rate": gold,
        "targets": {
            "offline_p95_ms": TARGET_OFFLINE_P95_MS,
            "llm_overhead_p95_ms": TARGET_OVERHEAD_P95_MS,
        },
    }
    rows: list[list[Any]] = [
        ["retriever alone (baseline)", offline["search"]["p50_ms"], offline["search"]["p95_ms"]],
        ["GET /v1/me (baseline)", offline["me"]["p50_ms"], offline["me"]["p95_ms"]],
        ["offline POST /v1/chat", offline["json"]["p50_ms"], offline["json"]["p95_ms"]],
        ["offline /v1/chat/stream", offline["stream"]["p50_ms"], offline["stream"]["p95_ms"]],
    ]
    for mode in ("json", "stream"):
        m = llm_result[mode]
        rows.append([f"llm {mode}: model's own", m["llm_own"]["p50_ms"], m["llm_own"]["p95_ms"]])
        rows.append([f"llm {mode}: overhead", m["overhead"]["p50_ms"], m["overhead"]["p95_ms"]])
        x = m["overhead_excluding_retrieval"]
        rows.append([f"llm {mode}: overhead minus retrieval", x["p50_ms"], x["p95_ms"]])
    print_table(
        f"Chat turns on {args.folder.name} ({len(items)} questions; ms)", ["", "p50", "p95"], rows
    )
    print_table(
        "Offline answers quoting the gold section",
        ["split", "n", "rate"],
        [
            ["holdout", gold["n_holdout"], gold["holdout"]],
            ["all asked", gold["n_all"], gold["all"]],
        ],
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
