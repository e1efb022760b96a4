"""Benchmarks: how fast graph-service ingests and answers at council, county and national size,
side by side with Neo4j's own LOAD CSV, in one run on one machine.

    python -m benchmarks.run                                  # council and county (the default)
    python -m benchmarks.run --sizes council,county,national --national-fraction 0.25

For each size it generates the CSVs (benchmarks/generate.py) into the benchmark Neo4j server's
import folder, then runs three phases, each in its own process so that each has its own peak
memory:

    loadcsv   empty Neo4j + the reference registers, then the CSVs with LOAD CSV ... IN TRANSACTIONS
    neo4j     empty Neo4j + the reference registers, then the same CSV rows through our pipeline;
              then every named query's examples, officer look-ups, the health report and the maps (and the
              stakeholder map served to Chromium: benchmarks/maps_browser.py)
    embedded  the same on the embedded store, in a temporary data directory

and writes the figures to docs/benchmarks.md (between the figures markers; the prose around them
is kept) and the raw results to benchmarks/results/<size>.json.

It uses its own Neo4j server (GRAPH_SERVICE_NEO4J_HOME, default .cache/neo4j-bench, Bolt port
GRAPH_SERVICE_NEO4J_BOLT_PORT, default 7706; heap and page cache from --heap / --page-cache), started
if it is not running and stopped at the end if this run started it. The database in it is cleared.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from benchmarks import stakeholders
from graph_service.queries import ask

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
AS_OF = "2026-11-01"  # the generator's anchor date: "today" in the generated data
LOAD_CSV_BATCH = 10_000
ORDER = ["tiny", "council", "county", "national"]


def _env_defaults(args: argparse.Namespace) -> None:
    os.environ.setdefault("GRAPH_SERVICE_NEO4J_HOME", str(ROOT / ".cache" / "neo4j-bench"))
    os.environ.setdefault("GRAPH_SERVICE_NEO4J_BOLT_PORT", "7706")
    os.environ.setdefault("GRAPH_SERVICE_NEO4J_HEAP", args.heap)
    os.environ.setdefault("GRAPH_SERVICE_NEO4J_PAGE_CACHE", args.page_cache)


# -- measuring -------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0-100)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def latency(call: Callable[[], Any], *, runs: int, budget: float) -> list[float]:
    """Milliseconds of `runs` calls after one warm-up, fewer (at least 3) if they pass `budget` seconds."""
    call()
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < runs and (len(times) < 3 or time.perf_counter() < deadline):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def summary(times: list[float]) -> dict[str, Any]:
    return {"n": len(times), "p50_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 95), 2),
            "max_ms": round(max(times), 2)}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def jvm_cpu_s() -> float | None:
    """CPU seconds (user + system) the benchmark Neo4j JVM has used so far, from /proc."""
    from graph_service.store import neo4j_server

    pid = neo4j_server.status().pid
    if not pid:
        return None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def jvm_memory() -> dict[str, Any]:
    """The benchmark Neo4j JVM's resident memory now and at its peak, from /proc."""
    from graph_service.store import neo4j_server

    pid = neo4j_server.status().pid
    out: dict[str, Any] = {"pid": pid}
    if pid:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    return out


# -- phases (each in its own process) ---------------------------------------------------------
def _files(data: Path) -> list[Path]:
    from benchmarks.generate import FILES

    return [data / name for name in FILES]


def _rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _neo4j_store():
    from graph_service.store import neo4j_server
    from graph_service.store.neo4j import Neo4jStore

    uri, user, password = neo4j_server.connection_settings()
    return Neo4jStore(uri, user, password)


@contextmanager
def opened(backend: str) -> Iterator[tuple[Any, Path | None]]:
    """The benchmark's store on this backend, and for the embedded one the temporary folder it lives in
    (removed afterwards)."""
    if backend == "neo4j":
        store = _neo4j_store()
        try:
            yield store, None
        finally:
            store.close()
        return
    from graph_service.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory(prefix="bench-embedded-") as folder:
        store = EmbeddedStore(folder)
        try:
            yield store, Path(folder)
        finally:
            store.close()


def _fresh(store) -> float:
    """Empty the store, then load the reference registers (document layer); returns seconds."""
    from graph_service.reference import load_reference

    store.clear()
    if store.backend == "neo4j":
        store.ensure_schema()
    began = time.perf_counter()
    reports = load_reference(store, include_illustrative=False)
    bad = [r for rep in reports for r in rep.rejected]
    if bad:
        raise SystemExit(f"the reference registers were rejected: {bad[:3]}")
    return time.perf_counter() - began


def phase_loadcsv(size: str, data: Path) -> dict[str, Any]:
    from benchmarks.load_csv import statements
    from graph_service.store import neo4j_server

    from benchmarks.generate import SIZES, write_csv

    store = _neo4j_store()
    import_dir = Path(os.environ["GRAPH_SERVICE_NEO4J_HOME"]).resolve() / "import"
    loaded_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    # warm-up, not timed: the tiny size through every statement, so that the JVM's JIT and the query plans
    # are as warm as they are for the pipeline phase that follows
    _fresh(store)
    warm = import_dir / "bench" / "warm-up"
    write_csv(SIZES["tiny"], warm)
    with store.driver.session(database=store.database) as session:
        for path in _files(warm):
            for text in statements(path.name, LOAD_CSV_BATCH):
                session.run(text, url="file:///" + path.relative_to(import_dir).as_posix(), source=path.name,
                            loaded_at=loaded_at).consume()
    reference_s = _fresh(store)
    files = {}
    total, load_before, jvm_before = 0.0, load(), jvm_cpu_s()
    with store.driver.session(database=store.database) as session:
        for path in _files(data):
            url = "file:///" + path.resolve().relative_to(import_dir).as_posix()
            began = time.perf_counter()
            for text in statements(path.name, LOAD_CSV_BATCH):
                session.run(text, url=url, source=path.name, loaded_at=loaded_at).consume()
            seconds = time.perf_counter() - began
            total += seconds
            files[path.name] = {"rows": _rows(path), "seconds": round(seconds, 3)}
            print(f"  LOAD CSV {path.name}: {files[path.name]['rows']:,} rows in {seconds:.1f} s", flush=True)
    jvm_cpu = round(jvm_cpu_s() - jvm_before, 1) if jvm_before is not None else None
    stats = store.stats()
    rows = sum(f["rows"] for f in files.values())
    store.close()
    return {"phase": "loadcsv", "size": size, "reference_s": round(reference_s, 2), "files": files, "rows": rows,
            "seconds": round(total, 2), "rows_per_s": round(rows / total), "batch": LOAD_CSV_BATCH,
            "jvm_cpu_s": jvm_cpu, "load_before": load_before, "load_after": load(),
            "nodes": stats["nodes"], "relationships": stats["relationships"], "jvm": jvm_memory(),
            "neo4j_version": neo4j_server.status().version}


def _ingest(store, data: Path) -> dict[str, Any]:
    from benchmarks.generate import csv_items
    from graph_service.ingest.pipeline import ingest

    files, total, records = {}, 0.0, 0
    load_before, cpu_before = load(), time.process_time()
    jvm_before = jvm_cpu_s() if store.backend == "neo4j" else None
    for path in _files(data):
        began = time.perf_counter()
        report = ingest(store, csv_items(path), source=path.name, fmt="benchmark-csv")
        seconds = time.perf_counter() - began
        total += seconds
        records += report.created + report.updated + report.unchanged
        files[path.name] = {"rows": report.items, "seconds": round(seconds, 3), "rejected": len(report.rejected),
                            "created": report.created}
        print(f"  {store.backend} ingest {path.name}: {report.items:,} rows in {seconds:.1f} s, "
              f"{len(report.rejected)} rejected", flush=True)
        if report.rejected:
            print(f"    first rejections: {[str(r) for r in report.rejected[:3]]}", flush=True)
        del report
        gc.collect()
    rows = sum(f["rows"] for f in files.values())
    return {"files": files, "rows": rows, "records": records, "seconds": round(total, 2), "rows_per_s": round(rows / total),
            "records_per_s": round(records / total), "rejected": sum(f["rejected"] for f in files.values()),
            "cpu_s": round(time.process_time() - cpu_before, 1),
            "jvm_cpu_s": round(jvm_cpu_s() - jvm_before, 1) if jvm_before is not None else None,
            "load_before": load_before, "load_after": load()}


def _sample_partners(data: Path, n: int = 40) -> list[str]:
    with (data / "organisations.csv").open(newline="", encoding="utf-8") as handle:
        keys = [row["key"] for row in csv.DictReader(handle)]
    return random.Random(5).sample(keys, min(n, len(keys)))


def _queries(store, runs: int, budget: float) -> dict[str, Any]:
    from graph_service.queries import registry

    out = {}
    for name in registry.names():
        query = registry.get(name)
        times: list[float] = []
        try:
            for example in query.examples:
                times += latency(lambda: ask(store, name, **example), runs=runs, budget=budget / len(query.examples))
        except Exception as exc:  # a query another engineer is still writing: report it, go on
            out[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            print(f"  {name}: ERROR {out[name]['error']}", flush=True)
            continue
        out[name] = {**summary(times), "examples": len(query.examples)}
        print(f"  {name:34} p50 {out[name]['p50_ms']:9.2f} ms  p95 {out[name]['p95_ms']:9.2f} ms  (n={len(times)})",
              flush=True)
    return out


def _lookups(store, data: Path, runs: int, budget: float) -> dict[str, Any]:
    """What an officer does many times a day: a partner's profile, a partner search, a policy lookup."""
    from graph_service.answers import policies

    partners = _sample_partners(data)
    titles = [r["title"] for r in ask(store, "policy_index")]
    keys = [r["key"] for r in ask(store, "policy_index")]
    words = [t.split()[0] for t in titles] or ["strategy"]
    cycle = {"n": 0}

    def pick(values: list[str]) -> str:
        cycle["n"] += 1
        return values[cycle["n"] % len(values)]

    calls = {
        "partner_profile (generated partners)": lambda: ask(store, "partner_profile", key=pick(partners), as_of=AS_OF),
        "partner_search (name fragment)": lambda: ask(store, "partner_search", q=pick(partners)[-5:], limit=20),
        "policy lookup: find_policies (title)": lambda: policies.find_policies(store, pick(titles), limit=5, as_of=AS_OF),
        "policy lookup: find_policies (word)": lambda: policies.find_policies(store, pick(words), limit=5, as_of=AS_OF),
        "policy lookup: get_policy (key)": lambda: policies.get_policy(store, pick(keys), as_of=AS_OF),
    }
    out = {}
    for name, call in calls.items():
        try:
            out[name] = summary(latency(call, runs=runs, budget=budget))
        except Exception as exc:
            out[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        print(f"  {name:40} {out[name]}", flush=True)
    return out


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    value = call()
    return time.perf_counter() - began, value


def _health(store, repeat: int) -> dict[str, Any]:
    from benchmarks.health import measure  # its growth from council to county: python -m benchmarks.health

    try:
        out = measure(store, repeat)
        out["best_s"] = out["wall_s"]
    except Exception as exc:
        out = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    print(f"  health report: {out}", flush=True)
    return out


def _maps(store, data: Path) -> dict[str, Any]:
    from graph_service.access.auth import Role
    from graph_service.answers.stakeholders import analyse, ego, policy_ownership
    from visualisations import ego_view, grid_view, policy_view, render_html, stakeholder_view

    out: dict[str, Any] = {}

    def step(name: str, call: Callable[[], Any]) -> Any:
        try:
            seconds, value = _timed(call)
            out[name] = round(seconds, 2)
            return value
        except Exception as exc:
            out[name] = f"{type(exc).__name__}: {exc}"[:300]
            return None
        finally:
            print(f"  map {name}: {out[name]}", flush=True)

    analysis = step("stakeholder analysis (viewer)", lambda: analyse(store, Role.viewer, as_of=AS_OF))
    if analysis is not None:
        step("stakeholder map (view + HTML)", lambda: render_html(stakeholder_view(analysis)))
        step("grid map (view + HTML)", lambda: render_html(grid_view(analysis)))
    partner = _sample_partners(data, 1)[0]
    step("ego map, 2 hops (query + view + HTML)",
         lambda: render_html(ego_view(ego(store, partner, Role.viewer, hops=2, as_of=AS_OF))))
    step("policy ownership map (query + view + HTML)", lambda: render_html(policy_view(policy_ownership(store, as_of=AS_OF))))
    return out


def phase_ingest_only(size: str, data: Path) -> dict[str, Any]:
    """Neo4j ingest through our pipeline, nothing else (to compare interpreters or driver extensions)."""
    import neo4j

    store = _neo4j_store()
    _fresh(store)
    result = {"phase": "neo4j-ingest", "size": size, "ingest": _ingest(store, data), "python": sys.executable,
              "driver": neo4j.__version__, "rust_extension": _rust_extension()}
    store.close()
    return result


def _rust_extension() -> bool:
    try:
        import neo4j._rust  # noqa: F401  (neo4j-rust-ext: packstream in Rust)
    except ImportError:
        return False
    return True


def phase_store(backend: str, size: str, data: Path, runs: int, budget: float, health_repeat: int) -> dict[str, Any]:
    from benchmarks import maps_browser

    with opened(backend) as (store, folder):
        reference_s = _fresh(store)
        result: dict[str, Any] = {"phase": backend, "size": size, "reference_s": round(reference_s, 2),
                                  "rust_extension": _rust_extension()}
        result["ingest"] = _ingest(store, data)
        stats = store.stats()
        result.update(nodes=stats["nodes"], relationships=stats["relationships"], rss_after_ingest_mb=peak_rss_mb())
        if folder is None:
            result["jvm_after_ingest"] = jvm_memory()
        else:
            result["store_bytes"] = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
        print(f"  {backend}: {stats['nodes']:,} nodes, {stats['relationships']:,} relationships", flush=True)
        result["queries"] = _queries(store, runs, budget)
        result["lookups"] = _lookups(store, data, runs, budget)
        result["health"] = _health(store, health_repeat)
        result["maps"] = _maps(store, data)
        result["stakeholders"] = stakeholders.measure(store)  # benchmarks/stakeholders.py
        result["maps_browser"] = maps_browser.measure(store)  # the served stakeholder map in Chromium
        result["peak_rss_mb"] = peak_rss_mb()
        if folder is None:
            result["jvm"] = jvm_memory()
    return result


# -- the whole run ----------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count(),
            "load_average": load()}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            info["cpu"] = line.split(":", 1)[1].strip()
            break
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(("MemTotal:", "MemAvailable:")):
            info[line.split(":")[0]] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return info


def _sub(args: argparse.Namespace, phase: str, size: str, data: Path) -> dict[str, Any]:
    out = Path(tempfile.mkstemp(prefix=f"bench-{phase}-", suffix=".json")[1])
    command = [sys.executable, "-m", "benchmarks.run", "--phase", phase, "--size", size, "--data", str(data),
               "--json", str(out), "--runs", str(args.runs), "--budget", str(args.budget)]
    print(f"[{size}] {phase} ...", flush=True)
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT)
    if done.returncode != 0:
        return {"phase": phase, "size": size, "error": f"exit code {done.returncode}"}
    result = json.loads(out.read_text())
    out.unlink()
    result["wall_s"] = round(time.perf_counter() - began, 1)
    return result


def _default_python() -> str:
    return str(Path(sys.base_prefix) / "bin" / "python3") if sys.prefix == sys.base_prefix else sys.executable


def run(args: argparse.Namespace) -> None:
    from benchmarks.generate import SIZES, write_csv
    from graph_service.store import neo4j_server

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = set(sizes) - set(SIZES)
    if unknown:
        raise SystemExit(f"unknown sizes {sorted(unknown)}; choose from {sorted(SIZES)}")
    started_here = False
    if not args.skip_neo4j:
        started_here = not neo4j_server.status().running
        server = neo4j_server.start()
        print(f"Neo4j {server.version} at {server.uri} (pid {server.pid})", flush=True)
    import_dir = Path(os.environ["GRAPH_SERVICE_NEO4J_HOME"]).resolve() / "import"
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        for name in sizes:
            size = SIZES[name].scaled(args.national_fraction) if name == "national" else SIZES[name]
            data = import_dir / "bench" / size.name
            print(f"[{size.name}] generating {size.partners:,} partners, {size.contracts:,} contracts into {data}", flush=True)
            seconds, counts = _timed(lambda: write_csv(size, data, args.seed))
            result: dict[str, Any] = {
                "size": name, "label": size.name, "partners": size.partners, "contracts": size.contracts,
                "fraction": args.national_fraction if name == "national" else 1.0, "seed": args.seed,
                "generate": {"seconds": round(seconds, 1), "rows": counts}, "machine": machine(),
                "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]),
                "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            }
            phases = [p.strip() for p in args.phases.split(",") if p.strip()]
            previous = RESULTS / f"{name}.json"
            if set(phases) - {"neo4j-ingest"} != {"loadcsv", "neo4j", "embedded"} and previous.exists():  # rerun some
                old = json.loads(previous.read_text())
                command = result["command"] + ("" if sys.executable == _default_python() else f"  # with {sys.executable}")
                result = {**old, **{k: v for k, v in result.items() if k not in ("generate", "when", "command")}}
                result["rerun"] = {**old.get("rerun", {}), **{p: result["machine"] for p in phases}}
                result["commands"] = [*old.get("commands", [old["command"]]), command]
            if not args.skip_neo4j:
                result["neo4j_settings"] = {k: os.environ[k] for k in ("GRAPH_SERVICE_NEO4J_HEAP", "GRAPH_SERVICE_NEO4J_PAGE_CACHE")}
                for phase in ("loadcsv", "neo4j", "neo4j-ingest"):
                    if phase in phases:
                        result[phase] = _sub(args, phase, name, data)
            if "embedded" in phases:
                result["embedded"] = _sub(args, "embedded", name, data)
            (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n")
            print(render_size(result), flush=True)
            if not args.keep_csv:
                for path in data.glob("*.csv"):
                    path.unlink()
    finally:
        if started_here and not args.keep_neo4j:
            neo4j_server.stop()
            print("Neo4j stopped.", flush=True)
    write_doc()


# -- the document ------------------------------------------------------------------------------
def _ms(entry: dict[str, Any] | None, field: str) -> str:
    if not entry:
        return "-"
    if "error" in entry:
        return "error"
    return f"{entry[field]:,.1f}" if entry[field] >= 10 else f"{entry[field]:.2f}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value / 1024:.2f} GiB" if value >= 1024 else f"{value:.0f} MiB"


def render_size(r: dict[str, Any]) -> str:
    emb, neo, lc = r.get("embedded", {}), r.get("neo4j", {}), r.get("loadcsv", {})
    frac = f" ({r['fraction']:g} of national)" if r.get("fraction", 1) < 1 else ""
    rows = sum(r["generate"]["rows"].values())
    lines = [f"### {r['size'].capitalize()}{frac}: {r['partners']:,} partners, {r['contracts']:,} contracts, {rows:,} CSV rows",
             "", f"Run {r['when']} (`{'`, `'.join(r.get('commands', [r['command']]))}`); seed {r['seed']}; CSVs generated in {r['generate']['seconds']} s: "
             + ", ".join(f"{k} {v:,}" for k, v in r["generate"]["rows"].items()) + ".", ""]
    if "nodes" in emb:
        lines += [f"Graph after loading: {emb['nodes']:,} nodes, {emb['relationships']:,} relationships (embedded)"
                  + (f"; {neo['nodes']:,} / {neo['relationships']:,} (Neo4j, our pipeline)" if "nodes" in neo else "")
                  + (f"; {lc['nodes']:,} / {lc['relationships']:,} (Neo4j, LOAD CSV)" if "nodes" in lc else "") + ".", ""]
    lines += ["**Ingest** (the reference registers are loaded first and not counted)", "",
              "| loader | rows | seconds | rows/s | records/s | CPU s: our process / Neo4j JVM | rejected | ours ÷ LOAD CSV |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    lc_rate = lc.get("rows_per_s")
    extra = r.get("neo4j-ingest") or {}
    extra_label = ("Neo4j, our pipeline, driver with neo4j-rust-ext" if extra.get("rust_extension")
                   else "Neo4j, our pipeline (ingest only)")
    for label, res in (("embedded store, our pipeline", emb), ("Neo4j, our pipeline", neo), (extra_label, extra)):
        ing = res.get("ingest")
        if ing:
            ratio = f"{ing['rows_per_s'] / lc_rate:.2f}" if lc_rate and res is not emb else "-"
            cpu = f"{ing.get('cpu_s', '-')} / {ing.get('jvm_cpu_s') if ing.get('jvm_cpu_s') is not None else '-'}"
            lines.append(f"| {label} | {ing['rows']:,} | {ing['seconds']:,} | {ing['rows_per_s']:,} | {ing['records_per_s']:,} | "
                         f"{cpu} | {ing['rejected']} | {ratio} |")
        elif res:
            lines.append(f"| {label} | error: {res.get('error')} | | | | | | |")
    if lc_rate:
        lines.append(f"| Neo4j `LOAD CSV` (IN TRANSACTIONS OF {lc['batch']:,} ROWS) | {lc['rows']:,} | {lc['seconds']:,} | "
                     f"{lc_rate:,} | - | - / {lc.get('jvm_cpu_s', '-')} | - | 1 |")
    elif lc:
        lines.append(f"| Neo4j `LOAD CSV` | error: {lc.get('error')} | | | | | | |")
    loads = [(n, res.get("load_before") or (res.get("ingest") or {}).get("load_before")) for n, res in
             (("embedded", emb), ("Neo4j ours", neo), ("LOAD CSV", lc))]
    lines += ["", "Load average (1, 5, 15 min) when each load began, on this shared 2-core machine: "
              + "; ".join(f"{n} {v}" for n, v in loads if v) + "."]
    per_file = [f for f in (emb.get("ingest") or {}).get("files", {})]
    if per_file:
        lines += ["", "Seconds per file (embedded / Neo4j ours / LOAD CSV):", "",
                  "| file | rows | embedded | Neo4j, ours | LOAD CSV |", "|---|---:|---:|---:|---:|"]
        for f in per_file:
            def sec(res: dict[str, Any], key: str = "ingest") -> str:
                files = (res.get(key) or {}).get("files") if key else res.get("files")
                return f"{files[f]['seconds']:.1f}" if files and f in files else "-"
            lines.append(f"| {f} | {emb['ingest']['files'][f]['rows']:,} | {sec(emb)} | {sec(neo)} | {sec(lc, '')} |")
    names = sorted(set(emb.get("queries", {})) | set(neo.get("queries", {})))
    if names:
        lines += ["", "**Named queries** (each query's `examples`, pooled; milliseconds)", "",
                  "| query | embedded p50 | embedded p95 | Neo4j p50 | Neo4j p95 | runs (emb/Neo4j) |",
                  "|---|---:|---:|---:|---:|---:|"]
        for n in names:
            e, q = emb.get("queries", {}).get(n), neo.get("queries", {}).get(n)
            lines.append(f"| {n} | {_ms(e, 'p50_ms')} | {_ms(e, 'p95_ms')} | {_ms(q, 'p50_ms')} | {_ms(q, 'p95_ms')} | "
                         f"{(e or {}).get('n', '-')}/{(q or {}).get('n', '-')} |")
    looks = list(emb.get("lookups", {}) or neo.get("lookups", {}))
    if looks:
        lines += ["", "**Officer look-ups** (generated partners and the register's policies; milliseconds)", "",
                  "| look-up | embedded p50 | embedded p95 | Neo4j p50 | Neo4j p95 |", "|---|---:|---:|---:|---:|"]
        for n in looks:
            e, q = emb.get("lookups", {}).get(n), neo.get("lookups", {}).get(n)
            lines.append(f"| {n} | {_ms(e, 'p50_ms')} | {_ms(e, 'p95_ms')} | {_ms(q, 'p50_ms')} | {_ms(q, 'p95_ms')} |")
    he, hn = emb.get("health", {}), neo.get("health", {})
    if he or hn:
        lines += ["", "**Health report and maps** (seconds)", "", "| what | embedded | Neo4j |", "|---|---:|---:|"]
        lines.append(f"| whole health report, {he.get('partners', hn.get('partners', 0)):,} partners | "
                     f"{he.get('best_s', he.get('error', '-'))} | {hn.get('best_s', hn.get('error', '-'))} |")
        for m in emb.get("maps", {}) or neo.get("maps", {}):
            lines.append(f"| {m} | {emb.get('maps', {}).get(m, '-')} | {neo.get('maps', {}).get(m, '-')} |")
    jvm = neo.get("jvm") or lc.get("jvm") or {}
    lines += ["", "**Memory**", "",
              f"- our process, embedded phase: peak RSS {_mb(emb.get('rss_after_ingest_mb'))} after ingest, "
              f"{_mb(emb.get('peak_rss_mb'))} at the end (journal + snapshot on disk {emb.get('store_bytes', 0) / 2**20:,.0f} MiB)",
              f"- our process, Neo4j phase: peak RSS {_mb(neo.get('peak_rss_mb'))}",
              f"- Neo4j JVM: RSS {_mb(jvm.get('VmRSS'))} at the end, peak {_mb(jvm.get('VmHWM'))} "
              f"(heap max {r.get('neo4j_settings', {}).get('GRAPH_SERVICE_NEO4J_HEAP', '?')}, page cache "
              f"{r.get('neo4j_settings', {}).get('GRAPH_SERVICE_NEO4J_PAGE_CACHE', '?')})", ""]
    return "\n".join(lines)


def _kept_sections(text: str) -> dict[str, str]:
    """The figures already in the document, by size, for sizes whose results file is gone (results are not in git)."""
    if START not in text or END not in text:
        return {}
    block = text[text.index(START):text.index(END)]
    sections, name = {}, None
    for line in block.splitlines():
        if line.startswith("### "):
            name = line[4:].split()[0].rstrip(":").lower()
            sections[name] = ""
        if name:
            sections[name] += line + "\n"
    return sections


def write_doc() -> None:
    results = [json.loads((RESULTS / f"{n}.json").read_text()) for n in ORDER if (RESULTS / f"{n}.json").exists()]
    results = [r for r in results if r["size"] != "tiny"]
    if not results:
        return
    kept = _kept_sections(DOC.read_text()) if DOC.exists() else {}
    m = results[-1]["machine"]
    version = next((r["loadcsv"].get("neo4j_version") for r in results if r.get("loadcsv", {}).get("neo4j_version")), "?")
    body = [START, "", "## Figures", "",
            f"Machine: {m['cores']} cores, {m.get('cpu', '?')}, {m.get('MemTotal', '?')} memory "
            f"({m.get('MemAvailable', '?')} available at the start of the last run), {m['platform']}; "
            f"Python {m['python']}; Neo4j {version} Community.", "",
            "Produced by `python -m benchmarks.run --sizes council,county` and reruns of single phases or sizes: "
            + "; ".join(sorted({f"`{c}`" for r in results for c in r.get("commands", [r["command"]])})) + " "
            "(figures of each size come from its latest run; each size's section says when it ran).", ""]
    fresh = {r["size"]: render_size(r) for r in results}
    body += [fresh.get(n) or kept[n].rstrip("\n") + "\n" for n in ORDER if n in fresh or n in kept]
    body += [END]
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\n" + START + "\n" + END + "\n"
    if START in text and END in text:
        text = text[:text.index(START)] + "\n".join(body) + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(body) + "\n"
    DOC.write_text(text)
    print(f"wrote {DOC}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="council,county", help="comma-separated: tiny, council, county, national")
    parser.add_argument("--national-fraction", type=float, default=0.25,
                        help="the fraction of the national size to generate (default 0.25; 1 for all of it)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query example (after one warm-up)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per query before runs are cut (min 3 runs)")
    parser.add_argument("--heap", default="4g", help="Neo4j heap max, unless GRAPH_SERVICE_NEO4J_HEAP is set")
    parser.add_argument("--page-cache", default="3g", help="Neo4j page cache, unless GRAPH_SERVICE_NEO4J_PAGE_CACHE is set")
    parser.add_argument("--skip-neo4j", action="store_true", help="the embedded store only")
    parser.add_argument("--phases", default="loadcsv,neo4j,embedded",
                        help="which phases to run; a subset reruns them into the size's existing results "
                             "(neo4j-ingest: our Neo4j ingest only, e.g. under another interpreter)")
    parser.add_argument("--keep-neo4j", action="store_true", help="leave the server running at the end")
    parser.add_argument("--keep-csv", action="store_true", help="leave the generated CSVs in the import folder")
    parser.add_argument("--embedded-store", action="store_true", help="also run benchmarks.store (250,000 payments)")
    parser.add_argument("--doc-only", action="store_true", help="rewrite docs/benchmarks.md from benchmarks/results")
    parser.add_argument("--phase", choices=["loadcsv", "neo4j", "embedded", "neo4j-ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    _env_defaults(args)
    if args.doc_only:
        write_doc()
        return 0
    if args.phase:
        health_repeat = 2 if args.size in ("tiny", "council") else 1
        if args.phase == "loadcsv":
            result = phase_loadcsv(args.size, args.data)
        elif args.phase == "neo4j-ingest":
            result = phase_ingest_only(args.size, args.data)
        else:
            result = phase_store(args.phase, args.size, args.data, args.runs, args.budget, health_repeat)
        args.json.write_text(json.dumps(result, indent=1))
        return 0
    run(args)
    if args.embedded_store:
        subprocess.run([sys.executable, "-m", "benchmarks.store"], check=True)
    for backend in ["embedded"] + ([] if args.skip_neo4j else ["neo4j"]):  # the 1st and 100th month (benchmarks/resolver.py)
        subprocess.run([sys.executable, "-m", "benchmarks.resolver", "--backend", backend,
                        "--json", str(RESULTS / f"resolver-{backend}.json")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
