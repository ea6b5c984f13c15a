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
