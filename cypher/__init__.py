"""The Cypher twins of the named queries and the Neo4j schema, one file each.

This folder ships inside the package as `graph_service.cypher` (see pyproject.toml), so an
installed copy finds its queries without the checkout.
"""
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent


def cypher_text(name: str) -> str:
    """The text of `<name>.cypher`."""
    return (CYPHER_DIR / f"{name}.cypher").read_text()
