"""A synthetic but realistic school, sized above Amazon Personalize's training minimums
(1,000 interactions; 25 users with at least 2 interactions each): students, their classes,
each class's materials and quizzes (item ids ``C01-M2``, ``C01-Q1``), enrollments,
assignment submissions, material views and quiz attempts, written to the Students,
Interactions and (when given) ClassActivity tables the deployed functions use. The
ClassActivity rows are the item catalog the export turns into ITEM_TYPE class / material /
quiz. Deterministic for a seed, so two runs write the same rows (a
rerun overwrites, never duplicates). Usable against the emulator (`make train`) or a real
account (`iackit datagen --env dev` with your credentials); `remove` deletes what it wrote.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

FIRST = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Huy", "Khánh", "Lan", "Linh")
LAST = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
START = 1_767_225_600  # 2026-01-01T00:00:00Z: interactions spread over the term from here
TERM_SECONDS = 120 * 24 * 3600
SUBJECTS = ("math", "physics", "chemistry", "biology", "literature", "history", "english")
LEVELS = ("A1", "A2", "B1", "B2")


@dataclass(frozen=True)
class Student:
    student_id: str
    name: str
    email: str
    class_ids: tuple[str, ...]

    def as_item(self) -> dict[str, Any]:
        return {
            "studentId": self.student_id,
            "name": self.name,
            "email": self.email,
            "classId": self.class_ids[0],
            "classIds": set(self.class_ids),  # a string set: ingestion ADDs enrollments to it
            "language": "vi",
        }


@dataclass(frozen=True)
class Interaction:
    student_id: str
    event_id: str
    item_id: str
    event_type: str
    timestamp: int

    def as_item(self) -> dict[str, Any]:
        return {
            "studentId": self.student_id,
            "eventId": self.event_id,
            "itemId": self.item_id,
            "eventType": self.event_type,
            "timestamp": self.timestamp,
            "source": "datagen",
        }


@dataclass(frozen=True)
class CatalogItem:
    """A ClassActivity row: a class (``activityId`` ``class``) or one of its materials and
    quizzes (``activityId`` ``<type>#<itemId>``)."""

    class_id: str
    item_id: str
    item_type: str  # class | material | quiz
    subject: str
    level: str
    created: int

    @property
    def activity_id(self) -> str:
        return "class" if self.item_type == "class" else f"{self.item_type}#{self.item_id}"

    def as_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "classId": self.class_id,
            "activityId": self.activity_id,
            "activityType": self.item_type,
            "subject": self.subject,
            "level": self.level,
            "createdAt": self.created,
            "source": "datagen",
        }
        if self.item_type != "class":
            item["itemId"] = self.item_id
        return item


@dataclass
class School:
    students: list[Student] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    catalog: list[CatalogItem] = field(default_factory=list)

    def active_users(self, at_least: int = 2) -> int:
        counts: dict[str, int] = {}
        for interaction in self.interactions:
            counts[interaction.student_id] = counts.get(interaction.student_id, 0) + 1
        return sum(count >= at_least for count in counts.values())


def _event_id(seed: int, *parts: object) -> str:
    digest = hashlib.sha256("/".join(map(str, (seed, *parts))).encode()).hexdigest()
    return f"datagen-{digest[:24]}"


def _catalog(class_ids: list[str], materials: int, quizzes: int) -> list[CatalogItem]:
    rows = []
    for n, class_id in enumerate(class_ids):
        subject, level = SUBJECTS[n % len(SUBJECTS)], LEVELS[n % len(LEVELS)]
        created = START - (len(class_ids) - n) * 3600
        rows.append(CatalogItem(class_id, class_id, "class", subject, level, created))
        for kind, count, letter in (("material", materials, "M"), ("quiz", quizzes, "Q")):
            rows.extend(
                CatalogItem(class_id, f"{class_id}-{letter}{k}", kind, subject, level, created + k)
                for k in range(1, count + 1)
            )
    return rows


def generate(
    seed: int = 7,
    students: int = 60,
    classes: int = 12,
    submissions_per_class: int = 8,
    *,
    materials_per_class: int = 3,
    quizzes_per_class: int = 2,
) -> School:
    """Students enrolled in 3-5 popular-skewed classes, each with a run of submissions, a
    few views of the class's materials and attempts at its quizzes."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    class_ids = [f"C{n:02d}" for n in range(1, classes + 1)]
    weights = [1.0 / (rank + 1) for rank in range(classes)]  # a few classes are popular
    school = School(catalog=_catalog(class_ids, materials_per_class, quizzes_per_class))
    items = {
        (row.class_id, row.item_type): [
            r.item_id
            for r in school.catalog
            if r.class_id == row.class_id and r.item_type == row.item_type
        ]
        for row in school.catalog
    }
    for n in range(1, students + 1):
        taken: list[str] = []
        while len(taken) < rng.randint(3, 5):
            pick = rng.choices(class_ids, weights)[0]
            if pick not in taken:
                taken.append(pick)
        name = f"{rng.choice(LAST)} {rng.choice(FIRST)}"
        student = Student(f"S{n:04d}", name, f"s{n:04d}@student.example.com", tuple(taken))
        school.students.append(student)
        for class_id in taken:
            enrolled = START + rng.randrange(TERM_SECONDS // 4)
            school.interactions.append(
                Interaction(
                    student.student_id,
                    _event_id(seed, student.student_id, class_id, "enrolled"),
                    class_id,
                    "enrolled",
                    enrolled,
                )
            )
            for k in range(rng.randint(submissions_per_class // 2, submissions_per_class)):
                school.interactions.append(
                    Interaction(
                        student.student_id,
                        _event_id(seed, student.student_id, class_id, "submit", k),
                        class_id,
                        "submitAssignment",
                        enrolled + rng.randrange(1, TERM_SECONDS // 2),
                    )
                )
            for kind, event_type in (("material", "viewMaterial"), ("quiz", "takeQuiz")):
                for k, item_id in enumerate(items.get((class_id, kind), [])):
                    if rng.random() < 0.5:  # about half the students open each one
                        continue
                    school.interactions.append(
                        Interaction(
                            student.student_id,
                            _event_id(seed, student.student_id, item_id, event_type, k),
                            item_id,
                            event_type,
                            enrolled + rng.randrange(1, TERM_SECONDS // 2),
                        )
                    )
    return school


def write(
    session: Any,
    school: School,
    students_table: str,
    interactions_table: str,
    class_activity_table: str | None = None,
) -> None:
    """The rows, each table in one batch; the catalog only when ``class_activity_table``."""
    dynamodb = session.resource("dynamodb")
    tables = [
        (students_table, [s.as_item() for s in school.students]),
        (interactions_table, [i.as_item() for i in school.interactions]),
    ]
    if class_activity_table:
        tables.append((class_activity_table, [c.as_item() for c in school.catalog]))
    for table, rows in tables:
        with dynamodb.Table(table).batch_writer() as batch:
            for row in rows:
                batch.put_item(Item=row)


def remove(
    session: Any,
    school: School,
    students_table: str,
    interactions_table: str,
    class_activity_table: str | None = None,
) -> None:
    dynamodb = session.resource("dynamodb")
    if class_activity_table:
        with dynamodb.Table(class_activity_table).batch_writer() as batch:
            for row in school.catalog:
                batch.delete_item(Key={"classId": row.class_id, "activityId": row.activity_id})
    with dynamodb.Table(students_table).batch_writer() as batch:
        for student in school.students:
            batch.delete_item(Key={"studentId": student.student_id})
    with dynamodb.Table(interactions_table).batch_writer() as batch:
        for interaction in school.interactions:
            batch.delete_item(
                Key={"studentId": interaction.student_id, "eventId": interaction.event_id}
            )
