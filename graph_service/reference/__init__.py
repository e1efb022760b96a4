"""The council's reference dataset: the document layer (YAML registers citing the two
council documents) and a generated, clearly-marked illustrative layer.

    >>> from graph_service.store.embedded import EmbeddedStore
    >>> reports = load_reference(EmbeddedStore("data"))          # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from graph_service.store.base import GraphStore
from graph_service.ingest.pipeline import IngestReport, ingest
from graph_service.ingest.register import read_register

REFERENCE_DIR = Path(__file__).resolve().parent

# Registers refer to keys defined in earlier ones (posts before the work-streams that
# name them, priorities before the policies that support them), so order matters.
ORDER = ["organisation.yaml", "priorities.yaml", "policies.yaml", "new_normal.yaml", "partners.yaml"]


def register_files() -> list[Path]:
    """Every register in REFERENCE_DIR: the known ones in dependency order, then any others."""
    present = {p.name: p for p in REFERENCE_DIR.glob("*.yaml")}
    return [present[n] for n in ORDER if n in present] + [present[n] for n in sorted(present) if n not in ORDER]


def load_reference(store: GraphStore, include_illustrative: bool = True, seed: int = 2019) -> list[IngestReport]:
    """Ingest the document layer, then (optionally) the illustrative layer; one report each.

    Another seed gives another generated graph over the same documents (the parity suite uses one).
    """
    reports = [ingest(store, read_register(path), source=path.name, fmt="register") for path in register_files()]
    if include_illustrative:
        from graph_service.reference.illustrative import SOURCE, illustrative_items

        reports.append(ingest(store, illustrative_items(seed), source=SOURCE, fmt="illustrative"))
    return reports
