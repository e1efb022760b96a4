"""Golden-record resolution against a growing store: a real council's monthly spend file ingested as the
1st month and as the 100th.

    python -m benchmarks.resolver                      # embedded store
    python -m benchmarks.resolver --backend neo4j      # the benchmark Neo4j (GRAPH_SERVICE_NEO4J_* exports)

The real series is Leeds City Council's monthly spend (shared/data/real/spend/leeds: December 2010, June
2012, December 2013); there are not 100 real months, so none is made up. The 1st: the December 2010 file
into an empty store. The 100th: the same file into a store holding 99 months' worth of organisations,
made from that file's own suppliers with every word but legal forms renamed per month ('G17Acme Ltd') and
marked illustrative: as if every month brought 2,395 new suppliers (the worst case; real months share most).
They go straight through the pipeline (their match_keys included), not through resolution, and no
payments are generated: resolution reads organisations and their matches, not payments.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

REAL = Path(os.environ.get("GRAPH_SERVICE_REAL_DATA", "/work/shared/data/real")) / "spend/leeds/raw-2010-12.csv"
MONTHS = 99  # the store the 100th file meets


def suppliers(path: Path = REAL) -> list[str]:
    with path.open(newline="", encoding="latin-1") as handle:
        return sorted({(r.get("Supplier name") or "").strip() for r in csv.DictReader(handle)} - {""})


def _renamed(name: str, month: int, kept: set[str]) -> str:
    """'Co-operative Group Ltd' -> 'G17Co-G17operative G17Group Ltd': no word the file's names hold survives."""
    return re.sub(r"[^\W_]+", lambda m: m.group(0) if m.group(0).lower() in kept else f"G{month:02d}{m.group(0)}", name)


def grown_items(names: list[str], month: int) -> Iterator[Any]:
    """One month's generated organisations, one ingest item each, marked illustrative."""
    from graph_service.ingest.names import STOP_WORDS, legal_forms
    from graph_service.ingest.pipeline import Item
    from graph_service.records import Provenance
    from graph_service.schema import slug

    kept = set(legal_forms()) | set(legal_forms().values()) | STOP_WORDS
    prov = Provenance(source=f"generated month {month:02d}", locator="benchmarks/resolver.py", illustrative=True)
    for name in names:
        new = _renamed(name, month, kept)
        yield Item(f"month {month:02d}", prov, nodes=[{"label": "Organisation", "key": f"org:{slug(new)}",
                                                    "props": {"name": new, "aliases": [new], "illustrative": True}}])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(store) -> float:
    """The CPU seconds of the Neo4j server so far (0 for the embedded store): its work is not this process's."""
    from graph_service.store import neo4j_server

    pid = neo4j_server.status().pid if store.backend == "neo4j" else None
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(store, step) -> dict[str, Any]:
    """Wall, this process's CPU and the Neo4j server's CPU (if one runs) for step(), with the load at its start."""
    load, wall, cpu, server = [round(x, 2) for x in os.getloadavg()], time.perf_counter(), _cpu(), _server_cpu(store)
    found = step()
    return {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(_cpu() - cpu, 2),
            "server_cpu_s": round(_server_cpu(store) - server, 2), "load": load, **found}


def _timed_ingest(store, path: Path) -> dict[str, Any]:
    from graph_service.ingest import ingest_file

    def step() -> dict[str, Any]:
        report = ingest_file(store, path)
        return {"items": report.items, "created": report.created, "rejected": len(report.rejected)}
    return _timed(store, step)


def _timed_resolve(store, path: Path) -> dict[str, Any]:
    """Resolution alone (the file read first, nothing written): what the store's size could slow."""
    from graph_service.ingest import read
    from graph_service.ingest.resolver import Resolver

    items = list(read(path, store=store)[1])

    def step() -> dict[str, Any]:
        resolver = Resolver(store)
        resolved = sum(1 for _ in resolver.resolve(items))
        return {"items": resolved, "organisations_read": len(resolver.entities)}
    return _timed(store, step)


def _timed_first_look_up(store) -> dict[str, Any]:
    """A process's first resolver look-up: the embedded store builds its match indexes from the graph then."""
    from graph_service.queries import ask

    return _timed(store, lambda: {"rows": len(ask(store, "resolver_candidates", terms=[]))
                           + len(ask(store, "resolver_matches", keys=[]))})


def _organisations(store) -> int:
    return store.stats()["labels"].get("Organisation", 0)


def run(backend: str) -> dict[str, Any]:
    from graph_service.ingest.pipeline import ingest

    from graph_service.store import neo4j_server

    started = backend == "neo4j" and not neo4j_server.status().running  # stopped again at the end
    names = suppliers()
    out: dict[str, Any] = {"backend": backend, "file": REAL.name, "suppliers": len(names), "months_grown": MONTHS}
    with tempfile.TemporaryDirectory() as tmp:
        store = _store(backend, Path(tmp))
        try:
            out["first_resolve"] = _timed_resolve(store, REAL)
            out["first"] = {**_timed_ingest(store, REAL), "organisations_before": 0}
            store.clear()
            wall, cpu = time.perf_counter(), _cpu()
            # a file a month, as they would arrive (one unit of all 99 outgrows Neo4j's transaction memory)
            created = sum(ingest(store, grown_items(names, month), source=f"generated month {month:02d}",
                                 fmt="generated").created for month in range(1, MONTHS + 1))
            out["grow"] = {"wall_s": round(time.perf_counter() - wall, 1), "cpu_s": round(_cpu() - cpu, 1),
                           "created": created}
            out["first_look_up"] = _timed_first_look_up(store)
            out["hundredth_resolve"] = _timed_resolve(store, REAL)
            out["hundredth"] = {"organisations_before": _organisations(store), **_timed_ingest(store, REAL)}
            out["hundredth_again"] = _timed_ingest(store, REAL)  # the same month reloaded: every name known
            out["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        finally:
            store.clear()
            store.close()
            if started:
                neo4j_server.stop()
    out["cpu_ratio_100th_to_1st"] = round(out["hundredth"]["cpu_s"] / out["first"]["cpu_s"], 2)
    out["resolve_cpu_ratio_100th_to_1st"] = round(out["hundredth_resolve"]["cpu_s"] / out["first_resolve"]["cpu_s"], 2)
    return out


def _store(backend: str, tmp: Path):
    if backend == "embedded":
        from graph_service.store.embedded import EmbeddedStore

        return EmbeddedStore(tmp / "store")
    from graph_service.store import neo4j_server
    from graph_service.store.neo4j import Neo4jStore

    neo4j_server.start()
    uri, user, password = neo4j_server.connection_settings()
    store = Neo4jStore(uri, user, password)
    store.clear()
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    result = run(args.backend)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
