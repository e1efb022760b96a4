"""Open Contracting Data Standard 1.1: release and record packages, bare releases and records,
JSON arrays of either, and JSON Lines of releases (Find a Tender, Contracts Finder).

Files are streamed with ijson, one release or record at a time. Releases of one
contracting process (`ocid`) are merged in date order, as OCDS compiles them: later
values replace earlier ones, arrays of objects merge by `id`, null removes a value.
A record's own compiledRelease is used as published.

Keys: a process becomes one Contract `contract:<ocid>`; a process with several
contracts (or, before contracts exist, several awards) becomes one Contract per
contract or award, `contract:<ocid>/<id>`. Transactions become Payments
`payment:<ocid>/<contract id>/<transaction id>`, UK KPI observations KpiRatings.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import ijson

from graph_service.errors import UnreadableInput
from graph_service.ingest.csvutil import Values
from graph_service.ingest.identity import normalise_identifier, org_node
from graph_service.ingest.pipeline import Item
from graph_service.records import Provenance
from graph_service.schema import slug

# Procurement Act 2023 KPI ratings (UK extension: contracts/implementation/metrics/observations/measureClassification)
KPI_RATINGS = {"met": "Good", "slightlyBelow": "Approaching target", "below": "Requires improvement",
               "significantlyBelow": "Inadequate", "other": "Other"}
ROLE_RELATIONSHIP = {"buyer": "BUYS", "supplier": "SUPPLIES", "tenderer": "SUPPLIES", "funder": "FUNDS"}
Obj = dict[str, Any]


def read_ocds(path: Path) -> Iterator[Item]:
    processes: dict[str, list[tuple[str, int, str, Obj]]] = {}  # ocid -> (date, order, path, release)
    compiled: list[tuple[str, Obj, dict[tuple, str]]] = []
    for order, (where, obj) in enumerate(_objects(path)):
        if not isinstance(obj, dict):
            raise UnreadableInput(f"{path.name}: {where} is not a JSON object")
        if "compiledRelease" in obj or "versionedRelease" in obj or ("releases" in obj and "tag" not in obj):
            release = obj.get("compiledRelease")
            if isinstance(release, dict):
                compiled.append((f"{where}.compiledRelease", release, _locators(release, f"{where}.compiledRelease")))
                continue
            for index, embedded in enumerate(obj.get("releases") or []):
                if isinstance(embedded, dict) and embedded.get("ocid") and "url" not in embedded:
                    processes.setdefault(embedded["ocid"], []).append(
                        (str(embedded.get("date") or ""), order, f"{where}.releases[{index}]", embedded))
            continue
        processes.setdefault(str(obj.get("ocid") or ""), []).append((str(obj.get("date") or ""), order, where, obj))
    for ocid, releases in processes.items():
        releases.sort(key=lambda r: (r[0], r[1]))
        merged: Obj = {}
        locators: dict[tuple, str] = {}
        for _, _, where, release in releases:
            merged = _merge(merged, release)
            locators.update(_locators(release, where))
        if not ocid:
            for _, _, where, _ in releases:
                yield Item(where, Provenance(source=path.name, locator=where),
                           problem=("ocid", "a release without an ocid belongs to no contracting process"))
            continue
        yield from _process(path.name, merged, locators, releases[-1][2])
    for where, release, locators in compiled:
        yield from _process(path.name, release, locators, where)


# -- reading -----------------------------------------------------------------------------------
def _objects(path: Path) -> Iterator[tuple[str, Any]]:
    """Each release or record in the file with its JSON path, streamed."""
    try:
        with path.open("rb") as f:
            head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
            f.seek(0)
            if head.startswith(b"["):
                yield from ((f"[{i}]", o) for i, o in enumerate(ijson.items(f, "item", use_float=True)))
                return
            if _json_lines(path):
                yield from _lines(path)
                return
            keys = {value for prefix, event, value in ijson.parse(f, use_float=True) if prefix == "" and event == "map_key"}
            f.seek(0)
            if "records" in keys:
                yield from ((f"records[{i}]", o) for i, o in enumerate(ijson.items(f, "records.item", use_float=True)))
            elif keys & {"compiledRelease", "versionedRelease"} or {"releases", "ocid"} <= keys:
                yield "record", next(ijson.items(f, "", use_float=True))
            elif "releases" in keys:
                yield from ((f"releases[{i}]", o) for i, o in enumerate(ijson.items(f, "releases.item", use_float=True)))
            elif "ocid" in keys:
                yield "release", next(ijson.items(f, "", use_float=True))
            else:
                raise UnreadableInput(f"{path.name}: not OCDS: no releases, records or ocid at the top level")
    except ijson.JSONError as exc:
        raise UnreadableInput(f"{path.name}: not valid JSON: {exc}") from exc
    except OSError as exc:
        raise UnreadableInput(f"{path.name}: could not be read: {exc.strerror or exc}") from exc


def _json_lines(path: Path) -> bool:
    """JSON Lines: the first line is a whole object and another object follows on its own line."""
    with path.open("rb") as f:
        first = f.readline()
        second = f.readline()
        while second and not second.strip():
            second = f.readline()
    try:
        return isinstance(json.loads(first), dict) and second.lstrip().startswith(b"{")
    except ValueError:
        return False


def _lines(path: Path) -> Iterator[tuple[str, Any]]:
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield f"line {number}", json.loads(line)
                except ValueError as exc:
                    raise UnreadableInput(f"{path.name}: line {number} is not a JSON object: {exc}") from exc


def _merge(old: Any, new: Any) -> Any:
    """OCDS merging: objects field by field, arrays of identified objects by id, null unsets."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(old)
        for name, value in new.items():
            if value is None:
                out.pop(name, None)
            else:
                out[name] = _merge(old.get(name), value)
        return out
    if isinstance(old, list) and isinstance(new, list) and _identified(old) and _identified(new):
        by_id = {str(x["id"]): x for x in old}
        for entry in new:
            by_id[str(entry["id"])] = _merge(by_id.get(str(entry["id"])), entry)
        return list(by_id.values())
    return new


def _identified(values: list[Any]) -> bool:
    return all(isinstance(v, dict) and "id" in v for v in values)


def _locators(release: Obj, where: str) -> dict[tuple, str]:
    """Where each party, award, contract, transaction and observation was last published."""
    found: dict[tuple, str] = {}
    for kind in ("parties", "awards", "contracts"):
        for i, entry in enumerate(release.get(kind) or []):
            if isinstance(entry, dict) and "id" in entry:
                found[(kind, str(entry["id"]))] = f"{where}.{kind}[{i}]"
    for i, contract in enumerate(release.get("contracts") or []):
        implementation = (contract or {}).get("implementation") or {}
        for t, tx in enumerate(implementation.get("transactions") or []):
            found[("transaction", str(contract.get("id")), str((tx or {}).get("id", t)))] = \
                f"{where}.contracts[{i}].implementation.transactions[{t}]"
        for m, metric in enumerate(implementation.get("metrics") or []):
            for o, obs in enumerate((metric or {}).get("observations") or []):
                found[("observation", str(contract.get("id")), str(metric.get("id", m)), str((obs or {}).get("id", o)))] = \
                    f"{where}.contracts[{i}].implementation.metrics[{m}].observations[{o}]"
    return found


# -- one contracting process -------------------------------------------------------------------
def _amount(value: Any) -> tuple[Any, Any]:
    value = value if isinstance(value, dict) else {}
    return value.get("amount"), value.get("currency")


def _key_part(value: Any) -> str:
    text = str(value)
    return text if text and all(c.isalnum() or c in "._-" for c in text) else slug(text)


def _org(token: str, party: Obj) -> dict[str, Any]:
    identifier = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    identifiers = [normalise_identifier(identifier.get("scheme"), str(identifier.get("id") or ""))]
    identifiers += [normalise_identifier(a.get("scheme"), str(a.get("id") or ""))
                    for a in party.get("additionalIdentifiers") or [] if isinstance(a, dict)]
    address = party.get("address") if isinstance(party.get("address"), dict) else {}
    return org_node(token, party.get("name") or identifier.get("legalName"), identifiers,
                    address.get("postalCode"), also_named=[identifier.get("legalName")])


def _process(source: str, release: Obj, locators: dict[tuple, str], where: str) -> Iterator[Item]:
    ocid = str(release.get("ocid") or "")
    parties = {str(p.get("id")): p for p in release.get("parties") or [] if isinstance(p, dict)}

    def party(ref: Any) -> Obj | None:
        """A party from an organisation reference; an unlisted reference stands for itself (OCDS 1.0 style)."""
        if not isinstance(ref, dict):
            return None
        return {**ref, **parties[str(ref.get("id"))]} if str(ref.get("id")) in parties else ref

    tender = release.get("tender") or {}
    awards = {str(a.get("id")): a for a in release.get("awards") or [] if isinstance(a, dict)}
    contracts = [c for c in release.get("contracts") or [] if isinstance(c, dict)]
    if len(contracts) > 1:
        units = [(c, awards.get(str(c.get("awardID"))), ("contracts", str(c.get("id")))) for c in contracts]
    elif contracts:
        units = [(contracts[0], awards.get(str(contracts[0].get("awardID"))), ("contracts", str(contracts[0].get("id"))))]
    elif len(awards) > 1:
        units = [({}, a, ("awards", i)) for i, a in awards.items()]
    else:
        award = next(iter(awards.values()), None)
        units = [({}, award, ("awards", str(award.get("id"))) if award else None)]
    several = len(units) > 1

    by_role: dict[str, list[tuple[str, Obj]]] = {}
    for pid, p in parties.items():
        for role in p.get("roles") or []:
            by_role.setdefault(role, []).append((pid, p))
    buyer = party(release.get("buyer"))
    if buyer and str(buyer.get("id")) not in {pid for pid, _ in by_role.get("buyer", [])}:
        by_role.setdefault("buyer", []).append((str(buyer.get("id")), buyer))
    for ref in tender.get("tenderers") or []:
        p = party(ref)
        if p and str(p.get("id")) not in {pid for pid, _ in by_role.get("tenderer", [])}:
            by_role.setdefault("tenderer", []).append((str(p.get("id")), p))

    for contract, award, ref in units:
        award = award or {}
        unit_id = contract.get("id") or award.get("id")
        key = f"contract:{_key_part(ocid)}" + (f"/{_key_part(unit_id)}" if several else "")
        locator = locators.get(ref, where) if ref else where
        value, currency = _amount(contract.get("value") or award.get("value") or tender.get("value"))
        period = contract.get("period") or award.get("contractPeriod") or tender.get("contractPeriod") or {}
        values = Values()
        start, end = values.date("period.startDate", period.get("startDate")), values.date("period.endDate", period.get("endDate"))
        props = {"title": contract.get("title") or award.get("title") or tender.get("title") or ocid, "ocid": ocid,
                 "value": value, "currency": currency, "start_date": start, "end_date": end,
                 "status": contract.get("status") or award.get("status") or tender.get("status"),
                 "procurement_method": tender.get("procurementMethod")}
        nodes = [{"label": "Contract", "key": key, "props": {k: v for k, v in props.items() if v is not None}}]
        rels = []
        suppliers = [(str(s.get("id")), party(s)) for s in award.get("suppliers") or [] if isinstance(s, dict)]
        if not suppliers and not several:
            suppliers = by_role.get("supplier", [])
        winners = {pid for pid, _ in suppliers}  # a tenderer who won is a supplier
        roles = [("buyer", by_role.get("buyer", [])), ("supplier", suppliers),
                 ("tenderer", [(pid, p) for pid, p in by_role.get("tenderer", []) if pid not in winners]),
                 ("funder", by_role.get("funder", []))]
        period_props = {k: v for k, v in (("valid_from", start), ("valid_to", end)) if v is not None}
        for role, members in roles:
            for pid, p in members:
                token = f"?{role}:{pid}"
                nodes.append(_org(token, p))
                rels.append({"type": ROLE_RELATIONSHIP[role], "start": token, "end": key, **period_props,
                             **({"props": {"role": role}} if role in ("supplier", "tenderer") else {})})
        yield Item(locator, Provenance(source=source, locator=locator), nodes, rels, values.problem)
        yield from _transactions(source, ocid, key, contract, locators, where, party)
        yield from _ratings(source, ocid, key, contract, locators, where)


def _transactions(source: str, ocid: str, contract_key: str, contract: Obj, locators: dict[tuple, str], where: str,
                  party) -> Iterator[Item]:
    implementation = contract.get("implementation") or {}
    for index, tx in enumerate(implementation.get("transactions") or []):
        if not isinstance(tx, dict):
            continue
        tx_id = str(tx.get("id", index))
        locator = locators.get(("transaction", str(contract.get("id")), tx_id), where)
        amount, _ = _amount(tx.get("value") or tx.get("amount"))
        values = Values()
        amount = values.amount("value.amount", amount)
        values.require("value.amount", amount, "a transaction without an amount")
        key = f"payment:{_key_part(ocid)}/{_key_part(contract.get('id') or 'contract')}/{_key_part(tx_id)}"
        nodes = [{"label": "Payment", "key": key, "props": {k: v for k, v in {
            "amount": amount, "paid_on": values.date("date", tx.get("date")),
            "transaction_id": str(tx["id"]) if tx.get("id") is not None else None}.items() if v is not None}}]
        rels = [{"type": "PAID_UNDER", "start": key, "end": contract_key}]
        for kind, ref, legacy in (("PAID_TO", tx.get("payee"), tx.get("receiverOrganization")),
                                  ("PAID_BY", tx.get("payer"), tx.get("providerOrganization"))):
            found = party(ref) or ({"identifier": legacy, "name": legacy.get("legalName")} if isinstance(legacy, dict) else None)
            if found:
                token = f"?{kind}"
                nodes.append(_org(token, found))
                rels.append({"type": kind, "start": key, "end": token})
        yield Item(locator, Provenance(source=source, locator=locator), nodes, rels, values.problem)


def _ratings(source: str, ocid: str, contract_key: str, contract: Obj, locators: dict[tuple, str],
             where: str) -> Iterator[Item]:
    implementation = contract.get("implementation") or {}
    for m, metric in enumerate(implementation.get("metrics") or []):
        metric = metric if isinstance(metric, dict) else {}
        for o, obs in enumerate(metric.get("observations") or []):
            obs = obs if isinstance(obs, dict) else {}
            classification = obs.get("measureClassification") or {}
            if not classification:
                continue  # a measured value, not a Procurement Act rating
            metric_id, obs_id = str(metric.get("id", m)), str(obs.get("id", o))
            locator = locators.get(("observation", str(contract.get("id")), metric_id, obs_id), where)
            key = (f"kpi:{_key_part(ocid)}/{_key_part(contract.get('id') or 'contract')}/"
                   f"{_key_part(metric_id)}/{_key_part(obs_id)}")
            values = Values()
            rating = KPI_RATINGS.get(str(classification.get("id")))
            if rating is None:
                values.problem = ("measureClassification.id", f"{classification.get('id')!r} is not a UK KPI rating; "
                                  f"expected one of {sorted(KPI_RATINGS)}")
            period_end = values.date("period.endDate", (obs.get("period") or {}).get("endDate"))
            values.require("period.endDate", period_end, "a KPI rating needs the end of the period it rates")
            props = {"kpi": metric.get("title") or metric.get("description") or metric_id, "rating": rating,
                     "period_end": period_end, "note": obs.get("notes") or classification.get("description")}
            yield Item(locator, Provenance(source=source, locator=locator),
                       nodes=[{"label": "KpiRating", "key": key, "props": {k: v for k, v in props.items() if v is not None}}],
                       rels=[{"type": "RATED", "start": contract_key, "end": key}], problem=values.problem)
