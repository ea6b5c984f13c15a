"""bench.insights runs end to end on two tiny books in the shared layout (fake encoder)."""

from __future__ import annotations

import json
from pathlib import Path

from bench import insights

GARDEN = {
    "Watering": "Water tomato plants deeply twice a week so roots grow down into the soil.",
    "Pruning": "Prune rose bushes in late winter, cutting above an outward facing bud.",
}
SKY = {
    1: ("Planets", ["which planet has the largest rings", "how many moons orbit the planet"]),
    2: ("Stars", ["why do stars twinkle at night", "what colour are the hottest stars"]),
}


def book(root: Path, name: str, chapters: dict[int, tuple[str, dict[str, str]]]) -> Path:
    folder = root / name
    (folder / "content").mkdir(parents=True)
    sections, questions = [], []
    for chapter, (title, texts) in chapters.items():
        file = f"ch{chapter:02d}.md"
        body = "".join(f"## {s}\n\n{t}\n\n" for s, t in texts.items())
        (folder / "content" / file).write_text(
            f'---\ntitle: "{title}"\nbook: {name}\nchapter: {chapter}\n'
            f'chapter_title: "{title}"\nmodule: m{chapter}\n---\n\n# {title}\n\n{body}'
        )
        for i, (section, text) in enumerate(texts.items()):
            doc_id = f"m{chapter}#s{i}"
            sections.append(
                {"doc_id": doc_id, "file": file, "module": f"m{chapter}", "chapter": chapter}
                | {"chapter_title": title, "module_title": title, "section_title": section}
                | {"text": text}
            )
            questions.append(
                {"id": f"{name}-{chapter}-{i}", "question": text, "gold_doc_id": doc_id}
            )
    for name_, rows in (("sections", sections), ("questions", questions)):
        (folder / f"{name_}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder


def test_the_insights_bench_reports_recognition_and_topics(tmp_path: Path) -> None:
    garden = book(tmp_path, "garden", {1: ("Garden", GARDEN)})
    sky = book(
        tmp_path,
        "sky",
        {c: (t, {q: q for q in qs}) for c, (t, qs) in SKY.items()},
    )
    out = tmp_path / "insights.json"
    insights.main([str(garden), str(sky), "--model", "fake", "--out", str(out)])
    result = json.loads(out.read_text())
    assert result["indexed"] == "garden" and result["unindexed"] == "sky"
    every = result["recognition"]["all"]
    assert every["n_uncovered"] == 4 and every["n_covered"] == 2
    for key in ("uncovered_recognised", "uncovered_recorded", "covered_refused"):
        assert 0.0 <= every[key] <= 1.0
    assert set(result["topics"]) == {"threshold", "grid", "holdout", "tune"}
    assert set(result["topics"]["tune"]) == {"n_questions", "n_chapters", "blendcoach", "kmeans"}
    assert result["targets"] == {"uncovered_recognised": 0.9, "covered_refused": 0.1}


def test_a_book_with_one_chapter_has_no_topics_to_recover(tmp_path: Path) -> None:
    garden = book(tmp_path, "garden", {1: ("Garden", GARDEN)})
    sky = book(tmp_path, "sky", {1: ("Planets", {q: q for q in SKY[1][1]})})
    out = tmp_path / "insights.json"
    insights.main([str(garden), str(sky), "--model", "fake", "--out", str(out)])
    topics = json.loads(out.read_text())["topics"]
    assert topics["grid"] == [] and topics["tune"]["blendcoach"] is None
