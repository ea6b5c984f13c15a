"""A crash mid-ingest leaves every course fully old or fully new, never half."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.embedding import FakeEmbedder
from retrieval.index import IndexFilter
from tests.utils.stack import module_md, open_stack, write_course

REPO = Path(__file__).resolve().parents[2]
COURSES = ["alpha", "beta", "gamma"]


def _write(content: Path, version: str) -> None:
    for course in COURSES:
        modules = {
            f"0{i}-m.md": module_md(
                course,
                f"Module {i}",
                {f"Part {j}": f"{version} text of {course} module {i} part {j}." for j in range(3)},
            )
            for i in range(3)
        }
        write_course(content, course, modules)


def _visible_versions(data: Path) -> dict[str, set[str]]:
    """Which content version search can see, per course (hidden generations excluded)."""
    stack = open_stack(data, FakeEmbedder(dim=64))
    try:
        hidden = tuple(stack.ingestor.manifest.hidden_generations())
        seen: dict[str, set[str]] = {c: set() for c in COURSES}
        flt = IndexFilter(must={"kind": ("chunk",)}, must_not={"generation": hidden})
        for p in stack.index.scroll(flt):
            seen[p.payload["course_id"]].add(p.payload["text"].split()[0])
        counts = {
            c: stack.index.count(
                IndexFilter(
                    must={"course_id": (c,), "kind": ("chunk",)}, must_not={"generation": hidden}
                )
            )
            for c in COURSES
        }
        assert all(n in (0, 9) for n in counts.values()), counts
        return seen
    finally:
        stack.close()


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [2, 7, 12])  # 5 batches per course
def test_kill_mid_ingest_leaves_courses_whole(tmp_path: Path, kill_after: int) -> None:
    data, content = tmp_path / "data", tmp_path / "content"
    _write(content, "v1")
    first = open_stack(data, FakeEmbedder(dim=64))
    first.ingestor.ingest([content])
    first.close()
    _write(content, "v2")

    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.utils.crash_ingest", str(data), str(content)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    batches = 0
    for line in proc.stdout:
        if line.startswith("batch"):
            batches += 1
            if batches == kill_after:
                proc.send_signal(signal.SIGKILL)
                break
    proc.stdout.close()
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the ingest was killed mid-way"

    versions = _visible_versions(data)
    for course, seen in versions.items():
        assert seen in ({"v1"}, {"v2"}), f"{course} is half old, half new: {seen}"
    assert {"v1"} in versions.values(), "the kill came before the last course"

    # The next run cleans up and finishes the job.
    again = open_stack(data, FakeEmbedder(dim=64))
    report = again.ingestor.ingest([content])
    hidden = again.ingestor.manifest.hidden_generations()
    total = again.index.count(IndexFilter(must={"kind": ("chunk",)}))
    again.close()
    assert report.ok and hidden == [] and total == 27
    assert all(seen == {"v2"} for seen in _visible_versions(data).values())
