"""Nudge texts as a strictly validated file: every kind in English and French.

``templates.yaml`` maps a kind to its declared ``params`` and a subject and body per
language. Loading refuses a missing language, an unknown key, a placeholder that is not
declared and a declared parameter that a text never uses; rendering refuses a candidate
that lacks a declared parameter. Dates are written out in the recipient's language.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, RootModel, model_validator

DEFAULT_FILE = Path(__file__).with_name("templates.yaml")
LANGUAGES = ("en", "fr")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}
_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


class TemplateError(ValueError):
    """A template file or a rendering that does not hold together."""


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: str
    body: str


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text uses (format specs and conversions are refused)."""
    out = set()
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"placeholder {{{name}}}: plain names only")
        out.add(name)
    return out


class KindTemplate(BaseModel):
    """One kind's declared parameters and texts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    params: tuple[str, ...]
    en: Text
    fr: Text

    @model_validator(mode="after")
    def _placeholders(self) -> KindTemplate:
        declared = set(self.params)
        for lang in LANGUAGES:
            text: Text = getattr(self, lang)
            used = placeholders(text.subject) | placeholders(text.body)
            if unknown := used - declared:
                raise ValueError(f"{lang}: undeclared placeholders {sorted(unknown)}")
            if unused := declared - used:
                raise ValueError(f"{lang}: declared but never used {sorted(unused)}")
        return self


class TemplateSet(RootModel[dict[str, KindTemplate]]):
    """Every kind's template."""


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    body: str
    language: str


def format_value(value: Any, language: str) -> str:
    """A parameter as the text shows it (dates written out in ``language``)."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        value = date.fromisoformat(value)  # sources that pass JSON-ready dates
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        month = _MONTHS[language].split()[value.month - 1]
        return f"{_DAYS[language][value.weekday()]} {value.day} {month}"
    return str(value)


class Templates:
    """The loaded templates; :meth:`render` a kind in a language."""

    def __init__(self, kinds: Mapping[str, KindTemplate]) -> None:
        self.kinds = dict(kinds)

    @classmethod
    def load(cls, *paths: Path) -> Templates:
        """The templates of ``paths`` (default: the built-in file); later files add kinds."""
        kinds: dict[str, KindTemplate] = {}
        for path in paths or (DEFAULT_FILE,):
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            try:
                loaded = TemplateSet.model_validate(data).root
            except ValueError as err:
                raise TemplateError(f"{path}: {err}") from err
            if twice := set(loaded) & set(kinds):
                raise TemplateError(f"{path}: kinds defined twice {sorted(twice)}")
            kinds.update(loaded)
        return cls(kinds)

    def render(self, kind: str, params: Mapping[str, Any], language: str) -> Rendered:
        """The subject and body of ``kind`` in ``language`` (English when not offered)."""
        template = self.kinds.get(kind)
        if template is None:
            raise TemplateError(f"no template for kind {kind!r}")
        if missing := [p for p in template.params if p not in params]:
            raise TemplateError(f"{kind}: missing parameters {missing}")
        lang = language if language in LANGUAGES else "en"
        text: Text = getattr(template, lang)
        values = {p: format_value(params[p], lang) for p in template.params}
        return Rendered(text.subject.format(**values), text.body.format(**values), lang)


@cache
def default_templates() -> Templates:
    """The built-in templates, loaded once."""
    return Templates.load()
