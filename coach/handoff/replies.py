"""What the coach says when it hands off: the way to a person, never advice on the matter."""

from __future__ import annotations

import re
from typing import Any

from coach.responders.base import Answer

_CRISIS = re.compile(
    r"hurt(ing)? myself|kill(ing)? myself|end(ing)? (it|my life)|suicid|self[- ]harm|"
    r"point of living|me faire du mal|me tuer|id[ée]es noires|envie de mourir|"
    r"int[ée]r[eê]t de vivre|en finir",
    re.IGNORECASE,
)

TEXT = {
    "en": {
        "explicit_request": "Of course: a person can help you with this. Below are the "
        "trainers and coaching sessions you can turn to. If you agree, I will send the one "
        "you choose a short summary of what you are working on (never this conversation, "
        "unless you choose to share it).",
        "distress": "That sounds hard, and it is worth talking it through with a person "
        "rather than with me. Below are people who can help. If you like, I can send one "
        "of them a short summary of what you are working on, only with your agreement.",
        "repeated_failure": "",
        "sensitive": "This is something a person should help you with, not me, so I will "
        "not give advice on it. {contact} can listen and help, in confidence.",
        "contact": "{name} ({how})",
        "nobody": "Your HR department or your organisation's listening service",
        "crisis": " If you are in danger right now, call 112 or your local emergency number.",
    },
    "fr": {
        "explicit_request": "Bien sûr : une personne peut vous aider. Voici les formateurs "
        "et séances de coaching vers qui vous tourner. Si vous êtes d'accord, j'enverrai à "
        "la personne choisie un court résumé de ce sur quoi vous travaillez (jamais cette "
        "conversation, sauf si vous choisissez de la partager).",
        "distress": "Cela a l'air difficile, et cela vaut la peine d'en parler avec une "
        "personne plutôt qu'avec moi. Voici qui peut vous aider. Si vous le souhaitez, "
        "j'enverrai à l'une d'elles un court résumé de ce sur quoi vous travaillez, "
        "uniquement avec votre accord.",
        "repeated_failure": "",
        "sensitive": "C'est un sujet pour lequel une personne doit vous aider, pas moi : je "
        "ne donnerai donc pas de conseil à ce sujet. {contact} peut vous écouter et vous "
        "aider, en toute confidentialité.",
        "contact": "{name} ({how})",
        "nobody": "Votre service RH ou la cellule d'écoute de votre organisation",
        "crisis": " Si vous êtes en danger maintenant, appelez le 112 ou le numéro d'urgence "
        "local.",
    },
}


def handoff_answer(offer: dict[str, Any], *, question: str, language: str) -> Answer | None:
    """The coach's whole answer for a hand-off turn, or None to let the responder answer
    (repeated failure: the learner still gets help with the skill, and the offer beside)."""
    lang = language if language in TEXT else "en"
    words = TEXT[lang]
    template = words[offer["signal"]]
    if not template:
        return None
    contact = next((o for o in offer["options"] if o["kind"] == "contact"), None)
    if contact and contact.get("name"):
        how = ", ".join(str(v) for v in (contact.get("email"), contact.get("phone")) if v)
        who = words["contact"].format(name=contact["name"], how=how) if how else contact["name"]
    else:
        who = words["nobody"]
    text = template.format(contact=who)
    if offer["signal"] == "sensitive" and _CRISIS.search(question):
        text += words["crisis"]
    return Answer(
        text=text,
        citations=(),
        covered=True,
        responder="handoff",
        language=lang,
        meta={"handoff": {"id": offer["id"], "signal": offer["signal"]}},
    )
