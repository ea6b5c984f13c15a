"""``blendcoach`` as a separate process, for the tests that kill it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.faults.pgcluster import free_port

BLENDCOACH = Path(sys.executable).with_name("blendcoach")
START_TIMEOUT_S = 120.0
"""Importing the service takes seconds, many more on a loaded machine."""


def environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """This process's environment without any BLENDCOACH_* of its own, plus the test's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLENDCOACH_")}
    env.update(
        BLENDCOACH_DATA_DIR=str(data_dir),
        BLENDCOACH_EMBEDDING_MODEL="fake",
        BLENDCOACH_LIMITS__PER_USER="0",
        BLENDCOACH_LIMITS__PER_ORG="0",
        BLENDCOACH_LOG_LEVEL="warning",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
    )
    if database_url is not None:
        env["BLENDCOACH_DATABASE_URL"] = database_url
    return env


class Command:
    """``blendcoach ARGS...`` started in ``cwd`` (no stray ``.env``), output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, log: Path) -> None:
        self.log = log
        self._out = log.open("ab")
        self.proc = subprocess.Popen(
            [str(BLENDCOACH), *args], env=env, cwd=cwd, stdout=self._out, stderr=self._out
        )

    def output(self) -> str:
        self._out.flush()
        return self.log.read_text(errors="replace")

    def kill(self) -> int:
        """SIGKILL: no clean-up of any kind; returns the exit status (-9)."""
        self.proc.send_signal(signal.SIGKILL)
        return self.wait()

    def wait(self, timeout: float = 60.0) -> int:
        code = self.proc.wait(timeout=timeout)
        self._out.close()
        return code


class Server(Command):
    """``blendcoach serve`` on a free port of 127.0.0.1, ready when ``/healthz`` answers."""

    def __init__(self, env: dict[str, str], cwd: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(["serve", "--port", str(self.port)], env, cwd, log)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited {self.proc.returncode}:\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"serve did not start in {START_TIMEOUT_S}s:\n{self.output()}")
            time.sleep(0.2)

    def stop(self) -> int:
        """SIGTERM: uvicorn's graceful shutdown."""
        self.proc.send_signal(signal.SIGTERM)
        return self.wait()
