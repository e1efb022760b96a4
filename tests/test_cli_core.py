"""The core commands as a user runs them: demo, keys, serve's refusal, stats."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import httpx

from graph_service.access.auth import KeyStore, Role
from graph_service.cli import main
from tests.conftest import ROOT, free_port


def test_keys_create_prints_only_the_new_key(tmp_path, capsys):
    assert main(["keys", "create", "--role", "procurement", "--name", "Pat", "--data-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert re.fullmatch(r"gs_[A-Za-z0-9_\-]{40,}\n", printed)
    assert KeyStore(tmp_path).role_of(printed.strip()) is Role.procurement
    assert printed.strip() not in (tmp_path / "api-keys.json").read_text()  # stored hashed


def test_serve_refuses_to_listen_beyond_loopback_without_keys(tmp_path, capsys):
    assert main(["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)]) == 1
    assert "no API keys exist" in capsys.readouterr().err


def test_stats_json_counts_the_reference_dataset(tmp_path, capsys):
    assert main(["load-reference", "--documents-only", "--data-dir", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["stats", "--json", "--data-dir", str(tmp_path)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["backend"] == "embedded" and stats["labels"]["Workstream"] == 4


def test_demo_loads_once_prints_an_admin_key_and_serves(tmp_path):
    port = free_port()
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(tmp_path)}
    demo = subprocess.Popen([sys.executable, "-m", "graph_service.cli", "demo", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        while not any("/docs" in line for line in lines):
            line = demo.stdout.readline()
            assert line, "demo exited early:\n" + "".join(lines)
            lines.append(line)
        key = re.search(r"(gs_\S+)", "".join(lines)).group(1)
        deadline = time.monotonic() + 60
        while True:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/v1/stats", headers={"Authorization": f"Bearer {key}"})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "demo never answered"
                time.sleep(0.2)
        assert stats.status_code == 200 and stats.json()["labels"]["Organisation"] > 300
    finally:
        demo.terminate()
        demo.wait(20)
