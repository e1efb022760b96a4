"""The embedded store at scale: memory per record, snapshot dump and load, a CLI command on 250,000 payments,
and policy look-ups at council and county size.

Builds (once, into --dir) a store laid out as a council's is after years of spend files: the reference
registers, the council-size partners, contracts and suppliers, then --payments Transparency Code payments
ingested through the pipeline in monthly files of --per-file lines (each its own unit, as `ingest` writes it).
Every figure is wall time beside CPU time, with the load average, as the machine is shared.

    python -m benchmarks.store [--payments 250000] [--per-file 10000] [--dir /tmp/bench-store]

Reuses a store already in --dir (delete it to rebuild). Policy look-ups (`find_policies`, `get_policy`) are timed
on that store and on one holding the council's records without the payments (built in a temporary folder), so the
figures show whether a look-up grows with the graph while the register stays the same.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

from benchmarks.generate import ANCHOR, SIZES, row_item, rows
from graph_service.answers import policies
from graph_service.ingest.pipeline import Item, ingest
from graph_service.reference import load_reference
from graph_service.store.embedded import EmbeddedStore

PAYMENTS_SOURCE = "benchmark spend"


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    """The call's result, its wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def _payments(contracts: list[dict[str, str]], count: int, per_file: int, rng: random.Random) -> Iterator[list[Item]]:
    """`count` spend lines paid under the council's contracts, as monthly files of `per_file` Items."""
    for first in range(0, count, per_file):
        month = first // per_file
        items = []
        for n in range(first, min(count, first + per_file)):
            contract = rng.choice(contracts)
            start = date.fromisoformat(contract["start"])
            paid = min(start + timedelta(days=rng.randrange(0, 1500)), ANCHOR - timedelta(days=1))
            transaction = f"BENCH-{paid:%Y%m}-{n:08d}"
            row = {"key": f"payment:bench/{transaction.lower()}", "amount": f"{rng.uniform(500.01, 90_000):.2f}",
                   "paid_on": paid.isoformat(), "transaction_id": transaction, "expense_type": "Contract payments",
                   "service_area": contract["area"], "payer": contract["buyer"], "payee": contract["supplier"],
                   "contract": contract["key"], "service": contract["service"]}
            items.append(row_item("payments.csv", row, f"row {n - first + 2}", f"{PAYMENTS_SOURCE} {month:03d}.csv"))
        yield items


def build(data_dir: Path, payments: int, per_file: int, seed: int = 11) -> dict[str, Any]:
    """The benchmark store in data_dir: council-size partners and contracts, then `payments` spend lines."""
    store = EmbeddedStore(data_dir)
    load_reference(store, include_illustrative=False)
    files: dict[str, list[Item]] = {}
    contracts: dict[str, dict[str, str]] = {}
    areas: dict[str, str] = {}
    lines: dict[str, int] = {}
    for name, row in rows(SIZES["council"], seed):
        if name == "payments.csv":
            areas[row["contract"]] = row["service_area"]
            continue
        lines[name] = lines.get(name, 1) + 1
        files.setdefault(name, []).append(row_item(name, row, f"row {lines[name]}", name))
        if name == "contracts.csv":
            contracts[row["key"]] = {"key": row["key"], "start": row["start_date"], "buyer": row["buyer"],
                                     "service": row["service"]}
        elif name == "suppliers.csv" and row["role"] == "supplier":
            contracts[row["contract"]]["supplier"] = row["supplier"]
    for name, items in files.items():
        ingest(store, items, source=name, fmt="benchmark")
    paid = [{**c, "area": areas.get(c["key"], "Commissioning")} for c in contracts.values()
            if "supplier" in c and c["start"] <= ANCHOR.isoformat()]
    rng = random.Random(seed)
    began = time.perf_counter()
    for items in _payments(paid, payments, per_file, rng):
        report = ingest(store, items, source=items[0].provenance.source, fmt="benchmark")
        assert not report.rejected, report.rejected[:3]
    stats = store.stats()
    return {"nodes": stats["nodes"], "relationships": stats["relationships"],
            "payments_ingest_s": time.perf_counter() - began}


def _disk_mib(data_dir: Path) -> float:
    return sum(p.stat().st_size for p in data_dir.iterdir() if p.is_file()) / 2**20


def open_figures(data_dir: Path) -> dict[str, Any]:
    """In this process: RSS and time to open the store, bytes a record, snapshot dump and load."""
    before = _rss_mib()
    store, wall, cpu = _timed(lambda: EmbeddedStore(data_dir))
    rss = _rss_mib() - before
    records = store.graph.number_of_nodes() + store.graph.number_of_edges()
    data, dump_wall, dump_cpu = _timed(store._snapshot_bytes)
    return {"records": records, "open_wall_s": wall, "open_cpu_s": cpu, "rss_mib": rss,
            "bytes_per_record": rss * 2**20 / records, "snapshot_mib": len(data) / 2**20,
            "dump_wall_s": dump_wall, "dump_cpu_s": dump_cpu, "peak_rss_mib":
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def cli_wall(data_dir: Path, *args: str) -> dict[str, Any]:
    """A CLI command as an officer runs it: a new process against the store; its wall, CPU and peak RSS."""
    env = {**os.environ, "GRAPH_SERVICE_BACKEND": "embedded", "GRAPH_SERVICE_DATA_DIR": str(data_dir)}
    began, usage = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "graph_service.cli", *args], env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"graph-service {' '.join(args)} failed: {done.stderr}")
    return {"command": " ".join(args), "wall_s": time.perf_counter() - began,
            "cpu_s": after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime,
            "peak_rss_mib": after.ru_maxrss / 1024}


def policy_figures(store: EmbeddedStore, runs: int = 30) -> dict[str, Any]:
    """CPU ms (p50, p95) of finding policies by a word of their titles and of one policy by key."""
    with store.read() as graph:
        keys = list(graph.graph["by_label"].get("Policy", {}))
        titles = [graph.nodes[k]["props"]["title"] for k in keys]
    words = [title.split()[0] for title in titles]

    def cpu_ms(call: Callable[[Any], Any], args: list[Any]) -> dict[str, float]:
        times = []
        for n in range(runs):
            began = time.process_time()
            call(args[n % len(args)])
            times.append((time.process_time() - began) * 1000)
        times.sort()
        return {"p50_ms": statistics.median(times), "p95_ms": times[max(0, round(runs * 0.95) - 1)]}

    return {"records": store.graph.number_of_nodes() + store.graph.number_of_edges(), "policies": len(keys),
            "find_policies": cpu_ms(lambda word: policies.find_policies(store, word), words),
            "get_policy": cpu_ms(lambda key: policies.get_policy(store, key), keys)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store", description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=250_000)
    parser.add_argument("--per-file", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-store"))
    parser.add_argument("--open-only", action="store_true", help=argparse.SUPPRESS)  # the fresh process measuring
    args = parser.parse_args(argv)
    if args.open_only:
        print(json.dumps(open_figures(args.dir)))
        return 0
    figures: dict[str, Any] = {"load_at_start": os.getloadavg()}
    if not any(args.dir.glob("graph.*")):
        print(f"building the store in {args.dir} ({_load()}) ...", file=sys.stderr)
        figures["build"], wall, cpu = _timed(lambda: build(args.dir, args.payments, args.per_file))
        figures["build"].update(wall_s=wall, cpu_s=cpu)
    figures["disk_mib"] = _disk_mib(args.dir)
    opened = subprocess.run([sys.executable, "-m", "benchmarks.store", "--dir", str(args.dir), "--open-only"],
                            capture_output=True, text=True, check=True)  # its own process: RSS is the store's only
    figures["open"] = json.loads(opened.stdout)
    figures["cli"] = [cli_wall(args.dir, "stats"), cli_wall(args.dir, "policy", "homelessness strategy")]
    figures["policies"] = {"with payments": policy_figures(EmbeddedStore(args.dir))}
    with tempfile.TemporaryDirectory() as council:
        build(Path(council), 0, args.per_file)
        figures["policies"]["without payments"] = policy_figures(EmbeddedStore(council))
    figures["load_at_end"] = os.getloadavg()
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
