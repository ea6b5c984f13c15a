"""Templates: the shipped ones load in both languages; overrides are validated strictly;
answers are checked against the template."""

import pytest
from pydantic import ValidationError

from coach.surveys.templates import (
    KINDS,
    AnswerInvalid,
    Template,
    check_answers,
    default_template,
)


def test_every_shipped_template_has_its_measures_in_english_and_french() -> None:
    hot = default_template("hot", "learner")
    assert [hot.question(m).id for m in ("satisfaction", "usefulness", "confidence")] == [
        "satisfaction",
        "usefulness",
        "confidence",
    ]
    for kind, audience in KINDS:
        t = default_template(kind, audience)
        fr, en = t.localised("fr"), t.localised("en")
        assert fr["title"] != en["title"]
        assert [q["id"] for q in fr["questions"]] == [q["id"] for q in en["questions"]]
    cold = default_template("cold", "manager").localised("fr")
    applied = next(q for q in cold["questions"] if q["id"] == "applied")
    assert {o["id"] for o in applied["options"]} == {"yes", "partly", "no", "no_opportunity"}
    assert "collaborateur" in applied["text"]
    scale = default_template("hot", "learner").localised("en")["questions"][0]
    assert scale["anchors"][1] == "Very dissatisfied" and scale["anchors"][5] == "Very satisfied"


def _data() -> dict:
    return default_template("hot", "learner").model_dump(mode="json")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["questions"][0]["anchors"].pop("3"), ("questions", 0, "scale")),
        (lambda d: d["questions"][0].update(colour="red"), ("questions", 0, "scale", "colour")),
        (lambda d: d["title"].pop("fr"), ("title", "fr")),
        (lambda d: d["questions"][1].update(id="satisfaction"), ()),
        (lambda d: d["questions"][0].update(type="slider"), ("questions", 0)),
        (lambda d: d.update(questions=[]), ("questions",)),
    ],
)
def test_a_bad_override_is_refused_with_the_field(change, where) -> None:
    data = _data()
    change(data)
    with pytest.raises(ValidationError) as err:
        Template.model_validate(data)
    first = err.value.errors()[0]
    assert tuple(first["loc"])[: len(where)] == where


def test_answers_are_checked_against_the_template() -> None:
    hot = default_template("hot", "learner")
    ok = {"satisfaction": 5, "usefulness": 4, "confidence": 3, "comment": "  Great  "}
    assert check_answers(hot, ok)["comment"] == "Great"
    assert "comment" not in check_answers(hot, {**ok, "comment": ""})
    for bad, field in (
        ({**ok, "satisfaction": 6}, "satisfaction"),
        ({**ok, "satisfaction": 0}, "satisfaction"),
        ({**ok, "usefulness": True}, "usefulness"),
        ({**ok, "usefulness": "4"}, "usefulness"),
        ({k: v for k, v in ok.items() if k != "confidence"}, "confidence"),
        ({**ok, "mood": 3}, "mood"),
        ({**ok, "comment": "x" * 2001}, "comment"),
    ):
        with pytest.raises(AnswerInvalid) as err:
            check_answers(hot, bad)
        assert err.value.field == field
    cold = default_template("cold", "learner")
    fine = check_answers(
        cold, {"applied": "partly", "obstacles": ["time", "tools", "time"], "change": 2}
    )
    assert fine["obstacles"] == ["time", "tools"]
    with pytest.raises(AnswerInvalid, match="unknown option 'maybe'"):
        check_answers(cold, {"applied": "maybe", "change": 2})
    with pytest.raises(AnswerInvalid, match="one option only"):
        check_answers(cold, {"applied": ["yes"], "change": 2})
