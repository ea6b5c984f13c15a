"""The app and a stand-in LMS, served on 127.0.0.1 for the browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from coach.services import Services
from tests.utils.users import TestUser

TIMEOUT_MS = 10_000
"""How long a browser step may wait for what it expects."""


def listen() -> socket.socket:
    """A listening socket on a free loopback port (no race between choosing and binding).

    Made with an explicit ``IPPROTO_TCP`` so that asyncio sets ``TCP_NODELAY`` on the
    connections it accepts (it checks the protocol number); without it every small response
    waits ~40 ms for a delayed ACK (Nagle).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Poll ``condition`` until it holds (a server thread has started)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not start within {timeout:.0f}s")
        time.sleep(0.02)


class Lms:
    """A stand-in LMS on its own origin: serves the pages a test hands it."""

    def __init__(self, sock: socket.socket) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, *args: object) -> None:
                pass

        host, port = sock.getsockname()
        self.origin = f"http://{host}:{port}"
        self.server = ThreadingHTTPServer((host, port), Handler, bind_and_activate=False)
        self.server.socket.close()
        self.server.socket = sock
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(self, path: str, body: str) -> str:
        """Serve ``body`` at ``path``; returns its URL."""
        self.pages[path] = body
        return self.origin + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class LiveApp:
    """The running app: its URL, its parts, and helpers to make users and call the API."""

    url: str
    services: Services
    lms: Lms
    ana: TestUser
    """The demo learner the demo page signs in as."""

    def get(self, path: str) -> Any:
        """GET an API path as the demo learner."""
        resp = httpx.get(self.url + path, headers=self.ana.headers, timeout=10)
        resp.raise_for_status()
        return resp.json()

    def embed_page(self, path: str, **data: str) -> str:
        """An LMS page embedding the widget with the one script tag, ``data-*`` from ``data``."""
        attrs = " ".join(f'data-{k}="{v}"' for k, v in data.items())
        return self.lms.page(
            path,
            "<!doctype html><html lang='en'><title>Course · LMS</title><h1>A course</h1>"
            f'<p><a href="#top">A link on the page</a></p>'
            f'<script src="{self.url}/widget.js" {attrs} defer></script></html>',
        )
