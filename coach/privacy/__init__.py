"""Data protection (GDPR): a person's export and erasure, and conversation retention.

- :mod:`coach.storage.user_data` — the registry: where a person's data lives, table by table;
- :mod:`coach.privacy.export` — ``export_person``: all of it as JSON;
- :mod:`coach.privacy.erasure` — ``erase_person``, and the learner's request an admin
  confirms (``request_erasure``, ``cancel_request``, ``decline_request``);
- :mod:`coach.privacy.retention` — ``sweep_org`` / ``sweep_all``: conversations past the
  organisation's retention period.

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
from coach.privacy.retention import RetentionResult, RetentionSweep, sweep_all, sweep_org

__all__ = [
    "ErasureReport",
    "RetentionResult",
    "RetentionSweep",
    "cancel_request",
    "decline_request",
    "erase_person",
    "export_person",
    "request_erasure",
    "sweep_all",
    "sweep_org",
]
