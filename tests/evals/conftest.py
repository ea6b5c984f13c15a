"""Fixtures of the evals tests: a checker on the fake embedder and a small course text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from evals.admin.generate import write_org
from evals.checks import AnswerChecker
from evals.verdict import Thresholds, load_thresholds
from retrieval.embedding import FakeEmbedder

LISTS = (
    "Lists and tuples. A list is mutable: its items can be changed after the list is created. "
    "A tuple is immutable, so its items cannot be changed once it exists. "
    "The append() method adds one item at the end of a list. "
    "The len() function returns the number of items, so len([4, 5, 6]) returns 3."
)
STRINGS = (
    "Strings. A string is a sequence of characters between quotes. "
    "The upper() method returns a copy of the string in capital letters."
)
LISTES = (
    "Une liste est modifiable : ses éléments peuvent être changés après sa création. "
    "Un tuple n'est pas modifiable, ses éléments restent fixes une fois créé. "
    "La méthode append() ajoute un élément à la fin de la liste."
)
CHAINES = "Une chaîne est une suite de caractères entre guillemets. La méthode upper() renvoie une copie en majuscules."


@pytest.fixture
def thresholds() -> Thresholds:
    return load_thresholds()


@pytest.fixture
def checker(embedder: FakeEmbedder, thresholds: Thresholds) -> AnswerChecker:
    return AnswerChecker(embedder, thresholds)


@pytest.fixture(scope="session")
def org_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The admin evaluation's generated organisation (seed 7, today 2026-11-26), once."""
    out = tmp_path_factory.mktemp("admin-org")
    write_org(out, seed=7, today=date(2026, 11, 26))
    return out
