"""ralph (``ralph-malph[cli,lrs]``), a real LRS, run from its own venv (``.venv-ralph``,
made by ``make .venv-ralph/.installed``) on 127.0.0.1 with its file-system backend."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any, BinaryIO

import httpx

ROOT = Path(__file__).resolve().parents[3]
RALPH = ROOT / ".venv-ralph" / "bin" / "ralph"
USER, PASSWORD = "coach", "s3cret-lrs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Ralph:
    """One ralph LRS: credentials made once (``ralph auth``), started and stopped at will,
    its statements kept in ``app_dir/store`` across restarts."""

    def __init__(self, app_dir: Path) -> None:
        if not RALPH.exists():
            raise RuntimeError(f"no {RALPH}: run `make .venv-ralph/.installed`")
        self.app_dir = app_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log: BinaryIO | None = None
        self.env = os.environ | {
            "RALPH_APP_DIR": str(app_dir),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "PYTHONPATH": str(Path(__file__).parent / "ralph_site"),  # see its sitecustomize
        }
        subprocess.run(
            [str(RALPH), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
             "-M", f"mailto:{USER}@example.com", "-w"],
            cwd=app_dir, env=self.env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    def start(self, timeout_s: float = 90.0) -> None:
        """Run the server and wait until it answers its heartbeat."""
        self.log = log = (self.app_dir / "server.log").open("ab")
        # Its own session (the reloader and its worker stop together), its own directory
        # (runserver reloads on file changes under the working directory).
        self.proc = subprocess.Popen(
            [str(RALPH), "runserver", "-b", "fs",
             "--fs-default-directory-path", str(self.app_dir / "store"),
             "-h", "127.0.0.1", "-p", str(self.port)],
            cwd=self.app_dir, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"ralph exited: {(self.app_dir / 'server.log').read_text()}")
            try:
                r = httpx.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1)
                if r.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("ralph did not start in time")

    def stop(self) -> None:
        """Stop the server (its reloader and worker)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.proc = None
        if self.log is not None:
            self.log.close()
            self.log = None

    def statements(self) -> list[dict[str, Any]]:
        """Every statement it holds, following ``more`` links."""
        out: list[dict[str, Any]] = []
        url: str | None = f"{self.url}/statements?limit=100"
        while url:
            r = httpx.get(
                url,
                auth=(USER, PASSWORD),
                headers={"X-Experience-API-Version": "1.0.3"},
                timeout=30,
            )
            r.raise_for_status()
            body = r.json()
            out += body["statements"]
            more = body.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else None
        return out
