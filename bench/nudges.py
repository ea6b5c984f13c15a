"""Nudges over a generated organisation: planning throughput and a rule audit.

    python -m bench.nudges SEED... [--learners 10000 --managers 500 --days 7
        --naive-sample 1000 --database URL] --out F.json

For each seed, ``bench.org_gen`` generates an organisation (10,000 learners, 500
managers, a 90-day calendar of sessions, paths, reviews, quizzes) and bulk-loads it into a
fresh SQLite database (or ``--database``, an empty PostgreSQL database).

Throughput: ``NudgeEngine.plan_day`` for the first day, cold (the hold-out draw of every
learner included) and again (idempotent rerun), wall and CPU seconds (the machine's load
average is recorded: wall time on a shared machine overstates the cost; CPU time does
not). Baseline, same run: the same rules and guard rails fed by per-learner queries (the
way one would write it first), timed on ``--naive-sample`` learners and extrapolated to
the whole organisation; its candidates are compared with the bulk path's for those
learners (``naive.same_candidates``).

Audit: ``--days`` days are run through the scheduler's in-process queue on a simulated
clock (planning at 03:00 UTC, the queue run every hour), with faults injected: every job
is run twice (a retry after a lost acknowledgement), the e-mail server refuses 5% of
mails, the webhook is down for three hours, 1% of learners opt out of e-mail and three
sessions with nudges planned are cancelled mid-run, and the service restarts mid-run (the
queue's pending jobs are lost, 20 deliveries are left claimed by a dead worker). Then
every stored nudge and every message the fake servers received is checked.

JSON keys, per seed under ``runs``:
    org: rows generated per table, sessions, cancelled sessions
    load_s: seconds to bulk-load the organisation
    throughput.cold / .rerun: wall_s, cpu_s, phases (seconds per planning phase),
        candidates, planned (nudges), rows (one per channel), dropped (per guard rail)
    throughput.target_s: 10; throughput.meets_target: cold wall_s <= target
    naive: sample, wall_s, cpu_s, per_learner_ms, extrapolated_wall_s, queries,
        same_candidates
    audit: days, nudges (rows by status), outcomes (delivery outcomes counted),
        deliveries (messages the servers accepted), violations: rate_limit_schedule,
        rate_limit_delivered, quiet_hours, opted_out, cancelled, holdout, duplicates,
        lost (rows still waiting past their time); injected: what was injected
Top level: seeds, cpu_count, load_average (at start) and load_average_end, targets.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bench.common import console, print_table, write_json
from bench.naive_nudges import naive_plan
from bench.org_gen import GeneratedOrg, generate, load
from coach import storage
from coach.db import make_engine, migrate
from coach.nudges.channels import Channel, DeliveryError, FeedChannel, OutgoingMessage
from coach.nudges.engine import NudgeEngine, RuleSource
from coach.nudges.plan import WEEK, is_quiet
from coach.nudges.queue import JOBS, InProcessQueue, Runtime, configure
from coach.nudges.runtime import default_sources
from coach.settings import NudgeDeliverySettings

TARGET_S = 10.0


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


class FakeServer(Channel):
    """An SMTP server or webhook endpoint that refuses some messages and keeps the rest."""

    def __init__(self, name: str, clock: Clock, *, fail: float = 0.0, seed: int = 0) -> None:
        self.name, self.clock, self.fail = name, clock, fail
        self.rng = random.Random(seed)
        self.down: list[tuple[datetime, datetime]] = []
        self.received: list[tuple[str, datetime]] = []

    def send(self, message: OutgoingMessage) -> None:
        now = self.clock()
        if any(a <= now < b for a, b in self.down) or self.rng.random() < self.fail:
            raise DeliveryError(f"{self.name} refused")
        self.received.append((message.nudge_id, now))


class RetryingQueue(InProcessQueue):
    """Every planning job and one delivery job in five run twice: the second copy a minute
    later (rq retrying a job whose completion was lost)."""

    def __init__(self, clock: Clock, seed: int) -> None:
        super().__init__(clock)
        self.rng = random.Random(seed)
        self.retried = 0

    def enqueue(
        self, job: str, *args: str, at: datetime | None = None, job_id: str | None = None
    ) -> None:
        super().enqueue(job, *args, at=at, job_id=job_id)
        if job == "plan" or (job == "deliver" and self.rng.random() < 0.2):
            self.retried += 1
            again = (at or self.clock()) + timedelta(minutes=1)
            super().enqueue(job, *args, at=again, job_id=f"{job_id}-retry" if job_id else None)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, round(time.perf_counter() - wall, 3), round(time.process_time() - cpu, 3)


def throughput(db: Engine, org: GeneratedOrg, channels: Mapping[str, Channel]) -> dict[str, Any]:
    now = datetime.combine(org.start, datetime.min.time(), UTC).replace(hour=3)
    # every source the service plans with: the rules, the surveys' and the managers' sweeps
    nudges = NudgeEngine(sources=default_sources(), channels=channels, clock=lambda: now)
    out: dict[str, Any] = {"target_s": TARGET_S}
    for run in ("cold", "rerun"):

        def once() -> Any:
            with Session(db) as session, session.begin():
                return nudges.plan_day(session, org_id=org.org_id, day=org.start)

        report, wall, cpu = _timed(once)
        out[run] = {
            "wall_s": wall, "cpu_s": cpu, "phases": report.seconds,
            "candidates": report.candidates, "planned": report.counts.get("planned", 0),
            "rows": len(report.added),
            "dropped": {k: v for k, v in report.counts.items() if k != "planned"},
        }  # fmt: skip
    out["meets_target"] = out["cold"]["wall_s"] <= TARGET_S
    return out


def naive(db: Engine, org: GeneratedOrg, sample: int) -> dict[str, Any]:
    """Per-learner queries for ``sample`` learners; compared with the bulk candidates."""
    learners = [u["id"] for u in org.rows["users"] if u["role"] == "learner"]
    chosen = random.Random(org.seed).sample(learners, min(sample, len(learners)))
    (cands, queries), wall, cpu = _timed(lambda: naive_plan(db, org.org_id, chosen, org.start))
    with Session(db) as session:
        bulk = RuleSource().candidates(session, org_id=org.org_id, day=org.start)
        picked = set(chosen)
        mine = {(c.user_id, c.key) for c in bulk if (c.about or c.user_id) in picked}
    scale = len(learners) / len(chosen)
    return {
        "sample": len(chosen), "wall_s": wall, "cpu_s": cpu,
        "per_learner_ms": round(1000 * wall / len(chosen), 3),
        "extrapolated_wall_s": round(wall * scale, 1),
        "extrapolated_cpu_s": round(cpu * scale, 1), "queries": queries,
        "same_candidates": mine == {(c.user_id, c.key) for c in cands},
    }  # fmt: skip


def simulate(db: Engine, org: GeneratedOrg, days: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    start = datetime.combine(org.start, datetime.min.time(), UTC).replace(hour=3)
    clock = Clock(start)
    email = FakeServer("email", clock, fail=0.05, seed=seed)
    hook = FakeServer("webhook", clock, seed=seed)
    hook.down.append((start + timedelta(days=1, hours=6), start + timedelta(days=1, hours=9)))
    channels: dict[str, Channel] = {"feed": FeedChannel(), "email": email, "webhook": hook}
    delivery = NudgeDeliverySettings(retry_base_s=300, max_attempts=20)

    def boot() -> Runtime:
        engine = NudgeEngine(
            sources=default_sources(), channels=channels, delivery=delivery, clock=clock
        )
        rt = Runtime(db, engine, RetryingQueue(clock, seed))
        configure(rt)
        rt.queue.enqueue("sweep", "no", job_id=f"sweep-boot-{clock():%F%H}")
        return rt

    outcomes: Counter[str] = Counter()
    real_deliver = _count_outcomes(outcomes)
    rt = boot()
    optouts: dict[tuple[str, str], datetime] = {}
    cancels: dict[str, datetime] = {}
    injected: dict[str, Any] = {}
    restart_day = days // 2
    retried = 0
    for d in range(days):
        clock.at = start + timedelta(days=d)
        rt.queue.enqueue("plan", org.org_id, (org.start + timedelta(d)).isoformat(), job_id=f"p{d}")
        for hour in range(24):
            clock.at = start + timedelta(days=d, hours=hour)
            if d == 2 and hour == 7:
                injected["opt_outs"] = _opt_out(db, org, rng, clock(), optouts)
            if d == 3 and hour == 7:
                injected["cancelled"] = _cancel(db, org, rng, clock(), cancels)
            if d == restart_day and hour == 9:
                injected["abandoned_claims"] = _abandon(db, clock(), 20)
                rt = boot()  # the service restarts: the queue's pending jobs are gone
                injected["restart_at"] = clock().isoformat()
            rt.queue.run_due()
            retried += rt.queue.retried if isinstance(rt.queue, RetryingQueue) else 0
            rt.queue.retried = 0  # type: ignore[attr-defined]
            rt.queue.enqueue("sweep", "no", job_id=f"sweep-{d}-{hour}")  # the safety net
            rt.queue.run_due()
    configure(None)
    JOBS["deliver"] = real_deliver
    injected["job_retries"] = retried
    end = clock()
    return {
        "days": days,
        "injected": injected,
        "outcomes": dict(outcomes),
        **audit(db, org, end, email, hook, optouts, cancels),
    }


def _count_outcomes(outcomes: Counter[str]) -> Callable[..., str]:
    """Count delivery jobs' outcomes (returns the real job, to put back afterwards)."""
    real = JOBS["deliver"]

    def counted(rt: Runtime, nudge_id: str) -> str:
        result = real(rt, nudge_id)
        outcomes[result.split(":")[0]] += 1
        return result

    JOBS["deliver"] = counted
    return real


def _opt_out(db: Engine, org: GeneratedOrg, rng: random.Random, at: datetime, log: dict) -> int:  # type: ignore[type-arg]
    learners = [u["id"] for u in org.rows["users"] if u["role"] == "learner" and u["email"]]
    chosen = rng.sample(learners, len(learners) // 100)
    with Session(db) as session, session.begin():
        for uid in chosen:  # added to what they opted out of already
            pref = storage.nudge_preferences(session, user_id=uid)
            before = list(pref.opted_out) if pref else []
            storage.set_nudge_preferences(
                session, org_id=org.org_id, user_id=uid, opted_out=[*before, "email"]
            )
            log[uid, "email"] = at
    return len(chosen)


def _cancel(
    db: Engine, org: GeneratedOrg, rng: random.Random, at: datetime, log: dict
) -> list[str]:  # type: ignore[type-arg]
    with Session(db) as session, session.begin():
        planned = sorted(set(session.scalars(
            select(storage.Nudge.session_id).where(
                storage.Nudge.status == "planned", storage.Nudge.session_id.is_not(None)
            )
        )))  # fmt: skip
        chosen = rng.sample(planned, min(3, len(planned)))
        for sid in chosen:
            storage.set_session_status(
                session, org_id=org.org_id, session_id=sid, status="cancelled"
            )
            log[sid] = at
    return chosen


def _abandon(db: Engine, at: datetime, n: int) -> int:
    """A worker dies after claiming ``n`` due deliveries."""
    with Session(db) as session, session.begin():
        due = storage.due_nudge_ids(session, now=at + timedelta(hours=24), limit=n)
        for nudge_id in due:
            row = session.get(storage.Nudge, nudge_id)
            assert row is not None
            row.status, row.claimed_at, row.attempts = "sending", at, row.attempts + 1
    return len(due)


def audit(
    db: Engine,
    org: GeneratedOrg,
    end: datetime,
    email: FakeServer,
    hook: FakeServer,
    optouts: Mapping[tuple[str, str], datetime],
    cancels: Mapping[str, datetime],
) -> dict[str, Any]:
    """Check every stored nudge and every message received against the guard rails."""
    with Session(db) as session:
        rows = storage.org_nudges(session, org_id=org.org_id)
        settings = storage.org_settings(session, org_id=org.org_id).nudges
        held = {
            u for u, r in storage.holdout_draws(session, org_id=org.org_id).items() if r.holdout
        }
        people = {p.id: p for p in storage.nudge_people(session, org_id=org.org_id)}
        initially = {
            (p["user_id"], c) for p in org.rows["nudge_preferences"] for c in p["opted_out"]
        }
    tz = {
        uid: ZoneInfo(((p.data or {}).get("timezone")) or settings.timezone)
        for uid, p in people.items()
    }
    by_id = {r.id: r for r in rows}
    cancelled_at_start = set(org.cancelled)
    v: Counter[str] = Counter()
    schedule: dict[str, dict[str, datetime]] = defaultdict(dict)
    delivered: dict[str, dict[str, datetime]] = defaultdict(dict)
    for r in rows:
        if r.status in ("planned", "sending", "sent"):
            first = schedule[r.user_id].get(r.key)
            schedule[r.user_id][r.key] = min(first, r.send_at) if first else r.send_at
        if r.status == "sent" and r.sent_at is not None:
            first = delivered[r.user_id].get(r.key)
            delivered[r.user_id][r.key] = min(first, r.sent_at) if first else r.sent_at
            if is_quiet(r.sent_at, tz[r.user_id], settings.quiet_start, settings.quiet_end):
                v["quiet_hours"] += 1
            if (r.user_id, r.channel) in initially:
                v["opted_out"] += 1
            cut = optouts.get((r.user_id, r.channel))
            if cut is not None and r.sent_at >= cut:
                v["opted_out"] += 1
            if r.session_id in cancelled_at_start:
                v["cancelled"] += 1
            cut = cancels.get(r.session_id or "")
            if cut is not None and r.sent_at >= cut:
                v["cancelled"] += 1
        if r.user_id in held or (r.about in held):
            v["holdout"] += 1
        if (
            r.status == "planned"
            and r.send_at < end - timedelta(hours=1)
            and (r.expires_at is None or r.expires_at > end)
        ):
            v["lost"] += 1
    v["rate_limit_schedule"] = _over_limit(schedule, settings.max_per_week)
    v["rate_limit_delivered"] = _over_limit(delivered, settings.max_per_week)
    received = Counter(i for i, _ in email.received) + Counter(i for i, _ in hook.received)
    v["duplicates"] = sum(n - 1 for n in received.values() if n > 1)
    v["duplicates"] += sum(1 for i in received if by_id[i].status != "sent")
    with Session(db) as session:
        stuck = session.scalar(
            select(func.count()).select_from(storage.Nudge).where(storage.Nudge.status == "sending")
        )
    v["lost"] += stuck or 0
    keys = ("rate_limit_schedule", "rate_limit_delivered", "quiet_hours", "opted_out",
            "cancelled", "holdout", "duplicates", "lost")  # fmt: skip
    return {
        "nudges": dict(Counter(r.status for r in rows)),
        "by_kind": dict(Counter(r.kind for r in rows)),
        "deliveries": {"email": len(email.received), "webhook": len(hook.received)},
        "violations": {k: v[k] for k in keys},
    }


def _over_limit(times: Mapping[str, Mapping[str, datetime]], limit: int) -> int:
    """Learners with more than ``limit`` nudges in some rolling 7 days."""
    bad = 0
    for per_key in times.values():
        ts = sorted(per_key.values())
        if any(sum(1 for t in ts if s <= t < s + WEEK) > limit for s in ts):
            bad += 1
    return bad


def run_seed(seed: int, args: argparse.Namespace) -> dict[str, Any]:
    org = generate(seed, learners=args.learners, managers=args.managers)
    with tempfile.TemporaryDirectory(prefix="blendcoach-nudges-") as tmp:
        db = make_engine(args.database or f"sqlite:///{tmp}/bench.db")
        migrate(db)
        _, load_s, _ = _timed(lambda: load(db, org))
        console.print(f"seed {seed}: loaded in {load_s} s")
        clock = Clock(datetime.now(UTC))
        plain = {
            "feed": FeedChannel(),
            "email": FakeServer("email", clock),
            "webhook": FakeServer("webhook", clock),
        }
        tp = throughput(db, org, plain)
        nv = naive(db, org, args.naive_sample)
        with Session(db) as session, session.begin():  # the audit starts from an empty schedule
            session.execute(storage.Nudge.__table__.delete())
        au = simulate(db, org, args.days, seed)
        db.dispose()
    sizes = {k: len(v) for k, v in org.rows.items()}
    sizes |= {"sessions": len(org.catalog["session"]), "cancelled_sessions": len(org.cancelled)}
    return {
        "seed": seed,
        "org": sizes,
        "load_s": load_s,
        "throughput": tp,
        "naive": nv,
        "audit": au,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("seeds", nargs="+", type=int)
    ap.add_argument("--learners", type=int, default=10_000)
    ap.add_argument("--managers", type=int, default=500)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--naive-sample", type=int, default=1000)
    ap.add_argument("--database", help="an empty database URL (default: a fresh SQLite file)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    load_average = os.getloadavg()
    runs = [run_seed(seed, args) for seed in args.seeds]
    rows = []
    for r in runs:
        t, n = r["throughput"], r["naive"]
        rows.append(
            [
                f"seed {r['seed']} blendcoach (bulk)",
                t["cold"]["wall_s"],
                t["cold"]["cpu_s"],
                t["cold"]["planned"],
            ]
        )
        rows.append(
            [
                f"seed {r['seed']} rerun (idempotent)",
                t["rerun"]["wall_s"],
                t["rerun"]["cpu_s"],
                t["rerun"]["planned"],
            ]
        )
        rows.append(
            [
                f"seed {r['seed']} naive per-learner (extrapolated)",
                n["extrapolated_wall_s"],
                n["extrapolated_cpu_s"],
                "-",
            ]
        )
    print_table(
        "planning a day for the whole organisation", ["system", "wall s", "cpu s", "planned"], rows
    )
    audit_rows = [[f"seed {r['seed']}", *r["audit"]["violations"].values()] for r in runs]
    print_table("rule audit (violations)", ["run", *runs[0]["audit"]["violations"]], audit_rows)
    write_json(args.out, {
        "seeds": args.seeds, "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in load_average],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "targets": {"plan_day_s": TARGET_S, "violations": 0},
        "learners": args.learners, "managers": args.managers, "runs": runs,
    })  # fmt: skip


if __name__ == "__main__":
    main()
