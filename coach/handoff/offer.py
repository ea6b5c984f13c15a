"""The human help to offer: trainers, coaching sessions with free slots, the HR contact.

For a sensitive topic only the organisation's HR / listening contact is offered (the
learner reaches them directly; nothing about a sensitive matter is sent on the learner's
behalf). For the other signals: trainers of the organisation, those who teach the skill
at stake first, and coaching items with a free slot this month; distress adds the contact.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.org_settings import HandoffSettings
from coach.paths.world import NoCatalog, World
from coach.storage.handoff import trainers
from recommender.catalog import Catalog
from recommender.model import Modality

MAX_TRAINERS = 3
MAX_COACHING = 2

_world = World()  # catalogs cached per organisation revision, as the path service does


def contact_option(settings: HandoffSettings, language: str) -> dict[str, Any]:
    """The HR / listening contact in ``language`` (else another language's, else unnamed)."""
    contact = settings.contacts.get(language) or next(iter(settings.contacts.values()), None)  # type: ignore[call-overload]
    if contact is None:
        return {"kind": "contact", "name": None, "email": None, "phone": None, "hours": ""}
    return {"kind": "contact", **contact.model_dump()}


def build_options(
    session: Session,
    *,
    org_id: str,
    signal: str,
    settings: HandoffSettings,
    language: str,
    skill: str | None = None,
    course_id: str | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """The options shown to the learner for this signal, best first."""
    if signal == "sensitive":
        return [contact_option(settings, language)]
    try:
        catalog: Catalog | None = _world.catalog(session, org_id)
    except NoCatalog:
        catalog = None
    options = _trainer_options(session, org_id, catalog, skill, course_id)
    if catalog is not None:
        options += _coaching_options(session, org_id, catalog, skill, today or date.today())
    if signal == "distress":
        options.append(contact_option(settings, language))
    return options


def _trainer_options(
    session: Session, org_id: str, catalog: Catalog | None, skill: str | None, course: str | None
) -> list[dict[str, Any]]:
    named: set[str] = set()
    if catalog is not None:
        for s in catalog.sessions.values():
            item = catalog.items.get(s.item_id)
            relevant = item is not None and (
                (skill is not None and item.teaches(skill) > 0) or item.id == course
            )
            if relevant and s.trainer:
                named.add(s.trainer.casefold())
    people = trainers(session, org_id=org_id)
    people.sort(key=lambda u: u.display_name.casefold() not in named)  # stable: by name
    return [
        {
            "kind": "trainer",
            "user_id": u.id,
            "name": u.display_name,
            "teaches_this": u.display_name.casefold() in named,
        }
        for u in people[:MAX_TRAINERS]
    ]


def _coaching_options(
    session: Session, org_id: str, catalog: Catalog, skill: str | None, today: date
) -> list[dict[str, Any]]:
    held = storage.booked_slots(session, org_id=org_id)
    out: list[dict[str, Any]] = []
    for item in catalog.items.values():
        if item.modality is not Modality.COACHING:
            continue
        if skill is not None and item.teaches(skill) == 0:
            continue
        cap = item.monthly_capacity
        free = None if cap is None else cap - held[f"{item.id}|{today.year}|{today.month}"]
        if free is not None and free <= 0:
            continue
        out.append(
            {
                "kind": "coaching",
                "item_id": item.id,
                "title": item.title,
                "free_slots": free,
                "month": f"{today.year}-{today.month:02d}",
            }
        )
    return out[:MAX_COACHING]
