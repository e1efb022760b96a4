"""The local Neo4j server really starts, answers, is private and stops.

These tests run their own server in a temporary home on a free port, so stopping it cannot
disturb the shared server that the store tests use (conftest's neo4j_session_store).
"""
from __future__ import annotations

import ipaddress
import os
import shutil
import stat
from pathlib import Path
from typing import Iterator

import neo4j
import pytest

from graph_service.store import neo4j_server
from tests.conftest import free_port

pytestmark = pytest.mark.neo4j
TRANSACTION_MAX = "10m"  # Neo4j's smallest

@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("neo4j-home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GRAPH_SERVICE_NEO4J_HOME", str(home))
        env.setenv("GRAPH_SERVICE_NEO4J_BOLT_PORT", str(free_port()))
        env.setenv("GRAPH_SERVICE_NEO4J_TRANSACTION_MAX", TRANSACTION_MAX)
        try:
            neo4j_server.start()
        except neo4j_server.Neo4jUnavailable as exc:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip(f"the local Neo4j server needs Java and Maven: {exc}")
        try:
            yield home
        finally:
            neo4j_server.stop()


def _return_one() -> int:
    uri, user, password = neo4j_server.connection_settings()
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
    return records[0]["one"]


def _listening_addresses(port: int) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Local addresses of the sockets listening on port, read from the kernel's tables (no traffic sent)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)  # 32-bit words in host (little-endian) order
                found.add(ipaddress.ip_address(b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))))
    return found


def _is_loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)  # Java listens on ::ffff:127.0.0.1
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def test_start_twice_is_harmless_and_bolt_answers_a_query(home: Path) -> None:
    first = neo4j_server.status()
    again = neo4j_server.start()
    assert again.running and again.pid == first.pid
    assert again.version.startswith("5.26.")
    assert _return_one() == 1
    uri, user, password = neo4j_server.connection_settings()
    assert (uri, user) == (f"bolt://127.0.0.1:{os.environ['GRAPH_SERVICE_NEO4J_BOLT_PORT']}", "neo4j")
    assert len(password) >= 20


def test_password_file_is_private(home: Path) -> None:
    mode = stat.S_IMODE((home / "password").stat().st_mode)
    assert mode == 0o600, oct(mode)


def test_server_listens_on_loopback_only(home: Path) -> None:
    config = (home / "conf" / "neo4j.conf").read_text().splitlines()
    assert "server.default_listen_address=127.0.0.1" in config
    assert "dbms.security.auth_enabled=true" in config
    assert "server.http.enabled=false" in config
    port = int(os.environ["GRAPH_SERVICE_NEO4J_BOLT_PORT"])
    assert f"server.bolt.listen_address=127.0.0.1:{port}" in config
    listening = _listening_addresses(port)
    assert listening and all(_is_loopback(a) for a in listening), listening


def test_wrong_password_is_refused(home: Path) -> None:
    uri, user, _ = neo4j_server.connection_settings()
    with neo4j.GraphDatabase.driver(uri, auth=(user, "not-the-password")) as driver:
        with pytest.raises(neo4j.exceptions.AuthError):
            driver.verify_connectivity()


def test_command_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert neo4j_server.main(["status"]) == 0
    assert "is running at bolt://127.0.0.1:" in capsys.readouterr().out
    assert neo4j_server.main(["password"]) == 0
    assert capsys.readouterr().out.strip() == neo4j_server.connection_settings()[2]


def test_stop_then_start_again_keeps_data_and_password(home: Path) -> None:
    uri, user, password = neo4j_server.connection_settings()
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as driver:
        driver.execute_query("MERGE (:ServerTestMarker {name: 'kept'})")
    assert neo4j_server.stop() is True
    stopped = neo4j_server.status()
    assert (stopped.running, stopped.pid, stopped.version) == (False, None, None)
    assert not (home / "run" / "graph-service.pid").exists()
    assert neo4j_server.stop() is False  # harmless when not running

    restarted = neo4j_server.start()
    assert restarted.running
    assert neo4j_server.connection_settings() == (uri, user, password)
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as driver:
        records, _, _ = driver.execute_query("MATCH (m:ServerTestMarker) RETURN m.name AS name")
    assert [r["name"] for r in records] == ["kept"]


def test_missing_java_or_maven_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    java = shutil.which("java")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("GRAPH_SERVICE_NEO4J_HOME", str(tmp_path / "fresh"))  # no jars: Maven would be needed
    monkeypatch.setenv("GRAPH_SERVICE_NEO4J_BOLT_PORT", str(free_port()))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(neo4j_server.Neo4jUnavailable, match=r"`java`.*docker compose up -d"):
        neo4j_server.start()

    java_only = tmp_path / "java-only"
    java_only.mkdir()
    (java_only / "java").symlink_to(java)
    monkeypatch.setenv("PATH", str(java_only))
    with pytest.raises(neo4j_server.Neo4jUnavailable, match=r"`mvn`.*docker compose up -d"):
        neo4j_server.start()


def test_api_answers_503_while_neo4j_is_down_and_recovers_by_itself(home: Path, tmp_path: Path) -> None:
    from graph_service.access.auth import Role
    from graph_service.store.neo4j import Neo4jStore
    from tests.conftest import live_server

    store = Neo4jStore(*neo4j_server.connection_settings())
    with live_server(store, tmp_path) as server:
        client = server.client(Role.viewer)
        assert client.get("/api/v1/stats").status_code == 200
        neo4j_server.stop()
        down = client.get("/api/v1/stats")
        assert down.status_code == 503, down.text
        assert down.json()["error"]["code"] == "store_unavailable"
        assert "not answering" in down.json()["error"]["message"]
        neo4j_server.start()
        assert client.get("/api/v1/stats").status_code == 200  # same app, same driver: no restart
    store.close()


def test_a_unit_too_big_for_the_transaction_memory_says_which_setting_to_raise(home: Path) -> None:
    from graph_service.errors import PayloadTooLarge
    from graph_service.store.neo4j import Neo4jStore

    store = Neo4jStore(*neo4j_server.connection_settings())
    try:
        limit = store._read("CALL dbms.listConfig('dbms.memory.transaction.total.max') YIELD value RETURN value")
        assert limit == [{"value": "10.00MiB"}]  # the setting reached the server's conf
        before = store.stats()
        with pytest.raises(PayloadTooLarge) as raised:
            with store.unit() as unit:  # a list of 2 million integers is counted against the transaction's memory
                unit.tx.run("CREATE (:Node:Organisation {key: 'big'}) WITH 1 AS one "
                            "UNWIND range(1, 2000000) AS i RETURN size(collect(i)) AS n").consume()
        message = raised.value.message
        assert message.startswith("the unit is too big for Neo4j's transaction memory, so nothing of it was stored")
        assert "GRAPH_SERVICE_NEO4J_TRANSACTION_MAX" in message and "GRAPH_SERVICE_NEO4J_HEAP" in message
        assert store.stats() == before  # rolled back
    finally:
        store.close()
