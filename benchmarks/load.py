"""Mixed reads with a concurrent ingest, against a real server on loopback, for a fixed time.

Loads the reference dataset into a throwaway embedded store, serves it with `graph-service serve` on
127.0.0.1 (a separate process, as in production), then for --seconds runs --readers threads that each
send a weighted mix of viewer and procurement reads, while one writer uploads small spend files through
POST /api/v1/ingest. Prints throughput, latency percentiles and errors per route, then checks that every
payment the writer sent is stored (and audited) once. Bounded in time and in requests; loopback only.

    python -m benchmarks.load [--seconds 60] [--readers 8] [--max-requests 100000] [--json]   # from the repository root
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from graph_service.access import audit
from graph_service.access.auth import KeyStore, Role
from graph_service.store.embedded import EmbeddedStore
from graph_service.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only: this sends load, and must never reach another machine
ROWS_PER_FILE = 50
SOURCE_PREFIX = "load-spend-"
SUPPLIERS = ["Acme Waste Ltd", "Beacon Care CIC", "Chiltern Leisure Trust", "Elm Grounds Maintenance"]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # route -> seconds
    errors: list[str] = field(default_factory=list)
    files: int = 0
    rows_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, route: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies[route].append(seconds)
            if problem:
                self.errors.append(f"{route}: {problem}")

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def _reads(keys: dict[str, list[str]]) -> list[tuple[int, Role, str, Any]]:
    """(weight, role, route, rng -> (url, params)) of the reads officers make most."""

    def keyed(template: str, label: str):
        return lambda rng: (template.format(key=rng.choice(keys[label])), {})

    def searched(url: str, words: list[str]):
        return lambda rng: (url, {"q": rng.choice(words)})

    def fixed(url: str, **params: str):
        return lambda rng: (url, params)

    return [
        (8, Role.viewer, "GET /api/v1/partners?q=", searched("/api/v1/partners", ["care", "ltd", "trust"])),
        (6, Role.viewer, "GET /api/v1/partners/{key}", keyed("/api/v1/partners/{key}", "Organisation")),
        (6, Role.viewer, "GET /api/v1/policies?q=", searched("/api/v1/policies", ["new normal", "corprate plan", "mtfs"])),
        (4, Role.viewer, "GET /api/v1/policies/{key}", keyed("/api/v1/policies/{key}", "Policy")),
        (4, Role.viewer, "GET /api/v1/nodes/{key}", keyed("/api/v1/nodes/{key}", "Contract")),
        (3, Role.viewer, "GET /api/v1/roles/{key}/holdings", keyed("/api/v1/roles/{key}/holdings", "Post")),
        (2, Role.viewer, "GET /api/v1/stats", fixed("/api/v1/stats")),
        (2, Role.viewer, "GET /api/v1/changes", fixed("/api/v1/changes", **{"from": "2024-01-01", "to": "2024-03-31"})),
        (2, Role.viewer, "GET /api/v1/accountability/gaps", fixed("/api/v1/accountability/gaps")),
        (2, Role.viewer, "GET /api/v1/initiatives", fixed("/api/v1/initiatives")),
        (2, Role.procurement, "GET /api/v1/procurement/expiring-contracts",
         fixed("/api/v1/procurement/expiring-contracts")),
        (1, Role.procurement, "GET /api/v1/partners/{key}/health", keyed("/api/v1/partners/{key}/health", "Organisation")),
        (1, Role.viewer, "GET /maps/policy-ownership", fixed("/maps/policy-ownership")),
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _spend_file(number: int) -> bytes:
    rng = random.Random(number)
    rows = [f"Dacorum Borough Council,{rng.choice(SUPPLIERS)},{rng.randrange(500, 9000)}.{i:02d},"
            f"{1 + i % 28:02d}/06/2024,LOAD-{number}-{i}" for i in range(ROWS_PER_FILE)]
    return ("Organisation Name,Supplier Name,Amount,Payment Date,Transaction Number\n" + "\n".join(rows) + "\n").encode()


def _reader(base: str, keys: dict[Role, str], reads, stop: threading.Event, results: Results, budget: threading.Semaphore,
            seed: int) -> None:
    rng = random.Random(seed)
    weights = [w for w, *_ in reads]
    clients = {role: httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60)
               for role, key in keys.items()}
    while not stop.is_set() and budget.acquire(blocking=False):
        _, role, route, make = rng.choices(reads, weights)[0]
        url, params = make(rng)
        began = time.perf_counter()
        try:
            status = clients[role].get(url, params=params).status_code
            problem = None if status == 200 else f"HTTP {status} for {url}"
        except httpx.HTTPError as exc:
            problem = f"{type(exc).__name__} for {url}"
        results.add(route, time.perf_counter() - began, problem)
    for client in clients.values():
        client.close()


def _writer(base: str, key: str, stop: threading.Event, results: Results) -> None:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=120) as client:
        while not stop.is_set():
            number = results.files
            name = f"{SOURCE_PREFIX}{number}.csv"
            began = time.perf_counter()
            try:
                response = client.post("/api/v1/ingest", files={"file": (name, _spend_file(number), "text/csv")})
                ok = response.status_code == 200 and response.json()["exit_code"] == 0
                problem = None if ok else f"HTTP {response.status_code}: {response.text[:200]}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            results.add("POST /api/v1/ingest", time.perf_counter() - began, problem)
            with results.lock:
                results.files += 1
                results.rows_sent += ROWS_PER_FILE


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the server did not answer within 60 s")


def run_load(data_dir: Path, seconds: float, readers: int, max_requests: int) -> dict[str, Any]:
    """Load the reference dataset into data_dir, serve it, load it, and say what happened."""
    store = EmbeddedStore(data_dir)
    load_reference(store)
    nodes, _ = store.export()
    by_label: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        by_label[node.label].append(node.key)
    payments_before = len(by_label["Payment"])
    keystore = KeyStore(data_dir)
    keys = {role: keystore.create(role, f"load test {role.name}") for role in Role}
    port = _free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen([sys.executable, "-m", "graph_service.cli", "--data-dir", str(data_dir), "serve",
                               "--host", HOST, "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    results = Results()
    try:
        _wait_until_up(base, server)
        stop, budget = threading.Event(), threading.Semaphore(max_requests)
        reads = _reads(by_label)
        threads = [threading.Thread(target=_reader, args=(base, keys, reads, stop, results, budget, n))
                   for n in range(readers)]
        threads.append(threading.Thread(target=_writer, args=(base, keys[Role.admin], stop, results)))
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        deadline = began + seconds
        while time.perf_counter() < deadline and any(t.is_alive() for t in threads[:-1]):
            time.sleep(0.05)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(30)
    stored = EmbeddedStore(data_dir).export()[0]
    sent_payments = [n for n in stored if n.label == "Payment" and n.provenance.source.startswith(SOURCE_PREFIX)]
    audited = audit.entries(data_dir, action="ingest")
    all_latencies = [s for values in results.latencies.values() for s in values]
    return {
        "seconds": round(elapsed, 1), "readers": readers, "requests": results.requests,
        "throughput_per_s": round(results.requests / elapsed, 1),
        "latency_ms": {"p50": round(1000 * statistics.median(all_latencies), 1),
                       "p95": round(1000 * _percentile(all_latencies, 0.95), 1),
                       "max": round(1000 * max(all_latencies), 1)},
        "routes": {route: {"requests": len(v), "p50_ms": round(1000 * statistics.median(v), 1),
                           "p95_ms": round(1000 * _percentile(v, 0.95), 1)}
                   for route, v in sorted(results.latencies.items())},
        "errors": len(results.errors), "error_samples": results.errors[:10],
        "writes": {"files": results.files, "payments_sent": results.rows_sent,
                   "payments_stored": len(sent_payments), "lost": results.rows_sent - len(sent_payments),
                   "audited_files": sum(1 for e in audited if e["file"]["name"].startswith(SOURCE_PREFIX)),
                   "payments_before": payments_before},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long to send load (default 60)")
    parser.add_argument("--readers", type=int, default=8, help="reader threads (default 8)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="stop reading after this many requests")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="graph-service-load-") as folder:
        result = run_load(Path(folder) / "data", args.seconds, args.readers, args.max_requests)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['requests']} requests in {result['seconds']} s with {result['readers']} readers and one writer: "
              f"{result['throughput_per_s']} requests/s, p50 {result['latency_ms']['p50']} ms, "
              f"p95 {result['latency_ms']['p95']} ms, {result['errors']} errors")
        for route, figures in result["routes"].items():
            print(f"  {route:48} n={figures['requests']:6}  p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms")
        writes = result["writes"]
        print(f"writes: {writes['files']} files, {writes['payments_sent']} payments sent, {writes['payments_stored']} "
              f"stored, {writes['lost']} lost, {writes['audited_files']} files in the audit log")
        for sample in result["error_samples"]:
            print(f"  error: {sample}")
    return 0 if result["errors"] == 0 and result["writes"]["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
