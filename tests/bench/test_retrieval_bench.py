"""bench.retrieval runs on any book in the shared layout and writes the agreed JSON keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.retrieval import main, section_metrics

METRICS = {"recall@1", "recall@5", "recall@10", "mrr", "ndcg@10"}


def _book(root: Path) -> Path:
    """A tiny book in the shared layout, written here (never the shared data)."""
    topics = {
        "loops": (
            "Loops",
            {
                "For loops": "A for loop repeats a block for each item of a list.",
                "While loops": "A while loop repeats while its condition stays true.",
            },
        ),
        "files": (
            "Files",
            {
                "Opening files": "Use open with a mode such as r or w to open a file.",
                "Closing files": "A with statement closes the file automatically.",
            },
        ),
    }
    (root / "content").mkdir(parents=True)
    sections, questions = [], []
    for i, (stem, (title, secs)) in enumerate(topics.items()):
        body = "\n\n".join(f"## {s}\n\n{t}" for s, t in secs.items())
        (root / "content" / f"ch0{i}-{stem}.md").write_text(
            f'---\ntitle: "{title}"\nbook: Tiny Book\nchapter: {i}\nmodule: m{i}\n---\n\n# {title}\n\n{body}\n',
            encoding="utf-8",
        )
        for j, (s, t) in enumerate(secs.items()):
            doc_id = f"m{i}#sect-{j}"
            sections.append(
                {
                    "doc_id": doc_id,
                    "file": f"ch0{i}-{stem}.md",
                    "module": f"m{i}",
                    "section_title": s,
                    "text": t,
                }
            )
            questions.append(
                {
                    "id": f"q{i}{j}",
                    "type": "mcq",
                    "question": t.split(" ", 3)[-1],
                    "options": [{"text": "yes", "correct": True}],
                    "gold_doc_id": doc_id,
                }
            )
    questions.append(
        {
            "id": "nogold",
            "type": "essay",
            "question": "unlabelled",
            "options": [],
            "gold_doc_id": None,
        }
    )
    (root / "sections.jsonl").write_text(
        "\n".join(json.dumps(s) for s in sections), encoding="utf-8"
    )
    (root / "questions.jsonl").write_text(
        "\n".join(json.dumps(q) for q in questions), encoding="utf-8"
    )
    return root


def test_metrics_from_ranks() -> None:
    m = section_metrics([1, 3, None, 8])
    assert m["recall@1"] == 0.25 and m["recall@5"] == 0.5 and m["recall@10"] == 0.75
    assert m["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 8) / 4)


def test_bench_writes_every_method_and_count(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    main([str(_book(tmp_path / "book")), "--out", str(out), "--model", "fake"])
    data = json.loads(out.read_text())
    assert set(data) >= {"bm25", "dense", "rrf", "blendcoach", "n_questions", "n_sections"}
    assert data["n_questions"] == 4 and data["n_sections"] == 4
    for method in ("bm25", "dense", "rrf", "blendcoach"):
        assert set(data[method]) == METRICS
        assert all(0.0 <= v <= 1.0 for v in data[method].values())
    assert data["bm25"]["recall@5"] == 1.0  # every question shares its words with its section
