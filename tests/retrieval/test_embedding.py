import threading

import numpy as np
import pytest

from retrieval.embedding import FakeEmbedder, SentenceTransformerEmbedder, make_embedder


def test_fake_embedder_is_deterministic_normalised_and_batched() -> None:
    emb = FakeEmbedder(dim=32, batch_size=4)
    texts = [f"text number {i}" for i in range(10)]
    a = emb.embed_documents(texts)
    b = FakeEmbedder(dim=32).embed_documents(texts)
    assert a.shape == (10, 32)
    np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)
    assert emb.calls == [4, 4, 2]


def test_query_embeddings_are_cached() -> None:
    emb = FakeEmbedder()
    emb.embed_query("same question")
    emb.embed_query("same question")
    assert emb.calls == [1]


class GatedEmbedder(FakeEmbedder):
    """Encodes only once the test opens the gate (a slow model, under the test's control)."""

    def __init__(self, fail_first: bool = False) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.fail_first = fail_first

    def _encode(self, texts: list[str]) -> np.ndarray:
        assert self.gate.wait(5)
        if self.fail_first:
            self.fail_first = False
            raise RuntimeError("model busy")
        return super()._encode(texts)


def test_a_prefetched_query_is_encoded_once_while_the_caller_works() -> None:
    emb = GatedEmbedder()
    emb.prefetch_query("what is a tuple")
    emb.prefetch_query("what is a tuple")  # asked twice: still one encode
    assert emb.calls == []  # the caller was not held up
    emb.gate.set()
    vec = emb.embed_query("what is a tuple")
    np.testing.assert_allclose(vec, FakeEmbedder().embed_query("what is a tuple"))
    assert emb.calls == [1]


def test_a_failed_prefetch_is_retried_by_the_search() -> None:
    emb = GatedEmbedder(fail_first=True)
    emb.prefetch_query("what is a tuple")
    emb.gate.set()
    vec = emb.embed_query("what is a tuple")
    assert np.linalg.norm(vec) == pytest.approx(1.0)


def test_missing_model_directory_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FileNotFoundError, match="embedding model directory not found"):
        make_embedder(str(tmp_path / "nope"))


@pytest.mark.slow
def test_packaged_minilm_loads_offline_and_ranks_paraphrases(
    minilm: SentenceTransformerEmbedder,
) -> None:
    assert minilm.dim == 384
    docs = minilm.embed_documents(
        [
            "Report a suspected phishing email to the security team.",
            "Lift boxes with your knees bent and your back straight.",
        ]
    )
    q = minilm.embed_query("what do I do with a suspicious email?")
    scores = docs @ q
    assert scores[0] > scores[1] + 0.2
