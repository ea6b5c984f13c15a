"""Server-Sent Events framing for the chat stream."""

from __future__ import annotations

import json
from typing import Any


def sse(event: str, data: Any) -> bytes:
    """One SSE frame: ``event: NAME`` and its JSON payload on one ``data:`` line."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\ndata: {payload}\n\n".encode()
