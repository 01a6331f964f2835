"""The emulated Personalize data: schema columns, filter expressions, a deterministic model.

The model is popularity plus item co-occurrence over the imported interactions (what each
user's history has in common with other users' histories). It is deterministic (ties go to
the smaller item ID) and proves contracts and flow, not recommendation quality.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

_AVRO_TYPES: Final = {"string", "int", "long", "float", "double", "boolean"}
_HISTORY_CAP: Final = 50  # most recent items per user taken into the co-occurrence counts


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # string | int | long | float | double | boolean
    required: bool  # False when the Avro type is a union with "null"

    def check(self, value: str) -> str | None:
        """Why ``value`` does not fit the column, or None."""
        if value == "":
            return None if not self.required else "is empty but the schema does not allow null"
        try:
            if self.kind in ("int", "long"):
                int(value)
            elif self.kind in ("float", "double"):
                float(value)
            elif self.kind == "boolean" and value.lower() not in ("true", "false"):
                raise ValueError(value)
        except ValueError:
            return f"has value {value!r}, which is not a {self.kind}"
        return None


def schema_fields(text: Any) -> list[Column] | None:
    """The columns of an Avro record schema (JSON text), or None if it is not one."""
    try:
        schema = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if not isinstance(schema, dict) or schema.get("type") != "record":
        return None
    raw = schema.get("fields")
    if not isinstance(raw, list) or not raw:
        return None
    columns: list[Column] = []
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            return None
        kind = entry.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        concrete = [k for k in kinds if k != "null"]
        if len(concrete) != 1 or concrete[0] not in _AVRO_TYPES:
            return None
        columns.append(Column(entry["name"], concrete[0], "null" not in kinds))
    return columns


# ------------------------------------------------------------------------------ filters
_EXPR = re.compile(r"^\s*(INCLUDE|EXCLUDE)\s+ItemID\s+WHERE\s+(.+?)\s*$", re.IGNORECASE)
_COND = re.compile(
    r"^\s*(Items|Interactions)\.([A-Za-z_][A-Za-z0-9_]*)\s+(NOT\s+IN|IN|=|<=|>=|<|>)\s+(.+?)\s*$",
    re.IGNORECASE,
)
_VALUE = re.compile(r'"([^"]*)"|(\$[A-Za-z0-9_]+)|(-?\d+(?:\.\d+)?)')


@dataclass(frozen=True)
class Condition:
    dataset: str  # ITEMS | INTERACTIONS
    column: str
    operator: str  # IN | NOT IN | = | < | > | <= | >=
    values: tuple[str, ...]  # literals, or $PARAM names

    def resolve(self, params: Mapping[str, str]) -> list[str]:
        out: list[str] = []
        for value in self.values:
            if value.startswith("$"):
                raw = params.get(value[1:], "")
                out.extend(v.strip().strip('"') for v in raw.split(",") if v.strip())
            else:
                out.append(value)
        return out

    def holds(self, actual: Sequence[str], params: Mapping[str, str]) -> bool:
        wanted = self.resolve(params)
        if self.operator in ("IN", "="):
            return any(a in wanted for a in actual)
        if self.operator == "NOT IN":
            return not any(a in wanted for a in actual)
        try:
            limit = float(wanted[0])
            numbers = [float(a) for a in actual]
        except (ValueError, IndexError):
            return False
        compare = {"<": float.__lt__, ">": float.__gt__, "<=": float.__le__, ">=": float.__ge__}
        return any(compare[self.operator](n, limit) for n in numbers)


@dataclass(frozen=True)
class Expression:
    include: bool
    conditions: tuple[Condition, ...]  # joined with AND


@dataclass(frozen=True)
class Filter:
    expressions: tuple[Expression, ...]  # joined with |: each one applies


def parse_filter(text: Any) -> Filter:
    """A filter expression: ``INCLUDE|EXCLUDE ItemID WHERE Items.X IN ("a", $P) AND ...``,
    several joined with ``|``. ValueError says what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("the expression is empty")
    expressions: list[Expression] = []
    for part in text.split("|"):
        match = _EXPR.match(part)
        if not match:
            raise ValueError(f"{part.strip()!r} is not INCLUDE|EXCLUDE ItemID WHERE ...")
        conditions: list[Condition] = []
        for raw in re.split(r"\s+AND\s+", match.group(2), flags=re.IGNORECASE):
            cond = _COND.match(raw)
            if not cond:
                raise ValueError(f"unsupported condition {raw.strip()!r}")
            operator = re.sub(r"\s+", " ", cond.group(3).upper())
            literal = cond.group(4).strip()
            if operator.endswith("IN"):
                if not (literal.startswith("(") and literal.endswith(")")):
                    raise ValueError(f"{operator} needs a parenthesised list: {raw.strip()!r}")
                literal = literal[1:-1]
            values = tuple(
                m.group(1) if m.group(1) is not None else (m.group(2) or m.group(3))
                for m in _VALUE.finditer(literal)
            )
            if not values:
                raise ValueError(f"no value in {raw.strip()!r}")
            dataset = cond.group(1).upper()
            if dataset == "INTERACTIONS" and cond.group(2).upper() != "EVENT_TYPE":
                raise ValueError("Interactions conditions can only use EVENT_TYPE")
            conditions.append(Condition(dataset, cond.group(2).upper(), operator, values))
        expressions.append(Expression(match.group(1).upper() == "INCLUDE", tuple(conditions)))
    return Filter(tuple(expressions))


# ------------------------------------------------------------------------------ data checks
def minimums_failure(
    interactions: Sequence[Mapping[str, str]], min_total: int, min_users: int, per_user: int
) -> str | None:
    """Why training cannot start (Personalize's documented minimums), or None."""
    if len(interactions) < min_total:
        return (
            f"Insufficient data: there must be at least {min_total} interaction records "
            f"from users interacting with items; found {len(interactions)}."
        )
    counts = Counter(row.get("USER_ID", "") for row in interactions)
    users = sum(1 for user, n in counts.items() if user and n >= per_user)
    if users < min_users:
        return (
            f"Insufficient data: there must be at least {min_users} unique user IDs with at "
            f"least {per_user} interactions each; found {users}."
        )
    return None


# ------------------------------------------------------------------------------ the model
@dataclass
class Model:
    recipe_type: str  # USER_PERSONALIZATION | PERSONALIZED_RANKING | RELATED_ITEMS
    popularity: Counter[str] = field(default_factory=Counter)
    co: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    history: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # (item, event)
    items: dict[str, Mapping[str, str]] = field(default_factory=dict)

    def score(self, user: str, item: str, anchor: str | None = None) -> float:
        top = max(self.popularity.values(), default=1)
        base = 0.1 * self.popularity.get(item, 0) / top
        seeds = [anchor] if anchor else [i for i, _ in self.history.get(user, [])]
        return base + sum(self.co.get(seed, Counter()).get(item, 0) for seed in set(seeds))

    def allowed(self, user: str, item: str, flt: Filter | None, params: Mapping[str, str]) -> bool:
        if flt is None:
            return True
        for expression in flt.expressions:
            matched = all(self._holds(user, item, c, params) for c in expression.conditions)
            if matched != expression.include:
                return False
        return True

    def _holds(self, user: str, item: str, cond: Condition, params: Mapping[str, str]) -> bool:
        if cond.dataset == "ITEMS":
            raw = str(self.items.get(item, {}).get(cond.column, ""))
            return cond.holds(raw.split("|") if raw else [], params)
        events = [e for i, e in self.history.get(user, []) if i == item]
        return bool(events) and cond.holds(events, params)

    def _scored(
        self,
        user: str,
        candidates: Sequence[str],
        flt: Filter | None,
        params: Mapping[str, str],
        anchor: str | None = None,
    ) -> list[tuple[str, float]]:
        raw = [
            (i, self.score(user, i, anchor))
            for i in candidates
            if i != anchor and self.allowed(user, i, flt, params)
        ]
        total = sum(s for _, s in raw) or 1.0
        ordered = sorted(raw, key=lambda pair: (-pair[1], pair[0]))
        return [(i, round(s / total, 7)) for i, s in ordered]

    def recommend(
        self,
        user: str,
        num: int,
        flt: Filter | None,
        params: Mapping[str, str],
        item: str | None = None,
    ) -> list[tuple[str, float]]:
        catalog = sorted(set(self.popularity) | set(self.items))
        anchor = item if self.recipe_type == "RELATED_ITEMS" else None
        return self._scored(user, catalog, flt, params, anchor)[:num]

    def rank(
        self, user: str, items: Sequence[str], flt: Filter | None, params: Mapping[str, str]
    ) -> list[tuple[str, float]]:
        return self._scored(user, list(dict.fromkeys(items)), flt, params)


def train(
    interactions: Sequence[Mapping[str, str]], items: Sequence[Mapping[str, str]], recipe_type: str
) -> Model:
    trained = Model(recipe_type=recipe_type)
    by_user: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for row in interactions:
        user, item = row.get("USER_ID", ""), row.get("ITEM_ID", "")
        if not user or not item:
            continue
        try:
            stamp = int(float(row.get("TIMESTAMP") or 0))
        except ValueError:
            stamp = 0
        by_user[user].append((stamp, item, row.get("EVENT_TYPE", "")))
        trained.popularity[item] += 1
    for user, rows in by_user.items():
        rows.sort()
        trained.history[user] = [(item, event) for _, item, event in rows]
        recent = list(dict.fromkeys(item for _, item, _ in rows[-_HISTORY_CAP:]))
        for a in recent:
            for b in recent:
                if a != b:
                    trained.co[a][b] += 1
    trained.items = {str(row.get("ITEM_ID")): row for row in items if row.get("ITEM_ID")}
    return trained
