"""Templates: strictly validated, both languages, and never generic filler."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coach.nudges.rules import KINDS
from coach.nudges.templates import TemplateError, Templates, default_templates
from evals.checks.answer import AnswerChecker
from evals.checks.specificity import check_specificity, phrases
from evals.verdict import load_thresholds

PARAMS = {
    "title": "Excel pivot tables",
    "date": date(2026, 3, 3),
    "time": "09:30",
    "place": "Room 4, Lyon",
    "days": 2,
    "count": 7,
    "topic": "VLOOKUP",
    "score": 25,
    "items": 4,
    "skill": "Spreadsheet modelling",
    "level": 2,
    "name": "Ana Petit",
    "item": "Negotiation skills",
    "closes_on": "2026-03-16",
}
OTHER_KINDS = ("survey.hot.open", "survey.cold.open", "survey.reminder")  # coach.surveys


def test_every_rule_kind_has_a_template_in_both_languages() -> None:
    templates = default_templates()
    assert set(KINDS) <= set(templates.kinds)
    for kind in KINDS:
        en = templates.render(kind, PARAMS, "en")
        fr = templates.render(kind, PARAMS, "fr")
        assert en.body != fr.body and "{" not in en.body + fr.body + en.subject + fr.subject


def test_dates_are_written_in_the_recipient_language() -> None:
    t = default_templates()
    assert "Tuesday 3 March" in t.render("session.d1", PARAMS, "en").body
    assert "mardi 3 mars" in t.render("session.d1", PARAMS, "fr").body
    assert t.render("session.d1", PARAMS, "de").language == "en"
    assert "lundi 16 mars" in t.render("survey.reminder", PARAMS, "fr").body


@pytest.mark.parametrize("kind", KINDS + OTHER_KINDS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_rendered_nudges_pass_the_evals_guard(kind: str, language: str) -> None:
    """The guard's specificity check, as on chat answers: no filler, no hedging, and each
    sentence about the session, step or skill named (the nudge's reason and parameters
    are its context, as retrieved passages are an answer's)."""
    text = default_templates().render(kind, PARAMS, language)
    contexts = [str(v) for v in PARAMS.values()]
    assert phrases(text.body, "filler", language) == []
    assert phrases(text.body, "hedges", language) == []
    prepared = AnswerChecker(None).prepare(text.subject, text.body, contexts)
    result = check_specificity(prepared, load_thresholds().specificity)
    assert result.verdict == "pass", result.reasons


def test_generic_filler_would_be_caught() -> None:
    text = "It is important to note that learning plays a crucial role in your journey."
    prepared = AnswerChecker(None).prepare("Reminder", text, ["Excel pivot tables"])
    assert check_specificity(prepared, load_thresholds().specificity).verdict != "pass"


BAD = {
    "missing language": "k:\n  params: [a]\n  en: {subject: '{a}', body: '{a}'}\n",
    "undeclared": "k:\n  params: []\n  en: {subject: '{a}', body: b}\n  fr: {subject: s, body: b}\n",
    "unused": "k:\n  params: [a]\n  en: {subject: s, body: b}\n  fr: {subject: '{a}', body: b}\n",
    "unknown key": "k:\n  params: []\n  en: {subject: s, body: b, x: 1}\n  fr: {subject: s, body: b}\n",
    "format spec": "k:\n  params: [a]\n  en: {subject: '{a:>3}', body: b}\n  fr: {subject: '{a}', body: b}\n",
}


@pytest.mark.parametrize("case", BAD)
def test_bad_template_files_are_refused(case: str, tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(BAD[case], encoding="utf-8")
    with pytest.raises(TemplateError):
        Templates.load(path)


def test_rendering_refuses_missing_parameters_and_unknown_kinds() -> None:
    with pytest.raises(TemplateError, match="missing"):
        default_templates().render("session.d1", {"title": "x"}, "en")
    with pytest.raises(TemplateError, match="no template"):
        default_templates().render("nope", {}, "en")
