"""The catalog: references, levels, prerequisite cycles, per-row import problems."""

from __future__ import annotations

import pytest

from recommender.catalog import Catalog, CatalogError, find_cycles
from recommender.model import CatalogItem, Modality, SkillDef, SkillLevel
from recommender.records import load_catalog, load_learners


def test_a_skill_cycle_is_refused_with_the_cycle_named() -> None:
    skills = [
        SkillDef("a", "A", requires=(SkillLevel("c"),)),
        SkillDef("b", "B", requires=(SkillLevel("a"),)),
        SkillDef("c", "C", requires=(SkillLevel("b"),)),
    ]
    with pytest.raises(CatalogError) as err:
        Catalog(skills, [])
    assert "a → c → b → a" in str(err.value)


def test_an_item_cycle_is_reported_per_row() -> None:
    rows = [
        {"id": "x", "modality": "e-learning", "hours": 1, "prerequisites": "y"},
        {"id": "y", "modality": "e-learning", "hours": 1, "prerequisites": "x"},
    ]
    loaded = load_catalog(skills=[{"id": "s"}], items=rows, sources={"items": "items.csv"})
    assert loaded.catalog is None
    [problem] = loaded.problems
    assert problem.source == "items.csv" and problem.row == 2
    assert "prerequisite cycle among items: x → y → x" in problem.message


def test_every_bad_row_is_reported_with_its_number() -> None:
    loaded = load_catalog(
        skills=[{"id": "s1", "requires": "nope"}, {"id": "s2", "levels": "two"}],
        items=[
            {"id": "i1", "modality": "webinar", "hours": 1},
            {"id": "i2", "modality": "e-learning", "skills": "s1:5", "hours": 1},
            {"id": "i3", "modality": "e-learning", "hours": 1, "prerequisites": "ghost"},
            {"id": "i3", "modality": "e-learning", "hours": 1},
        ],
        sessions=[{"item_id": "i9", "start": "2027-01-01T09:00", "seats": 5}],
    )
    assert loaded.catalog is None
    found = {(p.source, p.row): p.message for p in loaded.problems}
    assert "invalid literal" in found[("skills", 3)]
    assert "unknown modality 'webinar'" in found[("items", 2)]
    assert "duplicate item id 'i3' (first on row 4)" in found[("items", 5)]
    assert "neither an item nor a skill" in found[("items", 4)]
    assert "level 5" in found[("items", 3)]
    assert "unknown skill 'nope'" in found[("skills", 2)]
    assert "unknown item 'i9'" in found[("sessions", 2)]


def test_rows_build_a_catalog_with_prerequisites_split_into_items_and_skills() -> None:
    loaded = load_catalog(
        skills=[{"id": "s1"}, {"id": "s2", "requires": "s1"}],
        items=[
            {
                "id": "i1",
                "title": "One",
                "modality": "e-learning",
                "duration_minutes": 90,
                "skills": "s1:2",
            },
            {
                "id": "i2",
                "modality": "Workshop",
                "hours": 3,
                "skills": ["s2:1"],
                "prerequisites": "i1; s1:2",
            },
        ],
        sessions=[
            {"item_id": "i2", "start": "2027-01-05T09:00:00+01:00", "capacity": 8, "taken": 8}
        ],
        roles=[{"id": "r", "skills": {"s2": 1}}],
    )
    cat = loaded.catalog
    assert cat is not None, loaded.problems
    assert cat.items["i1"].hours == 1.5
    assert cat.items["i2"].modality is Modality.IN_PERSON
    assert cat.items["i2"].prereq_items == ("i1",)
    assert cat.items["i2"].prereq_skills == (SkillLevel("s1", 2),)
    [session] = cat.sessions_of["i2"]
    assert session.free_seats == 0 and session.enrol_by is not None


def test_learner_rows_report_unknown_goal_skills() -> None:
    cat = Catalog(
        [SkillDef("s", "S")],
        [CatalogItem("i", "I", Modality.E_LEARNING, 1, skills=(SkillLevel("s"),))],
    )
    loaded = load_learners(
        [{"id": "u1", "hours_per_week": "4"}],
        goals=[
            {"learner_id": "u1", "skills": "s:2;ghost:1", "deadline": "2027-01-01"},
            {"learner_id": "u9"},
        ],
        history=[
            {"learner_id": "u1", "kind": "quiz", "skill": "s", "date": "2026-10-01", "score": "40"}
        ],
        catalog=cat,
    )
    [learner] = loaded.learners
    assert learner.history[0].score == 0.4
    messages = [str(p) for p in loaded.problems]
    assert any("unknown learner 'u9'" in m and "goals:3" in m for m in messages)
    assert any("unknown skill 'ghost'" in m for m in messages)


def test_find_cycles_reports_each_cycle_once() -> None:
    assert find_cycles({"a": ["b"], "b": ["a"], "c": ["c"]}) == [["a", "b", "a"], ["c", "c"]]
    assert find_cycles({"a": ["b"], "b": []}) == []


def test_candidates_are_the_items_above_a_level_in_catalog_order_built_once() -> None:
    skills = [SkillDef("a", "A"), SkillDef("b", "B", requires=(SkillLevel("a"),))]
    items = [
        CatalogItem("i1", "I1", Modality.E_LEARNING, 1, skills=(SkillLevel("b", 1),)),
        CatalogItem(
            "i2", "I2", Modality.E_LEARNING, 2, skills=(SkillLevel("b", 3), SkillLevel("a", 2))
        ),
        CatalogItem(
            "i3", "I3", Modality.IN_PERSON, 3, skills=(SkillLevel("b", 2),), prereq_items=("i1",)
        ),
    ]
    catalog = Catalog(skills, items)
    pool = catalog.candidates("b", 1)
    assert [c.id for c in pool.candidates] == ["i2", "i3"]
    assert [(c.position, c.taught, c.practice) for c in pool.candidates] == [
        (1, (("b", 3), ("a", 2)), False),
        (2, (("b", 2),), True),
    ]
    assert pool.skills == ("a", "b")
    assert pool.ids == {"i2", "i3", "i1"}  # the prerequisite item counts too
    assert {k: [c.id for c in v] for k, v in pool.needing.items()} == {"a": ["i3"]}
    assert catalog.candidates("b", 1) is pool
    assert catalog.candidates("b", 3).candidates == ()
