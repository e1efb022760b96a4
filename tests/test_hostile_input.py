"""Hostile input: injection strings, markup, huge and deeply nested fields, zip bombs, wrong encodings and
truncated files in every ingest format, through the CLI and POST /api/v1/ingest, and hostile values in every
query parameter. A rejected file leaves the store exactly as it was, on both backends; hostile names are
stored as plain text and never run as Cypher or shown as markup.
"""
from __future__ import annotations

import io
import json
import re
import socket
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import quote
from xml.etree import ElementTree

import httpx
import pytest
from fastapi.routing import iter_route_contexts

from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.config import Settings
from graph_service.ingest import ingest_file
from graph_service.schema import MAX_TEXT
from tests.conftest import LiveServer, live_server

ROOT = Path(__file__).resolve().parents[1]
COUNCIL = "Dacorum Borough Council"
BASELINE = (f"Organisation Name,Supplier Name,Amount,Payment Date\n{COUNCIL},Acme Ltd,120.00,01/04/2024\n"
            f"{COUNCIL},Beacon Care CIC,98.50,02/04/2024\n").encode()
INJECTIONS = ["' OR 1=1 //", '"}) MATCH (n) DETACH DELETE n //', "x'}) WITH 1 AS x MATCH (n) SET n.key = 'owned' //",
              "\\u0027}) RETURN 1 UNION MATCH (n) DETACH DELETE n //"]
MARKUP = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>']
BOMB_BYTES = 1024 * 1024 * 1024  # what the zip bomb expands to
# 9 anchors of 9 items or aliases each: 9**9 (387 million) "lol"s once expanded, in about 400 bytes
ALIAS_BOMB = (b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
              + b"".join(b"%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n" % ((98 + i,) * 2 + (97 + i,) * 9)
                         for i in range(8))
              + b"nodes:\n  - {label: Organisation, key: 'org:lol', aliases: *i}\n")
NESTED_105_KB = b'{"grants": [{"id": "360G-1", "x": ' + b"[" * 52_000 + b"]" * 52_000 + b"}]}"
STRING_50_MB = b'{"grants": [{"id": "360G-1", "title": "' + b"A" * 50_000_000 + b'"}]}'


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _release(**tender: Any) -> dict[str, Any]:
    return {"ocid": "ocds-h0stile-1", "date": "2024-01-01", "tender": tender,
            "parties": [{"id": "s1", "name": "Hostile Ltd", "roles": ["supplier"]}]}


def _docx(body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("word/document.xml", body)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A 5 MB Word document whose text expands to 1 GiB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as docx:
        with docx.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b"<w:p><w:t>Sponsoring Officer: Chief Executive</w:t></w:p>")
            block = b" " * (16 * 1024 * 1024)
            for _ in range(BOMB_BYTES // len(block)):
                part.write(block)
    return out.getvalue()


# (file name, content, format): every one is unreadable or has every record rejected
HOSTILE_FILES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "ocds truncated": ("releases.json", lambda: b'{"releases": [{"ocid": "ocds-1", "tender": {"title": "x"', "ocds"),
    "ocds nested 100000 deep": ("releases.json", lambda: json.dumps({"releases": [_release(title="T")]}).replace(
        '"T"', '"T", "x": ' + _deep(100_000)).encode(), "auto"),
    "ocds lines nested deep": ("releases.jsonl", lambda: ('{"ocid": "ocds-2", "x": ' + _deep(50_000) + "}\n"
                                                          '{"ocid": "ocds-3"}\n').encode(), "ocds"),
    "ocds huge title": ("releases.json", lambda: json.dumps({"releases": [_release(title="A" * (MAX_TEXT + 1))]}).encode(),
                        "ocds"),
    "ocds in UTF-16": ("releases.json", lambda: json.dumps({"releases": [_release(title="T")]}).encode("utf-16"), "ocds"),
    "ocds not objects": ("releases.json", lambda: b"[1, 2, 3]", "ocds"),
    "360giving truncated": ("grants.json", lambda: b'{"grants": [{"id": "360G-1", "title": "x"', "360giving"),
    "360giving nested deep": ("grants.json", lambda: ('{"grants": [{"id": "360G-1", "x": ' + '{"a": ' * 50_000 + "1"
                                                      + "}" * 50_000 + "}]}").encode(), "360giving"),
    "360giving csv huge field": ("grants.csv", lambda: b"Identifier,Recipient Org:Identifier,Amount Awarded\n360G-1,"
                                 + b"G" * 200_000 + b",10\n", "360giving"),
    "spend binary": ("spend.csv", lambda: bytes(range(256)) * 64, "spend-csv"),
    "spend UTF-16 without BOM": ("spend.csv", lambda: BASELINE.decode().encode("utf-16-le"), "spend-csv"),
    "spend huge field": ("spend.csv", lambda: f"Supplier Name,Amount\n{'A' * 200_000},1.00\n".encode(), "spend-csv"),
    "spend truncated in a quote": ("spend.csv", lambda: f'Organisation Name,Supplier Name,Amount\n{COUNCIL},"Acme'.encode(),
                                   "spend-csv"),
    "contracts binary": ("contracts.csv", lambda: b"\x00\xff" * 5000, "contracts-csv"),
    "contracts huge field": ("contracts.csv", lambda: b"Title,Supplier Name\n" + b"T" * 200_000 + b",Acme Ltd\n",
                             "contracts-csv"),
    "register truncated": ("register.yaml", lambda: b"nodes:\n  - {label: Person, key: 'person:a', name: [unclosed",
                           "register"),
    "register nested deep": ("register.yaml", lambda: ("nodes:\n  - {label: Person, key: 'person:a', name: "
                                                       + _deep(50_000) + "}\n").encode(), "register"),
    "register billion laughs": ("register.yaml", lambda: b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                                + b"".join(b"%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n" % ((98 + i,) * 2 + (97 + i,) * 8)
                                           for i in range(8))
                                + b"nodes:\n  - {label: Organisation, key: 'org:lol', name: lol, aliases: *i}\n", "register"),
    "register alias bomb": ("register.yaml", lambda: ALIAS_BOMB, "register"),
    "register alias bomb detected": ("bomb.yaml", lambda: ALIAS_BOMB, "auto"),
    "360giving nested 105 KB": ("grants.json", lambda: NESTED_105_KB, "360giving"),
    "360giving 50 MB string": ("grants.json", lambda: STRING_50_MB, "auto"),
    "ocds nested after 5000 blank bytes": ("releases.json", lambda: b" " * 5000 + NESTED_105_KB, "ocds"),
    "register key injection": ("register.yaml", lambda: "nodes:\n  - {label: Person, key: \"person:x' OR 1=1 //\", name: X}\n"
                               .encode(), "register"),
    "register label injection": ("register.yaml", lambda: b"nodes:\n  - {label: 'Person) DETACH DELETE (n', key: 'person:x', "
                                 b"name: X}\n", "register"),
    "policy zip bomb": ("policy.docx", zip_bomb, "auto"),
    "policy truncated docx": ("policy.docx", lambda: _docx(b"<w:p>Sponsoring Officer</w:p>")[:100], "auto"),
    "policy binary": ("policy.txt", lambda: bytes(range(128, 256)) * 50, "policy-document"),
    "zip bomb as zip": ("upload.zip", zip_bomb, "auto"),
    "empty file": ("empty.csv", lambda: b"", "auto"),
}


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    made = {}
    for case, (name, content, _) in HOSTILE_FILES.items():
        path = folder / case.replace(" ", "-") / name
        path.parent.mkdir()
        path.write_bytes(content())
        made[case] = path
    return made


def _snapshot(store) -> tuple[list[dict], list[dict]]:
    """Everything stored, in a stable order, to compare before and after."""
    nodes, rels = store.export()
    return (sorted((n.model_dump() for n in nodes), key=lambda n: n["key"]),
            sorted((r.model_dump() for r in rels), key=lambda r: r["id"]))


def _baseline(store, folder: Path) -> None:
    path = folder / "baseline.csv"
    path.write_bytes(BASELINE)
    assert ingest_file(store, path).exit_code == 0


def _cli_store_args(store, data_dir: Path) -> list[str]:
    if store.backend == "embedded":
        return ["--data-dir", str(store.dir)]
    return ["--backend", "neo4j", "--data-dir", str(data_dir)]


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_a_hostile_file_is_refused_by_the_cli_and_changes_nothing(case: str, any_store, hostile_files, tmp_path, capsys):
    _baseline(any_store, tmp_path)
    before = _snapshot(any_store)
    code = main([*_cli_store_args(any_store, tmp_path / "cli"), "ingest", str(hostile_files[case]),
                 "--format", HOSTILE_FILES[case][2], "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code in (2, 3) and (report["error"] or report["rejected"]), report
    assert (report["created"], report["updated"]) == (0, 0), report
    assert _snapshot(any_store) == before


def test_hostile_uploads_are_refused_over_http_and_change_nothing(store, server, hostile_files, tmp_path):
    _baseline(store, tmp_path)
    before = _snapshot(store)
    admin = server.client(Role.admin)
    for case, path in hostile_files.items():
        response = admin.post("/api/v1/ingest", files={"file": (path.name, path.read_bytes())},
                              data={"format": HOSTILE_FILES[case][2]})
        if response.status_code == 200:  # read, but every record rejected
            assert response.json()["rejected"] and response.json()["created"] == 0, (case, response.text)
        else:
            assert response.status_code == 422, (case, response.status_code, response.text[:300])
            assert response.json()["error"]["code"] == "unreadable_input", case
        assert _snapshot(store) == before, case


def test_a_zip_bomb_is_refused_without_being_expanded(hostile_files, tmp_path):
    """The CLI reads at most a few hundred kilobytes of the document: a fresh process running it peaks far
    below what the bomb expands to (VmHWM: this program's own peak, not the forked parent's)."""
    script = ("import sys\nfrom graph_service.cli import main\ncode = main(sys.argv[1:])\n"
              "peak = next(line for line in open('/proc/self/status') if line.startswith('VmHWM:'))\n"
              "print(code, int(peak.split()[1]) * 1024)\n")
    done = subprocess.run([sys.executable, "-c", script, "--data-dir", str(tmp_path), "ingest",
                           str(hostile_files["policy zip bomb"])], cwd=ROOT, capture_output=True, text=True, timeout=120)
    code, peak = map(int, done.stdout.split())
    assert code == 2 and "nothing was stored" in done.stderr, done.stderr
    assert peak < BOMB_BYTES / 4, f"peak memory {peak / 2**20:.0f} MiB"


LIMITED_CLI = """import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1024 * 2**20, 1024 * 2**20))
resource.setrlimit(resource.RLIMIT_CPU, (30, 30))
from graph_service.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("case", ["register alias bomb", "register alias bomb detected", "360giving nested 105 KB",
                                  "360giving 50 MB string", "ocds nested after 5000 blank bytes"])
def test_a_parser_bomb_is_refused_within_memory_and_cpu_limits(case, hostile_files, tmp_path):
    """Run in a child held to 1 GB of address space and 30 s of CPU: a regression that expands the bomb
    fails here (MemoryError, SIGXCPU) instead of eating the machine."""
    done = subprocess.run([sys.executable, "-c", LIMITED_CLI, "--data-dir", str(tmp_path), "ingest",
                           str(hostile_files[case]), "--format", HOSTILE_FILES[case][2]],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "nothing was stored" in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert re.search(r"alias|nested more than|longer than", done.stderr), done.stderr


def test_an_upload_over_the_limit_is_refused_before_it_is_read_whole(store, tmp_path):
    """Chunked uploads carry no length: the server must stop reading at the limit and answer 413 while the
    client is still sending, instead of spooling the whole body to disk first."""
    settings = Settings.from_env(backend="embedded", data_dir=str(tmp_path / "keys"), max_upload_mb=1)
    with LiveServer(settings, store) as running, socket.create_connection(("127.0.0.1", running.port),
                                                                          timeout=10) as sock:
        sock.sendall((f"POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      f"{running.keys[Role.admin]}\r\nContent-Type: multipart/form-data; boundary=b0und\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n").encode())
        for chunk in [b'--b0und\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
                      b"Supplier Name,Amount\r\n", *[b"Acme Ltd,1.00\r\n" * 50_000] * 2]:  # 1.5 MB of the body, no end
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        answer = sock.makefile("rb")
        status = answer.readline().decode()
        headers = dict(line.decode().rstrip().lower().split(": ", 1) for line in iter(answer.readline, b"\r\n"))
        body = json.loads(answer.read(int(headers["content-length"])))
    assert status.startswith("HTTP/1.1 413"), status
    assert body["error"]["code"] == "payload_too_large"
    assert store.stats()["nodes"] == 0


def test_injection_and_markup_in_names_are_stored_as_plain_text(any_store, tmp_path):
    """Names reach the store as parameters, never as Cypher: each is stored verbatim and nothing else changes."""
    _baseline(any_store, tmp_path)
    before_nodes, before_rels = _snapshot(any_store)
    names = INJECTIONS + MARKUP
    spend = tmp_path / "spend.csv"
    spend.write_text("Organisation Name,Supplier Name,Amount,Payment Date\n" + "".join(
        f'{COUNCIL},"{name.replace(chr(34), chr(34) * 2)}",{10 + i}.00,0{1 + i % 9}/05/2024\n' for i, name in enumerate(names)))
    releases = tmp_path / "releases.json"
    releases.write_text(json.dumps({"releases": [
        {**_release(title=name), "ocid": f"ocds-h0stile-{i}",
         "parties": [{"id": "s1", "name": f"{name} Tenderer", "roles": ["tenderer"]}]} for i, name in enumerate(names)]}))
    register = tmp_path / "register.yaml"
    register.write_text("nodes:\n" + "".join(f"  - {{label: Person, key: 'person:hostile-{i}', name: {json.dumps(name)}}}\n"
                                              for i, name in enumerate(names)))
    for path in (spend, releases, register):
        report = ingest_file(any_store, path)
        assert report.exit_code == 0, report.as_dict()
    nodes, rels = _snapshot(any_store)
    stored = {text for n in nodes for text in (n["props"].get("name"), n["props"].get("title"))}
    assert set(names) <= stored and {f"{name} Tenderer" for name in names} <= stored
    untouched = [n for n in before_nodes if n["props"].get("name") != COUNCIL]  # the council gains alias sources
    assert [n for n in nodes if n["key"] in {u["key"] for u in untouched}] == untouched
    assert [r for r in rels if r["id"] in {b["id"] for b in before_rels}] == before_rels
    labels = any_store.stats()["labels"]
    assert (labels["Payment"], labels["Tender"], labels["Person"]) == (2 + len(names), len(names), len(names))


# -- hostile query parameters -------------------------------------------------------------------
QUERY_VALUES = [*INJECTIONS, *MARKUP, "x" * 8000, "\x00", "../../etc/passwd", "\u202egnp.exe", "0001-01-01",
                "9999-12-31", "-1", "1e309", "NaN", "%", "*", "persona:contractors' OR '1'='1"]


def _query_parameters(app) -> Iterator[tuple[str, list[str]]]:
    """Each GET route's path and the names of its query parameters, read from the routes themselves."""
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        if "GET" in context.methods and dependant is not None:
            yield context.path_format, _query_names(dependant)


def _query_names(dependant) -> list[str]:
    return [p.alias for p in dependant.query_params] + [n for d in dependant.dependencies for n in _query_names(d)]


def _seed(store, folder: Path) -> None:
    """The baseline, a partner named with markup and one with an injection string, and a contract."""
    _baseline(store, folder)
    spend = folder / "named.csv"
    spend.write_text("Organisation Name,Supplier Name,Amount,Payment Date\n" +
                     "".join(f'{COUNCIL},"{name.replace(chr(34), chr(34) * 2)}",5.00,01/06/2024\n'
                             for name in (MARKUP[0], INJECTIONS[1])))
    contracts = folder / "contracts.csv"
    contracts.write_text(f"Organisation Name,Title,Supplier Name,Start Date,End Date,Value\n"
                         f'{COUNCIL},"{MARKUP[1]} services","{MARKUP[0]}",01/04/2024,31/03/2027,"12,000"\n')
    for path in (spend, contracts):
        assert ingest_file(store, path).exit_code == 0


def _check_answer(response: httpx.Response, where: str) -> bool:
    """No 500, errors in the one shape, no markup unescaped in a page; whether a page showed a name escaped."""
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
    kind = response.headers.get("content-type", "")
    if response.status_code >= 400 and kind.startswith("application/json"):
        assert set(response.json()["error"]) == {"code", "message", "details"}, where
    if kind.startswith("text/html"):
        for markup in MARKUP:
            assert markup not in response.text, f"{where}: unescaped {markup!r} in the page"
    if "xml" in kind or response.headers.get("content-disposition", "").endswith(('.graphml"', '.gexf"')):
        ElementTree.fromstring(response.content)  # well-formed despite markup in names
    return kind.startswith("text/html") and "&lt;script&gt;alert(" in response.text


def test_hostile_query_parameters_on_every_route(any_store, tmp_path):
    _seed(any_store, tmp_path)
    partner = next(n.key for n in any_store.export()[0] if n.props.get("name") == MARKUP[0])
    before = _snapshot(any_store)
    with live_server(any_store, tmp_path / "keys") as running:
        client = running.client(Role.admin)
        routes = list(_query_parameters(running.app))
        assert len(routes) > 30
        escaped = []
        for path, names in routes:
            url = path.replace("{key}", partner)
            escaped.append(_check_answer(client.get(url), url))
            if path.startswith("/maps/"):
                for fmt in ("json", "csv", "graphml", "gexf"):
                    _check_answer(client.get(url, params={"format": fmt}), f"{url} format={fmt}")
            for name in names:
                for value in QUERY_VALUES:
                    _check_answer(client.get(url, params={name: value}), f"{url} {name}={value[:40]!r}")
            if "{key}" in path:
                for value in QUERY_VALUES[:len(INJECTIONS) + len(MARKUP)]:
                    hostile = path.replace("{key}", quote(value, safe=""))
                    _check_answer(client.get(hostile), hostile)
    assert any(escaped), "no page showed the partner named with markup, so escaping went untested"
    assert _snapshot(any_store) == before
