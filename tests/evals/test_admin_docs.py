"""The admin guide (demo/admin-docs) and its question sets (evals/admin) agree with each other."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "demo" / "admin-docs"
HOWTO = REPO / "evals" / "admin" / "howto.jsonl"
OUT_OF_SCOPE = REPO / "evals" / "admin" / "out_of_scope.jsonl"

COURSES = {
    "en": ("admin-docs", "blendcoach admin guide"),
    "fr": ("admin-docs-fr", "Guide d'administration blendcoach"),
}
CATEGORIES = {"off_topic", "no_such_data", "secrets", "injection", "not_documented"}
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _modules() -> dict[str, tuple[dict[str, Any], list[str]]]:
    """Each module's front matter and its ``## `` headings, by path relative to DOCS."""
    found = {}
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        assert match, f"{path.name}: no front matter"
        headings = re.findall(r"^## (.+?)\s*$", text[match.end() :], re.M)
        found[path.relative_to(DOCS).as_posix()] = (yaml.safe_load(match.group(1)), headings)
    return found


MODULES = _modules()
HOWTO_LINES = _lines(HOWTO)
OOS_LINES = _lines(OUT_OF_SCOPE)


def test_modules_share_the_course_front_matter() -> None:
    assert 14 <= len(MODULES) <= 18
    ids = [meta["module_id"] for meta, _ in MODULES.values()]
    assert len(ids) == len(set(ids))
    for name, (meta, headings) in MODULES.items():
        course_id, course_title = COURSES[meta["language"]]
        assert (meta["course_id"], meta["course_title"]) == (course_id, course_title), name
        assert meta["modality"] == "e-learning" and meta["prerequisites"] == [], name
        assert headings and len(headings) == len(set(headings)), name
    assert {meta["language"] for meta, _ in MODULES.values()} == {"en", "fr"}


@pytest.mark.parametrize("line", HOWTO_LINES, ids=lambda line: line["id"])
def test_howto_answer_is_a_section_of_its_file(line: dict[str, Any]) -> None:
    assert set(line) == {"id", "family", "language", "question", "file", "section_title"}
    assert re.fullmatch(r"howto-\d{3}", line["id"])
    assert line["language"] in COURSES and line["question"].strip()
    assert line["file"] in MODULES, f"no module {line['file']}"
    assert line["section_title"] in MODULES[line["file"]][1]


@pytest.mark.parametrize("line", OOS_LINES, ids=lambda line: line["id"])
def test_out_of_scope_line_is_well_formed(line: dict[str, Any]) -> None:
    assert set(line) == {"id", "family", "language", "question", "category"}
    assert re.fullmatch(r"oos-\d{3}", line["id"])
    assert line["language"] in COURSES and line["question"].strip()
    assert line["category"] in CATEGORIES


@pytest.mark.parametrize(
    ("lines", "minimum"), [(HOWTO_LINES, 75), (OOS_LINES, 40)], ids=["howto", "out_of_scope"]
)
def test_question_sets_are_large_unique_and_paraphrased(
    lines: list[dict[str, Any]], minimum: int
) -> None:
    assert len(lines) >= minimum
    assert len({line["id"] for line in lines}) == len(lines)
    assert len({line["question"].casefold() for line in lines}) == len(lines)
    families = Counter(line["family"] for line in lines)
    assert min(families.values()) >= 2, [f for f, n in families.items() if n < 2]
    languages = Counter(line["language"] for line in lines)
    assert set(languages) == {"en", "fr"}
    assert 0.25 <= languages["fr"] / len(lines) <= 0.45


def test_every_module_and_category_is_asked_about() -> None:
    assert {line["file"] for line in HOWTO_LINES} == set(MODULES)
    assert {line["category"] for line in OOS_LINES} == CATEGORIES
