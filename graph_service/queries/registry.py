"""The named-query registry: each query is a Cypher file in cypher/ and a networkx twin.

A query's parameters are the keyword arguments of its networkx function; the Cypher
file receives the same names as $parameters. Both return rows (dicts of plain
values) that pass through the same `finish` step, so both backends answer alike.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from graph_service.errors import BadRequest, NotFound

from graph_service.cypher import CYPHER_DIR


def _as_list(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return rows


@dataclass
class NamedQuery:
    name: str
    embedded: Callable[..., list[dict[str, Any]]]
    defaults: dict[str, Any]
    finish: Callable[[list[dict[str, Any]]], Any] = _as_list
    examples: list[dict[str, Any]] = field(default_factory=lambda: [{}])  # parameters the parity suite tries

    @cached_property
    def cypher(self) -> str:
        return (CYPHER_DIR / f"{self.name}.cypher").read_text()

    def complete(self, rows: list[dict[str, Any]], params: dict[str, Any]) -> Any:
        """Run `finish` on a backend's rows; a finish taking two arguments also gets the bound parameters."""
        if len(inspect.signature(self.finish).parameters) == 2:
            return self.finish(rows, params)
        return self.finish(rows)

    def bind(self, params: dict[str, Any]) -> dict[str, Any]:
        unknown = set(params) - set(self.defaults)
        if unknown:
            raise BadRequest(f"query {self.name!r} takes no parameter(s) {sorted(unknown)}", allowed=sorted(self.defaults))
        missing = [p for p, d in self.defaults.items() if d is inspect.Parameter.empty and p not in params]
        if missing:
            raise BadRequest(f"query {self.name!r} needs parameter(s) {missing}")
        return {**{p: d for p, d in self.defaults.items() if d is not inspect.Parameter.empty}, **params}


@dataclass
class Registry:
    queries: dict[str, NamedQuery] = field(default_factory=dict)

    def add(self, query: NamedQuery) -> None:
        if query.name in self.queries:
            raise ValueError(f"named query {query.name!r} registered twice")
        self.queries[query.name] = query

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise NotFound(f"no named query {name!r}", known=sorted(self.queries)) from None

    def names(self) -> list[str]:
        return sorted(self.queries)


registry = Registry()


def ask(store: Any, name: str, **params: Any) -> Any:
    """The answer to the named query `name` from either backend: bound, run by the store, finished alike."""
    query = registry.get(name)
    bound = query.bind(params)
    return query.complete(store.execute(query, bound), bound)


def named_query(name: str, *, finish: Callable[[list[dict[str, Any]]], Any] | None = None,
                examples: list[dict[str, Any]] | None = None):
    """Register a networkx function as the embedded twin of cypher/<name>.cypher.

    `examples` are parameter sets the parity suite runs on both backends.
    """

    def register(function: Callable[..., list[dict[str, Any]]]):
        params = list(inspect.signature(function).parameters.values())[1:]  # first is the graph
        registry.add(NamedQuery(name, function, {p.name: p.default for p in params}, finish or _as_list,
                                examples or [{}]))
        return function

    return register
