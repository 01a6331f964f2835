"""The synthetic school `make train` writes: above Personalize's minimums, deterministic,
and each interaction once (a rerun overwrites the same rows)."""

from __future__ import annotations

import pytest

from iackit.datagen import generate
from training.export import DEFAULT_EVENT_TYPES

pytestmark = pytest.mark.unit


def test_the_school_is_above_personalizes_training_minimums() -> None:
    school = generate()
    assert len(school.interactions) >= 1000
    assert school.active_users(at_least=2) >= 25
    assert {i.event_type for i in school.interactions} == {
        "enrolled",
        "submitAssignment",
        "viewMaterial",
        "takeQuiz",
    }
    # every generated type is one the export sends to Personalize by default
    assert {i.event_type for i in school.interactions} <= set(DEFAULT_EVENT_TYPES)


def test_the_same_seed_gives_the_same_rows_and_ids_are_unique() -> None:
    first, again, other = generate(seed=3), generate(seed=3), generate(seed=4)
    assert first == again
    assert first != other
    ids = [(i.student_id, i.event_id) for i in first.interactions]
    assert len(ids) == len(set(ids))


def test_popular_classes_have_more_students() -> None:
    school = generate()
    takers = {c: sum(c in s.class_ids for s in school.students) for c in ("C01", "C12")}
    assert takers["C01"] > takers["C12"]


def test_each_class_has_materials_and_quizzes_its_students_use() -> None:
    school = generate(classes=4, materials_per_class=3, quizzes_per_class=2)
    catalog = {(c.item_id, c.item_type): c.class_id for c in school.catalog}
    assert sorted(i for i, t in catalog if t == "class") == ["C01", "C02", "C03", "C04"]
    assert sorted(i for i, t in catalog if t == "material" and i.startswith("C01")) == [
        "C01-M1",
        "C01-M2",
        "C01-M3",
    ]
    assert sorted(i for i, t in catalog if t == "quiz" and i.startswith("C01")) == [
        "C01-Q1",
        "C01-Q2",
    ]
    owner = {item: cls for (item, _), cls in catalog.items()}
    classes = {s.student_id: set(s.class_ids) for s in school.students}
    used = [i for i in school.interactions if i.event_type in ("viewMaterial", "takeQuiz")]
    assert used
    for interaction in used:
        kind = "material" if interaction.event_type == "viewMaterial" else "quiz"
        assert (interaction.item_id, kind) in catalog
        assert owner[interaction.item_id] in classes[interaction.student_id]
    rows = [c.as_item() for c in school.catalog]
    assert {"classId": "C01", "activityId": "quiz#C01-Q2", "itemId": "C01-Q2"}.items() <= next(
        r for r in rows if r["activityId"] == "quiz#C01-Q2"
    ).items()
    assert len({(r["classId"], r["activityId"]) for r in rows}) == len(rows)


def test_students_hold_their_classes_as_a_string_set() -> None:
    """ingestion ADDs an enrollment's class to classIds, which needs a string set."""
    student = generate().students[0]
    assert student.as_item()["classIds"] == set(student.class_ids)
