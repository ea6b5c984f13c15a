"""Classical item analysis against hand-computed values, and its flags with evidence."""

from __future__ import annotations

import math

import pytest

from coach.insights.items import ItemKey, ItemRules, Response, analyse_items, point_biserial

# Four learners, three items (1 = correct):   I1 I2 I3
SCORES = {"u1": (1, 1, 1), "u2": (1, 1, 0), "u3": (0, 1, 0), "u4": (0, 0, 1)}
I3_CHOICES = {"u1": 0, "u2": 2, "u3": 2, "u4": 0}  # I3 is keyed A (0) of four options


def responses() -> list[Response]:
    out = []
    for learner, scores in SCORES.items():
        for item, score in zip(("I1", "I2", "I3"), scores, strict=True):
            choice = I3_CHOICES[learner] if item == "I3" else None
            out.append(Response(learner, item, bool(score), choice))
    return out


def test_difficulty_and_point_biserial_match_the_hand_computed_values() -> None:
    keys = [ItemKey("I1"), ItemKey("I2"), ItemKey("I3", options=4, key=0)]
    i1, i2, i3 = analyse_items(responses(), keys)
    # I1: p = 2/4; rest scores (mean of the other two items) 1, .5, .5, .5 → r = 1/√3
    assert i1.difficulty == 0.5 and i1.discrimination == pytest.approx(1 / math.sqrt(3))
    # I2: p = 3/4; rest scores 1, .5, 0, .5 (mean .5): the three who got it right average
    # .5 like the one who did not → r = 0
    assert i2.difficulty == 0.75 and i2.discrimination == pytest.approx(0.0)
    # I3: p = 2/4; rest scores 1, 1, .5, 0 → r = -1/√11
    assert i3.difficulty == 0.5 and i3.discrimination == pytest.approx(-1 / math.sqrt(11))
    assert i3.picks == [2, 0, 2, 0]
    assert i1.flags == []  # four attempts are too few to judge by default


def test_point_biserial_is_none_when_a_side_is_flat() -> None:
    assert point_biserial([1, 1, 1], [0.2, 0.5, 0.9]) is None
    assert point_biserial([1, 0], [0.5, 0.5]) is None
    assert point_biserial([1, 0], [1.0, 0.0]) == pytest.approx(1.0)


def test_flags_say_what_looks_wrong_with_the_evidence() -> None:
    rules = ItemRules(min_attempts=4, strong_share=0.5)
    keys = [ItemKey("I3", options=4, key=0), ItemKey("I1"), ItemKey("I2")]
    i3 = analyse_items(responses(), keys, rules)[0]
    assert i3.flags == ["negative_discrimination", "unused_distractor"]
    assert "nobody picked option B, D" in i3.evidence


def test_a_key_strong_learners_avoid_is_flagged() -> None:
    # s1, s2 get both anchor items right, w1, w2 neither; on Q (keyed A) the strong pick B
    rows = []
    for learner, strong in (("s1", True), ("s2", True), ("w1", False), ("w2", False)):
        rows += [Response(learner, "A1", strong), Response(learner, "A2", strong)]
        rows.append(Response(learner, "Q", not strong, 1 if strong else 0))
    keys = [ItemKey("Q", options=3, key=0), ItemKey("A1"), ItemKey("A2")]
    q, a1, _ = analyse_items(rows, keys, ItemRules(min_attempts=4, strong_share=0.5))
    assert q.strong_picks == [0, 2, 0] and q.discrimination == pytest.approx(-1.0)
    assert "key_beaten" in q.flags and "unused_distractor" in q.flags
    assert any("option B 2 times, the keyed option A 0 times" in e for e in q.evidence)
    # on A1, everyone's rest score is .5 (A2 and Q cancel out): no correlation to compute
    assert a1.discrimination is None and a1.flags == []


def test_easy_and_hard_items_are_flagged() -> None:
    easy = [Response(f"u{i}", "E", True) for i in range(10)]
    hard = [Response(f"u{i}", "H", i == 0) for i in range(10)]
    e, h = analyse_items(easy + hard, [ItemKey("E"), ItemKey("H")])
    assert "too_easy" in e.flags and "too_hard" in h.flags
    assert e.evidence[0] == "100% answered correctly"


def test_an_item_nobody_answered_has_no_statistics() -> None:
    [item] = analyse_items([], [ItemKey("N", options=3, key=1)])
    assert item.attempts == 0 and item.difficulty is None and item.flags == []
