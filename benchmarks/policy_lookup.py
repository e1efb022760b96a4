"""How fast policy lookup answers on a register of 10,000 policies (embedded store).

Generates --policies policies with aliases, keywords, owner posts and post holders, loads them
through the ingest pipeline into a throwaway embedded store, then times typo-tolerant searches
(misspelt titles, keywords), single-policy answers and the accountability report, and prints
p50/p95 latency: wall-clock, and CPU time (the same figure on a busy machine).

    python -m benchmarks.policy_lookup [--policies 10000] [--queries 200] [--seed 7]   # from the repository root
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from typing import Callable, Iterator

from graph_service.answers import policies
from graph_service.store.embedded import EmbeddedStore
from graph_service.ingest.pipeline import Item, ingest
from graph_service.records import Provenance

SUBJECTS = ["Housing", "Homelessness", "Waste", "Recycling", "Parking", "Licensing", "Planning", "Regeneration",
            "Climate", "Biodiversity", "Digital", "Procurement", "Commissioning", "Customer Service", "Equalities",
            "Safeguarding", "Community Safety", "Leisure", "Tenancy", "Asset Management", "Treasury Management",
            "Risk Management", "Health and Safety", "Information Governance", "Workforce", "Economic Development",
            "Tourism", "Cemeteries", "Street Cleansing", "Grounds Maintenance", "Flood Risk", "Air Quality"]
KINDS = ["Strategy", "Policy", "Plan", "Charter", "Framework", "Protocol", "Code of Practice", "Procedure"]
QUALIFIERS = ["", "Corporate", "Borough", "Tenant", "Member", "Partnership", "Enforcement", "Voluntary Sector"]
KEYWORDS = ["budget", "savings", "consultation", "equality impact", "enforcement", "partners", "contracts",
            "performance", "risk", "data", "residents", "value for money", "outcomes", "carbon", "inspection"]
SOURCE = "benchmark register"


def _typo(rng: random.Random, text: str) -> str:
    """Swap two neighbouring letters in one word: the typo officers make."""
    words = text.split()
    index = rng.randrange(len(words))
    word = words[index]
    if len(word) > 3:
        at = rng.randrange(1, len(word) - 2)
        words[index] = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    return " ".join(words)


def register(count: int, rng: random.Random) -> tuple[Iterator[Item], list[dict]]:
    """Items for count policies and their owners, and the generated policies (to query for)."""
    posts = [f"post:bench-{n}" for n in range(count // 50 + 1)]
    made: list[dict] = []

    def items() -> Iterator[Item]:
        for n, post in enumerate(posts):
            prov = Provenance(source=SOURCE, locator=f"post {n}")
            person = f"person:bench-{n}"
            ended = "2024-03-31" if n % 7 == 0 else None  # one post in seven left vacant
            yield Item(f"post {n}", prov, nodes=[{"label": "Post", "key": post, "props": {"title": f"Post {n}"}},
                                                 {"label": "Person", "key": person, "props": {"name": f"Person {n}"}}],
                       rels=[{"type": "HOLDS", "start": person, "end": post, "valid_from": "2020-01-01",
                              **({"valid_to": ended} if ended else {})}])
        for n in range(count):
            start = 2000 + n % 25
            title = " ".join(filter(None, [rng.choice(QUALIFIERS), rng.choice(SUBJECTS), rng.choice(KINDS),
                                           f"{start} to {start + rng.randint(2, 6)}", f"({n})"]))
            short = title.rsplit(" (", 1)[0]
            key = f"policy:bench-{n}"
            props = {"title": title, "aliases": [short], "keywords": rng.sample(KEYWORDS, 3),
                     "document_location": f"https://www.example.gov.uk/policies/{n}.pdf", "version": "1.0",
                     "review_date": f"{2024 + n % 4}-{1 + n % 12:02d}-01"}
            made.append({"key": key, "title": title, "short": short})
            rels = [{"type": role, "start": rng.choice(posts), "end": key}
                    for role in ("RESPONSIBLE_FOR", "SPONSORING_MEMBER_FOR")]
            yield Item(f"policy {n}", Provenance(source=SOURCE, locator=f"row {n}"),
                       nodes=[{"label": "Policy", "key": key, "props": props}], rels=rels)

    return items(), made


def timed(call: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call: CPU time shows the cost even on a busy machine."""
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return wall, cpu


def _p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(len(times) * 0.95) - 1)]


def report(name: str, times: tuple[list[float], list[float]]) -> None:
    wall, cpu = times
    print(f"{name:38} n={len(wall):4}  wall p50 {statistics.median(wall):7.1f} ms  p95 {_p95(wall):7.1f} ms  "
          f"| CPU p50 {statistics.median(cpu):7.1f} ms  p95 {_p95(cpu):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as data_dir:
        store = EmbeddedStore(data_dir)
        items, made = register(args.policies, rng)
        began = time.perf_counter()
        loaded = ingest(store, items, source=SOURCE, fmt="benchmark")
        print(f"loaded {loaded.items} items ({store.stats()['nodes']} nodes) in {time.perf_counter() - began:.1f} s; "
              f"{len(loaded.rejected)} rejected")
        picks = [rng.choice(made) for _ in range(args.queries)]
        hits = sum(policies.find_policies(store, p["title"], limit=1)[0]["key"] == p["key"] for p in picks[:20])
        print(f"exact titles found first: {hits}/20")
        searches = iter([_typo(rng, p["short"]) for p in picks])
        report("search, misspelt title", timed(lambda: policies.find_policies(store, next(searches)), args.queries))
        words = iter([rng.choice(KEYWORDS) for _ in picks])
        report("search, keyword", timed(lambda: policies.find_policies(store, next(words)), args.queries))
        keys = iter([p["key"] for p in picks])
        report("one policy by key", timed(lambda: policies.get_policy(store, next(keys)), args.queries))
        report("accountability gaps (whole register)",
               timed(lambda: policies.accountability_gaps(store, verify_after_days=365), 3))


if __name__ == "__main__":
    main()
