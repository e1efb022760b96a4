"""Shared fixtures: real stores, a real HTTP server, and keys for each role."""
from __future__ import annotations

import re
import socket
import os
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from graph_service.web.app import create_app
from graph_service.web.serving import BackgroundServer
from graph_service.access.auth import KeyStore, Role
from graph_service.store.embedded import EmbeddedStore
from graph_service.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    """../shared beside the checkout; from a git worktree elsewhere, the one beside its main checkout."""
    beside = ROOT.parent / "shared"
    dotgit = ROOT / ".git"
    if beside.exists() or not dotgit.is_file():
        return beside
    gitdir = Path(dotgit.read_text(encoding="utf-8").removeprefix("gitdir:").strip())  # <main>/.git/worktrees/<name>
    return gitdir.parents[2].parent / "shared"


SHARED = _shared()


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "data")


def free_port() -> int:
    """A loopback port nothing listens on now (for a test server or a private Neo4j)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ReadOnly:
    """A store shared by many tests: reads pass through, and a write fails the test that tried it."""

    WRITES = frozenset({"upsert", "clear", "restore", "write", "delete"})

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name: str):
        if name in self.WRITES:
            raise AssertionError(f"the shared reference store is read-only: use a store of the test's own to {name}()")
        return getattr(self._store, name)


@pytest.fixture(scope="session")
def reference_store(tmp_path_factory) -> ReadOnly:
    """The reference dataset (documents and illustrative layer), loaded once per run, read by many modules."""
    from graph_service.reference import load_reference

    store = EmbeddedStore(tmp_path_factory.mktemp("reference") / "data")
    load_reference(store)
    return ReadOnly(store)


REFERENCE_MARK = "GraphServiceReferenceLoaded"


@pytest.fixture
def neo4j_reference_store(neo4j_session_store, reference_store) -> ReadOnly:
    """The reference dataset in Neo4j, loaded again only when a test has changed the database since.

    Community edition has one user database, so tests that clear it take turns with this one; a mark
    holding the loaded counts tells whether the database still holds exactly the reference dataset.
    """
    from graph_service.reference import load_reference

    store = neo4j_session_store
    with store.driver.session() as session:
        mark = session.run(f"MATCH (m:{REFERENCE_MARK}) RETURN m.nodes AS nodes, m.rels AS rels").single()
    stats = store.stats()
    if mark is None or (mark["nodes"], mark["rels"]) != (stats["nodes"], stats["relationships"]):
        store.clear()
        load_reference(store)
        stats = store.stats()
        with store.driver.session() as session:
            session.run(f"MERGE (m:{REFERENCE_MARK}) SET m.nodes = $nodes, m.rels = $rels",
                        nodes=stats["nodes"], rels=stats["relationships"]).consume()
    assert stats == {**reference_store.stats(), "backend": "neo4j"}
    return ReadOnly(store)


class LiveServer(BackgroundServer):
    """The app served on a loopback port, with a key for every role."""

    def __init__(self, settings: Settings, store):
        self.app = create_app(settings, store)
        self.port = free_port()
        super().__init__(self.app, self.port)
        self.url = f"http://127.0.0.1:{self.port}"  # known before it starts
        keys = KeyStore(settings.data_dir)
        self.keys = {role: keys.create(role, f"test {role.name}") for role in Role}

    def client(self, role: Role | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def sign_in(self, key: str, client: httpx.Client | None = None, next_path: str = "/") -> httpx.Response:
        """Sign in as a browser does: the sign-in page's form token and pre-session cookie, from this origin."""
        client = client or self.client()
        token = form_token(client.get("/sign-in").text)
        return client.post("/sign-in", data={"csrf_token": token, "key": key, "next": next_path},
                           headers={"Origin": self.url})

    def browser_client(self, role: Role) -> httpx.Client:
        """A client holding a signed-in session cookie (no Authorization header), sending this Origin."""
        client = self.client()
        response = self.sign_in(self.keys[role], client)
        assert response.status_code == 303, response.text
        client.headers["Origin"] = self.url
        return client

    def session(self, role: Role) -> str:
        """A session token for role's key, as the sign-in cookie holds it."""
        return self.app.state.sessions.open(self.app.state.keys.identify(self.keys[role]))


def form_token(page: str) -> str:
    """The hidden csrf_token field of a page's form."""
    found = re.search(r'name="csrf_token" value="([^"]*)"', page)
    assert found, "the page has no form token"
    return found.group(1)


def live_server(store, data_dir: Path) -> LiveServer:
    return LiveServer(Settings.from_env(backend=store.backend, data_dir=str(data_dir)), store)


@pytest.fixture
def server(store: EmbeddedStore, tmp_path: Path) -> Iterator[LiveServer]:
    with live_server(store, tmp_path / "keys") as running:
        yield running


@pytest.fixture
def reference_server(reference_store, tmp_path: Path) -> Iterator[LiveServer]:
    """The app over the shared reference store, for tests that only read it (a write fails the test)."""
    with live_server(reference_store, tmp_path / "keys") as running:
        yield running


# -- Neo4j: the project's own server, started once per run -----------------------------
MARKER = "GraphServiceTestDatabase"


@pytest.fixture(scope="session")
def neo4j_session_store():
    """A Neo4jStore on the project's local server (started if none runs, and then stopped at the end).

    Refuses a database holding data it did not create.
    """
    import os

    from graph_service.store import neo4j_server
    from graph_service.store.neo4j import Neo4jStore

    already_running = neo4j_server.status().running
    try:
        neo4j_server.start()
    except neo4j_server.Neo4jUnavailable as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Neo4j tests need Java and Maven: {exc}")
    uri, user, password = neo4j_server.connection_settings()
    store = Neo4jStore(uri, user, password)
    with store.driver.session() as session:
        nodes = session.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        marked = session.run(f"MATCH (m:{MARKER}) RETURN count(m) AS n").single()["n"]
        if nodes and not marked:
            pytest.exit(f"refusing to test against {uri}: it holds {nodes} nodes this test run did not create")
        session.run(f"MERGE (:{MARKER})").consume()
    yield store
    store.close()
    if not already_running:  # stop only what this run started
        neo4j_server.stop()


@pytest.fixture
def neo4j_store(neo4j_session_store):
    neo4j_session_store.clear()
    return neo4j_session_store


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def any_store(request, tmp_path: Path):
    """Each test using this runs once per backend."""
    if request.param == "embedded":
        return EmbeddedStore(tmp_path / "data")
    return request.getfixturevalue("neo4j_store")


# -- Headless chromium (Debian's), driven by Playwright ---------------------------------
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium calls home, which this network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
DOC_IMAGES = ROOT / "docs" / "images"
UPDATE_DOC_IMAGES = "GRAPH_SERVICE_UPDATE_DOC_IMAGES"  # set to 1 to rewrite docs/images/ from a browser run


def screenshot(page, name: str, **options) -> None:
    """Keep a screenshot in test-artifacts/, and in docs/images/ only when UPDATE_DOC_IMAGES asks, so a
    normal run leaves the tree as committed."""
    page.screenshot(path=str(ARTIFACTS / name), **options)
    if os.environ.get(UPDATE_DOC_IMAGES):
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOC_IMAGES / name), **options)


@pytest.fixture(scope="session")
def browser():
    """One chromium for the run; required when CI=true, skipped with one message elsewhere."""
    import os

    if not CHROMIUM.exists():
        message = "the browser tests need Debian's chromium (scripts/setup.sh --test installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
