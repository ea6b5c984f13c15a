"""What surveys need of the catalog: item titles and modalities, session dates and items.

Read from the stored rows (no Catalog build), so an organisation with a partial or no catalog
still gets its surveys: an unknown item is shown by its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from coach import storage


@dataclass(frozen=True)
class CatalogView:
    """Item id → (title, modality); session id → (item id, start date)."""

    items: dict[str, tuple[str, str]]
    sessions: dict[str, tuple[str, date | None]]

    def title(self, item_id: str) -> str:
        return self.items.get(item_id, (item_id, ""))[0]

    def modality(self, item_id: str) -> str:
        return self.items.get(item_id, ("", "unknown"))[1] or "unknown"


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError:
        return None


def catalog_view(session: Session, *, org_id: str) -> CatalogView:
    """The organisation's items and sessions as surveys read them."""
    rows = storage.catalog_rows(session, org_id=org_id)
    items = {
        str(r["id"]): (str(r.get("title") or r["id"]), str(r.get("modality") or ""))
        for r in rows["item"]
    }
    sessions = {
        str(r["id"]): (str(r.get("item_id") or ""), _day(r.get("start"))) for r in rows["session"]
    }
    return CatalogView(items, sessions)
