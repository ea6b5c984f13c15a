"""Offline items that read well: terms as written, no verb or name fragment as a term, no
blank inside code, one distractor per word (not "operator" and "operators"), and a false
statement that still reads as a sentence."""

from __future__ import annotations

from coach.quizzes.generate import _blank, _fits, _mentions, _singular
from coach.quizzes.terms import Finding, readable, salient_words
from retrieval.types import Citation

CITATION = Citation("c", "Course", "m", "Module", "Section", "file.md", "s")


def _finding(term: str, sentence: str, kind: str = "salient") -> Finding:
    return Finding(term, "", "", sentence, "c1", CITATION, "en", ("s",), kind)


def test_salient_words_keep_their_spelling_and_skip_verbs_and_name_parts() -> None:
    texts = [
        "Python reads the code. In 1982, Guido van Rossum started working at CWI in Amsterdam. "
        "Rossum wrote Python at CWI. The programmer typed the code quickly, using the editor. "
        "The programmer typed again, using the editor again. A programmer writes code that "
        "Python runs, and the programmer tests the code that Python runs every day. Many "
        "teams choose Python for data analysis because its code is simple to read.",
        "Spreadsheets hold numbers in cells. A cell holds one value in a sheet of cells.",
    ]
    picks = salient_words(texts, language="en", per_text=5)[0]
    words = [w for w, _ in picks]
    assert "Python" in words  # as written, not "python"
    assert not {"typed", "using", "quickly"} & {w.lower() for w in words}
    assert all(s.count("_____") == 0 for _, s in picks)
    rossum = [s for w, s in picks if w.lower() == "rossum"]
    assert not any("van Rossum" in s for s in rossum)


def test_a_blank_never_falls_inside_code() -> None:
    assert _blank('Call print("hello") to show a greeting on the screen.', "hello") is None
    assert _blank("The print function shows a greeting on the screen.", "print") is not None


def test_sentences_run_into_code_are_not_readable() -> None:
    assert not readable(
        'The closing parenthesis is missing in print("Have a nice day!" at the end of the line.'
    )
    assert readable("A string is a sequence of characters enclosed by matching quotes.")


def test_singular_and_plural_are_one_distractor_and_one_mention() -> None:
    assert _singular("operators") == _singular("operator") == "operator"
    assert _singular("boxes") == "box" and _singular("class") == "class"
    assert _mentions("Docstrings are written for readers.", "docstring")


def test_a_swap_keeps_number_case_and_nouns() -> None:
    term = _finding("format", "An integer is whole, and a floating-point format is decimal.")
    assert _fits(term, _finding("number", "The number is stored in binary."))
    assert not _fits(term, _finding("operators", "The operators are evaluated in order."))
    assert not _fits(term, _finding("Input", "The Input is what a user types."))
    # a salient word found only as a verb ("write") cannot stand in for a noun
    assert not _fits(term, _finding("write", "Programmers write code every day."))
    assert _fits(term, _finding("glossary", "Definitions", kind="definition"))
