"""The key lifecycle: create with a name and expiry, list without the key, revoke by key or id; sixteen
concurrent `keys create` processes all keep their key; expired and revoked keys get 401 and end their
sessions; a damaged keys file is a clear error naming it (exit 2, the server refuses to start)."""
from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys

import pytest

from graph_service.access.auth import DamagedFile, KeyStore, Role
from graph_service.cli import main
from graph_service.config import Settings
from graph_service.web.app import create_app
from graph_service.web.deps import SESSION_COOKIE
from tests.conftest import ROOT, form_token, live_server


def test_sixteen_concurrent_creates_keep_all_sixteen_keys(tmp_path):
    command = [sys.executable, "-m", "graph_service.cli", "--data-dir", str(tmp_path), "keys", "create",
               "--role", "viewer"]
    runs = [subprocess.Popen([*command, "--name", f"officer {i}"], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for i in range(16)]
    printed = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0 and not err, err
        printed.append(out.strip())
    keys = KeyStore(tmp_path)
    assert len(set(printed)) == 16
    assert all(keys.identify(key).role is Role.viewer for key in printed)
    assert sorted(k["name"] for k in keys.list()) == sorted(f"officer {i}" for i in range(16))
    assert stat.S_IMODE(os.stat(tmp_path / "api-keys.json").st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".api-keys")] == []  # no temporary file left


def test_an_editor_key_is_created_from_the_command_line(tmp_path, capsys):
    assert main(["keys", "create", "--role", "editor", "--name", "Partnerships officer", "--data-dir", str(tmp_path)]) == 0
    identity = KeyStore(tmp_path).identify(capsys.readouterr().out.strip())
    assert (identity.role, identity.name) == (Role.editor, "Partnerships officer")
    assert Role.viewer < Role.editor < Role.procurement  # records facts, sees no restricted values


def test_list_shows_each_key_but_never_the_key(tmp_path, capsys):
    key = KeyStore(tmp_path).create(Role.admin, "Ann", dt.date.today() + dt.timedelta(days=30))
    assert main(["keys", "list", "--json", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    [listed] = json.loads(out)
    assert key not in out and key not in (tmp_path / "api-keys.json").read_text()
    assert set(listed) == {"id", "name", "role", "created", "expires", "last_used", "revoked"}
    assert (listed["name"], listed["role"], listed["revoked"]) == ("Ann", "admin", None)
    assert listed["expires"].startswith((dt.date.today() + dt.timedelta(days=30)).isoformat())
    assert main(["keys", "list", "--data-dir", str(tmp_path)]) == 0
    heading, rule, row = capsys.readouterr().out.splitlines()
    assert heading.split() == ["id", "name", "role", "created", "expires", "last", "used", "revoked"]
    assert row.split()[:3] == [listed["id"], "Ann", "admin"] and row.split()[-1] == "-"
    assert len(row) <= len(rule) and heading.index("name") == row.index("Ann")  # aligned


@pytest.mark.parametrize("by", ["key", "id"])
def test_a_revoked_key_gets_401_and_its_sessions_end(by, store, tmp_path, capsys):
    with live_server(store, tmp_path / "keys") as server:
        key = server.keys[Role.admin]
        browser = server.browser_client(Role.admin)
        assert browser.get("/").status_code == 200
        target = key if by == "key" else KeyStore(tmp_path / "keys").identify(key).id
        assert main(["keys", "revoke", target, "--data-dir", str(tmp_path / "keys")]) == 0
        assert "revoked" in capsys.readouterr().out
        refused = server.client(Role.admin).get("/api/v1/stats")
        assert refused.status_code == 401 and "revoked" in refused.json()["error"]["message"]
        assert browser.get("/", follow_redirects=False).status_code == 303  # sent to sign in again
        again = server.sign_in(key)
        assert again.status_code == 401 and "no longer works" in again.text
        assert server.client(Role.viewer).get("/api/v1/stats").status_code == 200  # others unaffected


def test_an_expired_key_gets_401(store, tmp_path):
    with live_server(store, tmp_path / "keys") as server:
        keys = KeyStore(tmp_path / "keys")
        key = keys.create(Role.viewer, "temp", dt.date.today() + dt.timedelta(days=1))
        client = server.client()
        client.headers["Authorization"] = f"Bearer {key}"
        assert client.get("/api/v1/stats").status_code == 200
        path = tmp_path / "keys" / "api-keys.json"
        entries = json.loads(path.read_text())  # as if the day had come
        entries[-1]["expires"] = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)).isoformat()
        path.write_text(json.dumps(entries))
        refused = client.get("/api/v1/stats")
        assert refused.status_code == 401 and "expired" in refused.json()["error"]["message"]


def test_an_expiry_in_the_past_is_refused(tmp_path, capsys):
    assert main(["keys", "create", "--role", "viewer", "--name", "x", "--expires", "2020-01-01",
                 "--data-dir", str(tmp_path)]) == 1
    assert "not in the future" in capsys.readouterr().err


@pytest.mark.parametrize("damage", ['[{"sha256": ', '{"not": "a list"}', '[{"sha256": "ab", "role": "king"}]'])
def test_a_damaged_keys_file_is_a_clear_startup_error(damage, tmp_path, capsys):
    (tmp_path / "api-keys.json").write_text(damage)
    assert main(["keys", "list", "--data-dir", str(tmp_path)]) == 2
    assert f"{tmp_path / 'api-keys.json'} is damaged" in capsys.readouterr().err
    with pytest.raises(DamagedFile, match="api-keys.json is damaged"):
        create_app(Settings.from_env(backend="embedded", data_dir=str(tmp_path)))
    done = subprocess.run([sys.executable, "-m", "graph_service.cli", "serve", "--port", "1", "--data-dir",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "api-keys.json is damaged" in done.stderr and "Traceback" not in done.stderr


def test_sessions_hold_a_token_stored_hashed_and_sign_out_ends_it_on_the_server(store, tmp_path):
    with live_server(store, tmp_path / "keys") as server:
        browser = server.browser_client(Role.viewer)
        token = browser.cookies[SESSION_COOKIE]
        sessions = (tmp_path / "keys" / "sessions.json").read_text()
        assert token not in sessions and server.keys[Role.viewer] not in sessions
        assert stat.S_IMODE(os.stat(tmp_path / "keys" / "sessions.json").st_mode) == 0o600
        assert browser.get("/sign-out").status_code == 405  # a link or an image cannot sign anyone out
        assert browser.get("/").status_code == 200
        out = browser.post("/sign-out", data={"csrf_token": form_token(browser.get("/").text)})
        assert out.status_code == 303
        thief = server.client()  # the old token, replayed, no longer works
        thief.cookies.set(SESSION_COOKIE, token)
        assert thief.get("/", follow_redirects=False).status_code == 303
        assert thief.get("/api/v1/stats").status_code == 401


def test_an_idle_session_expires(store, tmp_path):
    with live_server(store, tmp_path / "keys") as server:
        browser = server.browser_client(Role.viewer)
        path = tmp_path / "keys" / "sessions.json"
        entries = json.loads(path.read_text())
        entries[-1]["last_seen"] = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=9)).isoformat()
        path.write_text(json.dumps(entries))
        assert browser.get("/", follow_redirects=False).status_code == 303
