"""Whom a view answers for, and which service a payment is for.

A procurement or health view answers for one buyer: by default the store's home council (the
Organisation with is_council, GB-LAE-DAC in the reference dataset), or any organisation by key, or
`all` (every buyer, and contracts whose buyer no file stated, shown as "buyer unknown").

Payments reach services through the council's table in settings/services.yaml (see there).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from graph_service.config import SETTINGS_DIR
from graph_service.errors import BadRequest, NotFound
from graph_service.queries.health import area_key
from graph_service.store.base import GraphStore
from graph_service.queries import ask

SERVICES_YAML = SETTINGS_DIR / "services.yaml"
ALL = "all"
UNKNOWN = "buyer unknown"


@dataclass(frozen=True)
class Scope:
    """The buyer a view answers for: `key` None means every buyer."""

    key: str | None
    name: str

    def describe(self) -> dict[str, str | None]:
        return {"key": self.key or ALL, "name": self.name}


def resolve_buyer(store: GraphStore, buyer: str | None = None) -> Scope:
    """None: the home council; 'all': every buyer; else an organisation's key, which must exist."""
    if buyer is not None and buyer.strip().lower() == ALL:
        return Scope(None, "every buyer")
    if buyer is None:
        homes = ask(store, "organisation_identities", is_council=True)
        if len(homes) != 1:
            raise BadRequest(f"the store holds {len(homes)} home councils (is_council), so there is no default buyer: "
                             "name one with --buyer ORG-ID (buyer= on the API), or use 'all'")
        return Scope(homes[0]["key"], homes[0]["name"])
    found = next(iter(ask(store, "organisation_identities", keys=[buyer])), None)
    if found is None:
        raise NotFound(f"no organisation with key {buyer!r} to answer for; use an org-id the store holds, or 'all'",
                       buyer=buyer)
    return Scope(found["key"], found["name"])


class _Service(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    areas: list[str]


class ServiceMap(BaseModel):
    """settings/services.yaml: each service key with its name and the area labels that mean it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    services: dict[str, _Service]

    def areas(self) -> dict[str, str]:
        """Lower-cased label -> service key, as the named queries take it; a label twice is refused."""
        out: dict[str, str] = {}
        for key, service in self.services.items():
            for label in service.areas:
                other = out.setdefault(area_key(label), key)
                if other != key:
                    raise BadRequest(f"services.yaml maps {label!r} to both {other} and {key}")
        return out

    def name(self, key: str) -> str | None:
        service = self.services.get(key)
        return service.name if service else None


def load_services(path: Path | None = None) -> ServiceMap:
    path = path or SERVICES_YAML
    return ServiceMap.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
