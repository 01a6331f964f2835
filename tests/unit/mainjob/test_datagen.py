"""The synthetic school `make train` writes: above Personalize's minimums, deterministic,
and each interaction once (a rerun overwrites the same rows)."""

from __future__ import annotations

import pytest

from iackit.datagen import generate

pytestmark = pytest.mark.unit


def test_the_school_is_above_personalizes_training_minimums() -> None:
    school = generate()
    assert len(school.interactions) >= 1000
    assert school.active_users(at_least=2) >= 25
    assert {i.event_type for i in school.interactions} == {"enrolled", "submitAssignment"}


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
