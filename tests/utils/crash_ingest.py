"""Run an ingest that reports each embedded batch on stdout, slowly, so a test can kill it.

python -m tests.utils.crash_ingest DATA_DIR CONTENT_DIR
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from retrieval.embedding import FakeEmbedder
from tests.utils.stack import open_stack


class SlowEmbedder(FakeEmbedder):
    """Announces every batch, then takes its time: a window to crash in."""

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = super()._encode(texts)
        print(f"batch {len(self.calls)}", flush=True)
        time.sleep(0.05)
        return out


def main() -> None:
    data, content = Path(sys.argv[1]), Path(sys.argv[2])
    stack = open_stack(data, SlowEmbedder(dim=64, batch_size=2))
    report = stack.ingestor.ingest([content])
    stack.close()
    print(f"done {len(report.courses)}", flush=True)


if __name__ == "__main__":
    main()
