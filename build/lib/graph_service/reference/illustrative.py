"""The illustrative layer: generated example partners, contracts, grants, payments,
engagements, charters, post holders, key indicators, initiatives and decisions.

None of it is a council fact. Every node and relationship carries
Provenance(source="illustrative generator (seed N)", illustrative=True) and, where the
label has the property, `illustrative: true`. It exists so that stakeholder maps, health
reports and searches have something realistic to show before real data is loaded.

Deterministic: everything comes from random.Random(seed) and the fixed ANCHOR date (not
today), so a second load changes nothing. It only points at keys of the document layer
(graph_service/reference/*.yaml) or keys it creates itself.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, Iterator

from graph_service.ingest.pipeline import Item
from graph_service.records import Provenance
from graph_service.schema import schema, slug

ANCHOR = date(2026, 11, 1)  # "today" for the generated data: contracts expire 6/12/18 months after it
SEED = 2019
SOURCE = f"illustrative generator (seed {SEED})"
COUNCIL = "GB-LAE-DAC"
HOUSING, ECONOMY = "priority:housing-led-regeneration", "priority:economic-well-being"
PROC = "post:gm-procurement-contracted-services"

# -- document-layer keys this layer links to (graph_service/reference/*.yaml) -------------
PERSONA = {"contractor": "persona:contractors", "voluntary": "persona:voluntary-sector",
           "business": "persona:lep-business-commerce", "council": "persona:other-councils",
           "public": "persona:public-sector-bodies"}

# slug, name, critical, priorities, managing post, service area, annual value (GBP k), contract lots
SERVICES: list[tuple[str, str, bool, tuple[str, ...], str, str, tuple[int, int], list[str]]] = [
    ("waste-and-recycling", "Waste and recycling collection", True, (), "post:gm-environment-community-protection",
     "Environment and Community Protection", (40, 400), ["Waste and recycling collection", "Clinical waste collection",
     "Bulky waste collection", "Refuse vehicle maintenance", "Recycling bring sites", "Dry recyclables processing",
     "Garden waste subscription service", "Trade waste collection"]),
    ("street-cleansing", "Street cleansing", False, (), "post:gm-environment-community-protection",
     "Environment and Community Protection", (20, 200), ["Street cleansing", "Graffiti removal", "Fly-tipping clearance",
     "Litter bin supply", "Road sweeper hire"]),
    ("parks-and-grounds-maintenance", "Parks and grounds maintenance", False, (HOUSING,), "post:ad-neighbourhood-services",
     "Neighbourhood Services", (20, 250), ["Grounds maintenance", "Tree surgery and arboriculture", "Play area inspection and repair",
     "Sports pitch maintenance", "Housing estates grass cutting", "Gadebridge Park water garden maintenance"]),
    ("housing-repairs", "Council housing repairs and maintenance", True, (HOUSING,), "post:gm-tenants-leaseholders",
     "Tenants and Leaseholders", (60, 600), ["Responsive housing repairs", "Gas servicing and repairs", "Kitchen and bathroom replacement",
     "Roofing works", "Electrical testing and rewiring", "Lift maintenance", "Void property works", "Planned decorating programme",
     "Fire door replacement", "Damp and mould remediation", "Window and door replacement", "Asbestos surveys"]),
    ("homelessness-and-temporary-accommodation", "Homelessness and temporary accommodation", True, (HOUSING,), "post:gm-strategic-housing",
     "Strategic Housing", (30, 300), ["Temporary accommodation (nightly paid)", "Private sector leasing", "Homelessness prevention support",
     "Rough sleeper outreach", "Tenancy sustainment service", "Supported accommodation for young people"]),
    ("affordable-housing-development", "Affordable housing development", False, (HOUSING,), "post:gm-housing-development",
     "Housing Development", (100, 900), ["New council homes construction", "Employer's agent services", "Site investigation",
     "Modular homes pilot", "Land assembly advice", "Affordable homes framework call-off"]),
    ("town-centre-regeneration", "Town centre regeneration", False, (HOUSING, ECONOMY), "post:ad-planning-regeneration",
     "Planning and Development", (40, 500), ["Hemel Hempstead town centre public realm", "Market square redevelopment",
     "Regeneration masterplanning", "Heritage building restoration", "Wayfinding and signage"]),
    ("economic-development", "Economic development and business support", False, (ECONOMY,), "post:ad-planning-regeneration",
     "Planning and Development", (10, 120), ["Business support programme", "Inward investment marketing", "Maylands business survey",
     "Skills and employment brokerage", "Start-up workspace management"]),
    ("planning-and-building-control", "Planning and building control", False, (ECONOMY,), "post:gm-strategic-planning",
     "Strategic Planning and Development", (10, 150), ["Local Plan evidence base", "Ecology advice", "Building control surveyors",
     "Planning appeals counsel", "Transport modelling", "Heritage and conservation advice"]),
    ("revenues-and-benefits", "Revenues and benefits", True, (), "post:gm-revenues-benefits",
     "Revs, Bens and Fraud", (15, 220), ["Enforcement agent services", "Benefits overflow processing", "Council tax print and post",
     "Fraud investigation support", "Business rates valuation advice"]),
    ("ict-and-digital", "ICT and digital services", True, (), "post:gm-ict-innovation-performance",
     "ICT, Innovation and Performance", (20, 400), ["ICT managed service", "Housing management system", "Revenues and benefits system",
     "Network and telephony", "Customer portal", "Cyber security monitoring", "Microsoft licensing", "Data centre hosting",
     "GIS and mapping software"]),
    ("leisure-and-sport", "Leisure and sports centres", False, (ECONOMY,), "post:ad-neighbourhood-services",
     "Neighbourhood Services", (20, 220), ["Leisure centres management", "Swimming pool plant maintenance", "Sports development programme",
     "Ice rink operation"]),
    ("community-safety", "Community safety and CCTV", False, (), "post:gm-environment-community-protection",
     "Environment and Community Protection", (10, 120), ["CCTV monitoring", "Out of hours noise service", "Security patrols",
     "Domestic abuse support service", "Anti-social behaviour mediation"]),
    ("community-advice-and-support", "Community advice and support", False, (ECONOMY,), "post:gm-people-community-services",
     "People and Community Services", (10, 150), ["Advice and information service", "Community transport", "Befriending service",
     "Youth engagement service", "Food support coordination", "Volunteering hub"]),
    ("parking-services", "Car parks and parking enforcement", False, (ECONOMY,), "post:ad-neighbourhood-services",
     "Neighbourhood Services", (15, 180), ["Civil parking enforcement", "Car park maintenance", "Pay and display machines",
     "Cashless parking"]),
    ("bereavement-services", "Cemeteries and bereavement services", False, (), "post:ad-neighbourhood-services",
     "Neighbourhood Services", (10, 80), ["Cemetery grounds maintenance", "Memorial safety testing", "Burial services"]),
]
SERVICE = {s[0]: s for s in SERVICES}
# the big strategic lots (over GBP 5m a contract, so KPI ratings apply): service, lot, annual GBP k, years
BIG = {("waste-and-recycling", "Waste and recycling collection"): (3400, (7, 8)),
       ("housing-repairs", "Responsive housing repairs"): (4800, (5, 7)),
       ("leisure-and-sport", "Leisure centres management"): (900, (10, 10)),
       ("parks-and-grounds-maintenance", "Grounds maintenance"): (1100, (5, 7)),
       ("ict-and-digital", "ICT managed service"): (1400, (4, 5)),
       ("homelessness-and-temporary-accommodation", "Temporary accommodation (nightly paid)"): (1900, (3, 4)),
       ("affordable-housing-development", "New council homes construction"): (7500, (2, 3)),
       ("street-cleansing", "Street cleansing"): (850, (7, 8))}
KPIS = {"waste-and-recycling": "Missed collections per 100,000", "housing-repairs": "Repairs completed right first time",
        "leisure-and-sport": "Facility availability", "parks-and-grounds-maintenance": "Grounds maintenance standards met",
        "ict-and-digital": "System availability", "homelessness-and-temporary-accommodation": "Placements within the borough",
        "affordable-housing-development": "Programme milestones achieved", "street-cleansing": "Streets at an acceptable standard"}
AREAS = ["Hemel Hempstead", "Berkhamsted and Tring", "Kings Langley and rural Dacorum"]
LATER = [2019, 2020, 2021, 2022, 2022, 2023, 2023, 2024, 2024, 2025, 2025, 2026, 2026]
RATINGS = ["Good", "Approaching target", "Requires improvement", "Inadequate", "Other"]

TRADES = {"waste-and-recycling": ["Waste Services", "Recycling", "Environmental Services", "Fleet Services"],
          "street-cleansing": ["Cleansing Services", "Environmental Services"],
          "parks-and-grounds-maintenance": ["Grounds Maintenance", "Landscapes", "Tree Care", "Horticulture"],
          "housing-repairs": ["Building Services", "Property Maintenance", "Roofing", "Plumbing & Heating", "Electrical Contractors",
                              "Gas Services", "Decorators", "Construction"],
          "homelessness-and-temporary-accommodation": ["Lettings", "Housing Solutions", "Property Services"],
          "affordable-housing-development": ["Homes", "Developments", "Construction"],
          "town-centre-regeneration": ["Regeneration", "Consulting Engineers", "Architects"],
          "economic-development": ["Business Consulting", "Marketing"],
          "planning-and-building-control": ["Planning Consultants", "Surveyors", "Ecology"],
          "revenues-and-benefits": ["Revenue Services", "Enforcement", "Data Services"],
          "ict-and-digital": ["Digital", "IT Services", "Systems", "Software", "Networks", "Technology"],
          "leisure-and-sport": ["Leisure Management", "Pool Services"],
          "community-safety": ["Security", "CCTV Systems"],
          "parking-services": ["Parking Services", "Parking Solutions"],
          "bereavement-services": ["Memorials", "Stonemasons"]}
PLACES = ["Hemel Hempstead", "Berkhamsted", "Tring", "Kings Langley", "Bovingdon", "Markyate", "Apsley", "Boxmoor",
          "Leverstock Green", "Nash Mills", "Adeyfield", "Gadebridge", "Grovehill", "Highfield", "Warners End", "Woodhall Farm",
          "Chaulden", "Bennetts End", "Northchurch", "Potten End", "Aldbury", "Wigginton", "Flamstead", "Long Marston",
          "Wilstone", "Chipperfield", "Felden", "Bourne End", "Gade Valley", "Bulbourne", "Chiltern", "Ashridge", "Grand Union",
          "Maylands", "Dacorum", "West Herts", "Chess Valley", "Colne Valley", "Hertfordshire"]
WORDS = ["Apex", "Beacon", "Crown", "Evergreen", "Keystone", "Meridian", "Pinnacle", "Summit", "Vanguard", "Oakwood",
         "Riverside", "Northgate", "Sterling", "Aspire", "Horizon", "Greenway", "Clearview", "Brightwater", "Cornerstone",
         "Redkite", "Kingfisher", "Heron", "Willow", "Ashgrove", "Hawthorn", "Lakeside", "Foxglove", "Milestone", "Trident", "Orbit"]
SURNAMES = ["Abbott", "Ashworth", "Barker", "Bennett", "Bishop", "Bradshaw", "Brooks", "Carter", "Chapman", "Clarke", "Collins",
            "Cooper", "Dawson", "Dixon", "Edwards", "Ellis", "Fletcher", "Foster", "Gibson", "Graham", "Hall", "Harding", "Harris",
            "Hayes", "Holmes", "Hughes", "Hunt", "Jenkins", "Kemp", "Knight", "Lawrence", "Lloyd", "Marsh", "Mason", "Mitchell",
            "Morgan", "Murphy", "Newman", "Norris", "Owen", "Palmer", "Parker", "Patel", "Pearce", "Porter", "Price", "Reid",
            "Reynolds", "Richards", "Robinson", "Rowe", "Saunders", "Shaw", "Simpson", "Slater", "Spencer", "Stevens", "Sutton",
            "Taylor", "Thornton", "Turner", "Walsh", "Ward", "Watson", "Webb", "Wells", "Whitaker", "Wilkinson", "Wood", "Wright",
            "Ahmed", "Khan", "Singh", "Okafor", "Nowak", "Kaur", "Chowdhury", "O'Brien", "Murray", "Campbell", "Fraser"]
FIRST_NAMES = ["Alice", "Amira", "Andrew", "Anna", "Ben", "Charlotte", "Claire", "Daniel", "David", "Deborah", "Emma", "Fiona",
               "Gareth", "Hannah", "Helen", "Ian", "James", "Jane", "Jasmine", "Karen", "Kevin", "Laura", "Liam", "Lucy", "Mark",
               "Martin", "Michelle", "Mohammed", "Nadia", "Neil", "Nicola", "Oliver", "Paul", "Priya", "Rachel", "Rebecca", "Richard",
               "Robert", "Ruth", "Sarah", "Simon", "Sophie", "Stephen", "Susan", "Thomas", "Victoria", "Zoe", "Aisha", "Raj", "Gemma"]
VOLUNTARY = [("Community Association", "community-advice-and-support"), ("Community Trust", "community-advice-and-support"),
             ("Youth Project", "community-advice-and-support"), ("Carers Network", "community-advice-and-support"),
             ("Good Neighbours Scheme", "community-advice-and-support"), ("Debt Advice Centre", "community-advice-and-support"),
             ("Food Support Network", "community-advice-and-support"), ("Community Transport", "community-advice-and-support"),
             ("Older People's Forum", "community-advice-and-support"), ("Mental Health Partnership", "community-advice-and-support"),
             ("Homeless Support Trust", "homelessness-and-temporary-accommodation"), ("Nightshelter", "homelessness-and-temporary-accommodation"),
             ("Sports Association", "leisure-and-sport"), ("Arts Collective CIC", "economic-development"), ("Men's Shed", "community-advice-and-support"),
             ("Environmental Volunteers", "parks-and-grounds-maintenance"), ("Family Support CIC", "community-safety"),
             ("Heritage Society", "town-centre-regeneration"), ("Domestic Abuse Service", "community-safety"),
             ("Community Housing Trust", "affordable-housing-development"), ("Litter Pickers", "street-cleansing")]
PARKS = ["Gadebridge Park", "Canal Fields", "Chaulden Meadows", "Boxmoor Moor", "Tring Park", "Durrants Hill", "Bunkers Park"]
# Real neighbouring councils and public bodies, as names only: their relationships here are made up.
# No org-id is given for them because none is certain (the document layer names none).
COUNCILS = ["Hertfordshire County Council", "St Albans City and District Council", "Three Rivers District Council",
            "Watford Borough Council", "Hertsmere Borough Council", "Welwyn Hatfield Borough Council",
            "North Hertfordshire District Council", "Buckinghamshire Council", "Central Bedfordshire Council",
            "Berkhamsted Town Council", "Tring Town Council", "Kings Langley Parish Council", "Northchurch Parish Council",
            "Bovingdon Parish Council", "Markyate Parish Council"]
PUBLIC = ["Hertfordshire Constabulary", "Hertfordshire Fire and Rescue Service", "Hertfordshire and West Essex Integrated Care Board",
          "Herts Valleys Clinical Commissioning Group", "West Hertfordshire Teaching Hospitals NHS Trust",
          "Hertfordshire Partnership University NHS Foundation Trust", "Environment Agency", "Homes England",
          "Jobcentre Plus Hemel Hempstead", "West Herts College", "University of Hertfordshire", "Network Rail"]
DOC_PARTNERS = {"org:hertfordshire-lep": "business", "org:local-economic-partnerships": "business",
                "org:police-and-crime-commissioner": "public", "org:police-and-crime-panel": "public",
                "org:crime-and-disorder-reduction-partnership": "public", "org:dacorum-health-and-well-being-partnership": "public",
                "org:county-community-intelligence-team": "public", "org:health-and-well-being-board": "public",
                "org:nhs-commissioners": "public", "org:voluntary-and-community-sector": "voluntary",
                "org:local-strategic-partnership": "public", "org:neighbouring-councils": "council",
                "org:local-government-association": "council"}
# who holds the relationship with each kind of partner
OWNERS = {"voluntary": ["post:gm-people-community-services", "post:ad-neighbourhood-services", "post:gm-strategic-housing"],
          "business": ["post:ad-planning-regeneration", "post:gm-strategic-planning", "post:leader-of-the-council"],
          "council": ["post:chief-executive", "post:ad-corporate-contracted-services", "post:leader-of-the-council"],
          "public": ["post:chief-executive", "post:ad-neighbourhood-services", "post:gm-environment-community-protection",
                     "post:gm-strategic-housing", "post:ad-people-performance-innovation"]}
INDICATORS = [  # name, unit, target, priority
    ("Affordable homes delivered", "homes a year", "150", HOUSING), ("Net additional homes completed", "homes a year", "602", HOUSING),
    ("Households in temporary accommodation", "households", "under 120", HOUSING),
    ("Homelessness cases prevented or relieved", "per cent", "65", HOUSING),
    ("Council homes meeting the Decent Homes Standard", "per cent", "100", HOUSING),
    ("Average days to re-let council homes", "days", "under 28", HOUSING),
    ("Housing repairs completed right first time", "per cent", "90", HOUSING),
    ("Regeneration sites with planning permission", "sites", "12", HOUSING),
    ("Homes delivered on previously developed land", "per cent", "60", HOUSING),
    ("Employment rate (16-64)", "per cent", "78", ECONOMY), ("Business rate base growth", "per cent a year", "2", ECONOMY),
    ("Town centre vacant units", "per cent", "under 10", ECONOMY), ("New business start-ups", "businesses a year", "900", ECONOMY),
    ("Jobs created through inward investment", "jobs a year", "400", ECONOMY),
    ("Town centre footfall", "visits a year", "6,500,000", ECONOMY),
    ("Residents qualified to level 3 or above", "per cent", "60", ECONOMY),
    ("Local spend with Dacorum suppliers", "per cent of council spend", "30", ECONOMY),
    ("Business satisfaction with council services", "per cent", "75", ECONOMY)]


def _years(d: date, n: int) -> date:
    return d.replace(year=d.year + n, day=min(d.day, 28))


def _months(d: date, n: int) -> date:
    years, month = divmod(d.month - 1 + n, 12)
    return date(d.year + years, month + 1, min(d.day, 28))


def _days(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


class _Layer:
    """Collects items; refuses a key or relationship made twice (a second write would be an update)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.source = f"illustrative generator (seed {seed})"
        self.items: list[Item] = []
        self.seen: set[str] = set()

    def add(self, locator: str, nodes: list[dict] = (), rels: list[dict] = ()) -> None:
        for ident in [n["key"] for n in nodes] + ["|".join(map(str, (r["type"], r["start"], r["end"], r.get("valid_from")))) for r in rels]:
            if ident in self.seen:
                raise ValueError(f"illustrative layer made {ident} twice")
            self.seen.add(ident)
        self.items.append(Item(locator, Provenance(source=self.source, locator=locator, illustrative=True), list(nodes), list(rels)))


def node(label: str, key: str, **props: Any) -> dict:
    props = {k: v for k, v in props.items() if v is not None}
    if "illustrative" in schema().label(label).properties:
        props["illustrative"] = True
    return {"label": label, "key": key, "props": props}


def rel(kind: str, start: str, end: str, valid_from: date | None = None, valid_to: date | None = None, **props: Any) -> dict:
    out = {"type": kind, "start": start, "end": end, "props": {k: v for k, v in props.items() if v is not None}}
    out.update({k: v for k, v in (("valid_from", valid_from), ("valid_to", valid_to)) if v})
    return out


def illustrative_items(seed: int = SEED) -> Iterator[Item]:
    """The illustrative layer as ingest Items, the same every time for the same seed."""
    layer = _Layer(seed)
    partners = _partners(layer)
    grants = _grants(layer, partners)
    contracts = _contracts(layer, partners, grants)
    _services_and_indicators(layer)
    _emit_partners(layer, partners)  # after contracts are drawn, so critical_services is known
    for g in grants:
        layer.add(g["key"], [node("Grant", g["key"], title=g["title"], amount=g["amount"], currency="GBP", award_date=g["award"],
                                  start_date=g["start"], end_date=g["end"], programme=g["programme"],
                                  description=f"{g['programme']} grant to {g['recipient']['name']}")], g["rels"])
    for c in contracts:  # in order of each chain, so a successor follows the contract it SUCCEEDS
        layer.add(c["key"], *c["item"])
    _payments(layer, contracts, grants, partners)
    _people(layer)
    _relationships(layer, partners, contracts, grants)
    _engagements(layer, partners, contracts)
    _charters(layer, partners)
    _initiatives_and_decisions(layer, contracts)
    yield from layer.items


# -- partners ------------------------------------------------------------------------------
def _partners(layer: _Layer) -> list[dict]:
    rng, names, numbers, partners = layer.rng, set(), set(), []

    def ident(scheme: str, first: str, digits: int) -> str:
        while True:
            number = first + "".join(rng.choice("0123456789") for _ in range(digits))
            if number not in numbers:
                numbers.add(number)
                return f"{scheme}-{number}"

    def add(name: str, kind: str, org_type: str, service: str | None, scheme: str | None) -> None:
        if name in names:
            return
        names.add(name)
        key = {"GB-COH": lambda: ident("GB-COH", "0", 7), "GB-CHC": lambda: ident("GB-CHC", "1", 6)}.get(scheme, lambda: None)()
        partners.append({"key": key or f"org:{slug(name)}", "name": name, "kind": kind, "org_type": org_type,
                         "service": service, "identifiers": [key] if key else None})

    contractor_services = list(TRADES)
    while sum(p["kind"] == "contractor" for p in partners) < 150:
        service = rng.choice(contractor_services)
        trade = rng.choice(TRADES[service])
        stem = rng.choice([rng.choice(PLACES), rng.choice(WORDS), rng.choice(SURNAMES),
                           f"{rng.choice(SURNAMES)} & {rng.choice(SURNAMES)}"])
        suffix = rng.choice(["Ltd", "Ltd", "Limited", "Limited", "plc" if rng.random() < 0.2 else "Ltd"])
        add(f"{stem} {trade} {suffix}", "contractor", "company", service, "GB-COH" if rng.random() < 0.75 else None)
    while sum(p["kind"] == "voluntary" for p in partners) < 100:
        what, service = rng.choice(VOLUNTARY)
        if rng.random() < 0.1:
            name, service = f"Friends of {rng.choice(PARKS)}", "parks-and-grounds-maintenance"
        else:
            name = f"{rng.choice(PLACES)} {what}"
        cic = name.endswith("CIC")
        scheme = "GB-COH" if cic else ("GB-CHC" if rng.random() < 0.65 else None)
        add(name, "voluntary", "community interest company" if cic else ("charity" if scheme else "community group"), service, scheme)
    while sum(p["kind"] == "business" for p in partners) < 30:
        if rng.random() < 0.15:
            add(f"{rng.choice(PLACES)} Chamber of Trade", "business", "business association", "economic-development", None)
        else:
            kind = rng.choice(["Logistics", "Engineering", "Property Developments", "Pharmaceuticals", "Data Centres", "Estates",
                               "Manufacturing", "Retail Group", "Financial Services", "Hotels"])
            add(f"{rng.choice([rng.choice(WORDS), 'Maylands', rng.choice(SURNAMES)])} {kind} Ltd", "business", "company",
                "economic-development", "GB-COH")
    for name in COUNCILS:
        add(name, "council", "town or parish council" if "Town" in name or "Parish" in name else "local authority", None, None)
    for name in PUBLIC:
        add(name, "public", "public body", None, None)
    for p in partners:
        verified = ANCHOR - timedelta(days=layer.rng.randint(20, 1400)) if layer.rng.random() < 0.6 else None
        p["verified_on"] = verified
    return partners


def _emit_partners(layer: _Layer, partners: list[dict]) -> None:
    for p in partners:
        layer.add(p["key"], [node("Organisation", p["key"], name=p["name"], org_type=p["org_type"], identifiers=p["identifiers"],
                                  verified_on=p["verified_on"], critical_services=p.get("critical") or None)],
                  [rel("HAS_PERSONA", p["key"], PERSONA[p["kind"]])])


def _services_and_indicators(layer: _Layer) -> None:
    for key, name, critical, priorities, *_ in SERVICES:
        layer.add(f"service:{key}", [node("Service", f"service:{key}", name=name, critical=critical)],
                  [rel("SUPPORTS", f"service:{key}", p) for p in priorities])
    for name, unit, target, priority in INDICATORS:
        key = f"indicator:{slug(name)}"
        layer.add(key, [node("KeyIndicator", key, name=name, unit=unit, target=target)], [rel("MEASURES", key, priority)])
    # which services, work-streams and partners move which indicators
    links = {"housing-repairs": ["Housing repairs completed right first time", "Council homes meeting the Decent Homes Standard",
                                 "Average days to re-let council homes"],
             "homelessness-and-temporary-accommodation": ["Households in temporary accommodation", "Homelessness cases prevented or relieved"],
             "affordable-housing-development": ["Affordable homes delivered", "Net additional homes completed"],
             "town-centre-regeneration": ["Regeneration sites with planning permission", "Town centre vacant units", "Town centre footfall"],
             "economic-development": ["New business start-ups", "Jobs created through inward investment", "Employment rate (16-64)"],
             "planning-and-building-control": ["Net additional homes completed", "Homes delivered on previously developed land"],
             "community-advice-and-support": ["Residents qualified to level 3 or above"]}
    for service, names in links.items():
        for name in names:
            layer.add(f"contributes[service:{service}]", rels=[rel("CONTRIBUTES_TO", f"service:{service}", f"indicator:{slug(name)}")])
    for ws, name in [("workstream:partnerships", "Local spend with Dacorum suppliers"), ("workstream:partnerships", "Business satisfaction with council services"),
                     ("workstream:systems", "Business satisfaction with council services"), ("workstream:people", "Residents qualified to level 3 or above")]:
        layer.add(f"contributes[{ws}]", rels=[rel("CONTRIBUTES_TO", ws, f"indicator:{slug(name)}")])
    for org, name in [("org:hertfordshire-lep", "Jobs created through inward investment"), ("org:hertfordshire-lep", "Employment rate (16-64)"),
                      ("org:local-strategic-partnership", "Town centre footfall"), ("org:voluntary-and-community-sector", "Homelessness cases prevented or relieved")]:
        layer.add(f"contributes[{org}]", rels=[rel("CONTRIBUTES_TO", org, f"indicator:{slug(name)}")])


# -- grants: many small grants early on, fewer later ("from grant giving towards service commissioning")
def _grants(layer: _Layer, partners: list[dict]) -> list[dict]:
    rng = layer.rng
    voluntary = [p for p in partners if p["kind"] == "voluntary"]
    core = voluntary[:25]  # the established organisations that get grants year after year
    per_year = {2016: 46, 2017: 43, 2018: 39, 2019: 35, 2020: 33, 2021: 27, 2022: 23, 2023: 19, 2024: 15, 2025: 12, 2026: 8}
    grants = []
    for year, count in per_year.items():
        for n in range(1, count + 1):
            recipient = rng.choice(core if rng.random() < 0.5 else voluntary)
            programme = rng.choice(["Community Grants Scheme", "Small Grants Fund", "Voluntary Sector Core Grant"]
                                   + (["COVID-19 Community Response Fund"] * 3 if year in (2020, 2021) else [])
                                   + (["Community Safety Fund"] if year >= 2018 else []))
            scale = 1.0 - (year - 2016) * 0.05
            amount = round(rng.choice([rng.uniform(500, 5000)] * 6 + [rng.uniform(5000, 25000)] * 3 + [rng.uniform(25000, 80000)]) * scale, -1)
            award = _days(rng, date(year, 1, 10), min(date(year, 12, 15), ANCHOR - timedelta(days=20)))
            start = award + timedelta(days=rng.randint(14, 60))
            service = "community-safety" if programme == "Community Safety Fund" else recipient["service"]
            grants.append({"key": f"grant:dbc-{year}-{n:03d}", "title": f"{programme}: {recipient['name']}", "amount": amount,
                           "award": award, "start": start, "end": _years(start, rng.choice([1, 1, 1, 2, 3])) - timedelta(days=1),
                           "programme": programme, "recipient": recipient, "service": service})
    for g in grants:
        recipient = g["recipient"]["key"]
        rels = [rel("FUNDS", COUNCIL, g["key"], g["start"], g["end"]), rel("RECEIVES", recipient, g["key"], g["start"], g["end"]),
                rel("DELIVERS", g["key"], f"service:{g['service']}")]
        if g["programme"] == "Community Safety Fund" and rng.random() < 0.6:  # co-funded, as the PCC does with community safety
            rels.append(rel("FUNDS", "org:police-and-crime-commissioner", g["key"], g["start"], g["end"]))
        if g["amount"] >= 10000:
            rels.append(rel("MANAGES", "post:gm-people-community-services", g["key"], g["start"]))
            rels += [rel("SUPPORTS", g["key"], p) for p in SERVICE[g["service"]][3][:1]]
        g["rels"] = rels
    return grants


# -- contracts -----------------------------------------------------------------------------
def _contracts(layer: _Layer, partners: list[dict], grants: list[dict]) -> list[dict]:
    rng = layer.rng
    by_service: dict[str, list[dict]] = {}
    for p in partners:
        if p["kind"] == "contractor":
            by_service.setdefault(p["service"], []).append(p)
    grantees = list({g["recipient"]["key"]: g["recipient"] for g in grants if g["recipient"]["service"] == "community-advice-and-support"}.values())
    spof = by_service["waste-and-recycling"][0]  # one firm many services depend on: the single point of failure question
    contracts: list[dict] = []
    counter: dict[int, int] = {}
    for service, name, critical, priorities, manager, area, (lo, hi), lots in SERVICES:
        # a service's later lots were first let later, and more is commissioned by area from 2019 on:
        # the council moves towards "commissioning for all services with outsourced provision"
        lets = [(lot, 2016 if (service, lot) in BIG else rng.randint(2016, min(2026, 2017 + i))) for i, lot in enumerate(lots)]
        lets += [(f"{lot} ({rng.choice(AREAS)})", rng.choice(LATER)) for lot in lots if (service, lot) not in BIG and rng.random() < 0.6]
        for lot, first in lets:
            big = BIG.get((service, lot))
            voluntary = service == "community-advice-and-support"
            start = date(max(first, rng.randint(2019, 2023)), rng.choice([4, 10]), 1) if voluntary else date(first, rng.randint(1, 10), 1)
            supplier = rng.choice(grantees if voluntary else by_service.get(service) or by_service["housing-repairs"])
            previous = None
            while True:
                years = rng.randint(*big[1]) if big else rng.choice([1, 2, 2, 3, 3, 4, 5])
                end = _years(start, years) - timedelta(days=1)
                annual = big[0] * rng.uniform(0.9, 1.15) if big else rng.uniform(lo, hi) * (0.6 if voluntary else 1)
                counter[start.year] = counter.get(start.year, 0) + 1
                key = f"contract:dbc-{start.year}-{counter[start.year]:04d}"
                if previous and rng.random() < 0.45:  # re-let to someone else
                    supplier = rng.choice(grantees if voluntary else by_service.get(service) or by_service["housing-repairs"])
                if lot in ("Street cleansing", "Grounds maintenance", "Bulky waste collection", "Refuse vehicle maintenance",
                           "Civil parking enforcement") and end >= ANCHOR:
                    supplier = spof
                value = round(annual * 1000 * years, -2)
                c = {"key": key, "title": lot, "service": service, "start": start, "end": end, "value": value, "annual": annual * 1000,
                     "supplier": supplier, "previous": previous, "manager": manager if value > 250000 or rng.random() < 0.5 else PROC,
                     "critical": critical, "priorities": priorities}
                contracts.append(c)
                # Stop at the current contract, unless it ends within 8 months and its successor is already
                # let (a pending contract); now and then an ended one was never re-let. Both are things a
                # health report should find.
                if end < ANCHOR:
                    if rng.random() < 0.08:
                        break
                elif end >= ANCHOR + timedelta(days=240) or rng.random() < 0.5:
                    break
                previous, start = c, end + timedelta(days=1)
    for c in contracts:
        status = "pending" if c["start"] > ANCHOR else ("active" if c["end"] >= ANCHOR else "terminated")
        big = c["value"] > 5_000_000
        method = ("open procedure" if big else rng.choice(["competitive flexible procedure", "direct award", "framework call-off"])) \
            if c["start"] >= date(2025, 2, 24) else ("open" if big else rng.choice(["open", "restricted", "framework call-off", "direct award"]))
        kraljic = ("strategic" if c["critical"] else "leverage") if c["value"] > 1_000_000 else ("bottleneck" if c["critical"] else "non-critical")
        props = dict(title=c["title"], value=c["value"], currency="GBP", start_date=c["start"], end_date=c["end"], status=status,
                     procurement_method=method, kraljic_category=kraljic,
                     has_management_plan=rng.random() < (0.9 if big else 0.45), has_exit_plan=rng.random() < (0.6 if big else 0.15))
        supplier = c["supplier"]["key"]
        rels = [rel("SUPPLIES", supplier, c["key"], c["start"], c["end"]), rel("BUYS", COUNCIL, c["key"], c["start"], c["end"]),
                rel("DELIVERS", c["key"], f"service:{c['service']}"),
                rel("MANAGES", c["manager"], c["key"], c["start"], c["end"] if c["end"] < ANCHOR else None)]
        if c["previous"]:
            rels.append(rel("SUCCEEDS", c["key"], c["previous"]["key"]))
        if c["value"] > 1_000_000:
            rels += [rel("SUPPORTS", c["key"], p) for p in c["priorities"]]
        if c["service"] in ("town-centre-regeneration", "economic-development") and rng.random() < 0.3:
            rels.append(rel("FUNDS", "org:hertfordshire-lep", c["key"], c["start"], c["end"], note="Local Growth Fund contribution"))
        if c["service"] == "affordable-housing-development" and c["value"] > 1_000_000:
            homes_england = next(p["key"] for p in partners if p["name"] == "Homes England")
            rels.append(rel("FUNDS", homes_england, c["key"], c["start"], c["end"]))
        if c["service"] == "economic-development":
            rels.append(rel("CONTRIBUTES_TO", c["key"], "indicator:new-business-start-ups"))
        if c["service"] == "housing-repairs" and big:
            rels.append(rel("CONTRIBUTES_TO", c["key"], "indicator:housing-repairs-completed-right-first-time"))
        nodes = [node("Contract", c["key"], **props)]
        if big:
            nodes_kpis, rels_kpis = _kpis(rng, c)
            nodes += nodes_kpis
            rels += rels_kpis
        c["item"] = (nodes, rels)
        if c["critical"] and status == "active":
            c["supplier"].setdefault("critical", [])
            if SERVICE[c["service"]][1] not in c["supplier"]["critical"]:
                c["supplier"]["critical"].append(SERVICE[c["service"]][1])
    return contracts


def _kpis(rng: random.Random, c: dict) -> tuple[list[dict], list[dict]]:
    """Quarterly Procurement Act KPI ratings, from the first quarter of 2025 to the anchor date."""
    nodes, rels = [], []
    health = rng.choice([0.0, 0.1, 0.25, 0.5])  # how far this contract drifts towards the bad ratings
    quarter_ends = [date(y, m, d) for y in (2025, 2026) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
    for period in [q for q in quarter_ends if c["start"] <= q <= min(c["end"], ANCHOR)]:
        for kpi in (KPIS[c["service"]], "Social value commitments delivered"):
            weights = [1 - health, 0.5, health * 1.5, health * (1 + (period.year - 2025)), 0.05]
            rating = rng.choices(RATINGS, weights)[0]
            key = f"kpi:{c['key'].split(':')[1]}-{slug(kpi)[:30]}-{period.isoformat()}"
            nodes.append(node("KpiRating", key, kpi=kpi, rating=rating, period_end=period))
            rels.append(rel("RATED", c["key"], key))
    return nodes, rels


# -- payments over GBP 500 (Transparency Code), from April 2023 to the anchor ----------------
def _payments(layer: _Layer, contracts: list[dict], grants: list[dict], partners: list[dict]) -> None:
    rng, window = layer.rng, date(2023, 4, 1)
    lines: list[tuple[date, float, str, str, str | None, str, str]] = []  # paid_on, amount, payee, service, contract, expense, area
    for c in contracts:
        due = c["start"]
        while due <= min(c["end"], ANCHOR):
            if due >= window:
                amount = round(c["annual"] / (12 if c["annual"] >= 250_000 else 4) * rng.uniform(0.8, 1.2), 2)
                if amount >= 500:
                    lines.append((due + timedelta(days=rng.randint(5, 40)), amount, c["supplier"]["key"], c["service"], c["key"],
                                  "Contract payments", SERVICE[c["service"]][5]))
            due = _months(due, 1 if c["annual"] >= 250_000 else 3)
    for g in grants:
        if g["start"] >= window:
            parts = 2 if g["amount"] >= 10000 else 1
            for n in range(parts):
                lines.append((g["start"] + timedelta(days=180 * n), round(g["amount"] / parts, 2), g["recipient"]["key"], g["service"], None,
                               "Grants to voluntary organisations", SERVICE[g["service"]][5]))
    councils = [p for p in partners if p["kind"] == "council"][:4]
    for month in range(40):  # recharges to neighbouring councils for shared services
        paid = date(2023 + (month + 3) // 12, (month + 3) % 12 + 1, 15)
        if paid < ANCHOR:
            lines.append((paid, round(rng.uniform(2000, 40000), 2), rng.choice(councils)["key"], "revenues-and-benefits", None,
                          "Shared service recharge", "Revs, Bens and Fraud"))
    lines = [line for line in lines if line[0] < ANCHOR]
    lines.sort(key=lambda line: (line[0], line[2], line[1]))
    for n, (paid_on, amount, payee, service, contract, expense, area) in enumerate(lines, 1):
        transaction = f"DBC-{paid_on:%Y%m}-{n:05d}"
        key = f"payment:{transaction.lower()}"
        rels = [rel("PAID_TO", key, payee), rel("PAID_BY", key, COUNCIL), rel("PAID_FOR", key, f"service:{service}")]
        if contract:
            rels.append(rel("PAID_UNDER", key, contract))
        layer.add(key, [node("Payment", key, amount=amount, paid_on=paid_on, expense_type=expense, service_area=area,
                             transaction_id=transaction)], rels)


# -- people in posts: holders change, some move posts, one post is left vacant ---------------
POSTS = ["post:chief-executive", "post:leader-of-the-council", "post:portfolio-holder-corporate-contracted-services",
         "post:ad-corporate-contracted-services", "post:ad-housing", "post:ad-planning-regeneration", "post:ad-neighbourhood-services",
         "post:ad-people-performance-innovation", "post:gm-financial-services", "post:gm-legal-democratic-services",
         "post:corporate-support-democratic-services-team-leader", "post:gm-strategic-housing", "post:gm-people-community-services",
         "post:gm-ict-innovation-performance", "post:gm-procurement-contracted-services", "post:gm-environment-community-protection",
         "post:gm-housing-development", "post:gm-strategic-planning", "post:human-resources-team-leader",
         "post:gm-tenants-leaseholders", "post:gm-revenues-benefits", "post:programme-director"]
# (from post, to post, date of the move): people who were promoted, so their history spans two posts
MOVES = [("post:gm-ict-innovation-performance", "post:ad-people-performance-innovation", date(2021, 9, 1)),
         ("post:gm-procurement-contracted-services", "post:ad-corporate-contracted-services", date(2022, 4, 1)),
         ("post:gm-strategic-planning", "post:ad-planning-regeneration", date(2023, 1, 9)),
         ("post:gm-housing-development", "post:gm-strategic-housing", date(2020, 6, 1))]
VACANT = {"post:gm-strategic-housing": date(2026, 7, 31)}  # holder left; not yet filled at the anchor date


def _people(layer: _Layer) -> None:
    rng, used = layer.rng, set()
    tenures: dict[str, list[list]] = {}  # post -> [[person key, name, from, to]]

    def person(member: bool) -> tuple[str, str]:
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            if name not in used:
                used.add(name)
                return f"person:{slug(name)}", ("Cllr " if member else "") + name

    moved_in = {to: (frm, when) for frm, to, when in MOVES}
    moved_out = {frm: when for frm, _, when in MOVES}
    for post in POSTS:
        member = post in ("post:leader-of-the-council", "post:portfolio-holder-corporate-contracted-services")
        begin = date(2019, 2, 12) if post == "post:programme-director" else date(2016, 4, 1)
        changes = sorted({moved_out[post]} if post in moved_out else {_days(rng, _years(begin, 2), date(2024, 12, 31))
                                                                      for _ in range(rng.randint(0, 2))})
        if post in moved_in:
            changes = sorted(set(changes) | {moved_in[post][1]})
        if member:
            changes = [date(2019, 5, 9), date(2023, 5, 11)][: rng.randint(1, 2)]
        bounds = [begin, *changes]
        tenures[post] = [[*person(member), start, (bounds[i + 1] - timedelta(days=1)) if i + 1 < len(bounds) else VACANT.get(post)]
                         for i, start in enumerate(bounds)]
    for frm, to, when in MOVES:  # the mover is whoever left `frm` the day before the move
        leaver = next(t for t in tenures[frm] if t[3] == when - timedelta(days=1))
        arrival = next(t for t in tenures[to] if t[2] == when)
        arrival[0], arrival[1] = leaver[0], leaver[1]
    people: dict[str, tuple[str, list[dict]]] = {}
    for post, spans in tenures.items():
        for key, name, start, end in spans:
            people.setdefault(key, (name, []))[1].append(rel("HOLDS", key, post, start, end))
    for key, (name, holds) in people.items():
        layer.add(key, [node("Person", key, name=name)], holds)
    # Programme Board and CMT membership (not stated in the documents)
    board = ["post:programme-director", "post:ad-corporate-contracted-services", "post:ad-people-performance-innovation",
             "post:ad-housing", "post:gm-procurement-contracted-services", "post:gm-ict-innovation-performance"]
    for post in board:
        layer.add(f"member[{post}]", rels=[rel("MEMBER_OF", post, "body:programme-board", date(2019, 2, 12))])
    for post in ["post:chief-executive", "post:ad-corporate-contracted-services", "post:ad-housing", "post:ad-planning-regeneration",
                 "post:ad-neighbourhood-services", "post:ad-people-performance-innovation"]:
        layer.add(f"member[{post}]", rels=[rel("MEMBER_OF", post, "body:cmt", date(2016, 4, 1))])


# -- who holds each relationship, and who works with whom ---------------------------------------
def _relationships(layer: _Layer, partners: list[dict], contracts: list[dict], grants: list[dict]) -> None:
    rng = layer.rng
    manager = {}
    for c in contracts:
        manager.setdefault(c["supplier"]["key"], (c["manager"], c["start"]))
    for g in grants:
        manager.setdefault(g["recipient"]["key"], ("post:gm-people-community-services", g["start"]))
    kinds = {p["key"]: p["kind"] for p in partners} | DOC_PARTNERS
    for key, kind in kinds.items():
        if key in manager:
            owner, since = manager[key]
        elif kind != "contractor" and (key in DOC_PARTNERS or rng.random() < 0.7):
            owner, since = rng.choice(OWNERS[kind]), _days(rng, date(2016, 4, 1), date(2023, 12, 31))
        else:
            continue  # no named relationship owner: a gap the health report should show
        if rng.random() < 0.15 and since < date(2024, 1, 1):  # handed over to another post
            handover = _days(rng, since + timedelta(days=200), date(2026, 6, 30))
            successor = rng.choice([p for p in OWNERS.get(kind, [PROC, "post:ad-corporate-contracted-services"]) if p != owner] or [PROC])
            layer.add(f"relationship[{key}]", rels=[rel("HOLDS_RELATIONSHIP", owner, key, since, handover - timedelta(days=1)),
                                                    rel("HOLDS_RELATIONSHIP", successor, key, handover)])
        else:
            layer.add(f"relationship[{key}]", rels=[rel("HOLDS_RELATIONSHIP", owner, key, since)])
    # partners working with each other: subcontracting, consortia, referrals
    groups: dict[str, list[str]] = {}
    for p in partners:
        groups.setdefault(p["kind"], []).append(p["key"])
    pairs: set[tuple[str, str]] = set()
    plan = [("contractor", "contractor", 70), ("voluntary", "voluntary", 60), ("public", "voluntary", 25), ("council", "public", 12),
            ("business", "contractor", 15), ("contractor", "voluntary", 15)]
    for a_kind, b_kind, count in plan:
        made = 0
        while made < count:
            a, b = rng.choice(groups[a_kind]), rng.choice(groups[b_kind])
            if a != b and (a, b) not in pairs and (b, a) not in pairs:
                pairs.add((a, b))
                made += 1
                since = _days(rng, date(2016, 6, 1), date(2026, 6, 1))
                layer.add(f"works-with[{len(pairs)}]", rels=[rel("WORKS_WITH", a, b, since)])
    for key in groups["business"]:  # businesses in the LEP's orbit
        if rng.random() < 0.5:
            layer.add(f"works-with[{key}]", rels=[rel("WORKS_WITH", key, "org:hertfordshire-lep", _days(rng, date(2016, 6, 1), date(2025, 12, 1)))])
    for key in groups["voluntary"][:40]:
        layer.add(f"works-with[{key}]", rels=[rel("WORKS_WITH", key, "org:voluntary-and-community-sector", date(2016, 4, 1))])
    for key, org in [(groups["public"][0], "org:police-and-crime-commissioner"), (groups["public"][0], "org:crime-and-disorder-reduction-partnership"),
                     (groups["public"][2], "org:health-and-well-being-board"), (groups["public"][3], "org:nhs-commissioners"),
                     (groups["council"][0], "org:county-community-intelligence-team"), (groups["council"][0], "org:health-and-well-being-board")]:
        layer.add(f"works-with[{key}-{org}]", rels=[rel("WORKS_WITH", key, org, date(2017, 4, 1))])
    engaged = ["org:hertfordshire-lep", "org:voluntary-and-community-sector", groups["council"][0], *groups["business"][:4], *groups["voluntary"][:6]]
    for key in engaged:
        layer.add(f"engaged[{key}]", rels=[rel("ENGAGED_IN", key, "workstream:partnerships", _days(rng, date(2019, 3, 1), date(2021, 12, 1)))])


def _engagements(layer: _Layer, partners: list[dict], contracts: list[dict]) -> None:
    rng, since, n = layer.rng, date(ANCHOR.year - 3, ANCHOR.month, ANCHOR.day), 0
    events: list[tuple[date, str, str, list[str], str]] = []
    for c in contracts:  # contract reviews: twice a year for the bigger current contracts
        if c["annual"] >= 150_000 and c["end"] >= since and c["start"] <= ANCHOR:
            day = max(c["start"], since) + timedelta(days=rng.randint(30, 150))
            while day < min(c["end"], ANCHOR):
                events.append((day, "contract review", c["supplier"]["key"], sorted({c["manager"], PROC}),
                               f"Six-monthly review of {c['title'].lower()} ({c['key']})"))
                day += timedelta(days=rng.randint(160, 200))
    others = [p for p in partners if p["kind"] != "contractor"]
    topics = ["Partnership update", "Principles of partnership workshop", "Stakeholder mapping session", "Quarterly liaison meeting",
              "Funding and commissioning discussion", "Site visit", "Joint bid planning", "Business Charter conversation"]
    for _ in range(150):
        p = rng.choice(others + [{"key": k, "kind": v} for k, v in DOC_PARTNERS.items()] * 3)
        kind = rng.choice(["meeting", "meeting", "workshop", "site visit", "partnership board"])
        attendees = sorted(set(rng.sample(OWNERS[p["kind"]], k=min(2, len(OWNERS[p["kind"]])))[: rng.randint(1, 2)]))
        events.append((_days(rng, since, ANCHOR - timedelta(days=1)), kind, p["key"], attendees, rng.choice(topics)))
    events.sort(key=lambda e: (e[0], e[2]))
    for day, kind, partner, attendees, summary in events:
        n += 1
        key = f"engagement:{day.isoformat()}-{n:04d}"
        layer.add(key, [node("Engagement", key, kind=kind, held_on=day, summary=summary)],
                  [rel("WITH_PARTNER", key, partner)] + [rel("ATTENDED", post, key) for post in attendees])


def _charters(layer: _Layer, partners: list[dict]) -> None:
    rng = layer.rng
    kinds: dict[str, list[str]] = {}
    for p in partners:
        kinds.setdefault(p["kind"], []).append(p["key"])
    charters = [  # key, name, kind, signed, status, review, manager, priority, parties
        ("dacorum-business-charter", "Dacorum Business Charter", "business charter", date(2021, 3, 15), "active", date(2024, 3, 31),
         "post:ad-planning-regeneration", ECONOMY, kinds["business"][:18] + ["org:hertfordshire-lep", "org:local-economic-partnerships"]),
        ("voluntary-sector-principles-of-partnership", "Principles of Partnership with the Voluntary and Community Sector",
         "principles of partnership", date(2020, 6, 1), "active", date(2027, 6, 1), "post:gm-people-community-services", ECONOMY,
         kinds["voluntary"][:35] + ["org:voluntary-and-community-sector"]),
        ("contractor-partnership-charter", "Contractor Partnership Charter", "business charter", date(2022, 9, 1), "active",
         date(2026, 12, 31), PROC, HOUSING, kinds["contractor"][:25]),
        ("west-herts-shared-services-principles", "West Hertfordshire Shared Services Principles", "principles of partnership",
         date(2019, 11, 20), "active", date(2025, 11, 20), "post:ad-corporate-contracted-services", None, kinds["council"][:6]),
        ("community-safety-partnership-agreement", "Community Safety Partnership Agreement", "principles of partnership",
         date(2018, 4, 1), "active", date(2027, 3, 31), "post:gm-environment-community-protection", None,
         ["org:police-and-crime-commissioner", "org:crime-and-disorder-reduction-partnership", *kinds["public"][:2]]),
        ("health-and-well-being-partnership-principles", "Dacorum Health and Well-being Partnership Principles",
         "principles of partnership", date(2019, 7, 1), "lapsed", date(2022, 7, 1), "post:ad-people-performance-innovation", None,
         ["org:dacorum-health-and-well-being-partnership", "org:nhs-commissioners", kinds["public"][2]]),
        ("maylands-business-charter", "Maylands Business Charter", "business charter", None, "draft", None,
         "post:ad-planning-regeneration", ECONOMY, kinds["business"][18:24]),
        ("social-value-charter", "Social Value Charter", "business charter", date(2024, 10, 1), "active", date(2027, 10, 1), PROC,
         ECONOMY, kinds["contractor"][25:45] + kinds["voluntary"][35:40]),
    ]
    for slugged, name, kind, signed, status, review, manager, priority, parties in charters:
        key = f"charter:{slugged}"
        start = signed or date(2026, 9, 1)
        rels = [rel("PARTY_TO", COUNCIL, key, start), rel("MANAGES", manager, key, start)]
        rels += [rel("SUPPORTS", key, priority)] if priority else []
        for party in parties:
            joined = start if rng.random() < 0.6 else _days(rng, start, max(start, ANCHOR - timedelta(days=30)))
            left = _days(rng, joined + timedelta(days=90), ANCHOR) if signed and rng.random() < 0.08 and joined < ANCHOR - timedelta(days=120) else None
            rels.append(rel("PARTY_TO", party, key, joined, left))
        layer.add(key, [node("Charter", key, name=name, kind=kind, signed_on=signed, status=status, review_date=review)], rels)


def _initiatives_and_decisions(layer: _Layer, contracts: list[dict]) -> None:
    approvals = {"existing budget": ["body:programme-board", "body:cmt", "body:brg"],
                 "approved reserve": ["body:programme-board", "body:cmt", "body:brg"],
                 "additional capital": ["body:programme-board", "body:cmt", "body:brg", "body:cabinet"], None: ["body:programme-board"]}
    initiatives = [  # slug, name, workstream, sponsor, lead, pid status, funding, stage, priorities, indicator
        ("partner-stakeholder-mapping", "Partner stakeholder mapping and personas", "partnerships", "post:ad-corporate-contracted-services",
         PROC, "full PID", "existing budget", "delivery", (ECONOMY,), "Business satisfaction with council services"),
        ("business-charter-pilot", "Business Charter pilot with Maylands employers", "partnerships", "post:ad-corporate-contracted-services",
         "post:ad-planning-regeneration", "mini PID", None, "approved by Programme Board", (ECONOMY,), "Jobs created through inward investment"),
        ("grants-to-commissioning", "Voluntary sector: from grant giving towards service commissioning", "partnerships",
         "post:ad-corporate-contracted-services", "post:gm-people-community-services", "full PID", "approved reserve", "delivery",
         (ECONOMY, HOUSING), "Homelessness cases prevented or relieved"),
        ("customer-golden-record", "Customer golden record and master data", "systems", "post:ad-people-performance-innovation",
         "post:gm-ict-innovation-performance", "full PID", "additional capital", "delivery", (HOUSING, ECONOMY), None),
        ("online-repairs-reporting", "Online housing repairs reporting", "systems", "post:ad-people-performance-innovation",
         "post:gm-tenants-leaseholders", "full PID", "existing budget", "closed", (HOUSING,), "Housing repairs completed right first time"),
        ("members-as-community-leaders", "Members as community leaders in regeneration areas", "leadership",
         "post:ad-corporate-contracted-services", "post:ad-housing", "mini PID", None, "awaiting Programme Board", (HOUSING,), None),
        # not linked to any top priority: the Policy Framework's test would stop it
        ("staff-intranet-redesign", "Staff intranet redesign", "people", "post:ad-people-performance-innovation",
         "post:human-resources-team-leader", "mini PID", None, "proposed", (), None),
    ]
    for slugged, name, ws, sponsor, lead, pid, funding, stage, priorities, indicator in initiatives:
        key = f"initiative:{slugged}"
        rels = [rel("RAISED", f"workstream:{ws}", key), rel("PART_OF", key, "programme:new-normal"),
                rel("SPONSORS", sponsor, key), rel("LEADS", lead, key)]
        rels += [rel("SUPPORTS", key, p) for p in priorities]
        rels += [rel("CONTRIBUTES_TO", key, f"indicator:{slug(indicator)}")] if indicator else []
        rels += [rel("APPROVES", body, key) for body in approvals[funding] if stage not in ("proposed", "awaiting Programme Board")]
        layer.add(key, [node("Initiative", key, name=name, pid_status=pid, funding=funding, stage=stage)], rels)

    def latest(service: str) -> dict:
        return max((c for c in contracts if c["service"] == service), key=lambda c: (c["value"], c["start"]))

    decisions = [  # slug, title, service, resilience, quality, cost, chosen option, approving body
        ("waste-collection-recommission", "Waste and recycling collection: recommission or bring in-house", "waste-and-recycling",
         "Two-supplier fleet maintenance fallback; step-in rights", "Missed collections KPI written into contract", "Within MTFS envelope",
         "Outsource with KPIs", "body:cabinet"),
        ("advice-services-commissioning", "Advice services: replace core grants with a commissioned service", "community-advice-and-support",
         "Lead provider with a consortium of local charities", "Outcome-based specification", "Saving on combined grant spend",
         "Commission from the voluntary sector", "body:cmt"),
        ("leisure-management-options", "Leisure centres: management options", "leisure-and-sport", "Operator guarantee and asset condition survey",
         "Usage and satisfaction targets", "Management fee reduced", "Outsource to a leisure operator", "body:cabinet"),
        ("ict-managed-service", "ICT managed service renewal", "ict-and-digital", "Removes single points of failure in application support",
         "Service levels on availability", "Higher cost than the current contract", "Re-procure as a managed service", "body:cmt"),
        ("temporary-accommodation-framework", "Temporary accommodation: framework versus spot purchase", "homelessness-and-temporary-accommodation",
         "Several providers on a framework", "Inspection regime for placements", "Lower nightly rates", "Framework", "body:cmt"),
        # resilience was not considered: the three-criteria rule (strategy line 161) is not met
        ("grounds-maintenance-retender", "Grounds maintenance re-tender", "parks-and-grounds-maintenance", None,
         "Standards inspected monthly", "Lowest price tender", "Re-tender on price", "body:cmt"),
    ]
    alternatives = {  # the options each decision weighed besides the chosen one: option | resilience | quality | cost
        "waste-collection-recommission": ["Bring in-house | Council owns fleet and depot | Direct control of crews | Capital for fleet"],
        "advice-services-commissioning": ["Keep core grants | Many small providers, no lead | No outcome measures | Current spend"],
        "leisure-management-options": ["In-house operation | Council carries operating risk | Direct control | Higher net cost",
                                       "Charitable trust | Trust dependent on council subsidy | Community focus | Rate relief savings"],
        "ict-managed-service": ["Multi-supplier in-house integration | Depends on two key staff | Variable | Lower contract cost"],
        "temporary-accommodation-framework": ["Spot purchase | Reliant on nightly availability | Uneven | Highest nightly rates"],
        "grounds-maintenance-retender": ["Extend current contract |  | Known standards | Inflation uplift"],
    }
    # `options` is a recent schema property: offer it only where the schema has it, so the layer loads either way
    with_options = "options" in schema().label("CommissioningDecision").properties
    for i, (slugged, title, service, resilience, quality, cost, option, body) in enumerate(decisions):
        key = f"decision:{slugged}"
        contract = latest(service)
        decided = contract["start"] - timedelta(days=120 + 30 * i)
        options = [f"{option} | {resilience or ''} | {quality} | {cost}", *alternatives[slugged]] if with_options else None
        layer.add(key, [node("CommissioningDecision", key, title=title, decided_on=decided, resilience=resilience, quality=quality,
                             cost=cost, chosen_option=option, options=options)],
                  [rel("DECIDES", key, contract["key"]), rel("DECIDES", key, f"service:{service}"), rel("APPROVES", body, key)])
