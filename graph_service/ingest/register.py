"""The council's own register files: human-editable YAML, the reference dataset's format.

    source: new-normal-strategy-2019-2024.txt    # the document facts come from
    illustrative: false                          # true for generated example data
    nodes:
      - {label: Workstream, key: "workstream:partnerships", name: Partnerships,
         cite: "New Normal Work Stream - Partnerships", line: 183}
    relationships:
      - {type: LEADS, from: "post:gm-procurement-contracted-services",
         to: "workstream:partnerships", cite: "...", line: 187}

Every entry not named below is a property. `cite` (document section) and `line`
become the fact's locator; `source` on an entry overrides the file's. Text written by us rather than
quoted is said so in the locator, so it is never read as the document's words: `authored: [description]`
names an entry's authored properties, and `basis: inferred` marks a link the documents imply but do not
state. Aliases (`*name`) are refused (ingest/bounded.py): an alias bomb would otherwise expand to gigabytes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import yaml

from graph_service.errors import UnreadableInput
from graph_service.ingest.bounded import load_yaml
from graph_service.ingest.pipeline import Item
from graph_service.records import Provenance

NODE_FIELDS = {"label", "key", "cite", "line", "source", "authored"}
REL_FIELDS = {"type", "from", "to", "cite", "line", "source", "valid_from", "valid_to", "authored"}
AUTHORED = "authored by us, not quoted"
INFERRED = "inferred by us, not stated"


def _locator(entry: dict[str, Any], fallback: str) -> str:
    parts = [str(entry["cite"])] if entry.get("cite") else []
    if entry.get("line"):
        parts.append(f"line {entry['line']}")
    authored = entry.get("authored")
    if authored:
        names = authored if isinstance(authored, list) else [authored]
        parts.append(f"{', '.join(map(str, names))} {AUTHORED}")
    if entry.get("basis") == "inferred":
        parts.append(INFERRED)
    return "; ".join(parts) or fallback


def read_register(path: Path) -> Iterator[Item]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UnreadableInput(f"{path.name}: not a readable register file: {exc}") from exc
    if not isinstance(data, dict) or not ({"nodes", "relationships"} & set(data)):
        raise UnreadableInput(f"{path.name}: a register file is a mapping with 'nodes' and/or 'relationships'")
    default_source = str(data.get("source") or path.name)
    illustrative = bool(data.get("illustrative", False))
    for section, fields in (("nodes", NODE_FIELDS), ("relationships", REL_FIELDS)):
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise UnreadableInput(f"{path.name}: '{section}' must be a list")
        for index, entry in enumerate(entries):
            where = f"{path.name} {section}[{index}]"
            if not isinstance(entry, dict):
                yield Item(where, Provenance(source=default_source, locator=where), nodes=[{"label": None}])
                continue
            provenance = Provenance(
                source=str(entry.get("source") or default_source),
                locator=_locator(entry, where),
                illustrative=illustrative,
            )
            props = {k: v for k, v in entry.items() if k not in fields}
            if section == "nodes":
                yield Item(where, provenance, nodes=[{"label": entry.get("label"), "key": entry.get("key"), "props": props}])
            else:
                rel = {"type": entry.get("type"), "start": entry.get("from"), "end": entry.get("to"), "props": props}
                rel.update({k: entry[k] for k in ("valid_from", "valid_to") if entry.get(k)})
                yield Item(where, provenance, rels=[rel])
