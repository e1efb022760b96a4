"""What the answers that used to ship every row send now: for each route, the rows the store returned (per
named query), the items in the answer, its bytes, and wall and CPU seconds with the load average.

    python -m benchmarks.paging --embedded-dir DIR [--as-of 2026-11-01]

DIR is an embedded store holding a generated size (benchmarks/generate.py loaded as benchmarks/run.py loads
it). The app is served on loopback over real HTTP, as the tests serve it. Run as a script
(`python benchmarks/paging.py`) with another checkout first on PYTHONPATH, it measures that checkout's code.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any


class Counting:
    """The store, counting the rows each named query returns."""

    def __init__(self, store) -> None:
        self._store = store
        self.rows: Counter[str] = Counter()

    def execute(self, query, params):
        rows = self._store.execute(query, params)
        self.rows[query.name] += len(rows)
        return rows

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def routes(as_of: str) -> list[tuple[str, str, dict[str, str], str, bool]]:
    """(label, path, params, the answer's list, browser page)."""
    return [("expiring contracts API", "/api/v1/procurement/expiring-contracts", {"as_of": as_of}, "contracts", False),
            ("expiring contracts page", "/procurement/expiring", {"as_of": as_of}, "", True),
            ("stakeholders API", "/api/v1/stakeholders", {"as_of": as_of}, "partners", False),
            ("changes API (2026)", "/api/v1/changes", {"from": "2026-01-01", "to": as_of}, "changes", False)]


def main(argv: list[str] | None = None) -> int:
    from graph_service.access.auth import Role
    from graph_service.store.embedded import EmbeddedStore
    from tests.conftest import live_server

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedded-dir", type=Path, required=True)
    parser.add_argument("--as-of", default="2026-11-01")
    args = parser.parse_args(argv)
    store = Counting(EmbeddedStore(args.embedded_dir))
    with live_server(store, Path(tempfile.mkdtemp(prefix="bench-paging-"))) as server:
        api, page = server.client(Role.procurement), server.browser_client(Role.procurement)
        for label, path, params, items, browser in routes(args.as_of):
            (page if browser else api).get(path, params=params)  # warm
            store.rows.clear()
            load = [round(x, 2) for x in os.getloadavg()]
            wall, cpu = time.perf_counter(), time.process_time()
            response = (page if browser else api).get(path, params=params)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            assert response.status_code == 200, response.text[:300]
            shipped = len(response.json()[items]) if items else response.text.count("<tr>") - 1
            print(f"  {label:26} {len(response.content):>11,} bytes  {shipped:>6,} shipped  wall {wall:.2f} s  "
                  f"cpu {cpu:.2f} s  load {load}  store rows {dict(store.rows)}", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
