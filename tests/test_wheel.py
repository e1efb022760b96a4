"""The package as a new user installs it: a wheel, in a fresh virtualenv, run outside the checkout.

The virtualenv borrows this run's third-party packages through a .pth file (no network, no
editable finder), so only the wheel's own files provide graph_service.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_the_package_list_matches_the_tree():
    """pyproject lists packages by hand (to map cypher/ in); a new folder must be listed too."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for top in ("graph_service", "visualisations") for init in (ROOT / top).rglob("__init__.py")}
    assert listed == found | {"graph_service.cypher"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy, since building writes build/ and *.egg-info beside the sources
    anywhere = shutil.ignore_patterns(".git", ".venv", ".cache", "build", "test-artifacts", "*.egg-info", "__pycache__")

    def ignored(folder: str, names: list[str]) -> set[str]:  # the checkout's own store (data/), not package data
        return set(anywhere(folder, names)) | ({"data"} if Path(folder) == ROOT else set())

    shutil.copytree(ROOT, source, ignore=ignored)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(source)],
                   check=True, cwd=work)
    wheel = next(work.glob("graph_service-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                   check=True)
    return {"wheel": wheel, "python": python, "cli": venv / "bin" / "graph-service", "cwd": work}


def _run(installed: dict[str, Path], *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    return subprocess.run([str(installed["cli"]), *args], cwd=installed["cwd"], capture_output=True, text=True,
                          env={**clean, **env}, timeout=600)


def test_the_wheel_carries_every_cypher_file(installed):
    names = zipfile.ZipFile(installed["wheel"]).namelist()
    shipped = {Path(n).name for n in names if n.startswith("graph_service/cypher/") and n.endswith(".cypher")}
    assert shipped == {p.name for p in (ROOT / "cypher").glob("*.cypher")}


def test_the_installed_package_runs_outside_the_checkout(installed):
    where = subprocess.run([str(installed["python"]), "-c", "import graph_service.cypher as c; print(c.CYPHER_DIR)"],
                           cwd=installed["cwd"], capture_output=True, text=True, check=True).stdout
    assert str(ROOT) not in where and "site-packages" in where
    data = str(installed["cwd"] / "data")
    loaded = _run(installed, "load-reference", GRAPH_SERVICE_DATA_DIR=data)
    assert loaded.returncode == 0, loaded.stderr
    answer = _run(installed, "policy", "new normal strategy", GRAPH_SERVICE_DATA_DIR=data)
    assert answer.returncode == 0, answer.stderr
    assert "New Normal Strategy" in answer.stdout


@pytest.mark.neo4j
def test_the_installed_cypher_files_answer_on_neo4j(installed, neo4j_store):
    from graph_service.store import neo4j_server

    uri, user, password = neo4j_server.connection_settings()
    env = {"GRAPH_SERVICE_BACKEND": "neo4j", "NEO4J_URI": uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password}
    loaded = _run(installed, "load-reference", **env)
    assert loaded.returncode == 0, loaded.stderr
    answer = _run(installed, "policy", "new normal strategy", **env)
    assert answer.returncode == 0, answer.stderr
    assert "New Normal Strategy" in answer.stdout
