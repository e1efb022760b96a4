"""How long stakeholder analysis and the all-rows answers behind it take, with CPU seconds and the load
average beside wall time (the machine is shared).

    python -m benchmarks.stakeholders [--sizes council,county] [--backends embedded,neo4j] [--embedded-dir DIR]

Each size is generated (benchmarks/generate.py) and loaded through the pipeline into a fresh store
(benchmarks/run.py's loading), unless --embedded-dir names an embedded store already holding it. Neo4j is
the server of GRAPH_SERVICE_NEO4J_HOME / _BOLT_PORT, which must be running; its database is cleared.
benchmarks/run.py calls `measure` for each store it loads.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

AS_OF = "2026-11-01"  # the generator's anchor date
ANSWERS = {  # the named queries that return every row: what paging or a window would bound
    "stakeholder_facts": {"as_of": AS_OF},
    "changed_facts": {"date_from": "2026-01-01", "date_to": AS_OF},
    "procurement_expiring_contracts": {"as_of": AS_OF, "until": "2027-11-01", "buyer": None},
}


def _timed(call: Callable[[], Any]) -> dict[str, Any]:
    load = [round(x, 2) for x in os.getloadavg()]
    wall, cpu = time.perf_counter(), time.process_time()
    value = call()
    return {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2),
            "load": load, "value": value}


def measure(store, repeat: int = 2) -> dict[str, Any]:
    """Stakeholder analysis (viewer), best of `repeat`, and each all-rows answer once after a warm-up."""
    from graph_service.access.auth import Role
    from graph_service.answers.stakeholders import analyse
    from graph_service.queries import ask

    out: dict[str, Any] = {}
    runs = [_timed(lambda: len(analyse(store, Role.viewer, as_of=AS_OF).partners)) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["cpu_s"])
    partners = best.pop("value")
    out["stakeholder analysis (viewer)"] = {**best, "partners": partners}
    for name, params in ANSWERS.items():
        ask(store, name, **params)
        timed = _timed(lambda: len(ask(store, name, **params)))
        rows = timed.pop("value")
        out[name] = {**timed, "rows": rows}
    for what, figures in out.items():
        print(f"  {store.backend:8} {what:32} {figures}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    from benchmarks import run
    from benchmarks.generate import SIZES, write_csv
    from graph_service.store.embedded import EmbeddedStore

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="council,county")
    parser.add_argument("--backends", default="embedded,neo4j")
    parser.add_argument("--embedded-dir", type=Path, help="an embedded store already holding the (single) size")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        data = Path(tempfile.mkdtemp(prefix=f"bench-stakeholders-{size}-"))
        write_csv(SIZES[size], data)
        for backend in args.backends.split(","):
            print(f"[{size}] {backend}", flush=True)
            if backend == "embedded" and args.embedded_dir:
                store = EmbeddedStore(args.embedded_dir)
                measure(store, args.repeat)
                store.close()
                continue
            with run.opened(backend) as (store, _):
                run._fresh(store)
                print(f"  loaded in {run._ingest(store, data)['seconds']} s", flush=True)
                measure(store, args.repeat)
        shutil.rmtree(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
