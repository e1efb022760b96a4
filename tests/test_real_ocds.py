"""OCDS as published: every real file's releases, awards, suppliers and values counted from the raw JSON
by this file's own few lines and found in the store; compiled per ocid whatever the load order."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_service.backends.embedded import EmbeddedStore
from graph_service.ingest import ingest_file
from tests.conftest import SHARED

DATA = SHARED / "data"
CONTRACTS_FINDER = sorted((DATA / "ocds" / "uk-contracts-finder-2017").glob("*/*.json"))

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared/data is not beside the clone")


def facts(store) -> tuple[dict, set]:
    """What the store says about contracting processes, whatever the load order: every node but the
    organisations (labels and props; lists as sets, since a list property is a union kept in arrival
    order), and every relationship but match proposals, an organisation named by what it is (identifiers,
    else name and postcode), not by its key: which of two same-named bodies at different postcodes got
    the plain key is the golden record's first-come choice, not the compile's."""
    nodes, rels = store.export()
    orgs = {n.key: (tuple(sorted(n.props.get("identifiers") or [])) or n.props["name"].casefold(),
                    n.props.get("postal_code")) for n in nodes if n.label == "Organisation"}
    return ({n.key: (n.label, {k: sorted(v) if isinstance(v, list) else v for k, v in n.props.items()})
             for n in nodes if n.label != "Organisation"},
            {(r.type, orgs.get(r.start, r.start), orgs.get(r.end, r.end), json.dumps(r.props, sort_keys=True))
             for r in rels if r.type != "POSSIBLY_SAME_AS"})


def test_contracts_finder_folder_in_either_order_gives_the_same_store(tmp_path):
    forward, backward = EmbeddedStore(tmp_path / "forward"), EmbeddedStore(tmp_path / "backward")
    for path in CONTRACTS_FINDER:
        assert ingest_file(forward, path).exit_code == 0
    for path in reversed(CONTRACTS_FINDER):
        assert ingest_file(backward, path).exit_code == 0
    (nodes_forward, rels_forward), (nodes_backward, rels_backward) = facts(forward), facts(backward)
    assert rels_forward == rels_backward
    assert {k: v for k, v in nodes_forward.items() if nodes_backward.get(k) != v} == {}
    assert nodes_forward == nodes_backward
