"""The admin assistant on a generated organisation: exact answers to data questions,
citation hits on how-to questions, "I can't answer that" on out-of-scope ones.

    python -m bench.admin ORG_DIR [--howto F.jsonl] [--out-of-scope F.jsonl]
        [--docs DIR] [--split tune|holdout|all] [--model minilm|fake] [--llm] --out F.json

``ORG_DIR`` is an organisation in the import layout with its questions
(``python -m evals.admin.generate ORG_DIR`` writes one: org.yaml, catalog.yaml,
learners.csv, history.csv, enrolments.csv, attendance.csv, questions.jsonl); how-to and
out-of-scope questions default to ``evals/admin/howto.jsonl`` and ``out_of_scope.jsonl``
and the documentation to ``demo/admin-docs``. Everything is imported through blendcoach's
own import functions into a fresh data directory; the assistant answers offline. With
``--llm``, an ``llm`` system also answers: the same assistant with the LLM planner on the
configured endpoint (``BLENDCOACH_LLM__BASE_URL``, ``_MODEL``, ``_API_KEY``), falling back
offline when the model fails (``llm_answered``: the share the model answered).

Scores: a data question is exact when the structured answer equals the gold (names as a
set, counts exactly, rates and averages within 0.0005 — they are shown to one decimal of a
percent); an action question when the proposed action has the gold kind and arguments and
nothing changed; a clarify question when the assistant asks back; a how-to question hits
when a citation names the gold file and section; an out-of-scope one when it refuses.

Baselines, same run, same questions: ``keywords`` (the same slot filling and tools, the
intent from hand-written keyword rules instead of the classifier) and, for how-tos,
``bm25-top1`` (the best BM25 passage of the admin guide cited, no assistant).
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from rich.progress import track
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.common import print_table, read_jsonl, write_json
from coach import storage
from coach.admin.assistant import AdminAssistant
from coach.admin.imports import import_attendance, import_enrolments
from coach.admin.intents import Guess, IntentClassifier, default_classifier
from coach.admin.schemas import AdminAnswer
from coach.paths import World
from coach.paths.imports import import_catalog, import_history, import_learners
from coach.services import Services
from coach.settings import Settings
from retrieval.search import SearchFilter

REPO = Path(__file__).resolve().parents[1]
TOLERANCE = 0.0005


def load_org(services: Services, org_dir: Path) -> tuple[str, str, date]:
    """Import the organisation; returns (org id, admin user id, its today)."""
    meta = yaml.safe_load((org_dir / "org.yaml").read_text(encoding="utf-8"))
    world = World()
    with Session(services.engine) as s, s.begin():
        org = storage.create_organisation(s, slug=meta["slug"], name=meta.get("name", meta["slug"]))
        admin = storage.create_user(s, org_id=org.id, external_id="bench-admin", role="admin")
        import_catalog(s, org_id=org.id, path=org_dir / "catalog.yaml")
        import_learners(s, world=world, org_id=org.id, path=org_dir / "learners.csv")
        import_history(s, world=world, org_id=org.id, path=org_dir / "history.csv")
        import_enrolments(s, org_id=org.id, path=org_dir / "enrolments.csv")
        import_attendance(s, org_id=org.id, path=org_dir / "attendance.csv")
        return org.id, admin.id, date.fromisoformat(str(meta["today"]))


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= TOLERANCE
    return a == b


def data_exact(answer: AdminAnswer, gold: dict[str, Any]) -> bool:
    """The structured result equals the gold figure (see the module docstring)."""
    if answer.kind != "data" or answer.data is None:
        return False
    got = answer.data.answer
    kind = gold["type"]
    if kind == "learners":
        return got.get("type") == "learners" and sorted(got["ids"]) == sorted(gold["ids"])
    if kind == "by_group":
        values = got.get("values", {})
        return (
            got.get("type") == "by_group"
            and got.get("group") == gold["group"]
            and values.keys() == gold["values"].keys()
            and all(_close(values[k], v) for k, v in gold["values"].items())
        )
    keys = [k for k in gold if k not in ("type", "filters")]
    return got.get("type") == kind and all(_close(got.get(k), gold[k]) for k in keys)


def action_exact(answer: AdminAnswer, gold: dict[str, Any]) -> bool:
    if answer.kind != "action" or answer.action is None:
        return False
    got = answer.action
    if got.kind != gold["action"]:
        return False
    want = gold.get("args", {})
    for key, value in want.items():
        have = got.args.get(key)
        if key == "learner_ids":
            if sorted(have or []) != sorted(value):
                return False
        elif have != value:
            return False
    return True


def howto_hit(answer: AdminAnswer, q: dict[str, Any]) -> bool:
    return answer.kind == "howto" and any(
        c.source.replace("\\", "/").endswith(q["file"]) and c.section == q["section_title"]
        for c in answer.citations
    )


def score(answer: AdminAnswer, q: dict[str, Any]) -> bool:
    kind = q["kind"]
    if kind == "data":
        return data_exact(answer, q["gold"])
    if kind == "action":
        return action_exact(answer, q["gold"])
    if kind == "clarify":
        return answer.kind == "clarify"
    if kind == "howto":
        return howto_hit(answer, q)
    return answer.kind == "refuse"


KEYWORDS: dict[str, tuple[str, ...]] = {
    "howto": ("how do", "how to", "how can", "comment", "procedure", "procédure", "steps"),
    "seats": ("seat", "place", "full", "complet", "waiting list", "liste d'attente"),
    "roster": ("enrolled in", "inscrit", "participants", "registered"),
    "attendance": ("sign", "émarg", "emarg", "attendance"),
    "overdue": ("overdue", "late", "retard", "mandatory", "obligatoire"),
    "completion": ("completion", "complétion", "completed", "terminé", "achèvement"),
    "progression": ("pre-test", "post-test", "pre/post", "progression", "test initial"),
    "quiz": ("quiz", "score"),
    "engagement": ("active", "actif", "engagement", "time spent", "temps passé"),
    "backlog": ("approval", "pending", "validation", "review"),
    "enrol": ("enrol", "inscri", "sign up", "register"),
    "remind": ("remind", "relance", "rappel", "nudge"),
    "mark_attendance": ("mark", "marque", "present", "présent"),
    "cancel_session": ("cancel", "annul"),
}


class KeywordRouter(IntentClassifier):
    """Baseline: the intent whose keywords appear most (ties: list order), else out of scope."""

    def guess(self, masked: str) -> Guess:
        text = masked.lower()
        hits = {i: sum(text.count(k) for k in words) for i, words in KEYWORDS.items()}
        ranked = sorted(hits.items(), key=lambda kv: -kv[1])
        if ranked[0][1] == 0:
            return Guess([("out_of_scope", 1.0)])
        return Guess([(ranked[0][0], 1.0)] + [(i, 0.0) for i, _ in ranked[1:]])


def run(
    services: Services,
    assistant: AdminAssistant,
    org_id: str,
    admin_id: str,
    questions: list[dict[str, Any]],
    label: str,
) -> list[dict[str, Any]]:
    out = []
    for q in track(questions, description=label):
        with Session(services.engine) as s:
            before = s.scalar(select(func.count()).select_from(storage.Enrolment))
            started = time.perf_counter()
            answer = assistant.ask(
                s, org_id=org_id, admin_id=admin_id, question=q["question"], language=None
            )
            ms = (time.perf_counter() - started) * 1000
            changed = s.scalar(select(func.count()).select_from(storage.Enrolment)) != before
            s.rollback()  # proposed actions are not kept between questions
        out.append(
            {
                **q,
                "ok": score(answer, q) and not changed,
                "got": answer.kind,
                "intent": answer.intent,
                "responder": answer.responder,
                "ms": ms,
            }
        )
    return out


def bm25_top1(
    services: Services, questions: list[dict[str, Any]], courses: tuple[str, ...]
) -> float:
    retriever = services.retriever()
    hits = 0
    for q in questions:
        found = retriever.search(
            q["question"], k=1, flt=SearchFilter(course_ids=courses), mode="bm25"
        )
        hits += (
            bool(found)
            and found[0].citation.source_path.replace("\\", "/").endswith(q["file"])
            and found[0].citation.section_title == q["section_title"]
        )
    return hits / len(questions) if questions else 0.0


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    def rate(rows: list[dict[str, Any]]) -> float | None:
        return round(sum(r["ok"] for r in rows) / len(rows), 4) if rows else None

    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by[r["kind"]].append(r)
        by[f"{r['kind']}/{r['language']}"].append(r)
    data_like = by["data"]
    return {
        "data_accuracy": rate(data_like),
        "action_accuracy": rate(by["action"]),
        "clarify_rate": rate(by["clarify"]),
        "howto_citation_hit_rate": rate(by["howto"]),
        "out_of_scope_refusal_rate": rate(by["out_of_scope"]),
        "by_group": {k: {"n": len(v), "accuracy": rate(v)} for k, v in sorted(by.items())},
        "n": len(results),
        "p95_ms": round(sorted(r["ms"] for r in results)[int(0.95 * (len(results) - 1))], 1)
        if results
        else None,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("org_dir", type=Path)
    ap.add_argument(
        "--questions", type=Path, help="data questions (default: ORG_DIR/questions.jsonl)"
    )
    ap.add_argument("--howto", type=Path, default=REPO / "evals/admin/howto.jsonl")
    ap.add_argument("--out-of-scope", type=Path, default=REPO / "evals/admin/out_of_scope.jsonl")
    ap.add_argument("--docs", type=Path, default=REPO / "demo/admin-docs")
    ap.add_argument("--split", choices=("tune", "holdout", "dev", "all"), default="all")
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--llm", action="store_true", help="also run the LLM planner (see above)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)

    questions = read_jsonl(args.questions or args.org_dir / "questions.jsonl")
    questions += [{**q, "kind": "howto"} for q in read_jsonl(args.howto)]
    questions += [{**q, "kind": "out_of_scope"} for q in read_jsonl(args.out_of_scope)]
    for q in questions:  # how-to / out-of-scope families: a third held out, by family
        q.setdefault("split", "holdout" if _held_out(q["family"]) else "tune")
    if args.split != "all":
        questions = [q for q in questions if q["split"] == args.split]

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), embedding_model=args.model, _env_file=None)  # type: ignore[call-arg]
        if args.llm and settings.llm.base_url is None:
            ap.error("--llm needs an endpoint: set BLENDCOACH_LLM__BASE_URL")
        services = Services.build(settings)
        try:
            org_id, admin_id, today = load_org(services, args.org_dir)
            services.ingestor().ingest([args.docs])
            retriever = services.retriever()
            clock: Callable[[], date] = lambda: today  # noqa: E731
            systems = {
                "blendcoach": services.admin_assistant(retriever),
                "keywords": services.admin_assistant(retriever),
            }
            for offline in systems.values():  # offline whatever the environment configures
                offline.planner = None
            if args.llm:
                systems["llm"] = services.admin_assistant(retriever)
            for assistant in systems.values():
                assistant.clock = clock
            systems["blendcoach"].classifier = default_classifier()
            systems["keywords"].classifier = KeywordRouter()
            report: dict[str, Any] = {"n_questions": len(questions), "split": args.split}
            for name, assistant in systems.items():
                results = run(services, assistant, org_id, admin_id, questions, name)
                report[name] = summarise(results)
                if name == "llm":
                    answered = sum(r["responder"].startswith("llm:") for r in results)
                    report[name]["llm_answered"] = round(answered / max(len(results), 1), 4)
                if name == "blendcoach":
                    report[name]["by_split"] = {
                        split: summarise([r for r in results if r["split"] == split])
                        for split in sorted({r["split"] for r in results})
                    }
                    report["misses"] = [
                        {
                            k: r[k]
                            for k in (
                                "id",
                                "kind",
                                "language",
                                "question",
                                "got",
                                "intent",
                                "split",
                            )
                        }
                        for r in results
                        if not r["ok"]
                    ]
            howtos = [q for q in questions if q["kind"] == "howto"]
            report["bm25-top1"] = {
                "howto_citation_hit_rate": round(
                    bm25_top1(services, howtos, ("admin-docs", "admin-docs-fr")), 4
                )
            }
        finally:
            services.close()

    keys = (
        "data_accuracy",
        "action_accuracy",
        "clarify_rate",
        "howto_citation_hit_rate",
        "out_of_scope_refusal_rate",
    )
    rows = [
        [name] + [report[name].get(k) for k in keys]
        for name in ("blendcoach", "keywords", "llm", "bm25-top1")
        if name in report
    ]
    print_table("admin assistant", ["system", *keys], rows)
    for split, s in report["blendcoach"]["by_split"].items():
        print_table(
            f"blendcoach, {split}",
            ["group", "n", "accuracy"],
            [[k, v["n"], v["accuracy"]] for k, v in s["by_group"].items()],
        )
    write_json(args.out, report)


def _held_out(family: str) -> bool:
    import zlib

    return zlib.crc32(re.sub(r"\W", "", family).encode()) % 3 == 0


if __name__ == "__main__":
    main()
