"""Survey templates: the strict pydantic model every template (shipped or overridden) passes,
the defaults shipped in ``templates.yaml``, and answer validation against a template.

A bad template is refused with the field that is wrong (``questions.2.anchors``); an answer
out of scale, of an unknown option or question, or missing a required question is refused
with the question's id (:class:`AnswerInvalid`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Kind = Literal["hot", "cold"]
Audience = Literal["learner", "manager"]
Lang = Literal["en", "fr"]
Measure = Literal[
    "satisfaction", "usefulness", "confidence", "applied", "obstacles", "change", "comment"
]
KINDS: tuple[tuple[Kind, Audience], ...] = (
    ("hot", "learner"),
    ("cold", "learner"),
    ("cold", "manager"),
)
DEFAULTS = Path(__file__).with_name("templates.yaml")
APPLIED = ("yes", "partly")  # answers of ``applied`` counted as applying on the job
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A wording in both languages."""

    en: Words
    fr: Words

    def __call__(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


class _Question(_Strict):
    id: Id
    text: Text
    required: bool = True
    measure: Measure | None = None


class ScaleQuestion(_Question):
    """A validated scale: every point from ``min`` to ``max`` has a labelled anchor."""

    type: Literal["scale"]
    min: int = Field(1, ge=0, le=1)
    max: int = Field(5, ge=3, le=10)
    anchors: dict[int, Text]

    @model_validator(mode="after")
    def _anchored(self) -> ScaleQuestion:
        want = set(range(self.min, self.max + 1))
        if set(self.anchors) != want:
            raise ValueError(f"anchors: label every point {self.min}..{self.max}, no other")
        return self


class Option(_Strict):
    id: Id
    text: Text


class ChoiceQuestion(_Question):
    """One option (or several when ``multiple``) among labelled options."""

    type: Literal["choice"]
    options: list[Option] = Field(min_length=2, max_length=12)
    multiple: bool = False

    @model_validator(mode="after")
    def _unique(self) -> ChoiceQuestion:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("options: ids must be unique")
        return self


class TextQuestion(_Question):
    """A free-text answer (summarised into key phrases and themes)."""

    type: Literal["text"]
    required: bool = False
    max_chars: int = Field(2000, ge=1, le=5000)


Question = Annotated[ScaleQuestion | ChoiceQuestion | TextQuestion, Field(discriminator="type")]


class Template(_Strict):
    """One survey: a title, an optional introduction and its questions."""

    title: Text
    intro: Text | None = None
    questions: list[Question] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _ids(self) -> Template:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("questions: ids must be unique")
        measures = [q.measure for q in self.questions if q.measure and q.measure != "comment"]
        if len(set(measures)) != len(measures):
            raise ValueError("questions: each measure may tag one question only")
        return self

    def question(self, measure: str) -> Question | None:
        """The question tagged with ``measure``, if any."""
        return next((q for q in self.questions if q.measure == measure), None)

    def localised(self, lang: str) -> dict[str, Any]:
        """The template in one language, as the form shows it."""
        out: dict[str, Any] = {
            "title": self.title(lang),
            "intro": self.intro(lang) if self.intro else "",
            "questions": [],
        }
        for q in self.questions:
            row: dict[str, Any] = {"id": q.id, "type": q.type, "text": q.text(lang)}
            row["required"] = q.required
            if isinstance(q, ScaleQuestion):
                row |= {
                    "min": q.min,
                    "max": q.max,
                    "anchors": {k: v(lang) for k, v in q.anchors.items()},
                }
            elif isinstance(q, ChoiceQuestion):
                row |= {
                    "multiple": q.multiple,
                    "options": [{"id": o.id, "text": o.text(lang)} for o in q.options],
                }
            else:
                row["max_chars"] = q.max_chars
            out["questions"].append(row)
        return out


class Defaults(_Strict):
    """The shipped file: hot for learners, cold for learners and managers."""

    hot: dict[Literal["learner"], Template]
    cold: dict[Audience, Template]


@cache
def defaults() -> Defaults:
    """The shipped default templates (validated once)."""
    return Defaults.model_validate(yaml.safe_load(DEFAULTS.read_text(encoding="utf-8")))


def default_template(kind: Kind, audience: Audience) -> Template:
    """The shipped template of ``kind`` for ``audience`` (KeyError: hot has no manager one)."""
    shipped = defaults()
    return shipped.hot[audience] if kind == "hot" else shipped.cold[audience]  # type: ignore[index]


class AnswerInvalid(ValueError):
    """An answer the template does not accept; ``field`` names the question."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def check_answers(template: Template, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (question id → answer) cleaned, or :class:`AnswerInvalid` for the first
    question it does not fit. Unanswered optional questions are left out."""
    known = {q.id for q in template.questions}
    for key in values:
        if key not in known:
            raise AnswerInvalid(key, "no such question in this survey")
    out: dict[str, Any] = {}
    for q in template.questions:
        value = values.get(q.id)
        if value in (None, "", []):
            if q.required:
                raise AnswerInvalid(q.id, "an answer is required")
            continue
        out[q.id] = _check(q, value)
    return out


def _check(q: Question, value: Any) -> Any:
    if isinstance(q, ScaleQuestion):
        if isinstance(value, bool) or not isinstance(value, int) or not q.min <= value <= q.max:
            raise AnswerInvalid(q.id, f"a whole number from {q.min} to {q.max}, not {value!r}")
        return value
    if isinstance(q, ChoiceQuestion):
        ids = {o.id for o in q.options}
        chosen = value if isinstance(value, list) else [value]
        if not q.multiple and isinstance(value, list):
            raise AnswerInvalid(q.id, "one option only")
        bad = [v for v in chosen if not isinstance(v, str) or v not in ids]
        if bad:
            raise AnswerInvalid(
                q.id, f"unknown option {bad[0]!r} (one of {', '.join(sorted(ids))})"
            )
        return sorted(set(chosen)) if q.multiple else value
    if not isinstance(value, str):
        raise AnswerInvalid(q.id, "text expected")
    text = value.strip()
    if len(text) > q.max_chars:
        raise AnswerInvalid(q.id, f"at most {q.max_chars} characters")
    return text
