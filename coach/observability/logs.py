"""Structured logs: one JSON object per line, each carrying the request it belongs to.

The request id lives in a context variable set by the request middleware; Starlette copies
the context into the threads that run sync routes and stream responses, so a log line
written anywhere while a request is served carries it.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

request_id: ContextVar[str | None] = ContextVar("blendcoach_request_id", default=None)
"""The id of the request being served (None outside a request)."""

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "taskName", "color_message"}
)


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", "request_id", ...extra, "exc"}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid is not None:
            out["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in out:
                out[key] = value
        if record.exc_info:
            out["exc"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(out, default=str, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (pytest swaps it per test)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


_HANDLER_NAME = "blendcoach"


def configure_logging(
    level: str = "info", fmt: Literal["json", "text"] = "json"
) -> Callable[[], None]:
    """Send the root logger (and uvicorn's) to stderr in ``fmt`` at ``level``.

    Idempotent: the handler it installed before is replaced, other handlers are left alone.
    uvicorn's access log is silenced: the request middleware writes one line per request
    with its route, status, duration and id instead. Returns the function that puts
    everything back as it was (tests call it).
    """
    root = logging.getLogger()
    uvicorn = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.error")]
    access = logging.getLogger("uvicorn.access")
    saved = (root.level, [(lg, lg.handlers, lg.propagate) for lg in uvicorn], access.disabled)
    previous = [h for h in root.handlers if h.get_name() == _HANDLER_NAME]
    for old in previous:
        root.removeHandler(old)
    handler = _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
        handler.addFilter(_with_request_id)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for logger in uvicorn:
        logger.handlers = []
        logger.propagate = True
    access.disabled = True

    def restore() -> None:
        for ours in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
            root.removeHandler(ours)
        for old in previous:
            root.addHandler(old)
        level, states, disabled = saved
        root.setLevel(level)
        for logger, handlers, propagate in states:
            logger.handlers, logger.propagate = handlers, propagate
        access.disabled = disabled

    return restore


def _with_request_id(record: logging.LogRecord) -> bool:
    if getattr(record, "request_id", None) is None:
        record.request_id = request_id.get() or "-"
    return True
