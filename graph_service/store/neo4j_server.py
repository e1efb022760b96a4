"""The project's own Neo4j 5.26 LTS Community server, run from Maven Central jars without Docker.

Developers and CI need a real Neo4j but may have neither Docker nor a system package: Java and
Maven are enough. The jars are fetched once with ``mvn`` into ``.cache/neo4j/`` under the working directory (or
``$GRAPH_SERVICE_NEO4J_HOME``); the server runs from there, listens on 127.0.0.1 only and uses a
generated password kept in a 0600 file, so nothing has to be configured by hand. Machines with
Docker can use ``docker compose up -d`` with docker-compose.yml instead.

    python -m graph_service.store.neo4j_server start|stop|status|password
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired, TransientError

from graph_service.config import Settings

NEO4J_VERSION = "5.26.30"  # newest 5.26 LTS release on Maven Central when this was written
ARTIFACT = "org.neo4j:neo4j"  # the community edition: server, Bolt, Cypher and the admin commands
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"  # what Neo4j's own `neo4j console` runs
ADMIN_CLASS = "org.neo4j.cli.AdminTool"  # what `neo4j-admin` runs, in-process
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
USER = "neo4j"
# Sized for a 2-core, 24 GiB machine that also runs the test suite, the API and at times several
# of these servers: the heap may grow to 2g but starts small, since -Xms is committed up front.
# GRAPH_SERVICE_NEO4J_HEAP and GRAPH_SERVICE_NEO4J_PAGE_CACHE (config.py, default 2g) override the
# heap's maximum and the page cache for big graphs.
HEAP_INITIAL = "512m"
START_TIMEOUT = 180.0  # the first start creates the system and neo4j databases
STOP_TIMEOUT = 60.0  # a clean shutdown checkpoints; SIGKILL after this

# The server.jvm.additional lines of the neo4j.conf that Neo4j 5.26 ships, which its launcher
# passes on Java 17, without -XX:+AlwaysPreTouch (touching the whole heap up front costs start
# time and memory on a shared machine), plus -XX:+ExitOnOutOfMemoryError so that a broken
# server exits and shows as stopped instead of limping on.
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
    "-Dfile.encoding=UTF-8",
)

DOCKER_HINT = ("Alternatively, with Docker: set NEO4J_PASSWORD and run `docker compose up -d` "
               "(docker-compose.yml at the repository root).")
_NOT_ANSWERING = (ServiceUnavailable, SessionExpired, TransientError, OSError)
_launched: dict[int, subprocess.Popen] = {}  # servers this process started, so their exit is reaped


class Neo4jServerError(RuntimeError):
    """The local server could not be started, reached or stopped; the message says why."""


class Neo4jUnavailable(Neo4jServerError):
    """Java or Maven is missing (or Maven could not fetch the jars), so no local server can run."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool  # the process is alive and answers Bolt
    pid: int | None  # set whenever the process is alive, even while it is still starting
    uri: str
    version: str | None


@dataclass(frozen=True)
class _Layout:
    """Every path the server uses; all inside one folder so that deleting it resets everything."""

    home: Path

    @property
    def lib(self) -> Path:
        return self.home / "lib"

    @property
    def conf(self) -> Path:
        return self.home / "conf"

    @property
    def conf_file(self) -> Path:
        return self.conf / "neo4j.conf"

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def run(self) -> Path:
        return self.home / "run"

    @property
    def pid_file(self) -> Path:
        return self.run / "graph-service.pid"  # not neo4j.pid, which Neo4j itself rewrites and removes

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def initialised(self) -> bool:
        """Whether the system database exists, after which the initial password can no longer be set."""
        return (self.data / "databases" / "system").is_dir()


def _settings() -> Settings:
    """Read at each call: tests and helpers point one process at several servers in turn."""
    return Settings.from_env()


def _layout() -> _Layout:
    return _Layout(_settings().neo4j_home.resolve())


def _requested_port() -> int:
    return _settings().neo4j_bolt_port


def _port(layout: _Layout) -> int:
    """The port of the running server (its config says), else the one the next start will use."""
    if _running_pid(layout) is not None:
        for line in layout.conf_file.read_text().splitlines():
            if line.startswith("server.bolt.listen_address="):
                return int(line.rsplit(":", 1)[1])
    return _requested_port()


def _uri(layout: _Layout) -> str:
    return f"bolt://127.0.0.1:{_port(layout)}"


def _java() -> str:
    """JAVA_HOME's java if set (as other Java tools do), else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home, "bin", "java") if java_home else None
    if java is not None and java.is_file():
        return str(java)
    found = shutil.which("java")
    if found is None:
        raise Neo4jUnavailable(f"Java 17 or 21 (`java`) is not installed or not on PATH; the local Neo4j "
                               f"server needs it. {DOCKER_HINT}")
    return found


def _pom() -> str:
    group, artifact = ARTIFACT.split(":")
    return f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <!-- Written by graph_service/store/neo4j_server.py only to fetch Neo4j's jars; not a build. -->
  <modelVersion>4.0.0</modelVersion>
  <groupId>graph-service</groupId>
  <artifactId>neo4j-server-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>{group}</groupId>
      <artifactId>{artifact}</artifactId>
      <version>{NEO4J_VERSION}</version>
    </dependency>
  </dependencies>
</project>
"""


def _fetch(layout: _Layout) -> None:
    """Copy the jars from Maven Central into lib/ once; a finished copy is marked with its version."""
    stamp = layout.lib / "VERSION"
    if stamp.is_file() and stamp.read_text().strip() == NEO4J_VERSION:
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailable(f"Maven (`mvn`) is not installed or not on PATH; it fetches the Neo4j "
                               f"{NEO4J_VERSION} jars on first use. {DOCKER_HINT}")
    pom = layout.home / "pom.xml"
    pom.write_text(_pom())
    partial = layout.home / "lib.partial"
    shutil.rmtree(partial, ignore_errors=True)
    print(f"Fetching Neo4j {NEO4J_VERSION} with Maven (first use only; may take some minutes)...", file=sys.stderr)
    done = subprocess.run(
        [mvn, "-B", "-q", "-f", str(pom), f"{DEPENDENCY_PLUGIN}:copy-dependencies",
         f"-DoutputDirectory={partial}", "-DincludeScope=runtime"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
        raise Neo4jUnavailable(f"Maven could not fetch {ARTIFACT}:{NEO4J_VERSION}:\n{output}\n{DOCKER_HINT}")
    (partial / "VERSION").write_text(NEO4J_VERSION + "\n")
    shutil.rmtree(layout.lib, ignore_errors=True)
    partial.rename(layout.lib)


def _password(layout: _Layout) -> str:
    """The generated password, created (mode 0600) the first time it is needed."""
    path = layout.password_file
    if not path.exists():
        if layout.initialised:
            raise Neo4jServerError(f"{path} is missing but {layout.data} already holds databases made with "
                                   f"it; stop the server and delete {layout.data} to start afresh")
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(24))  # hex: safe in an @file argument (a leading "-" would read as an option)
    path.chmod(0o600)
    return path.read_text().strip()


def _write_config(layout: _Layout, port: int) -> None:
    """Rewritten on every start so that it always matches this module (and the requested port)."""
    directories = {
        "data": layout.data,
        "transaction.logs.root": layout.data / "transactions",
        "dumps.root": layout.data / "dumps",
        "logs": layout.logs,
        "run": layout.run,
        "lib": layout.lib,
        "plugins": layout.home / "plugins",
        "import": layout.home / "import",
        "licenses": layout.home / "licenses",
        "script.root": layout.data / "scripts",
    }
    lines = [
        "# Written by graph_service/store/neo4j_server.py on every start; edits here are overwritten.",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        f"server.bolt.advertised_address=127.0.0.1:{port}",
        "server.http.enabled=false",
        "server.https.enabled=false",
        "dbms.security.auth_enabled=true",
        "dbms.usage_report.enabled=false",
        f"server.memory.heap.initial_size={HEAP_INITIAL}",
        f"server.memory.heap.max_size={_heap_max()}",
        f"server.memory.pagecache.size={_settings().neo4j_page_cache}",
        *([f"dbms.memory.transaction.total.max={limit}"] if (limit := _settings().neo4j_transaction_max) else []),
        *(f"server.directories.{name}={path}" for name, path in directories.items()),
    ]
    for path in directories.values():
        path.mkdir(parents=True, exist_ok=True)
    layout.conf.mkdir(parents=True, exist_ok=True)
    layout.conf_file.write_text("\n".join(lines) + "\n")


def _heap_max() -> str:
    return _settings().neo4j_heap


def _set_initial_password(layout: _Layout, java: str) -> None:
    """neo4j-admin dbms set-initial-password, before the first start only (later it has no effect).

    The password is passed as ``@file`` (expanded by the command-line parser) so that it never
    appears in the process list.
    """
    if layout.initialised:
        return
    _password(layout)
    done = subprocess.run(
        [java, "-cp", str(layout.lib / "*"), ADMIN_CLASS, "dbms", "set-initial-password", f"@{layout.password_file}"],
        env={**os.environ, "NEO4J_HOME": str(layout.home), "NEO4J_CONF": str(layout.conf)},
        stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        raise Neo4jServerError(f"setting the initial Neo4j password failed:\n{(done.stdout + done.stderr).strip()}")


def _is_our_server(pid: int, layout: _Layout) -> bool:
    """Alive and really this home's Neo4j, not a stale pid file whose number was reused."""
    child = _launched.get(pid)
    if child is not None:  # just after exec its /proc cmdline can still be empty, so ask Popen
        if child.poll() is None:
            return True
        del _launched[pid]
        return False
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return MAIN_CLASS.encode() in args and f"--home-dir={layout.home}".encode() in args


def _running_pid(layout: _Layout) -> int | None:
    try:
        pid = int(layout.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _is_our_server(pid, layout) else None


def _port_taken(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _launch(layout: _Layout, java: str) -> int:
    layout.logs.mkdir(parents=True, exist_ok=True)
    with layout.console_log.open("wb") as log:
        child = subprocess.Popen(
            [java, *JVM_OPTIONS, f"-Xms{HEAP_INITIAL}", f"-Xmx{_heap_max()}", "-cp", str(layout.lib / "*"), MAIN_CLASS,
             f"--home-dir={layout.home}", f"--config-dir={layout.conf}"],
            cwd=layout.home, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)  # survives the terminal or test run that started it
    _launched[child.pid] = child
    layout.pid_file.write_text(f"{child.pid}\n")
    return child.pid


def _ask_version(uri: str, password: str) -> str:
    """Runs a real query, which is the only proof that the server is ready for the application."""
    # session.run, not execute_query: the caller polls, so the driver's own retries only add delay.
    with neo4j.GraphDatabase.driver(uri, auth=(USER, password), connection_timeout=3) as driver:
        with driver.session() as session:
            one = session.run("RETURN 1 AS one").single(strict=True)["one"]
            if one != 1:
                raise Neo4jServerError(f"Neo4j at {uri} answered RETURN 1 with {one!r}")
            return session.run("CALL dbms.components() YIELD versions RETURN versions[0] AS version"
                               ).single(strict=True)["version"]


def _log_tail(layout: _Layout, lines: int = 30) -> str:
    parts = []
    for path in (layout.console_log, layout.logs / "neo4j.log"):
        text = path.read_text(errors="replace").strip() if path.is_file() else ""
        if text:
            parts.append(f"--- last lines of {path} ---\n" + "\n".join(text.splitlines()[-lines:]))
    return "\n".join(parts) or f"(no log output in {layout.logs})"


def _wait_until_ready(layout: _Layout, pid: int, timeout: float) -> ServerStatus:
    uri, password = _uri(layout), _password(layout)
    deadline = time.monotonic() + timeout
    while True:
        if not _is_our_server(pid, layout):
            layout.pid_file.unlink(missing_ok=True)
            raise Neo4jServerError(f"Neo4j exited while starting.\n{_log_tail(layout)}")
        try:
            return ServerStatus(True, pid, uri, _ask_version(uri, password))
        except AuthError as exc:
            raise Neo4jServerError(
                f"Neo4j at {uri} refused the password in {layout.password_file} ({exc.message}); the databases "
                f"in {layout.data} were made with another one: stop the server and delete that folder to start "
                f"afresh") from exc
        except _NOT_ANSWERING:
            if time.monotonic() > deadline:
                raise Neo4jServerError(
                    f"Neo4j (pid {pid}) did not answer on {uri} within {timeout:.0f} s; it is left running "
                    f"(`python -m graph_service.store.neo4j_server stop` ends it).\n{_log_tail(layout)}") from None
        time.sleep(0.5)


@contextlib.contextmanager
def _locked(layout: _Layout) -> Iterator[None]:
    """One start or stop at a time per home, across processes (parallel test runs, two terminals)."""
    layout.home.mkdir(parents=True, exist_ok=True)
    with (layout.home / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def start(timeout: float = START_TIMEOUT) -> ServerStatus:
    """Start the local server, fetching it first if needed; returns once Bolt answers a query.

    Calling it while the server runs (or is starting) only waits for it to answer.
    """
    layout = _layout()
    java = _java()
    with _locked(layout):
        pid = _running_pid(layout)
        if pid is None:
            port = _requested_port()
            if _port_taken(port):
                raise Neo4jServerError(
                    f"port {port} on 127.0.0.1 is already taken by another program (another Neo4j?); stop it "
                    f"or set GRAPH_SERVICE_NEO4J_BOLT_PORT to a free port")
            _fetch(layout)
            _write_config(layout, port)
            _set_initial_password(layout, java)
            pid = _launch(layout, java)
        return _wait_until_ready(layout, pid, timeout)


def _wait_for_exit(pid: int, layout: _Layout, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _is_our_server(pid, layout):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def stop(timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the local server cleanly (SIGKILL only after timeout); returns whether it was running."""
    layout = _layout()
    if not layout.pid_file.exists():
        return False
    with _locked(layout):
        pid = _running_pid(layout)
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
                if not _wait_for_exit(pid, layout, timeout):
                    os.kill(pid, signal.SIGKILL)
                    _wait_for_exit(pid, layout, 10)
        layout.pid_file.unlink(missing_ok=True)
    return pid is not None


def status() -> ServerStatus:
    """Whether the local server runs and answers, without starting or changing anything."""
    layout = _layout()
    pid = _running_pid(layout)
    uri = _uri(layout)
    version = None
    if pid is not None:
        with contextlib.suppress(AuthError, Neo4jServerError, *_NOT_ANSWERING):
            version = _ask_version(uri, _password(layout))
    return ServerStatus(version is not None, pid, uri, version)


def connection_settings() -> tuple[str, str, str]:
    """(uri, user, password) of the local server, so that nothing needs NEO4J_* settings to reach it."""
    layout = _layout()
    return _uri(layout), USER, _password(layout)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph_service.store.neo4j_server",
                                     description="Manage the project's local Neo4j server (no Docker needed).")
    parser.add_argument("action", choices=["start", "stop", "status", "password"],
                        help="password prints the generated password of user neo4j")
    action = parser.parse_args(argv).action
    try:
        if action == "start":
            server = start()
            print(f"Neo4j {server.version} is running at {server.uri} (pid {server.pid}); user {USER}, "
                  f"password: python -m graph_service.store.neo4j_server password")
        elif action == "stop":
            print("Neo4j stopped." if stop() else "Neo4j was not running.")
        elif action == "status":
            server = status()
            if server.running:
                print(f"Neo4j {server.version} is running at {server.uri} (pid {server.pid}).")
            elif server.pid is not None:
                print(f"Neo4j (pid {server.pid}) is starting but does not answer on {server.uri} yet.")
            else:
                print(f"Neo4j is not running (it would listen on {server.uri}).")
            return 0 if server.running else 1
        else:
            print(connection_settings()[2])
    except Neo4jServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
