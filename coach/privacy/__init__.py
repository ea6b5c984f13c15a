"""Data protection (GDPR): a person's export and erasure.

- :mod:`coach.storage.user_data` — the registry: where a person's data lives, table by table;
- :mod:`coach.privacy.export` — ``export_person``: all of it as JSON;
- :mod:`coach.privacy.erasure` — ``erase_person``, and the learner's request an admin
  confirms (``request_erasure``, ``cancel_request``, ``decline_request``).

See docs/privacy.md.
"""

from coach.privacy.erasure import (
    ErasureReport,
    cancel_request,
    decline_request,
    erase_person,
    request_erasure,
)
from coach.privacy.export import export_person

__all__ = [
    "ErasureReport",
    "cancel_request",
    "decline_request",
    "erase_person",
    "export_person",
    "request_erasure",
]
