"""Clustering and naming on a small fixture with known topics; ranking; the LLM label."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from coach.insights.naming import key_phrases, llm_label
from coach.insights.topics import AskedQuestion, TopicClusterer, build_topics, recency_weight
from coach.llm.openai import OpenAIChatModel
from retrieval.embedding import FakeEmbedder
from tests.utils.fake_openai import FakeOpenAI, Reply

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
KNOWN = {
    "pivot": [
        "pivot table excel totals",
        "excel pivot table filter totals",
        "refresh an excel pivot table",
        "pivot table excel grouping dates",
    ],
    "docker": [
        "docker container image build",
        "docker image container registry push",
        "run a docker container image locally",
    ],
    "negotiation": [
        "salary negotiation offer counter",
        "negotiation counter offer salary raise",
    ],
}
FRENCH = ["tableau croisé dynamique excel totaux", "tableau croisé dynamique excel filtre"]


def fixture_questions() -> list[AskedQuestion]:
    out = []
    for topic, texts in KNOWN.items():
        for i, text in enumerate(texts):
            out.append(
                AskedQuestion(
                    id=f"{topic}-{i}",
                    text=text,
                    language="en",
                    learner=f"{topic}-learner-{i}",
                    asked_at=NOW - timedelta(days=i),
                    nearest=("office", "spreadsheets", "Office › Spreadsheets")
                    if topic == "pivot"
                    else (None, None, None),
                )
            )
    for i, text in enumerate(FRENCH):
        out.append(AskedQuestion(f"fr-{i}", text, "fr", f"fr-{i}", NOW))
    return out


def embed(texts: list[str]) -> np.ndarray:
    return FakeEmbedder(dim=256).embed_documents(texts)


def test_known_topics_are_recovered_named_and_ranked() -> None:
    topics = build_topics(fixture_questions(), embed, now=NOW)
    groups = {frozenset(t.question_ids) for t in topics}
    for name, texts in KNOWN.items():
        assert frozenset(f"{name}-{i}" for i in range(len(texts))) in groups
    # the same subject in French is a topic of its own, in French
    french = next(t for t in topics if t.language == "fr")
    assert set(french.question_ids) == {"fr-0", "fr-1"}
    assert any("croisé" in p or "tableau" in p for p in french.key_phrases)
    pivot = next(t for t in topics if "pivot-0" in t.question_ids)
    assert any("pivot" in p for p in pivot.key_phrases)
    assert pivot.learners == 4 and pivot.questions == 4
    assert pivot.nearest == {
        "course_id": "office",
        "module_id": "spreadsheets",
        "title": "Office › Spreadsheets",
    }
    assert pivot.examples and len(pivot.examples) == 3
    assert topics[0] is pivot  # most learners, recent: first


def test_one_learner_asking_again_counts_once() -> None:
    again = [
        AskedQuestion(f"q{i}", "docker container image build", "en", "same-person", NOW)
        for i in range(5)
    ]
    [topic] = build_topics(again, embed, now=NOW)
    assert topic.learners == 1 and topic.questions == 5
    assert topic.examples == ["docker container image build"]  # identical texts shown once


def test_recency_weighs_down_old_topics() -> None:
    assert recency_weight(NOW, NOW) == 1.0
    assert recency_weight(NOW - timedelta(days=30), NOW) == pytest.approx(0.5)
    old = [
        AskedQuestion(f"o{i}", "docker container image build", "en", f"u{i}", NOW - timedelta(90))
        for i in range(3)
    ]
    new = [
        AskedQuestion(f"n{i}", "salary negotiation counter offer", "en", f"v{i}", NOW)
        for i in range(2)
    ]
    first, second = build_topics(old + new, embed, now=NOW)
    assert first.question_ids == ["n0", "n1"] and second.learners == 3


def test_the_clusterer_follows_the_estimator_rules() -> None:
    clusterer = TopicClusterer(distance_threshold=0.5)
    assert clusterer.fit(embed(["a b c"])) is clusterer
    assert clusterer.labels_.tolist() == [0]
    far = TopicClusterer(distance_threshold=0.01).fit(embed(["alpha beta", "gamma delta"]))
    assert len(set(far.labels_.tolist())) == 2


def test_key_phrases_skip_question_words_and_stop_words() -> None:
    [first, second] = key_phrases(
        [["How do I explain pivot tables?", "what is a pivot table"], ["Comment utiliser Docker ?"]]
    )
    assert first[0] in {"pivot", "pivot table", "pivot tables"}
    assert not {"how", "do", "explain", "what"} & set(" ".join(first).split())
    assert second == ["docker"]


@pytest.fixture
def model(fake_openai: FakeOpenAI) -> Iterator[OpenAIChatModel]:
    chat = OpenAIChatModel(base_url=fake_openai.base_url, model="gpt-test", max_retries=0)
    yield chat
    chat._client.close()  # its keep-alive socket, else closed by the GC in a later test


def test_the_llm_names_a_topic_in_one_line(fake_openai: FakeOpenAI, model: OpenAIChatModel) -> None:
    fake_openai.add(Reply.text('Label: "Excel pivot tables"\nbecause they ask about pivots'))
    label = llm_label(
        model, phrases=["pivot table"], examples=["<b>pivot</b> totals?"], language="en"
    )
    assert label == "Excel pivot tables"
    [request] = fake_openai.requests
    user = request.messages[-1]["content"]
    assert "pivot table" in user and "&lt;b&gt;pivot&lt;/b&gt; totals?" in user


def test_a_failing_llm_keeps_the_key_phrases(
    fake_openai: FakeOpenAI, model: OpenAIChatModel
) -> None:
    fake_openai.add(Reply.error(500))
    assert llm_label(model, phrases=["docker"], examples=["docker?"], language="fr") is None
