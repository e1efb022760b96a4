"""The schema, loaded once from schema.yaml and checked, and the record models built from it.

Every other place that needs labels, keys or relationship endpoints (pydantic
validation, Neo4j constraints, the embedded store) asks this module.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from typing import Annotated

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, create_model

from graph_service.dates import DocDate
from graph_service.errors import SchemaError

KEY_PROPERTY = "key"
VALID_FROM, VALID_TO = "valid_from", "valid_to"
# docdate: a date at the precision its document gives (2019-02-12, 2020-05 or 2020), kept as that text
_DOC_DATE = Annotated[str, BeforeValidator(lambda v: DocDate.of(v).iso())]
_TYPES: dict[str, Any] = {
    "str": str, "int": int, "float": float, "bool": bool, "date": dt.date, "docdate": _DOC_DATE, "strs": list[str],
}
_KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._/\-]{0,199}$")
# the caption properties in the order Cypher twins coalesce them, so one coalesce names every label alike
CAPTION_ORDER = ("name", "title", "text", "kpi", "kind", "transaction_id")
MAX_TEXT = 131_072  # characters in one text property: the CSV readers' own field limit, for every format


@dataclass(frozen=True)
class Label:
    name: str
    prefix: str
    description: str
    properties: dict[str, str]  # property -> type name
    required: frozenset[str]
    restricted: frozenset[str]  # properties viewers may not see
    model: type[BaseModel] = field(repr=False, compare=False)
    caption: str | None = None  # the property that names a node of this label


@dataclass(frozen=True)
class RelType:
    name: str
    sources: frozenset[str]
    targets: frozenset[str]
    temporal: bool
    description: str
    restricted: bool = False  # viewers may not see these relationships


@dataclass(frozen=True)
class Schema:
    labels: dict[str, Label]
    relationships: dict[str, RelType]

    def label(self, name: str) -> Label:
        try:
            return self.labels[name]
        except KeyError:
            raise SchemaError(name, "label", f"unknown label; expected one of {sorted(self.labels)}") from None

    def fully_restricted(self, label: str) -> bool:
        spec = self.labels.get(label)
        return bool(spec and spec.restricted and spec.restricted == set(spec.properties))

    def caption(self, label: str, props: dict[str, Any], fallback: Any = None) -> Any:
        """What names a node: its label's caption property, else `fallback`."""
        spec = self.labels.get(label)
        found = props.get(spec.caption) if spec and spec.caption else None
        return fallback if found is None else found

    def rel(self, name: str) -> RelType:
        try:
            return self.relationships[name]
        except KeyError:
            raise SchemaError(name, "type", f"unknown relationship type; expected one of {sorted(self.relationships)}") from None


def _parse(raw: dict[str, Any]) -> Schema:
    labels: dict[str, Label] = {}
    for name, spec in raw["labels"].items():
        declared: dict[str, str] = spec.get("properties", {})
        required = {p for p, t in declared.items() if t.endswith("!")}
        types = {p: t.rstrip("!") for p, t in declared.items()}
        unknown = {t for t in types.values() if t not in _TYPES}
        if unknown:
            raise SchemaError(name, "properties", f"unknown property types {sorted(unknown)}")
        fields: dict[str, Any] = {
            p: ((_TYPES[t], ...) if p in required else (_TYPES[t] | None, None)) for p, t in types.items()
        }
        model = create_model(
            f"{name}Properties",
            __config__=ConfigDict(extra="forbid", str_strip_whitespace=True, str_max_length=MAX_TEXT),
            **fields,
        )
        restricted = spec.get("restricted", [])
        restricted = set(types) if restricted == "all" else set(restricted)
        if restricted - set(types):
            raise SchemaError(name, "restricted", f"names unknown properties {sorted(restricted - set(types))}")
        caption = spec.get("caption")
        if caption is not None and caption != next((p for p in CAPTION_ORDER if p in types), None):
            raise SchemaError(name, "caption", f"must be the first of {CAPTION_ORDER} the label has, as Cypher coalesces")
        labels[name] = Label(name, spec["prefix"], spec.get("description", ""), types, frozenset(required),
                             frozenset(restricted), model, caption)
    relationships: dict[str, RelType] = {}
    for name, spec in raw["relationships"].items():
        for end in ("from", "to"):
            missing = set(spec[end]) - set(labels)
            if missing:
                raise SchemaError(name, end, f"names unknown labels {sorted(missing)}")
        relationships[name] = RelType(
            name, frozenset(spec["from"]), frozenset(spec["to"]), bool(spec.get("temporal")), spec.get("description", ""),
            spec.get("restricted") is True)
    return Schema(labels, relationships)


@cache
def schema() -> Schema:
    return _parse(yaml.safe_load((Path(__file__).parent / "schema.yaml").read_text()))


def check_key(record: str, key: Any) -> str:
    if not isinstance(key, str) or not _KEY_PATTERN.match(key):
        raise SchemaError(record, KEY_PROPERTY, f"{key!r} is not a stable key (letters, digits and :._/- only, up to 200 characters)")
    return key


def validate_properties(record: str, label: str, props: dict[str, Any]) -> dict[str, Any]:
    """Check props against the label's model; return them in storable form (dates as ISO strings)."""
    model = schema().label(label).model
    try:
        parsed = model.model_validate(props)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(record)"
        raise SchemaError(record, where, first["msg"]) from None
    return to_storable(parsed.model_dump(exclude_none=True))


def to_storable(props: dict[str, Any]) -> dict[str, Any]:
    """Dates become ISO strings so that both backends store and compare the same values."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in props.items()}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120] or "unnamed"


def make_key(label: str, name: str) -> str:
    """A key from a name. A name with no letter or digit slug() keeps ("日本", "✓✓") gets a digest of itself
    instead, so that two such names do not share one key and overwrite each other."""
    if re.search(r"[a-z0-9]", name.lower()):
        return f"{schema().label(label).prefix}:{slug(name)}"
    return f"{schema().label(label).prefix}:unnamed-{hashlib.sha256(name.strip().casefold().encode()).hexdigest()[:12]}"
