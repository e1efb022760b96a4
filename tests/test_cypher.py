"""cypher/ and the named-query registry agree, and the schema file matches the schema module."""
from graph_service.store.neo4j import SCHEMA_CYPHER, schema_statements
from graph_service.queries import registry
from graph_service.queries.registry import CYPHER_DIR


def test_schema_cypher_is_generated_from_the_schema_module():
    lines = [line.rstrip(";") for line in SCHEMA_CYPHER.read_text().splitlines() if line and not line.startswith("//")]
    assert lines == schema_statements(), "run `python -m graph_service.store.neo4j` after editing schema.yaml"


def test_every_cypher_file_has_a_networkx_twin_and_back():
    files = {p.stem for p in CYPHER_DIR.glob("*.cypher")} - {"schema"}
    assert files == set(registry.names())


def test_cypher_takes_parameters_never_formatting():
    for name in registry.names():
        text = registry.get(name).cypher
        assert "{0}" not in text and "%s" not in text and "{}" not in text
        for parameter in registry.get(name).defaults:
            assert f"${parameter}" in text, f"{name}.cypher never uses ${parameter}"
