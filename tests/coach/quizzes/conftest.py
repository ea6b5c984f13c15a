"""Passages for quiz tests: a small English course and a French one, as search hits."""

from __future__ import annotations

import pytest

from retrieval.types import SearchHit
from tests.utils.hits import make_hit

EN = {
    "Programs": "Technically, a program is a sequence of instructions that a computer can run. "
    "Programs help people accomplish everyday tasks and create new technology.",
    "Variables": "A variable is a name that refers to a value stored in memory. "
    "The assignment operator sets a variable to a value.",
    "Functions": "A function is a named, reusable block of code that performs a task when "
    "called. A function can take parameters and return a value.",
    "Libraries": "A library is a collection of code that can be used in other programs. "
    "Pandas is a widely used library for data analysis.",
    "Strings": "A string is a sequence of characters enclosed by matching quotes. "
    "Strings can be joined with the plus operator.",
    "Errors": "A traceback is a report of the location and type of an error. "
    "Reading the last line of a traceback usually explains the problem.",
}
FR = {
    "Données": "Une donnée personnelle est toute information se rapportant à une personne "
    "physique identifiée ou identifiable.",
    "Droits": "- **Droit d'accès** : obtenir la confirmation que nous traitons ses données et "
    "en recevoir une copie.\n- **Droit de rectification** : faire corriger des données "
    "inexactes ou incomplètes.\n- **Droit à l'effacement** : obtenir la suppression de ses "
    "données lorsqu'elles ne sont plus nécessaires.\n- **Droit d'opposition** : s'opposer à "
    "un traitement fondé sur l'intérêt légitime.",
    "Violations": "Une violation de données personnelles est un incident de sécurité qui "
    "entraîne la destruction, la perte ou la divulgation non autorisée de données. "
    "Toute violation doit être signalée au DPO sans délai.",
}


def course(sections: dict[str, str], *, name: str, language: str) -> list[SearchHit]:
    return [
        make_hit(text, course=name, module="Basics", section=title, language=language)
        for title, text in sections.items()
    ]


@pytest.fixture
def en_passages() -> list[SearchHit]:
    return course(EN, name="Python", language="en")


@pytest.fixture
def fr_passages() -> list[SearchHit]:
    return course(FR, name="RGPD", language="fr")
