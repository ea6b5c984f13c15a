"""The template an organisation uses for each kind and audience: its own override, else the
shipped default; overrides are validated strictly before they are stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.surveys.templates import KINDS, Audience, Kind, Template, default_template


def template_for(session: Session, *, org_id: str, kind: Kind, audience: Audience) -> Template:
    """The organisation's template of ``kind`` for ``audience``."""
    own = storage.survey_template_overrides(session, org_id=org_id).get((kind, audience))
    return Template.model_validate(own) if own else default_template(kind, audience)


def templates_of(session: Session, *, org_id: str) -> list[dict[str, Any]]:
    """Every template the organisation uses, marked ``overridden`` or not."""
    own = storage.survey_template_overrides(session, org_id=org_id)
    out = []
    for kind, audience in KINDS:
        data = own.get((kind, audience))
        template = Template.model_validate(data) if data else default_template(kind, audience)
        out.append(
            {
                "kind": kind,
                "audience": audience,
                "overridden": data is not None,
                "template": template.model_dump(mode="json"),
            }
        )
    return out


def override(
    session: Session,
    *,
    org_id: str,
    kind: Kind,
    audience: Audience,
    data: dict[str, Any],
    by: str | None,
) -> Template:
    """Validate and store the organisation's own template (``pydantic.ValidationError``
    names the wrong field; nothing is stored then). Open instances keep their copy."""
    if (kind, audience) not in KINDS:
        raise ValueError(f"no {kind} survey for {audience}s (hot surveys are for learners)")
    template = Template.model_validate(data)
    storage.save_survey_template(
        session,
        org_id=org_id,
        kind=kind,
        audience=audience,
        data=template.model_dump(mode="json"),
        updated_by=by,
    )
    return template
