"""Who may read and write what: the access rules, in one place.

- A user reads and writes their own conversations, messages, feedback and memory.
- An admin also reads everything in their organisation, read-only: they cannot post
  into a learner's conversation nor rate its answers in the learner's name.
- A reviewer reads nothing of the learners' conversations.
- Another organisation's objects are invisible.

Anything the viewer may not *read* is :class:`NotFound` (a 403 would confirm that it
exists); :class:`Forbidden` is only for what they can see but may not change, or for
asking something their role does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from coach.storage.models import User

Role = Literal["learner", "admin", "reviewer", "manager", "trainer"]


class AccessError(Exception):
    """Base of the storage errors routes turn into HTTP statuses."""

    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(AccessError):
    """No such object, or the viewer may not know it exists (HTTP 404)."""

    status_code = 404


class Forbidden(AccessError):
    """The viewer sees the object but may not do this to it (HTTP 403)."""

    status_code = 403


class AlreadyExists(AccessError):
    """An object with this natural key exists already (HTTP 409)."""

    status_code = 409


@dataclass(frozen=True, slots=True)
class Viewer:
    """The authenticated user a request acts for (detached from any session)."""

    id: str
    org_id: str
    role: Role
    locale: str = "en"
    display_name: str = ""

    @classmethod
    def from_user(cls, user: User) -> Viewer:
        return cls(
            id=user.id,
            org_id=user.org_id,
            role=cast(Role, user.role),
            locale=user.locale,
            display_name=user.display_name,
        )

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def can_read(viewer: Viewer, *, org_id: str, owner_id: str) -> bool:
    """Whether ``viewer`` may read an object of ``owner_id`` in ``org_id``."""
    if org_id != viewer.org_id:
        return False
    return owner_id == viewer.id or viewer.is_admin


def check_read(viewer: Viewer, *, org_id: str, owner_id: str, what: str) -> None:
    """Raise :class:`NotFound` unless ``viewer`` may read the object."""
    if not can_read(viewer, org_id=org_id, owner_id=owner_id):
        raise NotFound(f"{what} not found")


def check_write(viewer: Viewer, *, org_id: str, owner_id: str, what: str) -> None:
    """Raise :class:`NotFound` if unreadable, :class:`Forbidden` if read-only to ``viewer``."""
    check_read(viewer, org_id=org_id, owner_id=owner_id, what=what)
    if owner_id != viewer.id:
        raise Forbidden(f"only its owner can change this {what}")


def check_user_scope(viewer: Viewer, *, user_id: str) -> None:
    """Raise :class:`Forbidden` unless ``viewer`` may ask for ``user_id``'s things at all.

    Decided on the role alone, before any lookup, so it reveals nothing about the user;
    the caller still checks that the user is in the viewer's organisation.
    """
    if user_id != viewer.id and not viewer.is_admin:
        raise Forbidden("only an admin can read another user's conversations")
