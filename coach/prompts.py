"""Prompt files: ``prompts/NAME.yaml`` validated by a strict model, rendered strictly.

A prompt has a ``system`` part and a ``template`` (the user message) written with
``$variable`` placeholders (:class:`string.Template`, so braces and JSON in values are
harmless and values are never re-read as templates). ``variables`` must list exactly the
placeholders used; ``render`` refuses missing and unexpected values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from string import Template

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


class PromptError(ValueError):
    """A prompt file is missing or invalid, or was rendered with the wrong variables."""


@dataclass(frozen=True, slots=True)
class RenderedPrompt:
    """A prompt with its variables filled in."""

    system: str
    user: str


class Prompt(BaseModel):
    """One prompt file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=_NAME.pattern)
    version: int = Field(ge=1)
    description: str
    variables: list[str]
    system: str
    template: str

    @model_validator(mode="after")
    def _placeholders_match(self) -> Prompt:
        used = set(_identifiers(self.system)) | set(_identifiers(self.template))
        declared = set(self.variables)
        if len(declared) != len(self.variables):
            raise ValueError("variables lists a name twice")
        if used != declared:
            missing, unused = sorted(used - declared), sorted(declared - used)
            raise ValueError(
                f"placeholders and variables differ: undeclared {missing}, unused {unused}"
            )
        return self

    def render(self, **values: str) -> RenderedPrompt:
        """Fill in every declared variable (no more, no fewer)."""
        missing = sorted(set(self.variables) - values.keys())
        extra = sorted(values.keys() - set(self.variables))
        if missing or extra:
            raise PromptError(f"prompt {self.name!r}: missing {missing}, unexpected {extra}")
        return RenderedPrompt(
            system=Template(self.system).substitute(values).strip(),
            user=Template(self.template).substitute(values).strip(),
        )


def _identifiers(text: str) -> list[str]:
    template = Template(text)
    if not template.is_valid():
        raise ValueError("a '$' that is neither a placeholder nor '$$'")
    return template.get_identifiers()


def prompt_names() -> list[str]:
    """Names of the prompt files shipped with the package."""
    root = resources.files("prompts")
    return sorted(p.name[: -len(".yaml")] for p in root.iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=32)
def load_prompt(name: str) -> Prompt:
    """Read and validate ``prompts/NAME.yaml``."""
    if not _NAME.match(name):
        raise PromptError(f"invalid prompt name {name!r}")
    path = resources.files("prompts") / f"{name}.yaml"
    if not path.is_file():
        raise PromptError(f"no prompt file {name}.yaml (have {prompt_names()})")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        prompt = Prompt.model_validate(data)
    except (yaml.YAMLError, ValueError) as exc:
        raise PromptError(f"{name}.yaml is invalid: {exc}") from exc
    if prompt.name != name:
        raise PromptError(f"{name}.yaml declares name {prompt.name!r}")
    return prompt
