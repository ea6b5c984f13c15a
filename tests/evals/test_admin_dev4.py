"""The fourth admin development set (evals/admin/dev4.py) on a freshly generated organisation:
enough questions in both languages and every kind it covers, how-tos that point at real
sections of the admin guide, gold answers of the documented shapes that agree between a
question and its translation, and the same output twice."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from evals.admin import dev4, gold
from tests.evals.test_admin_dev2 import _sections, _well_formed


@pytest.fixture(scope="module")
def lines(org_dir: Path) -> list[dict[str, Any]]:
    dev4.main([str(org_dir)])
    text = (org_dir / dev4.OUT_NAME).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_counts_ids_kinds_and_languages(lines: list[dict[str, Any]]) -> None:
    assert len(lines) >= 80
    ids = [q["id"] for q in lines]
    assert ids == [f"dev4-{n:03d}" for n in range(1, len(lines) + 1)]
    counts = Counter((q["kind"], q["language"]) for q in lines)
    for kind in ("howto", "out_of_scope", "data"):
        en, fr = counts[(kind, "en")], counts[(kind, "fr")]
        assert en >= 10 and fr >= 10 and abs(en - fr) <= 3, (kind, en, fr)
    assert len({q["question"] for q in lines}) == len(lines)
    for q in lines:
        assert q["split"] == "dev" and q["family"].startswith("dev4_")
        assert q["question"].strip() and not re.search(r"[{}]", q["question"]), q


def test_howtos_point_at_real_sections(lines: list[dict[str, Any]]) -> None:
    sections = _sections()
    howtos = [q for q in lines if q["kind"] == "howto"]
    for q in howtos:
        assert (q["file"], q["section_title"]) in sections, q
    assert len({q["file"] for q in howtos}) >= 12  # spread over the guide
    crossing = [q for q in howtos if q["language"] != q["file"][:2]]
    assert any(q["language"] == "fr" for q in crossing)  # French asked, English answers


def test_gold_is_well_formed_and_not_trivial(org_dir: Path, lines: list[dict[str, Any]]) -> None:
    data = gold.load(org_dir)
    people, sessions = set(data.people), set(data.sessions)
    golds = [q["gold"] for q in lines if q["kind"] in ("data", "out_of_scope")]
    for q in lines:
        if q["kind"] == "howto":
            continue
        assert _well_formed(q["gold"], people, sessions), q
        assert (q["gold"]["type"] == "refuse") == (q["kind"] == "out_of_scope"), q
    empty = [g for g in golds if g.get("ids") == [] or g.get("value") == 0]
    assert len(empty) <= 3  # "nobody" or "zero" is rarely the answer


def test_translations_share_the_gold(lines: list[dict[str, Any]]) -> None:
    by_key = {q["template"]: q for q in lines if q["kind"] == "data"}
    pairs = [(k, f"{k}_fr") for k in by_key if f"{k}_fr" in by_key]
    assert len(pairs) >= 10
    for en, fr in pairs:
        if by_key[en]["gold"]["type"] == by_key[fr]["gold"]["type"]:
            assert by_key[en]["gold"] == by_key[fr]["gold"], (en, fr)


def test_deterministic(org_dir: Path, lines: list[dict[str, Any]]) -> None:
    assert dev4.build(org_dir) == lines
