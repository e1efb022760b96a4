"""What changed between two dates: relationships that began or ended (valid time), values that
were replaced (the history every write keeps), facts officers recorded (source "recorded": the change
is named "recorded"), and the dates a policy gives itself (published, review due, period ended), each
with its provenance.

Filters narrow the changes to those touching a partner, the partners of a persona,
a workstream and its immediate neighbours, or a policy. History is returned as the
stored JSON text by both backends and read here in `finish`, which Cypher cannot do.
"""
from __future__ import annotations

import json
from typing import Any

import networkx as nx

from graph_service.dates import DocDate, period_end
from graph_service.queries.graph import into
from graph_service.queries.registry import named_query

EXAMPLES = [
    {"date_from": "2016-01-01", "date_to": "2030-01-01"},
    {"date_from": "2019-01-01", "date_to": "2019-03-01"},
    {"date_from": "2024-01-01", "date_to": "2026-12-31", "persona": "persona:contractors"},
    {"date_from": "2016-01-01", "date_to": "2030-01-01", "workstream": "workstream:partnerships"},
]


def _focus(graph: nx.MultiDiGraph, partner, persona, workstream, policy) -> set[str] | None:
    """Keys a change must touch; None when no filter is given (everything counts)."""
    if not any((partner, persona, workstream, policy)):
        return None
    focus = {k for k in (partner, workstream, policy) if k}
    if persona and persona in graph:
        focus |= {org for org, _ in into(graph, persona, "HAS_PERSONA")}
    if workstream and workstream in graph:
        focus |= set(graph.successors(workstream)) | set(graph.predecessors(workstream))
    return focus


def _in(day: str | None, date_from: str, date_to: str) -> bool:
    """A day (or a month or year, counted on its last day: by then it has surely happened) inside (from, to]."""
    return day is not None and date_from < DocDate.of(day[:10]).last.isoformat() <= date_to


# a policy's own dates, as the events `changes` lists
POLICY_EVENTS = (("published", "published_on"), ("review due", "review_date"))
RECORDED = "recorded"  # the source of what officers record (answers/recorded)


def _entry(kind: str, key: str, label_or_type: str, props: dict[str, Any], attrs: dict[str, Any],
           start: str | None = None, end: str | None = None) -> dict[str, Any]:
    prov = attrs["prov"]
    return {"kind": kind, "key": key, "what": label_or_type, "start": start, "end": end,
            "valid_from": props.get("valid_from"), "valid_to": props.get("valid_to"),
            "prop_pairs": [[k, v] for k, v in props.items()], "history": json.dumps(attrs["history"]),
            "source": prov["source"], "locator": prov["locator"], "illustrative": prov["illustrative"],
            "loaded_at": prov["loaded_at"]}


@named_query("changed_facts", finish=lambda rows, params: changes_from_rows(rows, params), examples=EXAMPLES)
def changed_facts(graph: nx.MultiDiGraph, date_from: str, date_to: str, partner: str | None = None,
                  persona: str | None = None, workstream: str | None = None,
                  policy: str | None = None) -> list[dict[str, Any]]:
    """Nodes and relationships that began, ended or had a value replaced between two dates, and every policy
    (its own dates are read in `finish`)."""
    focus = _focus(graph, partner, persona, workstream, policy)
    rows = []
    for key, attrs in graph.nodes(data=True):
        recorded = attrs["prov"]["source"] == RECORDED
        if (attrs["history"] or recorded or attrs["label"] == "Policy") and (focus is None or key in focus):
            rows.append(_entry("node", key, attrs["label"], attrs["props"], attrs))
    for start, end, rid, attrs in graph.edges(keys=True, data=True):
        if focus is not None and start not in focus and end not in focus:
            continue
        props = attrs["props"]
        if (attrs["history"] or attrs["prov"]["source"] == RECORDED or _in(props.get("valid_from"), date_from, date_to)
                or _in(props.get("valid_to"), date_from, date_to)):
            rows.append(_entry("relationship", rid, attrs["type"], props, attrs, start, end))
    return rows


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: {"before": old.get(k), "after": new.get(k)} for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}


def changes_from_rows(rows: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    """One change per event, in date order: began, ended, or changed (with old and new values)."""
    date_from, date_to = params["date_from"], params["date_to"]
    changes = []
    for row in rows:
        base = {"kind": row["kind"], "key": row["key"], "what": row["what"], "start": row["start"], "end": row["end"]}
        current = {"source": row["source"], "locator": row["locator"], "illustrative": row["illustrative"]}
        for event, day in (("began", row["valid_from"]), ("ended", row["valid_to"])):
            if row["kind"] == "relationship" and _in(day, date_from, date_to):
                changes.append({**base, "change": event, "on": day[:10], "values": {}, "provenance": current})
        if row["what"] == "Policy":
            changes += _policy_events(base, dict(row["prop_pairs"]), current, date_from, date_to)
        history = json.loads(row["history"])
        versions = [h["props"] for h in history] + [dict(row["prop_pairs"])]
        sources = [h["prov"] for h in history[1:]] + [current]
        if row["source"] == RECORDED and not history and _in(row["loaded_at"], date_from, date_to):
            changes.append({**base, "change": RECORDED, "on": row["loaded_at"][:10], "values": _diff({}, versions[0]),
                            "provenance": current})
        for index, replaced in enumerate(history):
            if _in(replaced["replaced_at"], date_from, date_to):
                new_prov = sources[index]
                changes.append({**base, "change": RECORDED if new_prov["source"] == RECORDED else "changed",
                                "on": replaced["replaced_at"][:10],
                                "values": _diff(versions[index], versions[index + 1]),
                                "provenance": {"source": new_prov["source"], "locator": new_prov["locator"],
                                               "illustrative": new_prov["illustrative"]}})
    return sorted(changes, key=lambda c: (DocDate.of(c["on"]).last, c["on"], c["kind"], c["key"], c["change"]))


def _policy_events(base: dict[str, Any], props: dict[str, Any], provenance: dict[str, Any],
                   date_from: str, date_to: str) -> list[dict[str, Any]]:
    """A policy's publication, review date and end of period inside the window, each on the date as its
    document gives it ("2020-05": May 2020), cited where the document states it when it says."""
    cited = dict(entry.split(" | ", 1) for entry in props.get("citations") or [] if " | " in entry)
    dated = [(event, props.get(field), field) for event, field in POLICY_EVENTS]
    end = period_end(props.get("period"))
    dated.append(("period ended", end.iso() if end else None, "period"))
    return [{**base, "change": event, "on": day, "values": {},
             "provenance": {**provenance, "locator": cited.get(field, provenance["locator"])}}
            for event, day, field in dated if _in(day, date_from, date_to)]
