"""A scripted OpenAI-compatible chat server on 127.0.0.1, for tests and benchmarks.

``FakeOpenAI`` serves ``POST /v1/chat/completions`` (streaming SSE and plain JSON) from
a thread and replays a script of :class:`Reply` objects, one per request: text streamed
at a fixed rate, a tool call, an HTTP error, a hang, garbage or a mid-stream disconnect.
It records every request so tests can assert the messages, the model name and the retry
count.

    with FakeOpenAI([Reply.error(503), Reply.text("Hi [1].")]) as server:
        client = OpenAI(base_url=server.base_url, api_key="k")
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

TOOL_CALL_ID = "call_fake_1"
Kind = Literal["text", "error", "hang", "garbage", "disconnect", "quote", "tool_call"]


@dataclass(frozen=True, slots=True)
class Reply:
    """One scripted reply; build it with the class methods."""

    kind: Kind
    content: str = ""
    status: int = 200
    seconds: float = 0.0
    mode: str = ""
    sentences: int = 0
    tool: str = ""
    arguments: str = ""

    @classmethod
    def text(cls, content: str) -> Reply:
        """Text streamed token by token (or sent whole when the request does not stream)."""
        return cls("text", content=content)

    @classmethod
    def error(cls, status: int, message: str = "scripted error") -> Reply:
        """An HTTP error with an OpenAI-style JSON body."""
        return cls("error", content=message, status=status)

    @classmethod
    def hang(cls, seconds: float = 30.0) -> Reply:
        """Accept the request and say nothing for ``seconds`` (or until the server stops)."""
        return cls("hang", seconds=seconds)

    @classmethod
    def garbage(cls, mode: Literal["json", "html"] = "json") -> Reply:
        """Status 200 with invalid JSON (``json``) or an HTML page (``html``)."""
        return cls("garbage", mode=mode)

    @classmethod
    def quote(cls, sentences: int = 2) -> Reply:
        """A grounded answer: the first ``sentences`` sentences of passage 1 of the request's
        ``<passages>`` block, each cited ``[1]``, and a check question (a well-behaved model,
        for benchmarks that must not trip the runtime guard)."""
        return cls("quote", sentences=sentences)

    @classmethod
    def tool_call(cls, name: str, arguments: dict[str, Any] | str) -> Reply:
        """The assistant calls the tool ``name`` with ``arguments`` (a dict sent as JSON, or
        a string sent as it is, to script unparseable arguments); no text."""
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
        return cls("tool_call", tool=name, arguments=raw)

    @classmethod
    def disconnect(cls, text: str) -> Reply:
        """Stream ``text`` then drop the connection without finishing the response."""
        return cls("disconnect", content=text)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A request as the server saw it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))


@dataclass
class FakeOpenAI:
    """The server; a context manager that starts on a random port and stops on exit.

    Attributes:
        script: replies served in order, one per request.
        default: served once the script is used up (``None``: HTTP 500 "script exhausted").
        tokens_per_s: streaming rate (``None``: as fast as possible).
        first_token_delay_s: pause before the first streamed token (the model "thinking").
        retry_after_ms: sent with error replies so client retries wait this long.
        port: where to listen (0: any free port).
    """

    script: Iterable[Reply] = ()
    default: Reply | None = None
    tokens_per_s: float | None = None
    first_token_delay_s: float = 0.0
    retry_after_ms: int = 10
    port: int = 0
    models_status: int = 200
    """Status of ``GET /v1/models`` (readiness checks ask it; not recorded in ``requests``)."""
    requests: list[Recorded] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)
    """``(received, finished)`` ``time.perf_counter`` stamps of each request served."""

    def __post_init__(self) -> None:
        self._queue: deque[Reply] = deque(self.script)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as ``base_url``."""
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def add(self, *replies: Reply) -> None:
        """Append replies to the script."""
        with self._lock:
            self._queue.extend(replies)

    def start(self) -> FakeOpenAI:
        """Listen on a free port of 127.0.0.1 and serve from a daemon thread."""
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # ``stop`` waits up to one poll
            name="fake-openai",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release hanging requests, stop serving and close the socket."""
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, recorded: Recorded) -> Reply:
        with self._lock:
            self.requests.append(recorded)
            if self._queue:
                return self._queue.popleft()
        return self.default or Reply.error(500, "fake_openai: script exhausted")


def _quote(body: dict[str, Any], sentences: int) -> str:
    last = str((body.get("messages") or [{}])[-1].get("content", ""))
    found = re.search(r'<passage n="1"[^>]*>\n(.*?)\n</passage>', last, re.S)
    if found is None:
        return "The passages do not cover this question."
    text = html.unescape(found.group(1))
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if p.strip()]
    cited = " ".join(f"{p} [1]" for p in parts[:sentences])
    return f"{cited} Which part would you try first?"


def tokens(text: str) -> list[str]:
    """Split text the way the server streams it: words with their trailing space."""
    return re.findall(r"\S+\s*|\s+", text)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request log lines."""

    def handle(self) -> None:
        """Serve the connection; a client that drops an idle keep-alive one is no error."""
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle()

    def do_GET(self) -> None:
        if not self.path.rstrip("/").endswith("/models"):
            return self._json(404, {"error": {"message": "not found", "type": "not_found"}})
        status = self.fake.models_status
        if status != 200:
            error = {"message": "scripted models error", "type": "server_error", "code": status}
            return self._json(status, {"error": error})
        model = {"id": "fake", "object": "model", "created": 0, "owned_by": "fake"}
        return self._json(200, {"object": "list", "data": [model]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            return self._json(404, {"error": {"message": "not found", "type": "not_found"}})
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._json(400, {"error": {"message": "bad json", "type": "invalid"}})
        headers = {k.lower(): v for k, v in self.headers.items()}
        received = time.perf_counter()
        reply = self.fake._next(Recorded(self.path, headers, body, time.monotonic()))
        if reply.kind == "quote":
            reply = Reply.text(_quote(body, reply.sentences))
        try:
            self._serve(reply, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with self.fake._lock:
                self.fake.spans.append((received, time.perf_counter()))

    def _serve(self, reply: Reply, body: dict[str, Any]) -> None:
        fake = self.fake
        if reply.kind == "error":
            error = {"message": reply.content, "type": "server_error", "code": reply.status}
            extra = {"retry-after-ms": str(fake.retry_after_ms)}
            return self._json(reply.status, {"error": error}, extra)
        if reply.kind == "hang":
            fake._stop.wait(reply.seconds)
            self.close_connection = True
            return None
        if reply.kind == "garbage" and reply.mode == "html":
            return self._send(200, "text/html", b"<html><body>Bad gateway</body></html>")
        if not body.get("stream"):
            if reply.kind == "garbage":
                return self._send(200, "application/json", b'{"choices": [{"mess')
            if reply.kind == "tool_call":
                return self._json(200, _tool_completion(body, reply.tool, reply.arguments))
            return self._json(200, _completion(body, reply.content))
        self._stream(reply, body)
        return None

    def _stream(self, reply: Reply, body: dict[str, Any]) -> None:
        fake = self.fake
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if reply.kind == "garbage":
            self._chunk(b"data: {not json at all\n\n")
            return self._end()
        if fake.first_token_delay_s and fake._stop.wait(fake.first_token_delay_s):
            return None
        if reply.kind == "tool_call":
            return self._stream_tool_call(reply, body)
        self._event(_chunk(body, {"role": "assistant", "content": ""}))
        gap = 1.0 / fake.tokens_per_s if fake.tokens_per_s else 0.0
        for i, token in enumerate(tokens(reply.content)):
            if gap and i and fake._stop.wait(gap):
                return None
            self._event(_chunk(body, {"content": token}))
        if reply.kind == "disconnect":
            self.wfile.flush()
            self.close_connection = True
            return None  # no final chunk, no terminating zero-length chunk
        self._event(_chunk(body, {}, finish="stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            self._event({**_chunk(body, {}), "choices": [], "usage": _usage(reply.content)})
        self._chunk(b"data: [DONE]\n\n")
        return self._end()

    def _stream_tool_call(self, reply: Reply, body: dict[str, Any]) -> None:
        """The call's name and id first, then its arguments in pieces, as OpenAI streams."""
        call = {"index": 0, "id": TOOL_CALL_ID, "type": "function"}
        first = {**call, "function": {"name": reply.tool, "arguments": ""}}
        self._event(_chunk(body, {"role": "assistant", "content": None, "tool_calls": [first]}))
        for piece in tokens(reply.arguments):
            more = {"index": 0, "function": {"arguments": piece}}
            self._event(_chunk(body, {"tool_calls": [more]}))
        self._event(_chunk(body, {}, finish="tool_calls"))
        if (body.get("stream_options") or {}).get("include_usage"):
            self._event({**_chunk(body, {}), "choices": [], "usage": _usage(reply.arguments)})
        self._chunk(b"data: [DONE]\n\n")
        self._end()

    def _event(self, payload: dict[str, Any]) -> None:
        self._chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        self._send(status, "application/json", json.dumps(payload).encode(), headers)

    def _send(
        self, status: int, ctype: str, data: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


def _usage(text: str) -> dict[str, int]:
    n = len(tokens(text))
    return {"prompt_tokens": 10, "completion_tokens": n, "total_tokens": 10 + n}


def _chunk(body: dict[str, Any], delta: dict[str, Any], finish: str | None = None) -> dict:
    choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [choice],
    }


def _completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": text}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
        "usage": _usage(text),
    }


def _tool_completion(body: dict[str, Any], name: str, arguments: str) -> dict[str, Any]:
    call = {
        "id": TOOL_CALL_ID,
        "type": "function",
        "function": {"name": name, "arguments": arguments},
    }
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    choice = {"index": 0, "message": message, "finish_reason": "tool_calls", "logprobs": None}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [choice],
        "usage": _usage(arguments),
    }


def main() -> None:
    """Serve one reply forever: ``python -m tests.utils.fake_openai --tokens-per-s 30``."""
    import argparse

    parser = argparse.ArgumentParser(description="A scripted OpenAI-compatible chat server.")
    parser.add_argument("--text", default="The course covers this [1]. What would you try first?")
    parser.add_argument("--tokens-per-s", type=float, default=30.0)
    parser.add_argument("--first-token-delay-s", type=float, default=0.3)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = FakeOpenAI(
        default=Reply.text(args.text),
        tokens_per_s=args.tokens_per_s,
        first_token_delay_s=args.first_token_delay_s,
        port=args.port,
    )
    with server:
        print(f"BLENDCOACH_LLM_BASE_URL={server.base_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
