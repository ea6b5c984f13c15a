"""Quotable sentences: Markdown debris stays out, prose sentences come out whole."""

from __future__ import annotations

from coach.responders.sentences import is_complete, quotable, split_passage

PASSAGE = (
    "Chaque catégorie a une durée de conservation. Quelques repères : "
    "| Type | Durée |\n|---|---|\n| Vidéosurveillance | 30 jours | "
    "Concrètement, vous devez : - supprimer les exports ;\n- vider la corbeille. "
    "1. **Appelez le poste 4444** dès que possible. "
    "```python\nprint('hello')\n``` "
    "A `for` loop repeats a block of code once for each item."
)


def test_tables_code_and_list_fragments_are_not_quotable() -> None:
    texts = [s.text for s in quotable(split_passage("c", PASSAGE), min_words=3, max_words=50)]
    assert texts == [
        "Chaque catégorie a une durée de conservation.",
        "**Appelez le poste 4444** dès que possible.",
        "A `for` loop repeats a block of code once for each item.",
    ]


def test_sentences_keep_their_reading_order_and_a_token_estimate() -> None:
    sentences = split_passage("c", PASSAGE)
    assert [s.position for s in sentences] == list(range(len(sentences)))
    assert all(s.tokens >= s.words for s in sentences)


def test_cut_and_introductory_sentences_are_incomplete() -> None:
    assert not is_complete("the share of late deliveries for each")
    assert not is_complete("Les enjeux sont concrets :")
    assert not is_complete("print(f'{x}') == {}")
    assert is_complete("Stay at least 3 metres from a working truck.")
    assert is_complete("« Qui dois-je appeler ? »")
