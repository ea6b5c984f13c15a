"""Comment summaries: offline key phrases linked to their comments (EN and FR stop words
dropped); LLM themes through the scripted OpenAI server, quotes kept only when verbatim."""

from __future__ import annotations

import json

from coach.llm.openai import OpenAIChatModel
from coach.surveys.comments import Comment, key_phrases
from coach.surveys.themes import themes
from tests.utils.fake_openai import FakeOpenAI, Reply


def _c(n: int, text: str, group: str = "Negotiation", lang: str = "en") -> Comment:
    return Comment(f"{n}:comment", text, group, "hot", "learner", lang)


COMMENTS = [
    _c(1, "The role plays were the best part, more role plays please"),
    _c(2, "Great role plays but the room was too cold"),
    _c(3, "Too long in the afternoon; the room was cold"),
    _c(4, "Les jeux de rôle étaient très utiles", "GDPR basics", "fr"),
    _c(5, "Des jeux de rôle, et un formateur à l'écoute", "GDPR basics", "fr"),
    _c(6, "Le quiz final était trop long", "GDPR basics", "fr"),
]


def test_key_phrases_come_per_group_and_link_to_their_comments() -> None:
    got = key_phrases(COMMENTS)
    nego = {p.phrase: p.comment_ids for p in got["Negotiation"]}
    assert nego["role plays"] == ["1:comment", "2:comment"]
    assert nego["room cold"] == ["2:comment", "3:comment"]
    assert "role" not in nego and "plays" not in nego  # inside a chosen phrase
    gdpr = {p.phrase: p.comment_ids for p in got["GDPR basics"]}
    assert gdpr == {"jeux rôle": ["4:comment", "5:comment"]}  # 'de', 'des' are stop words
    by_id = {c.id: c.text.lower() for c in COMMENTS}
    for phrases in got.values():
        for p in phrases:
            assert all(all(w in by_id[i] for w in p.phrase.split()) for i in p.comment_ids)
    assert key_phrases([]) == {}
    assert key_phrases([_c(9, "the and of")]) == {}


def test_llm_themes_keep_only_verbatim_quotes_of_real_comments(fake_openai: FakeOpenAI) -> None:
    reply = {
        "themes": [
            {
                "label": "Role plays",
                "summary": "Learners liked the role plays.",
                "comment_ids": ["1:comment", "2:comment", "99:comment"],
                "quotes": [
                    {"comment_id": "1:comment", "text": "“The role plays were the best part”"},
                    {"comment_id": "2:comment", "text": "role plays were excellent"},  # invented
                ],
            },
            {
                "label": "Cold room",
                "summary": "The room was cold.",
                "comment_ids": ["3:comment"],
                "quotes": [{"comment_id": "1:comment", "text": "the room was cold"}],  # wrong id
            },
            {"label": "Catering", "summary": "Food.", "quotes": [{"text": "lunch was great"}]},
        ]
    }
    fake_openai.add(Reply.text("Here you are:\n" + json.dumps(reply)))
    model = OpenAIChatModel(base_url=fake_openai.base_url, model="m", api_key="k")
    got, why = themes(model, COMMENTS[:3], group="Negotiation", language="fr")
    assert why is None and got is not None
    assert [t.label for t in got] == ["Role plays", "Cold room"]
    assert [(q.text, q.comment_ids) for q in got[0].quotes] == [
        ("The role plays were the best part", ["1:comment"])
    ]
    assert got[0].comment_ids == ["1:comment", "2:comment"]
    assert got[1].quotes[0].comment_ids == ["3:comment"]  # linked where it really is
    sent = fake_openai.requests[0].messages
    assert "French" in sent[0]["content"] and "[2:comment] Great role plays" in sent[1]["content"]


def test_a_model_that_fails_or_invents_leaves_the_key_phrases_alone(
    fake_openai: FakeOpenAI,
) -> None:
    model = OpenAIChatModel(base_url=fake_openai.base_url, model="m", api_key="k", max_retries=0)
    fake_openai.add(Reply.text("I think people liked it."))
    assert themes(model, COMMENTS[:3], group="g", language="en")[1] == (
        "the model's reply was not usable: no JSON object in the reply"
    )
    fake_openai.add(
        Reply.text(json.dumps({"themes": [{"label": "x", "quotes": [{"text": "nope"}]}]}))
    )
    assert themes(model, COMMENTS[:3], group="g", language="en") == (
        None,
        "the model gave no theme with a verbatim quote",
    )
    fake_openai.add(Reply.error(500))
    got, why = themes(model, COMMENTS[:3], group="g", language="en")
    assert got is None and why is not None and why.startswith("the model failed")
