"""How the whole health report grows with the graph: council, 2x and 4x council and county, on the
embedded store and on Neo4j.

    python -m benchmarks.health                                    # every size, both backends
    python -m benchmarks.health --sizes council,council-x2 --backends embedded

For each size it generates the CSVs (benchmarks/generate.py), loads them through our pipeline into
an empty store (the reference registers first; not timed here, benchmarks/run.py measures ingest),
then times `health_report` for the home council on the generator's anchor date: wall-clock, CPU
seconds of our process and of the Neo4j JVM, and the load average when it began (the machine is
shared). Each size and backend runs in its own process, so one's memory does not weigh on the next.
Neo4j is the benchmark server of benchmarks/run.py (same environment variables). Results go to
benchmarks/results/health.json and a table with each time over the council's is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run import AS_OF, RESULTS, ROOT, _fresh, _ingest, jvm_cpu_s, load, opened, peak_rss_mb

SIZES = ("council", "council-x2", "council-x4", "county")
BACKENDS = ("embedded", "neo4j")


def measure(store, repeat: int) -> dict[str, Any]:
    """The best of `repeat` whole health reports: wall and CPU seconds (ours, and the JVM's on Neo4j),
    with the load average when the first began."""
    from graph_service.answers.health.report import health_report

    runs, partners, load_before = [], 0, load()
    for _ in range(repeat):
        jvm_before = jvm_cpu_s() if store.backend == "neo4j" else None
        began, cpu_began = time.perf_counter(), time.process_time()
        report = health_report(store, AS_OF)
        runs.append({"wall_s": round(time.perf_counter() - began, 2), "cpu_s": round(time.process_time() - cpu_began, 2),
                     "jvm_cpu_s": round(jvm_cpu_s() - jvm_before, 2) if jvm_before is not None else None})
        partners = len(report["partners"])
    best = min(runs, key=lambda r: r["wall_s"])
    return {**best, "runs": runs, "partners": partners, "load_before": load_before}


def phase(size: str, backend: str, data: Path, repeat: int) -> dict[str, Any]:
    """One size on one backend: load it, then time the report."""
    with opened(backend) as (store, _):
        _fresh(store)
        ingest = _ingest(store, data)
        result = {"size": size, "backend": backend, "ingest_s": ingest["seconds"], **measure(store, repeat),
                  "peak_rss_mb": peak_rss_mb()}
    print(f"  health report [{size}, {backend}]: {result}", flush=True)
    return result


def table(results: list[dict[str, Any]]) -> str:
    """One row per size and backend, with the time over the council's on the same backend."""
    base = {r["backend"]: r["wall_s"] for r in results if r["size"] == "council" and "wall_s" in r}
    lines = ["| size | backend | partners | wall s | × council | CPU s: ours / JVM | load (1, 5, 15 min) |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in results:
        if "wall_s" not in r:
            lines.append(f"| {r['size']} | {r['backend']} | error: {r.get('error')} | | | | |")
            continue
        ratio = f"{r['wall_s'] / base[r['backend']]:.1f}" if base.get(r["backend"]) else "-"
        jvm = "-" if r["jvm_cpu_s"] is None else r["jvm_cpu_s"]
        lines.append(f"| {r['size']} | {r['backend']} | {r['partners']:,} | {r['wall_s']} | {ratio} | {r['cpu_s']} / {jvm} | "
                     f"{r['load_before']} |")
    return "\n".join(lines)


def _sub(size: str, backend: str, data: Path, repeat: int) -> dict[str, Any]:
    out = Path(tempfile.mkstemp(prefix="bench-health-", suffix=".json")[1])
    command = [sys.executable, "-m", "benchmarks.health", "--phase", backend, "--size", size, "--data", str(data),
               "--repeat", str(repeat), "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT)
    result = json.loads(out.read_text()) if done.returncode == 0 else {"size": size, "backend": backend,
                                                                        "error": f"exit code {done.returncode}"}
    out.unlink()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.health", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated, from benchmarks/generate.py")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--repeat", type=int, default=2, help="reports per size and backend (the best is shown)")
    parser.add_argument("--phase", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        args.json.write_text(json.dumps(phase(args.size, args.phase, args.data, args.repeat)))
        return 0
    from benchmarks.generate import SIZES as GENERATED, write_csv
    from graph_service.store import neo4j_server

    sizes, backends = args.sizes.split(","), args.backends.split(",")
    started_here = "neo4j" in backends and not neo4j_server.status().running
    if "neo4j" in backends:
        neo4j_server.start()
    results = []
    try:
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix=f"bench-health-{size}-") as data:
                write_csv(GENERATED[size], Path(data))
                results += [_sub(size, backend, Path(data), args.repeat) for backend in backends]
    finally:
        if started_here:
            neo4j_server.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "health.json").write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                                      "cores": os.cpu_count(), "results": results}, indent=1) + "\n")
    print(table(results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
