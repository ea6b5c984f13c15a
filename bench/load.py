"""Load test: chat, search and quiz traffic at 10, 50 and 100 concurrent learners.

    python -m bench.load DATA... --out F.json [--users 10 50 100] [--duration 60]
        [--baseline-duration 20] [--wait 1 3] [--database sqlite|postgresql]

DATA is a course folder as the other benches take (``demo``, or a book with ``content/``),
each with a ``questions.jsonl``. In a throwaway data directory the folders are ingested
with blendcoach's own ingestor, an organisation is created with one learner and one token
per simulated user (each spends their own per-user budget) plus a warm-up learner, and
``blendcoach serve`` runs as deployed: its own process on a free 127.0.0.1 port, one
worker, the offline coach, the embedded index, SQLite in the data directory (or, with
``--database postgresql``, a throwaway database on ``--pg-url``'s server). Once ``/readyz``
answers, a warm-up learner asks a few questions and makes one quiz per module tried, so
quiz items are generated and stored (as in an organisation that has run for a while) and
the modules that can be quizzed are known.

The rate limits are the production defaults (``LimitSettings``: 300 requests a minute per
user, 6,000 per organisation): nothing is raised for the test. A 429 is counted apart
(``rate_limited``), not as an error; every other failure is an error: a status other than
the one the route promises (200, or 201 for a new quiz), a stream that ends without its
``done`` event, a timeout (60 s) or a dropped connection.

Each level runs locust headless (``bench/locustfile.py``) twice: first the floor (users
calling ``GET /healthz``, the cheapest route through the whole stack) for
``--baseline-duration`` seconds, then the learners for ``--duration`` seconds. Users are
spawned at ``--spawn-rate`` a second; only requests started after the last user spawned
count. A learner waits ``--wait`` seconds (uniform) between requests, a busy learner: 100
of them offer ~50 requests a second, what thousands of real learners would. Their mix, by
task weight: 5 chat turns (``POST /v1/chat/stream``, the widget's route, timed to the
``done`` event; up to 3 follow-ups in a conversation), 3 searches (``GET /v1/search``), 2
quizzes (``POST /v1/quizzes`` with 3 items on a module, then each item answered after
thinking, ``POST /v1/quizzes/{id}/answers``).

JSON keys:

* ``levels``: per user count (``"10"``...), per request type (``chat``, ``search``,
  ``quiz_create``, ``quiz_answer`` and ``all``): ``n``, ``rps`` (completed requests a
  second), ``p50_ms``, ``p95_ms``, ``p99_ms`` (client wall time, failures included),
  ``errors``, ``rate_limited`` and ``error_examples``; and for the level ``seconds``
  (measured), ``server_cpu_pct`` and ``locust_cpu_pct`` (100 = one core busy).
* ``baseline``: the same per user count for ``healthz``.
* ``saturation_users``: the first level whose throughput is below 80% of the previous
  level's scaled by the user count (a closed loop that kept up would scale with it) while
  its p50 grew; null when none is.
* ``errors_below_saturation``: errors at the levels below it (all levels when none).
* ``server_log``: tracebacks and "database is locked" lines the server logged.
* ``config``: data, database, durations, wait, spawn rate, limits, quiz modules, chunks.
* ``machine``: ``cpus``, ``load_avg_before``, ``load_avg_after`` (1/5/15 min; the machine
  is shared, so read the figures against them).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import numpy as np
import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from bench.common import print_table, read_jsonl, serve_app, write_json
from coach import storage
from coach.auth import auth_secret, issue_token
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import make_embedder

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
APP_TYPES = ("chat", "search", "quiz_create", "quiz_answer")
SATURATION_RATIO = 0.8


@dataclass
class Prepared:
    tokens: list[str]
    warmup_headers: dict[str, str]
    modules: list[dict[str, str]]
    chunks: int


def content_and_questions(folders: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """Each folder's content directory (``catalog/`` or ``content/``) and its questions."""
    contents, questions = [], []
    for folder in folders:
        catalog = folder / "catalog"
        contents.append(catalog if catalog.is_dir() else folder / "content")
        questions += [q["question"] for q in read_jsonl(folder / "questions.jsonl")]
    return contents, questions


def prepare(settings: Settings, model: str, contents: list[Path], n_users: int) -> Prepared:
    """Ingest, create the organisation and its learners with a token each, list modules."""
    services = Services.build(settings, embedder=make_embedder(model))
    try:
        report = services.ingestor().ingest(contents)
        if not report.ok:
            raise SystemExit(f"ingest failed: {report.skipped}")
        modules = {
            (p.payload["course_id"], p.payload["module_id"])
            for p in services.index.scroll()
            if p.payload.get("kind") == "chunk" and p.payload.get("module_id")
        }
        chunks = services.index.count()
        secret = auth_secret(settings)
        with Session(services.engine) as session, session.begin():
            org = storage.create_organisation(session, slug="load", name="Load test")
            tokens = []
            for i in range(n_users + 1):
                user = storage.create_user(
                    session, org_id=org.id, external_id=f"learner-{i:03d}", role="learner"
                )
                tokens.append(issue_token(session, user=user, secret=secret, days=1).token)
    finally:
        services.close()
    ordered = sorted(modules, key=lambda m: zlib.crc32(f"{m[0]}/{m[1]}".encode()))
    return Prepared(
        tokens=tokens[1:],
        warmup_headers={"Authorization": f"Bearer {tokens[0]}"},
        modules=[{"course_id": c, "module_id": m} for c, m in ordered],
        chunks=chunks,
    )


@dataclass
class Server:
    url: str
    process: psutil.Process
    log: IO[str]


@contextmanager
def serve(env: dict[str, str]) -> Iterator[Server]:
    """``blendcoach serve`` on a free 127.0.0.1 port, once ``/readyz`` says ready."""
    with serve_app(env, ready="/readyz", timeout=180) as served:
        yield Server(served.url, psutil.Process(served.proc.pid), served.log)


def warm_up(
    server: Server, prepared: Prepared, questions: list[str], want: int
) -> list[dict[str, str]]:
    """A few chat turns and searches; one quiz per module until ``want`` modules quiz."""
    scopes: list[dict[str, str]] = []
    with httpx.Client(base_url=server.url, headers=prepared.warmup_headers, timeout=120) as c:
        for q in questions[:3]:
            c.post("/v1/chat", json={"message": q}).raise_for_status()
            c.get("/v1/search", params={"q": q}).raise_for_status()
        for scope in prepared.modules[: want * 3]:
            if c.post("/v1/quizzes", json=scope | {"n": 3}).status_code == 201:
                scopes.append(scope)
            if len(scopes) == want:
                break
    if not scopes:
        raise SystemExit("no module of this content could be quizzed")
    return scopes


def summarise(rows: list[list[Any]], seconds: float) -> dict[str, Any]:
    """Throughput, latency percentiles, errors and 429s of one request type's rows."""
    ms = [r[2] for r in rows]
    errors = [r[3] for r in rows if r[3] not in ("ok", "rate_limited")]
    return {
        "n": len(rows),
        "rps": len(rows) / seconds if seconds > 0 else 0.0,
        "p50_ms": float(np.percentile(ms, 50)) if ms else 0.0,
        "p95_ms": float(np.percentile(ms, 95)) if ms else 0.0,
        "p99_ms": float(np.percentile(ms, 99)) if ms else 0.0,
        "errors": len(errors),
        "rate_limited": sum(r[3] == "rate_limited" for r in rows),
        "error_examples": sorted(set(errors))[:3],
    }


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def run_locust(
    server: Server, setup: Path, user_class: str, users: int, duration: int, spawn_rate: float
) -> dict[str, Any]:
    """One headless locust run; per request type, the requests after the last user spawned."""
    ramp = users / spawn_rate
    with tempfile.TemporaryDirectory(prefix="blendcoach-load-") as tmp:
        record = Path(tmp) / "record.json"
        env = os.environ | {"BENCH_LOAD_SETUP": str(setup), "BENCH_LOAD_RECORD": str(record)}
        cmd = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            "--run-time",
            f"{int(ramp + duration + 0.999)}s",
            "--host",
            server.url,
            "--only-summary",
            "--exit-code-on-error",
            "0",
            "--loglevel",
            "WARNING",
            user_class,
        ]
        server_cpu = cpu_seconds(server.process)
        locust_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_cpu = cpu_seconds(server.process) - server_cpu
        if done.returncode != 0 or not record.exists():
            raise RuntimeError(f"locust failed ({done.returncode}): {done.stderr[-3000:]}")
        data = json.loads(record.read_text())
    start, stop = data["spawned_at"] or data["stopped_at"], data["stopped_at"]
    seconds = max(stop - start, 1e-9)
    rows = [r for r in data["requests"] if r[1] >= start]
    by_type: dict[str, Any] = {}
    for name in sorted({r[0] for r in rows}):
        by_type[name] = summarise([r for r in rows if r[0] == name], seconds)
    by_type["all"] = summarise(rows, seconds)
    locust_cpu_s = (after.ru_utime + after.ru_stime) - (locust_cpu.ru_utime + locust_cpu.ru_stime)
    full = ramp + seconds  # the processes' CPU covers the ramp too
    by_type |= {
        "seconds": seconds,
        "server_cpu_pct": 100 * server_cpu / full,
        "locust_cpu_pct": 100 * locust_cpu_s / full,
    }
    return by_type


def saturation(levels: dict[str, dict[str, Any]]) -> int | None:
    """The first user count where throughput stops following the users while p50 climbs."""
    counts = sorted(levels, key=int)
    for prev, cur in itertools.pairwise(counts):
        a, b = levels[prev]["all"], levels[cur]["all"]
        expected = a["rps"] * int(cur) / int(prev)
        if b["rps"] < SATURATION_RATIO * expected and b["p50_ms"] > a["p50_ms"]:
            return int(cur)
    return None


def log_problems(log: IO[str]) -> dict[str, Any]:
    """Warnings, errors and tracebacks the server logged (JSON lines, or plain text)."""
    log.seek(0)
    problems: list[str] = []
    tracebacks = 0
    for line in log.read().splitlines():
        tracebacks += line.startswith("Traceback")
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("level") in ("warning", "error", "critical"):
            problems.append(f"{entry.get('logger')}: {str(entry.get('message'))[:300]}")
    return {
        "warnings_and_errors": len(problems),
        "tracebacks": tracebacks,
        "database_locked": sum("database is locked" in p for p in problems),
        "examples": sorted(set(problems))[:5],
    }


@contextmanager
def database(kind: str, pg_url: str) -> Iterator[str | None]:
    """None for SQLite (the data directory's file), else a throwaway PostgreSQL database."""
    if kind == "sqlite":
        yield None
        return
    name = f"blendcoach_load_{os.getpid()}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def note(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:6.0f} s] {message}", file=sys.stderr, flush=True)


def row(label: str, s: dict[str, Any]) -> list[Any]:
    return [
        label,
        s["n"],
        f"{s['rps']:.1f}",
        f"{s['p50_ms']:.0f}",
        f"{s['p95_ms']:.0f}",
        f"{s['p99_ms']:.0f}",
        s["errors"],
        s["rate_limited"],
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", type=Path, nargs="+", help="book or demo directories")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--duration", type=int, default=60, help="seconds per level, after ramp")
    parser.add_argument("--baseline-duration", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users started a second")
    parser.add_argument("--wait", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"))
    parser.add_argument("--quiz-modules", type=int, default=6, help="modules quizzes are on")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test", help="admin URL"
    )
    parser.add_argument("--model", default="minilm")
    args = parser.parse_args(argv)

    load_before = list(os.getloadavg())
    contents, questions = content_and_questions(args.folders)
    result: dict[str, Any] = {"levels": {}, "baseline": {}}
    with (
        tempfile.TemporaryDirectory(prefix="blendcoach-bench-load-") as tmp,
        database(args.database, args.pg_url) as db_url,
    ):
        env = {
            "BLENDCOACH_DATA_DIR": tmp,
            "BLENDCOACH_EMBEDDING_MODEL": args.model,
            "BLENDCOACH_LOG_LEVEL": "warning",
            "BLENDCOACH_LLM_BASE_URL": "",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        if db_url is not None:
            env["BLENDCOACH_DATABASE_URL"] = db_url
        settings = Settings(  # type: ignore[call-arg]
            data_dir=Path(tmp), embedding_model=args.model, database_url=db_url, _env_file=None
        )
        started = time.perf_counter()
        prepared = prepare(settings, args.model, contents, max(args.users))
        note(f"ingested {prepared.chunks} points, {max(args.users) + 1} learners", started)
        with serve(env) as server:
            note("server ready", started)
            scopes = warm_up(server, prepared, questions, args.quiz_modules)
            note(f"warmed up; quizzes on {len(scopes)} modules", started)
            setup = Path(tmp) / "load-setup.json"
            setup.write_text(
                json.dumps(
                    {
                        "tokens": prepared.tokens,
                        "questions": questions,
                        "quiz_scopes": scopes,
                        "wait_s": args.wait,
                    }
                )
            )
            for users in args.users:
                key = str(users)
                note(f"{users} users: /healthz floor, then learners", started)
                result["baseline"][key] = run_locust(
                    server, setup, "Floor", users, args.baseline_duration, args.spawn_rate
                )
                result["levels"][key] = run_locust(
                    server, setup, "Learner", users, args.duration, args.spawn_rate
                )
            result["server_log"] = log_problems(server.log)

    sat = saturation(result["levels"])
    below = [k for k in result["levels"] if sat is None or int(k) < sat]
    result["saturation_users"] = sat
    result["errors_below_saturation"] = sum(
        s["errors"] for k in below for name, s in result["levels"][k].items() if name == "all"
    )
    limits = settings.limits
    result["config"] = {
        "data": [str(f) for f in args.folders],
        "database": args.database,
        "duration_s": args.duration,
        "baseline_duration_s": args.baseline_duration,
        "spawn_rate": args.spawn_rate,
        "wait_s": args.wait,
        "limits": {
            "window_s": limits.window_s,
            "per_user": limits.per_user,
            "per_org": limits.per_org,
        },
        "quiz_modules": len(scopes),
        "questions": len(questions),
        "chunks": prepared.chunks,
    }
    result["machine"] = {
        "cpus": os.cpu_count(),
        "load_avg_before": load_before,
        "load_avg_after": list(os.getloadavg()),
    }
    table = []
    for key, level in result["levels"].items():
        for name in (*APP_TYPES, "all"):
            if name in level:
                table.append(row(f"{key} users: {name}", level[name]))
        table.append(row(f"{key} users: /healthz (floor)", result["baseline"][key]["healthz"]))
        cpu = f"{key} users: CPU server {level['server_cpu_pct']:.0f}%, locust "
        table.append([cpu + f"{level['locust_cpu_pct']:.0f}%", "", "", "", "", "", "", ""])
    print_table(
        f"Load on {', '.join(f.name for f in args.folders)} ({args.database}; "
        f"{args.duration} s a level, think time {args.wait[0]:g}-{args.wait[1]:g} s)",
        ["", "n", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "429"],
        table,
    )
    print(
        f"saturation: {sat or 'not reached'}; errors below it: "
        f"{result['errors_below_saturation']}; server log: "
        f"{result['server_log']['warnings_and_errors']} warnings or errors, "
        f"{result['server_log']['tracebacks']} tracebacks, "
        f"{result['server_log']['database_locked']} 'database is locked'; load average "
        f"{load_before[0]:.1f} before, {result['machine']['load_avg_after'][0]:.1f} after",
        file=sys.stderr,
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
