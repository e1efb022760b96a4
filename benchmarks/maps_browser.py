"""How fast the served stakeholder map opens in Chromium: the page's bytes and server time, then the browser's
time from navigation start until the layout has settled and a partner answers a click.

Serves the app on a loopback port (uvicorn in a thread, as the tests do) over a store holding a generated graph,
signs a viewer in, and drives Debian's chromium with Playwright. Each run is a fresh browser context, so nothing
is cached but what a first visit would have; the page's scripts and styles are separate, cacheable files, and
their bytes are counted with the page's. Prints wall and CPU seconds (our process, which includes the server
thread; chromium's processes, from /proc) beside the load average: the machine is shared.

    python -m benchmarks.maps_browser [--size council] [--backend embedded|neo4j] [--runs 3]

`benchmarks.run` calls measure() on the store each of its phases has loaded.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AS_OF = "2026-11-01"  # the generator's anchor date
PATH = f"/maps/stakeholders?as_of={AS_OF}"


def _cpu_of_children() -> float:
    """CPU seconds (user + system) used so far by every live descendant of this process (chromium's)."""
    tick, me = os.sysconf("SC_CLK_TCK"), os.getpid()
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total = 0.0
    for pid in times:
        walk = pid
        while walk in parents and walk not in (0, 1, me):
            walk = parents[walk]
        if walk == me and pid != me:
            total += times[pid]
    return total


class _Server:
    """The app on a loopback port, with a viewer's session cookie."""

    def __init__(self, store, data_dir: Path):
        from graph_service.access.auth import Role
        from graph_service.config import Settings
        from graph_service.web.app import create_app
        from graph_service.web.serving import BackgroundServer

        self.app = create_app(Settings.from_env(backend=store.backend, data_dir=str(data_dir)), store)
        self.served = BackgroundServer(self.app).__enter__()
        self.url = self.served.url
        key = self.app.state.keys.create(Role.viewer, "maps benchmark")
        self.session = self.app.state.sessions.open(self.app.state.keys.identify(key))

    def close(self) -> None:
        self.served.__exit__()


def _served(server: _Server) -> dict[str, Any]:
    """One request for the page as a browser sends it (gzip accepted): seconds, bytes sent and unpacked."""
    from graph_service.web.deps import SESSION_COOKIE

    with httpx.Client(base_url=server.url, cookies={SESSION_COOKIE: server.session}, timeout=120,
                      headers={"Accept-Encoding": "gzip"}) as client:
        cpu, began = time.process_time(), time.perf_counter()
        with client.stream("GET", PATH) as response:
            sent = sum(len(chunk) for chunk in response.iter_raw())
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        page = client.get(PATH).text
        assets = 0
        for address in _asset_paths(page):  # as sent (gzipped), like the page
            with client.stream("GET", address) as answer:
                assets += sum(len(chunk) for chunk in answer.iter_raw())
    return {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "status": response.status_code,
            "bytes_sent": sent, "bytes": len(page.encode()), "assets_bytes": assets}


def _asset_paths(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/maps/assets/[^"]+)"', page)


def _browser(server: _Server, chromium, runs: int) -> list[dict[str, Any]]:
    from graph_service.web.deps import SESSION_COOKIE

    out = []
    for _ in range(runs):
        context = chromium.new_context(viewport={"width": 1400, "height": 900})
        context.add_cookies([{"name": SESSION_COOKIE, "value": server.session, "url": server.url}])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        cpu, browser_cpu, began = time.process_time(), _cpu_of_children(), time.perf_counter()
        page.goto(server.url + PATH, timeout=180_000)
        while not page.evaluate("window.mapState && window.mapState.ready"):
            if time.perf_counter() - began > 180:
                raise RuntimeError("the map did not settle in 180 s")
            time.sleep(0.02)
        ready_wall = time.perf_counter() - began
        state = page.evaluate("""() => {
            const nav = performance.getEntriesByType('navigation')[0], s = window.mapState;
            return {stabilised_ms: s.stabilisedMs, response_end_ms: Math.round(nav.responseEnd),
                    dom_ready_ms: Math.round(nav.domContentLoadedEventEnd), nodes: s.nodes, edges: s.edges,
                    clustered: s.clustered, drawn: window.mapNetwork.body.nodeIndices.length,
                    status: document.getElementById('status').textContent};
        }""")
        click = _click_a_partner(page)
        while page.evaluate("window.mapState.bridges === null"):  # the list after the map: wait for it, so that
            time.sleep(0.05)                                       # the next visit does not share the server with it
        bridges = time.perf_counter() - began
        out.append({**state, **click, "ready_wall_s": round(ready_wall, 2),
                    "usable_s": round(ready_wall + click["open_s"] + click["click_s"], 2),
                    "bridges_s": round(bridges, 2), "bridges": page.evaluate("window.mapState.bridges"),
                    "cpu_s": round(time.process_time() - cpu, 2),
                    "chromium_cpu_s": round(_cpu_of_children() - browser_cpu, 2), "errors": errors[:3]})
        context.close()
    return out


def _click_a_partner(page) -> dict[str, Any]:
    """Open the overview (a click on a cluster), then click a partner in view and wait for its details: the
    seconds each took."""
    def point(expression: str) -> dict[str, float]:
        return page.evaluate("""id => {
            const net = window.mapNetwork, box = document.getElementById('network').getBoundingClientRect();
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            return {x: box.left + p.x, y: box.top + p.y};
        }""", page.evaluate(expression))

    def wait(expression: str) -> None:
        deadline = time.perf_counter() + 30
        while not page.evaluate(expression):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"timed out waiting for {expression}")
            time.sleep(0.01)

    opened = 0.0
    if page.evaluate("window.mapState.clustered"):
        at = point("window.mapNetwork.body.nodeIndices.find(id => id.startsWith('group:'))")
        began = time.perf_counter()
        page.mouse.click(at["x"], at["y"])
        wait("!window.mapState.clustered")
        opened = time.perf_counter() - began
    partner = ("(() => { const net = window.mapNetwork, box = document.getElementById('network').getBoundingClientRect();"
               " const at = net.getPositions(); return net.body.nodeIndices.filter(id => !id.startsWith('post:')).find(id => {"
               " const p = net.canvasToDOM(at[id]); return p.x > 40 && p.y > 40 && p.x < box.width - 40 && p.y < box.height - 40"
               " && net.getNodeAt(p) === id; }); })()")
    key = page.evaluate(partner)
    at = point(json.dumps(key))
    began = time.perf_counter()
    page.mouse.click(at["x"], at["y"])
    wait(f"window.mapState.focus === {json.dumps(key)}")
    return {"open_s": round(opened, 2), "click_s": round(time.perf_counter() - began, 2), "clicked": key}


def measure(store, runs: int = 3) -> dict[str, Any]:
    """The served stakeholder map over `store`: the page's bytes and time, and `runs` visits in Chromium."""
    if not CHROMIUM.exists():
        return {"error": f"no {CHROMIUM} (scripts/setup.sh --test installs it)"}
    from playwright.sync_api import sync_playwright

    from graph_service.access.auth import Role
    from graph_service.answers.stakeholders import analyse
    from graph_service.web.app import GZIP_LEVEL
    from visualisations import render_html, stakeholder_view

    load_before = [round(x, 2) for x in os.getloadavg()]
    began, cpu = time.perf_counter(), time.process_time()
    analysis = analyse(store, Role.viewer, as_of=AS_OF)  # the stakeholder analysis alone: most of the server's time
    analysis_s = [round(time.perf_counter() - began, 2), round(time.process_time() - cpu, 2)]
    began, cpu = time.perf_counter(), time.process_time()
    gzip.compress(render_html(stakeholder_view(analysis), served=True).encode(), GZIP_LEVEL)  # the page on top of it
    page_s = [round(time.perf_counter() - began, 2), round(time.process_time() - cpu, 2)]
    with tempfile.TemporaryDirectory(prefix="bench-maps-") as keys:
        server = _Server(store, Path(keys))
        try:
            served = [_served(server) for _ in range(runs)]
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    browser = _browser(server, chromium, runs)
                finally:
                    chromium.close()
        finally:
            server.close()
    result = {"backend": store.backend, "analysis_s": analysis_s, "page_s": page_s, "served": served, "browser": browser, "load_before": load_before,
              "load_after": [round(x, 2) for x in os.getloadavg()]}
    print(summary(result), flush=True)
    return result


def summary(r: dict[str, Any]) -> str:
    best = min(r["served"], key=lambda s: s["seconds"])
    lines = [f"stakeholder map ({r['backend']}), load {r['load_before']} -> {r['load_after']}:",
             f"  served: {', '.join(str(s['seconds']) for s in r['served'])} s (CPU {best['cpu_s']} s; the stakeholder "
             f"analysis alone {r['analysis_s'][0]} s, CPU {r['analysis_s'][1]} s; the page on top of it {r['page_s'][0]} s, "
             f"CPU {r['page_s'][1]} s); "
             f"{best['bytes_sent'] / 1e6:.2f} MB sent ({best['bytes'] / 1e6:.2f} MB unpacked), "
             f"+ {best['assets_bytes'] / 1e6:.2f} MB sent of cacheable scripts and styles"]
    for b in r["browser"]:
        lines.append(f"  chromium: response end {b['response_end_ms'] / 1000:.2f} s, settled {b['stabilised_ms'] / 1000:.2f} s "
                     f"after navigation start; {b['drawn']} of {b['nodes']} nodes drawn (clustered: {b['clustered']}); "
                     f"opening the overview {b['open_s']} s, a click {b['click_s']} s; usable {b['usable_s']} s; "
                     f"bridges {b['bridges']} at {b['bridges_s']} s; "
                     f"CPU ours {b['cpu_s']} s, chromium {b['chromium_cpu_s']} s; status '{b['status']}'"
                     + (f"; errors {b['errors']}" if b["errors"] else ""))
    return "\n".join(lines)


def _store(backend: str, size: str, work: Path):
    from benchmarks.generate import SIZES, write_csv
    from benchmarks.run import _fresh, _ingest, _neo4j_store

    write_csv(SIZES[size], work / "csv")
    if backend == "neo4j":
        from graph_service.store import neo4j_server

        neo4j_server.start()
        store = _neo4j_store()
    else:
        from graph_service.store.embedded import EmbeddedStore

        store = EmbeddedStore(work / "data")
    _fresh(store)
    _ingest(store, work / "csv")
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="council")
    parser.add_argument("--backend", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--store", type=Path, help="an embedded data directory already loaded (instead of --size)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-maps-") as work:
        if args.store:
            from graph_service.store.embedded import EmbeddedStore

            store = EmbeddedStore(args.store)
        else:
            store = _store(args.backend, args.size, Path(work))
        result = {"size": args.size, **measure(store, args.runs)}
        store.close()
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
