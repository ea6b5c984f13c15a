"""The admin assistant's evaluation questions: templates filled from the generated data.

For each family of ``templates.yaml`` a builder in :mod:`evals.admin.bindings` lists every
way to fill its slots with the organisation's entities, each with its gold answer computed
by :mod:`evals.admin.gold`; ``count`` of them are drawn (few with an empty or zero answer)
and rendered in turn by the family's paraphrases. One third of the families, chosen by a
stable hash of their id, are held out. ``questions.jsonl`` holds one question a line.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from evals.admin import gold
from evals.admin.bindings import Binding
from evals.admin.periods import periods
from evals.admin.phrases import Phrases
from evals.admin.proposals import Builder

TEMPLATES = Path(__file__).with_name("templates.yaml")
SLOT = re.compile(r"{(\w+)}")


def split_of(family: str) -> str:
    """``holdout`` for one family in three (stable across runs and machines), else ``tune``."""
    digest = hashlib.sha256(family.encode("utf-8")).hexdigest()
    return "holdout" if int(digest, 16) % 3 == 0 else "tune"


def load_templates(path: Path = TEMPLATES) -> dict[str, Any]:
    """The templates file, checked: every family's templates name the same slots."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    for family, fam in spec["families"].items():
        slots = {frozenset(SLOT.findall(text)) for _, _, text in fam["templates"]}
        if fam["kind"] != "clarify" and len(slots) > 1:
            raise ValueError(f"family {family}: paraphrases name different slots {slots}")
    return spec


def trivial(answer: dict[str, Any]) -> bool:
    """An empty list, a zero, or rates that are all zero."""
    kind = answer["type"]
    if kind == "learners":
        return not answer["ids"]
    if kind in ("number", "rate"):
        return not answer["value"]
    if kind == "by_group":
        return not any(answer["values"].values())
    if kind == "engagement":
        return not answer["active"]
    return False


def _draw(rng: random.Random, found: list[Binding], count: int, n_trivial: int) -> list[Binding]:
    """``count`` bindings (pinned ones first), at most ``n_trivial`` of them trivial;
    repeated when too few."""
    pinned = [b for b in found if b.pinned]
    found = [b for b in found if not b.pinned]
    plain = [b for b in found if not trivial(b.gold)]
    empty = [b for b in found if trivial(b.gold)]
    rng.shuffle(plain)
    rng.shuffle(empty)
    n_empty = min(len(empty), n_trivial)
    chosen = pinned + plain[: count - n_empty - len(pinned)] + empty[:n_empty]
    while len(chosen) < count and plain:  # few entities: the same one in other words
        chosen.append(plain[len(chosen) % len(plain)])
    return chosen[:count]


def _render(text: str, slots: dict[str, Any], phrases: Phrases, lang: str) -> str:
    out = SLOT.sub(lambda m: phrases.render(slots[m.group(1)], lang), text)
    out = re.sub(r"\s+", " ", out).strip()
    out = re.sub(r"\s+([?,])", r"\1", out) if lang == "en" else out
    return out[0].upper() + out[1:] if text[0].isupper() or text[0] == "{" else out


def build_questions(directory: Path, *, seed: int = 7) -> list[dict[str, Any]]:
    """Every question with its gold, from the organisation written in ``directory``."""
    spec = load_templates()
    data = gold.load(directory)
    rng = random.Random(seed)
    named = periods(data.today)
    phrases = Phrases(data, spec, named, rng)
    builder = Builder(data, spec, named)
    questions: list[dict[str, Any]] = []
    seen: set[str] = set()
    for family, fam in spec["families"].items():
        found = getattr(builder, family)()
        templates = list(fam["templates"])
        rng.shuffle(templates)
        drawn = _draw(rng, found, int(fam["count"]), int(fam.get("trivial", 0)))
        for n, binding in enumerate(drawn):
            for k in range(len(templates)):  # another paraphrase if this one was asked
                template_id, lang, text = templates[(n + k) % len(templates)]
                question = _render(text, binding.slots, phrases, lang)
                if question not in seen:
                    break
            if question in seen:
                continue
            seen.add(question)
            used = Binding(
                {k: v for k, v in binding.slots.items() if f"{{{k}}}" in text},
                binding.gold,
                binding.extra,
                binding.periods,
            )
            questions.append(
                {
                    "id": f"adm-{len(questions) + 1:04d}",
                    "template": template_id,
                    "family": family,
                    "split": split_of(family),
                    "language": lang,
                    "kind": fam["kind"],
                    "question": question,
                    "gold": {**binding.gold, "filters": used.filters},
                }
            )
    return questions


def write_questions(directory: Path, *, seed: int = 7) -> dict[str, int]:
    """Write ``questions.jsonl`` beside the organisation's files; counts by kind and split."""
    questions = build_questions(directory, seed=seed)
    with (directory / "questions.jsonl").open("w", encoding="utf-8") as fh:
        for q in questions:
            fh.write(json.dumps(q, ensure_ascii=False) + "\n")
    counts = Counter(q["kind"] for q in questions)
    counts.update(q["language"] for q in questions)
    counts.update(q["split"] for q in questions)
    return {"questions": len(questions), **dict(sorted(counts.items()))}
