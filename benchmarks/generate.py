"""Deterministic, realistic graphs for the benchmarks, written as CSV files both loaders read.

    python -m benchmarks.generate council --out /tmp/bench-council     # tiny, council, county, national
    python -m benchmarks.generate national --fraction 0.1 --out ...    # a tenth of national

Three sizes (plus `tiny` for the smoke test):

    council   about 2,000 partners and 10,000 contracts: one borough council's partners
    county    about 20,000 partners and 200,000 contracts, let by 20 councils
    national  about 200,000 partners and 2,000,000 contracts, let by 200 councils

The council whose graph this is (GB-LAE-DAC, from the reference registers) lets an equal share
(about 10,000 contracts) at every size, so its own views stay comparable while the graph grows;
the other buyers are generated councils with GB-LAE-XXX identifiers.

Every file is a plain CSV with a header row, one source record a row:

    services.csv       key, name, critical
    organisations.csv  one partner: golden-record key (GB-COH-0xxxxxxx, GB-CHC-1xxxxxx, GB-LAE-XXX or
                       org:slug), published name, name variants (aliases), identifiers, type, postcode,
                       website, verified date, persona and the post holding the relationship
    contracts.csv      one contract: title, value, term, status, route, buyer, service, managing post,
                       the contract it succeeds
    suppliers.csv      one supplier link (supplier, contract, role, term)
    grants.csv         one grant: funder, recipient, service, amount, dates
    payments.csv       one Transparency Code spend line: payer, payee, contract, service, amount, date
    kpi_ratings.csv    one Procurement Act KPI rating on a contract for a quarter
    engagements.csv    one meeting or contract review with a partner and the post that attended

`write_csv` writes them; `csv_items` reads them back as ingest Items (what the benchmark feeds the
pipeline), and LOAD CSV in benchmarks/load_csv.py reads the very same rows. `items` yields the same
Items straight from the generator, without files. Everything comes from random.Random(seed) and the
fixed ANCHOR date, so the same size and seed give byte-identical files.

The rows link to the reference registers' keys (the council, its posts, the personas), so load
those first (graph_service.reference.load_reference(store, include_illustrative=False)).
"""
from __future__ import annotations

import argparse
import csv
import random
import string
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

from graph_service.ingest.pipeline import Item
from graph_service.records import Provenance
from graph_service.reference.illustrative import (BIG, COUNCIL, FIRST_NAMES, KPIS, OWNERS, PERSONA, PLACES, PROC, RATINGS,
                                                  SERVICES, SURNAMES, TRADES, VOLUNTARY, WORDS)
from graph_service.schema import slug

ANCHOR = date(2026, 11, 1)  # "today" for the generated data, as in the illustrative layer
SEED = 11
SOURCE_PREFIX = "benchmark generator"
SEP = "; "  # between the values of a list cell (aliases, identifiers)


@dataclass(frozen=True)
class Size:
    name: str
    partners: int
    contracts: int

    def scaled(self, fraction: float) -> "Size":
        if fraction >= 1:
            return self
        return Size(f"{self.name}-{fraction:g}", max(40, round(self.partners * fraction)),
                    max(100, round(self.contracts * fraction)))

    @property
    def buyers(self) -> int:
        """Councils letting the contracts: one per 10,000, the home council among them."""
        return max(1, self.contracts // 10_000)


SIZES = {
    "tiny": Size("tiny", 60, 240),
    "council": Size("council", 2_000, 10_000),
    "council-x2": Size("council-x2", 4_000, 20_000),  # steps between council and county (benchmarks/health.py)
    "council-x4": Size("council-x4", 8_000, 40_000),
    "county": Size("county", 20_000, 200_000),
    "national": Size("national", 200_000, 2_000_000),
}

FILES: dict[str, list[str]] = {  # in load order: a row only points at keys of earlier files (or earlier rows)
    "services.csv": ["key", "name", "critical"],
    "organisations.csv": ["key", "name", "aliases", "identifiers", "org_type", "postal_code", "website", "verified_on",
                          "persona", "owner_post", "owner_since"],
    "contracts.csv": ["key", "title", "ocid", "value", "currency", "start_date", "end_date", "status", "procurement_method",
                      "kraljic_category", "has_management_plan", "has_exit_plan", "buyer", "service", "manager", "succeeds"],
    "suppliers.csv": ["supplier", "contract", "role", "valid_from", "valid_to"],
    "grants.csv": ["key", "title", "amount", "currency", "award_date", "start_date", "end_date", "programme", "funder",
                   "recipient", "service"],
    "payments.csv": ["key", "amount", "paid_on", "transaction_id", "expense_type", "service_area", "payer", "payee",
                     "contract", "service"],
    "kpi_ratings.csv": ["key", "contract", "kpi", "rating", "period_end"],
    "engagements.csv": ["key", "kind", "held_on", "summary", "partner", "attended_by"],
}

# Place names beyond the borough's own, so that a national graph has enough distinct councils and charities.
STEMS = ["Ash", "Brad", "Brom", "Castle", "Chester", "Dun", "East", "Elm", "Fair", "Glen", "Green", "Hal", "Hart", "Hol",
         "King", "Lang", "Lea", "Marl", "Mid", "Mill", "New", "North", "Oak", "Park", "Red", "Ring", "Rother", "Sand",
         "Shir", "South", "Stan", "Stoke", "Sutton", "Thorn", "Wal", "West", "White", "Wick", "Wim", "Wood"]
ENDINGS = ["bridge", "bury", "by", "chester", "combe", "den", "don", "field", "ford", "gate", "ham", "hampton", "hill",
           "hurst", "ington", "ley", "mere", "minster", "mouth", "ness", "over", "stead", "ston", "thorpe", "wich", "worth"]
REGIONS = ["Southern", "Northern", "Midlands", "Eastern", "Western", "South East", "Anglia", "Thames Valley", "Home Counties",
           "London", "Wessex", "North West", "Yorkshire", "UK"]
POSTCODE_AREAS = ["HP", "AL", "WD", "LU", "SG", "EN", "MK", "OX", "SL", "RG", "B", "M", "LS", "BS", "CF", "NE", "NG", "S",
                  "L", "CB", "NR", "PE", "LE", "CV", "GL", "EX", "BN", "CT", "ME", "TN"]
KINDS = [("contractor", 0.62), ("voluntary", 0.25), ("business", 0.07), ("public", 0.03), ("council", 0.03)]
PUBLIC_KINDS = ["NHS Trust", "Integrated Care Board", "Fire and Rescue Service", "Constabulary", "College", "Academy Trust",
                "Housing Association", "University", "Clinical Commissioning Group"]
BUSINESS_KINDS = ["Logistics", "Engineering", "Property Developments", "Pharmaceuticals", "Data Centres", "Estates",
                  "Manufacturing", "Retail Group", "Financial Services", "Hotels"]
PROGRAMMES = ["Community Grants Scheme", "Small Grants Fund", "Voluntary Sector Core Grant", "Community Safety Fund",
              "Household Support Fund", "UK Shared Prosperity Fund"]
ENGAGEMENTS = ["meeting", "meeting", "contract review", "contract review", "workshop", "site visit", "partnership board"]
TOPICS = ["Quarterly contract review", "Partnership update", "Performance meeting", "Principles of partnership workshop",
          "Funding and commissioning discussion", "Site visit", "Joint bid planning", "Business Charter conversation"]
METHODS = ["open", "restricted", "framework call-off", "direct award", "competitive flexible procedure"]
HOME_POSTS = sorted({s[4] for s in SERVICES} | {PROC})


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _years(d: date, n: int) -> date:
    return d.replace(year=d.year + n, day=min(d.day, 28))


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


class _Generator:
    def __init__(self, size: Size, seed: int):
        self.size, self.rng = size, random.Random(seed)
        self.names: set[str] = set()
        self.keys: set[str] = set()
        self.numbers: dict[str, set[int]] = {"GB-COH": set(), "GB-CHC": set()}
        self.partners: dict[str, list[dict[str, str]]] = {kind: [] for kind, _ in KINDS}
        self.buyers: list[tuple[str, str]] = [(COUNCIL, "dac")]  # (key, short code for keys)

    # -- identities ------------------------------------------------------------------------
    def _place(self) -> str:
        rng = self.rng
        return rng.choice(PLACES) if rng.random() < 0.3 else rng.choice(STEMS) + rng.choice(ENDINGS)

    def _unique_name(self, make) -> str:
        name = make()
        for attempt in range(8):
            if name not in self.names:
                break
            name = make() if attempt < 4 else f"{make()} ({self.rng.choice(REGIONS)})"
        while name in self.names:
            name = f"{name} {self.rng.randint(2, 99)}"
        self.names.add(name)
        return name

    def _number(self, scheme: str) -> str:
        first, digits = ("0", 7) if scheme == "GB-COH" else ("1", 6)
        taken = self.numbers[scheme]
        while True:
            n = self.rng.randrange(10 ** digits)
            if n not in taken:
                taken.add(n)
                return f"{scheme}-{first}{n:0{digits}d}"

    def _key(self, name: str) -> str:
        base = f"org:{slug(name)}"
        key, n = base, 1
        while key in self.keys:
            n += 1
            key = f"{base}-{n}"
        self.keys.add(key)
        return key

    def _variants(self, name: str) -> list[str]:
        """Names the same body is published under: case, Ltd/Limited, &/and, a dropped legal form."""
        rng, out = self.rng, []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            form = rng.randrange(5)
            if form == 0:
                variant = name.upper()
            elif form == 1:
                variant = name.replace(" Ltd", " Limited") if " Ltd" in name else name.replace(" Limited", " Ltd")
            elif form == 2:
                variant = name.replace(" & ", " and ")
            elif form == 3:
                variant = name.rsplit(" ", 1)[0] if name.endswith((" Ltd", " Limited", " plc", " CIC")) else f"The {name}"
            else:
                variant = name.lower().title()
            if variant != name and variant not in out:
                out.append(variant)
        return out

    def _postcode(self) -> str:
        rng = self.rng
        return (f"{rng.choice(POSTCODE_AREAS)}{rng.randint(1, 23)} {rng.randint(1, 9)}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}")

    def _organisation(self, kind: str, name: str, key: str, identifiers: list[str], org_type: str,
                      service: str | None) -> dict[str, str]:
        rng = self.rng
        owner, since = "", ""
        if rng.random() < 0.35:
            owner = rng.choice(OWNERS.get(kind, [PROC, SERVICES[0][4]]) if kind != "contractor" else HOME_POSTS)
            since = _iso(_day(rng, date(2016, 4, 1), date(2025, 12, 31)))
        verified = _iso(ANCHOR - timedelta(days=rng.randint(20, 1400))) if rng.random() < 0.6 else ""
        row = {"key": key, "name": name, "aliases": SEP.join(self._variants(name)), "identifiers": SEP.join(identifiers),
               "org_type": org_type, "postal_code": self._postcode(),
               "website": f"https://www.{slug(name).replace('-', '')[:40]}.org.uk" if rng.random() < 0.5 else "",
               "verified_on": verified, "persona": PERSONA[kind], "owner_post": owner, "owner_since": since}
        self.partners[kind].append({"key": key, "service": service or ""})
        return row

    def organisations(self) -> Iterator[dict[str, str]]:
        rng, size = self.rng, self.size
        codes = {"DAC"}
        for _ in range(size.buyers - 1):  # the other councils letting contracts
            code = "DAC"
            while code in codes:
                code = "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
            codes.add(code)
            name = self._unique_name(lambda: f"{self._place()} {rng.choice(['Borough', 'District', 'City', 'County'])} Council")
            key = f"GB-LAE-{code}"
            self.buyers.append((key, code.lower()))
            yield self._organisation("council", name, key, [key], "local authority", None)
        weights = [w for _, w in KINDS]
        for _ in range(max(0, size.partners - (size.buyers - 1))):
            kind = rng.choices([k for k, _ in KINDS], weights)[0]
            if kind == "contractor":
                service = rng.choice(list(TRADES))
                trade = rng.choice(TRADES[service])
                name = self._unique_name(lambda: " ".join([rng.choice([
                    rng.choice(PLACES), rng.choice(WORDS), rng.choice(SURNAMES), f"{rng.choice(SURNAMES)} & {rng.choice(SURNAMES)}",
                    self._place()]), trade, rng.choice(["Ltd", "Ltd", "Limited", "Limited", "plc" if rng.random() < 0.2 else "Ltd"])]))
                ids = [self._number("GB-COH")] if rng.random() < 0.75 else []
                org_type = "company"
            elif kind == "voluntary":
                what, service = rng.choice(VOLUNTARY)
                name = self._unique_name(lambda: f"{self._place()} {what}")
                cic = name.endswith("CIC")
                ids = [self._number("GB-COH")] if cic else ([self._number("GB-CHC")] if rng.random() < 0.65 else [])
                org_type = "community interest company" if cic else ("charity" if ids else "community group")
            elif kind == "business":
                service = "economic-development"
                name = self._unique_name(lambda: f"{rng.choice([rng.choice(WORDS), self._place(), rng.choice(SURNAMES)])} "
                                                 f"{rng.choice(BUSINESS_KINDS)} Ltd")
                ids, org_type = [self._number("GB-COH")], "company"
            elif kind == "public":
                service = None
                name = self._unique_name(lambda: f"{self._place()} {rng.choice(PUBLIC_KINDS)}")
                ids, org_type = [], "public body"
            else:
                service = None
                name = self._unique_name(lambda: f"{self._place()} {rng.choice(['Town', 'Parish'])} Council")
                ids, org_type = [], "town or parish council"
            key = ids[0] if ids else self._key(name)
            yield self._organisation(kind, name, key, ids, org_type, service)

    # -- contracts, supplier links, spend and KPI ratings ----------------------------------------
    def _supplier(self, service: str) -> str:
        """Contracts cluster on a few suppliers (a long tail holds one or two each)."""
        rng = self.rng
        if service == "community-advice-and-support":
            pool = self.partners["voluntary"]
        else:
            pool = self.partners["contractor"]
        pool = pool or self.partners["contractor"] or self.partners["voluntary"]
        return pool[int(len(pool) * rng.random() ** 2.5)]["key"]

    def contracts(self) -> Iterator[tuple[str, dict[str, str]]]:
        rng, made, counter = self.rng, 0, 0
        payments = 0
        while made < self.size.contracts:
            buyer, code = self.buyers[made % len(self.buyers)]
            slug_, service_name, critical, priorities, manager, area, (lo, hi), lots = rng.choice(SERVICES)
            lot = rng.choice(lots)
            big = BIG.get((slug_, lot))
            title = lot if big or rng.random() < 0.5 else f"{lot} ({self._place()})"
            start = date(rng.randint(2016, 2026), rng.randint(1, 12), 1)
            supplier, previous = self._supplier(slug_), ""
            for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
                if made >= self.size.contracts or start > ANCHOR + timedelta(days=400):
                    break
                years = rng.randint(*big[1]) if big else rng.choice([1, 2, 2, 3, 3, 4, 5])
                end = _years(start, years) - timedelta(days=1)
                annual = (big[0] * rng.uniform(0.9, 1.15) if big else rng.uniform(lo, hi)) * 1000
                value = round(annual * years, -2)
                counter += 1
                key = f"contract:{code}-{start.year}-{counter:07d}"
                if previous and rng.random() < 0.45:
                    supplier = self._supplier(slug_)
                status = "pending" if start > ANCHOR else ("active" if end >= ANCHOR else "terminated")
                huge = value > 5_000_000
                kraljic = ("strategic" if critical else "leverage") if value > 1_000_000 else ("bottleneck" if critical else "non-critical")
                yield "contracts.csv", {
                    "key": key, "title": title, "ocid": f"ocds-b5fd17-{code}-{counter:07d}" if rng.random() < 0.5 else "",
                    "value": f"{value:.2f}", "currency": "GBP", "start_date": _iso(start), "end_date": _iso(end), "status": status,
                    "procurement_method": "open" if huge else rng.choice(METHODS), "kraljic_category": kraljic,
                    "has_management_plan": str(rng.random() < (0.9 if huge else 0.45)).lower(),
                    "has_exit_plan": str(rng.random() < (0.6 if huge else 0.15)).lower(),
                    "buyer": buyer, "service": f"service:{slug_}",
                    "manager": (manager if value > 250_000 or rng.random() < 0.5 else PROC) if buyer == COUNCIL else "",
                    "succeeds": previous}
                made += 1
                yield "suppliers.csv", {"supplier": supplier, "contract": key, "role": "supplier",
                                        "valid_from": _iso(start), "valid_to": _iso(end)}
                if rng.random() < 0.1:  # a consortium member beside the lead supplier
                    partner = self._supplier(slug_)
                    if partner != supplier:
                        yield "suppliers.csv", {"supplier": partner, "contract": key, "role": "consortium member",
                                                "valid_from": _iso(start), "valid_to": _iso(end)}
                if start <= ANCHOR:
                    for _ in range(rng.choice([0, 1, 1, 2])):
                        payments += 1
                        paid = _day(rng, start, min(end, ANCHOR - timedelta(days=1)))
                        transaction = f"{code.upper()}-{paid:%Y%m}-{payments:08d}"
                        yield "payments.csv", {
                            "key": f"payment:{code}/{transaction.lower()}", "amount": f"{max(500.01, annual / 4 * rng.uniform(0.8, 1.2)):.2f}",
                            "paid_on": _iso(paid), "transaction_id": transaction, "expense_type": "Contract payments",
                            "service_area": area, "payer": buyer, "payee": supplier, "contract": key, "service": f"service:{slug_}"}
                if huge:
                    yield from self._kpis(key, slug_, start, end)
                previous, start = key, end + timedelta(days=1)

    def _kpis(self, contract: str, service: str, start: date, end: date) -> Iterator[tuple[str, dict[str, str]]]:
        rng = self.rng
        drift = rng.choice([0.0, 0.1, 0.25, 0.5])
        for year in (2025, 2026):
            for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
                period = date(year, month, day)
                if start <= period <= min(end, ANCHOR):
                    rating = rng.choices(RATINGS, [1 - drift, 0.5, drift * 1.5, drift * (1 + year - 2025), 0.05])[0]
                    yield "kpi_ratings.csv", {"key": f"kpi:{contract.split(':')[1]}-{slug(KPIS[service])[:30]}-{_iso(period)}",
                                              "contract": contract, "kpi": KPIS[service], "rating": rating,
                                              "period_end": _iso(period)}

    def grants(self) -> Iterator[dict[str, str]]:
        rng = self.rng
        voluntary = self.partners["voluntary"] or self.partners["contractor"]
        for n in range(1, self.size.partners // 5 + 1):
            funder, code = self.buyers[n % len(self.buyers)]
            recipient = voluntary[int(len(voluntary) * rng.random() ** 1.5)]
            programme = rng.choice(PROGRAMMES)
            award = _day(rng, date(2016, 1, 10), ANCHOR - timedelta(days=20))
            start = award + timedelta(days=rng.randint(14, 60))
            service = "community-safety" if programme == "Community Safety Fund" else (recipient["service"] or "community-advice-and-support")
            yield {"key": f"grant:{code}-{award.year}-{n:06d}", "title": f"{programme} {award.year}", "currency": "GBP",
                   "amount": f"{round(rng.choice([rng.uniform(500, 5000)] * 6 + [rng.uniform(5000, 80000)] * 4), -1):.2f}",
                   "award_date": _iso(award), "start_date": _iso(start),
                   "end_date": _iso(_years(start, rng.choice([1, 1, 1, 2, 3])) - timedelta(days=1)),
                   "programme": programme, "funder": funder, "recipient": recipient["key"], "service": f"service:{service}"}

    def engagements(self) -> Iterator[dict[str, str]]:
        rng = self.rng
        kinds = [k for k, _ in KINDS if self.partners[k]]
        since = date(ANCHOR.year - 3, ANCHOR.month, ANCHOR.day)
        for n in range(1, self.size.partners // 2 + 1):
            kind = rng.choice(kinds)
            partner = rng.choice(self.partners[kind])["key"]
            held = _day(rng, since, ANCHOR - timedelta(days=1))
            post = rng.choice(OWNERS.get(kind, HOME_POSTS))
            yield {"key": f"engagement:{_iso(held)}-{n:06d}", "kind": rng.choice(ENGAGEMENTS), "held_on": _iso(held),
                   "summary": f"{rng.choice(TOPICS)} with {rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                   "partner": partner, "attended_by": post}


def rows(size: Size, seed: int = SEED) -> Iterator[tuple[str, dict[str, str]]]:
    """(file name, row) in an order where every row points only at keys already given."""
    gen = _Generator(size, seed)
    for key, name, critical, *_ in SERVICES:
        yield "services.csv", {"key": f"service:{key}", "name": name, "critical": str(critical).lower()}
    for row in gen.organisations():
        yield "organisations.csv", row
    yield from gen.contracts()
    for row in gen.grants():
        yield "grants.csv", row
    for row in gen.engagements():
        yield "engagements.csv", row


def write_csv(size: Size, directory: Path, seed: int = SEED) -> dict[str, int]:
    """Write every file into directory; returns the data rows in each."""
    directory.mkdir(parents=True, exist_ok=True)
    handles = {name: (directory / name).open("w", newline="", encoding="utf-8") for name in FILES}
    writers = {name: csv.DictWriter(handle, FILES[name], lineterminator="\n") for name, handle in handles.items()}
    counts = dict.fromkeys(FILES, 0)
    try:
        for writer in writers.values():
            writer.writeheader()
        for name, row in rows(size, seed):
            writers[name].writerow(row)
            counts[name] += 1
    finally:
        for handle in handles.values():
            handle.close()
    return counts


# -- rows as ingest Items --------------------------------------------------------------------
def _text(row: dict[str, str], name: str) -> str | None:
    return row.get(name) or None


def _list(row: dict[str, str], name: str) -> list[str] | None:
    return row[name].split(SEP) if row.get(name) else None


def _props(row: dict[str, str], text: tuple[str, ...] = (), floats: tuple[str, ...] = (),
           flags: tuple[str, ...] = (), lists: tuple[str, ...] = ()) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for name in text:
        if row.get(name):
            props[name] = row[name]
    for name in floats:
        if row.get(name):
            props[name] = float(row[name])
    for name in flags:
        if row.get(name):
            props[name] = row[name] == "true"
    for name in lists:
        if row.get(name):
            props[name] = row[name].split(SEP)
    return props


def _rel(kind: str, start: str, end: str, valid_from: str | None = None, valid_to: str | None = None,
         **props: Any) -> dict[str, Any]:
    rel: dict[str, Any] = {"type": kind, "start": start, "end": end}
    if props:
        rel["props"] = props
    if valid_from:
        rel["valid_from"] = valid_from
    if valid_to:
        rel["valid_to"] = valid_to
    return rel


def row_item(name: str, row: dict[str, str], locator: str, source: str) -> Item:
    """What one row says, as the pipeline takes it."""
    prov = Provenance(source=source, locator=locator, illustrative=True)
    if name == "services.csv":
        return Item(locator, prov, [{"label": "Service", "key": row["key"], "props": _props(row, ("name",), flags=("critical",))}])
    if name == "organisations.csv":
        props = _props(row, ("name", "org_type", "postal_code", "website", "verified_on"), lists=("aliases", "identifiers"))
        rels = [_rel("HAS_PERSONA", row["key"], row["persona"])]
        if row.get("owner_post"):
            rels.append(_rel("HOLDS_RELATIONSHIP", row["owner_post"], row["key"], _text(row, "owner_since")))
        return Item(locator, prov, [{"label": "Organisation", "key": row["key"], "props": props}], rels)
    if name == "contracts.csv":
        props = _props(row, ("title", "ocid", "currency", "start_date", "end_date", "status", "procurement_method",
                             "kraljic_category"), ("value",), ("has_management_plan", "has_exit_plan"))
        start, end = _text(row, "start_date"), _text(row, "end_date")
        rels = [_rel("BUYS", row["buyer"], row["key"], start, end), _rel("DELIVERS", row["key"], row["service"])]
        if row.get("manager"):
            rels.append(_rel("MANAGES", row["manager"], row["key"], start, end if end and end < ANCHOR.isoformat() else None))
        if row.get("succeeds"):
            rels.append(_rel("SUCCEEDS", row["key"], row["succeeds"]))
        return Item(locator, prov, [{"label": "Contract", "key": row["key"], "props": props}], rels)
    if name == "suppliers.csv":
        return Item(locator, prov, rels=[_rel("SUPPLIES", row["supplier"], row["contract"], _text(row, "valid_from"),
                                              _text(row, "valid_to"), role=row["role"])])
    if name == "grants.csv":
        props = _props(row, ("title", "currency", "award_date", "start_date", "end_date", "programme"), ("amount",))
        start, end = _text(row, "start_date"), _text(row, "end_date")
        rels = [_rel("FUNDS", row["funder"], row["key"], start, end), _rel("RECEIVES", row["recipient"], row["key"], start, end),
                _rel("DELIVERS", row["key"], row["service"])]
        return Item(locator, prov, [{"label": "Grant", "key": row["key"], "props": props}], rels)
    if name == "payments.csv":
        props = _props(row, ("paid_on", "transaction_id", "expense_type", "service_area"), ("amount",))
        rels = [_rel("PAID_BY", row["key"], row["payer"]), _rel("PAID_TO", row["key"], row["payee"]),
                _rel("PAID_FOR", row["key"], row["service"])]
        if row.get("contract"):
            rels.append(_rel("PAID_UNDER", row["key"], row["contract"]))
        return Item(locator, prov, [{"label": "Payment", "key": row["key"], "props": props}], rels)
    if name == "kpi_ratings.csv":
        props = _props(row, ("kpi", "rating", "period_end"))
        return Item(locator, prov, [{"label": "KpiRating", "key": row["key"], "props": props}],
                    [_rel("RATED", row["contract"], row["key"])])
    if name == "engagements.csv":
        props = _props(row, ("kind", "held_on", "summary"))
        return Item(locator, prov, [{"label": "Engagement", "key": row["key"], "props": props}],
                    [_rel("WITH_PARTNER", row["key"], row["partner"]), _rel("ATTENDED", row["attended_by"], row["key"])])
    raise ValueError(f"no such benchmark file {name!r}")


def csv_items(path: Path) -> Iterator[Item]:
    """One benchmark CSV file read back as Items; locators are the CSV line ('row 2' is the first data row)."""
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), 2):
            yield row_item(path.name, row, f"row {line}", path.name)


def items(size: Size, seed: int = SEED) -> Iterator[Item]:
    """The same rows as Items straight from the generator, without writing files (one source)."""
    source = f"{SOURCE_PREFIX} ({size.name}, seed {seed})"
    lines = dict.fromkeys(FILES, 1)
    for name, row in rows(size, seed):
        lines[name] += 1
        yield row_item(name, row, f"{name} row {lines[name]}", source)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--fraction", type=float, default=1.0, help="generate this fraction of the size")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    counts = write_csv(SIZES[args.size].scaled(args.fraction), args.out, args.seed)
    print(f"{sum(counts.values()):,} rows in {time.perf_counter() - began:.1f} s into {args.out}: "
          + ", ".join(f"{name} {n:,}" for name, n in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
