"""Every example command in the README runs, as a user would type it, and answers something.

The commands are read from the README itself, so an example that is changed or added is tested too.
They run in a shell, in a fresh folder beside a link to shared/ (the README's paths are relative to
the checkout), against a store the reference dataset was loaded into, as scripts/demo.sh leaves it.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.slow
README = (ROOT / "README.md").read_text()
NOT_RUN_HERE = ("serve",)  # serving is a long-running process: tests/test_cli_core.py serves the demo


def _section_commands(heading: str) -> list[str]:
    """The `graph-service` lines of the first sh block under a heading, without their comments."""
    section = README.split(f"## {heading}\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    lines = [re.sub(r"\s+#\s.*$", "", line).strip() for line in block.splitlines()]
    return [line for line in lines if re.match(r"^(\w+=\S+ )*graph-service ", line)
            and line.split("graph-service ", 1)[1].split()[0] not in NOT_RUN_HERE]


TOUR = _section_commands("A short tour")
NEO4J = _section_commands("Neo4j")


def _shell(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PATH": path, **env})


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("readme")
    (base / "shared").symlink_to(SHARED)
    work = base / "work"
    work.mkdir()
    env = {"GRAPH_SERVICE_DATA_DIR": str(base / "data"), "GRAPH_SERVICE_BACKEND": "embedded"}
    loaded = _shell("graph-service load-reference", work, **env)
    assert loaded.returncode == 0, loaded.stderr
    return work, env


def test_the_readme_has_a_tour_and_a_neo4j_section():
    assert len(TOUR) >= 10 and any("load-reference" in c for c in NEO4J)


@pytest.mark.parametrize("command", TOUR)
def test_each_tour_command_answers_something(demo, command):
    work, env = demo
    done = _shell(command, work, **env)
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stderr[-2000:]}"
    written = [work / word for word in re.findall(r"(?:>|--out)\s+(\S+)", command)]
    if written:
        assert all(f.exists() and f.stat().st_size > 0 for f in written), command
    else:
        assert done.stdout.strip(), f"{command} printed nothing"


@pytest.mark.neo4j
def test_the_neo4j_commands_run_against_the_projects_own_server(demo, neo4j_store):
    from graph_service.store import neo4j_server

    work, env = demo
    env = {**env, "GRAPH_SERVICE_NEO4J_HOME": str(neo4j_server._layout().home)}
    start, load, copy = (next(c for c in NEO4J if word in c) for word in ("neo4j start", "load-reference", "export"))
    for command in (start, copy):  # the copy needs an empty Neo4j, so it goes first
        done = _shell(command, work, **env)
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    neo4j_store.clear()
    done = _shell(load, work, **{**env, "GRAPH_SERVICE_BACKEND": "embedded"})  # the line sets the backend itself
    assert done.returncode == 0, done.stderr
    assert neo4j_store.stats()["nodes"] > 0
