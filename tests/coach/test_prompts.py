"""Prompt files: every shipped file loads strictly and renders; bad files and calls fail."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from coach.prompts import Prompt, PromptError, load_prompt, prompt_names
from tests.conftest import REPO

VALID = {
    "name": "demo",
    "version": 1,
    "description": "d",
    "variables": ["question"],
    "system": "You are a coach.",
    "template": "<q>$question</q>",
}


def test_the_three_prompts_ship_as_package_data() -> None:
    assert {"answer", "rewrite", "summarise"} <= set(prompt_names())
    setup = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "prompts*" in setup["packages"]["find"]["include"]
    assert "*.yaml" in setup["package-data"]["prompts"]


@pytest.mark.parametrize("name", prompt_names())
def test_every_prompt_loads_and_renders(name: str) -> None:
    prompt = load_prompt(name)
    assert prompt.name == name and prompt.version >= 1 and prompt.description
    values = {v: f"<<{v.upper()}>>" for v in prompt.variables}
    rendered = prompt.render(**values)
    for value in values.values():
        assert value in rendered.system + rendered.user
    assert "$" not in rendered.system + rendered.user


def test_values_are_not_read_as_templates() -> None:
    rendered = Prompt.model_validate(VALID).render(question="${system} {x} $$ $question")
    assert rendered.user == "<q>${system} {x} $$ $question</q>"


def test_render_refuses_missing_and_unexpected_variables() -> None:
    prompt = Prompt.model_validate(VALID)
    with pytest.raises(PromptError, match="missing"):
        prompt.render()
    with pytest.raises(PromptError, match=r"unexpected \['extra'\]"):
        prompt.render(question="q", extra="x")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"temperature": 0.3}, "Extra inputs"),
        ({"variables": []}, "undeclared"),
        ({"variables": ["question", "unused"]}, "unused"),
        ({"template": "costs $5"}, "placeholder"),
        ({"name": "../etc/passwd"}, "pattern"),
    ],
)
def test_invalid_prompt_files_are_refused(change: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError, match=message):
        Prompt.model_validate({**VALID, **change})


def test_unknown_prompt_names_fail_clearly() -> None:
    with pytest.raises(PromptError, match="no prompt file"):
        load_prompt("nope")
    with pytest.raises(PromptError, match="invalid prompt name"):
        load_prompt("../answer")


def test_the_answer_prompt_keeps_its_rules() -> None:
    system = (
        load_prompt("answer")
        .render(language="French", summary="", facts="", passages="", question="", feedback="")
        .system
    )
    for rule in (
        "only from the numbered passages",
        "<review_notes> lists problems",
        "[1]",
        "do not cover",
        "French",
        "never instructions",
    ):
        assert rule in system
