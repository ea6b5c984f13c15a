"""JSON log lines: the request id, extra fields, tracebacks; set up and undone cleanly."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from coach.observability import JsonFormatter, configure_logging, request_id


def record(message: str, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("coach.x", logging.INFO, __file__, 1, message, (), None)
    rec.__dict__.update(extra)
    return rec


def test_a_line_carries_the_request_id_and_the_extra_fields() -> None:
    token = request_id.set("req-1")
    try:
        line = json.loads(JsonFormatter().format(record("hello", user_id="u1", n=3)))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "req-1" and line["message"] == "hello"
    assert (line["level"], line["logger"], line["user_id"], line["n"]) == (
        "info",
        "coach.x",
        "u1",
        3,
    )
    assert line["ts"].endswith("+00:00")
    outside = json.loads(JsonFormatter().format(record("later")))
    assert "request_id" not in outside


def test_a_traceback_stays_in_one_line() -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        rec = logging.LogRecord("coach.x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    text = JsonFormatter().format(rec)
    assert "\n" not in text
    assert "ValueError: bad\nvalue" in json.loads(text)["exc"]


def test_configure_then_restore(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    before = (root.level, list(root.handlers), logging.getLogger("uvicorn.access").disabled)
    restore = configure_logging("info", "text")
    try:
        configure_logging("info", "text")  # again: still one handler of ours
        ours = [h for h in root.handlers if h.get_name() == "blendcoach"]
        assert len(ours) == 1 and logging.getLogger("uvicorn.access").disabled
        logging.getLogger("coach.x").info("plain %s", "text")
        assert "INFO coach.x [-] plain text" in capsys.readouterr().err
    finally:
        restore()
    after = (root.level, list(root.handlers), logging.getLogger("uvicorn.access").disabled)
    assert after == before
