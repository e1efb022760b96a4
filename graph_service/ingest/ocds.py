"""Open Contracting Data Standard 1.1: release and record packages, bare releases and records,
JSON arrays of either, and JSON Lines of releases (Find a Tender, Contracts Finder).

Every release is kept in the store as published (an `OcdsRelease`, listed by its ocid's `OcdsRecord`),
and each contracting process is compiled from every release the store holds for its ocid, new and
old, by the OCDS merge rules (the `ocdsmerge` library, the standard's reference implementation).
Releases are merged in date order, ties broken by id and then content, so the process is the same
whatever order files arrive in, and loading a file again changes nothing.

What a process becomes:
- a `Tender` (`tender:<ocid>`) when it has a planning or tender section: what the buyer intends to
  buy, with its estimate and dates; a notice, never a contract;
- a `Contract` per award (`contract:<ocid>/<award id>`, its contracts folded in; a contract without
  an award is keyed by its own id): only awards and contracts make Contracts and supplier links;
- `BUYS` from the buyer the release names (`buyer`, else the parties with role buyer), never an
  assumed council; an award to several suppliers credits each `value_share` = value / suppliers;
- Payments from transactions, KpiRatings from UK KPI observations.
See docs/ocds.md for the stored shape the views read.
"""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import html
import json
import sqlite3
import tempfile
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

import ijson
from ocdsmerge import CompiledRelease
from ocdsmerge.exceptions import OCDSMergeError, OCDSMergeWarning
from ocdsmerge.rules import get_merge_rules

from graph_service.errors import UnreadableInput
from graph_service.ingest.csvutil import Values
from graph_service.ingest.identifiers import ORG_ID_LISTS, normalise_identifier
from graph_service.ingest.resolver import org_node
from graph_service.ingest.pipeline import Item
from graph_service.records import Provenance
from graph_service.schema import MAX_TEXT, slug
from graph_service.store.base import GraphStore

# Procurement Act 2023 KPI ratings (UK extension: contracts/implementation/metrics/observations/measureClassification)
KPI_RATINGS = {"met": "Good", "slightlyBelow": "Approaching target", "below": "Requires improvement",
               "significantlyBelow": "Inadequate", "other": "Other"}
RELEASE_SCHEMA = Path(__file__).with_name("ocds-release-schema-1.1.5.json")  # the merge rules come from it
MAX_DEPTH = 64  # OCDS nests about ten deep
MAX_RELEASES = 1000  # kept per ocid: a real process has a few dozen
OCID_CHUNK = 500  # ocids whose stored records are looked up at once
# release tags by the stage of the process they tell of
STAGES = ("planning", "tender", "award", "contract", "implementation")
TAG_STAGE = {"planning": "planning", "planningUpdate": "planning", "tender": "tender", "tenderAmendment": "tender",
             "tenderUpdate": "tender", "tenderCancellation": "tender", "award": "award", "awardUpdate": "award",
             "awardCancellation": "award", "contract": "contract", "contractUpdate": "contract",
             "contractAmendment": "contract", "contractTermination": "contract", "implementation": "implementation",
             "implementationUpdate": "implementation"}
PARTY_ID_SCHEMES = (*ORG_ID_LISTS, "GB-PPON")  # Public Procurement Organisation Numbers name Find a Tender's parties
Obj = dict[str, Any]


@dataclass(frozen=True)
class Release:
    """One release as published, and where it was first read (file and JSON path)."""

    data: Obj
    source: str
    locator: str

    @property
    def canonical(self) -> str:
        return canonical_json(self.data)

    @property
    def order(self) -> tuple[str, str, str]:
        """Date (as UTC, so +01:00 and Z compare as times), then id, then content: a total order."""
        return _utc(self.data.get("date")), str(self.data.get("id") or ""), self.canonical


def _utc(value: Any) -> str:
    text = str(value or "")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.astimezone(dt.timezone.utc).isoformat() if moment.tzinfo else moment.isoformat()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_key(ocid: str) -> str:
    return f"record:{_key_part(ocid)}"


def release_key(ocid: str, release: Obj) -> str:
    return f"release:{_key_part(ocid)}/{hashlib.sha256(canonical_json(release).encode()).hexdigest()[:20]}"


# -- compiling -----------------------------------------------------------------------------------
@cache
def _merge_rules() -> dict:
    return get_merge_rules(str(RELEASE_SCHEMA))


def compile_releases(releases: list[Obj]) -> Obj:
    """The compiled release of one ocid's releases, by the OCDS merge rules, the same in any order.

    Raises OCDSMergeError when releases disagree on a field's shape (an object in one, a list in another)."""
    merged = CompiledRelease(merge_rules=_merge_rules())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OCDSMergeWarning)  # duplicate ids in one array: merged as the rules say
        for release in sorted(releases, key=lambda r: Release(r, "", "").order):
            merged.append(release)
    return merged.asdict()


def read_ocds(path: Path, store: GraphStore | None = None) -> Iterator[Item]:
    """The items of one OCDS file, each contracting process compiled with the releases `store` holds."""
    opener = _opener(path)
    array, keys = check_bounds(opener, path.name)
    with _Spool() as spool:
        for where, obj in _objects(opener, path, array, keys):
            if not isinstance(obj, dict):
                raise UnreadableInput(f"{path.name}: {where} is not a JSON object")
            for locator, release, problem in _releases_of(where, obj):
                if problem:
                    yield Item(locator, Provenance(source=path.name, locator=locator), problem=problem)
                else:
                    spool.add(str(release["ocid"]), Release(release, path.name, locator))
        for chunk in spool.chunks(OCID_CHUNK):
            stored = store.labels({record_key(ocid) for ocid in chunk}) if store is not None else {}
            for ocid in chunk:
                held = _held(store, ocid) if record_key(ocid) in stored else []
                yield from _compile(path.name, ocid, held, spool.releases(ocid))


def _held(store: GraphStore, ocid: str) -> list[tuple[str, Release]]:
    """The releases of this ocid that earlier loads kept, with their keys."""
    record = store.get(record_key(ocid))
    found = []
    for key in (record.props.get("releases") or []) if record else []:
        node = store.get(key)
        if node is not None:
            found.append((key, Release(json.loads(node.props["published"]), node.provenance.source, node.provenance.locator)))
    return found


def _compile(source: str, ocid: str, held: list[tuple[str, Release]], fresh: list[Release]) -> Iterator[Item]:
    releases = dict(held)
    mine: list[str] = []  # keys of this file's releases, loaded before or not (a reload reports them unchanged)
    for release in fresh:
        key = release_key(ocid, release.data)
        if key in mine:
            continue  # twice in this file
        problem = None
        if len(release.canonical) > MAX_TEXT:
            problem = ("release", f"a release of {len(release.canonical)} characters is more than the {MAX_TEXT} kept")
        elif key not in releases and len(releases) >= MAX_RELEASES:
            problem = ("ocid", f"{ocid} already has {MAX_RELEASES} releases, the most kept for one process")
        if problem:
            yield Item(release.locator, Provenance(source=source, locator=release.locator), problem=problem)
            continue
        releases.setdefault(key, release)  # one loaded before keeps where it was first read
        mine.append(key)
        yield Item(release.locator, Provenance(source=source, locator=release.locator), [{
            "label": "OcdsRelease", "key": key, "props": {
                "ocid": ocid, "release_id": str(release.data.get("id") or ""), "date": str(release.data["date"]),
                "published": release.canonical}}])
    if not mine:
        return  # every release of it was refused above
    ordered = sorted(releases.values(), key=lambda r: r.order)
    latest = ordered[-1]
    try:
        compiled = _unescape(compile_releases([r.data for r in ordered]))
    except OCDSMergeError as exc:
        yield Item(latest.locator, Provenance(source=source, locator=latest.locator),
                   problem=("ocid", f"the releases of {ocid} cannot be merged: {exc}"))
        return
    where = fresh[-1].locator
    yield Item(where, Provenance(source=source, locator=where),
               [{"label": "OcdsRecord", "key": record_key(ocid), "props": {"ocid": ocid, "releases": sorted(releases)}}])
    yield from _process(compiled, ordered)


# -- reading -----------------------------------------------------------------------------------
def _opener(path: Path) -> Callable[[], BinaryIO]:
    """A function giving the file as a fresh UTF-8 byte stream: UTF-8 (a byte-order mark dropped) as it is,
    any other encoding (ISO-8859-1, Windows-1252) decoded and re-encoded as it is read."""
    encoding = _encoding(path)

    def open_utf8() -> BinaryIO:
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise UnreadableInput(f"{path.name}: could not be read: {exc.strerror or exc}") from exc
        if encoding == "utf-8":
            if raw.read(3) != codecs.BOM_UTF8:
                raw.seek(0)
            return raw
        return _Transcoded(raw, encoding)

    return open_utf8


def _encoding(path: Path) -> str:
    """utf-8 if the whole file decodes as UTF-8, else windows-1252, else iso-8859-1 (read in blocks)."""
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as f:
                while block := f.read(1 << 20):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise UnreadableInput(f"{path.name}: could not be read: {exc.strerror or exc}") from exc
    return "latin-1"


class _Transcoded:
    """A binary stream of another encoding, read as UTF-8."""

    def __init__(self, raw: BinaryIO, encoding: str):
        self.raw, self.decoder, self.pending = raw, codecs.getincrementaldecoder(encoding)(), b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.pending) < size:
            block = self.raw.read(1 << 16 if size < 0 else max(size, 1 << 12))
            self.pending += self.decoder.decode(block, final=not block).encode("utf-8")
            if not block:
                break
        if size < 0:
            size = len(self.pending)
        out, self.pending = self.pending[:size], self.pending[size:]
        return out

    def readline(self) -> bytes:
        while b"\n" not in self.pending:
            block = self.raw.read(1 << 12)
            self.pending += self.decoder.decode(block, final=not block).encode("utf-8")
            if not block:
                break
        cut = self.pending.find(b"\n") + 1 or len(self.pending)
        out, self.pending = self.pending[:cut], self.pending[cut:]
        return out

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def __enter__(self) -> "_Transcoded":
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()


def check_bounds(opener: Callable[[], BinaryIO], name: str) -> tuple[bool, set[str]]:
    """Refuse JSON nested more than MAX_DEPTH deep or with a string longer than MAX_TEXT anywhere in the
    file (every line of JSON Lines), before anything is built from it: ijson keeps every event's path.
    Returns whether the file is a JSON array, and its top-level keys, which tell a package from a record
    or a release."""
    depth = 0
    keys: set[str] = set()
    array = None
    try:
        with opener() as f:
            for prefix, event, value in ijson.parse(f, multiple_values=True):
                if array is None:
                    array = event == "start_array"
                if event == "map_key" and depth == 1 and not prefix:
                    keys.add(value)
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise UnreadableInput(f"{name}: JSON nested more than {MAX_DEPTH} levels deep (under "
                                              f"{prefix.split('.')[0] or 'the top'})")
                elif event in ("end_map", "end_array"):
                    depth -= 1
                elif event in ("string", "map_key") and len(value) > MAX_TEXT:
                    raise UnreadableInput(f"{name}: a JSON {'key' if event == 'map_key' else 'string'} at "
                                          f"{prefix or 'the top'} is {len(value)} characters, more than {MAX_TEXT}")
    except ijson.JSONError as exc:
        raise UnreadableInput(f"{name}: not valid JSON: {exc}") from exc
    return bool(array), keys


def _objects(opener: Callable[[], BinaryIO], path: Path, array: bool, keys: set[str]) -> Iterator[tuple[str, Any]]:
    """Each release or record in the file with its JSON path, streamed."""
    try:
        with opener() as f:
            if array:
                yield from ((f"[{i}]", o) for i, o in enumerate(ijson.items(f, "item", use_float=True)))
                return
            if _json_lines(opener):
                yield from _lines(opener, path)
                return
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


def _json_lines(opener: Callable[[], BinaryIO]) -> bool:
    """JSON Lines: the first line is a whole object and another object follows on its own line."""
    with opener() as f:
        first = f.readline()
        second = f.readline()
        while second and not second.strip():
            second = f.readline()
    try:
        return isinstance(json.loads(first), dict) and second.lstrip().startswith(b"{")
    except ValueError:
        return False


def _lines(opener: Callable[[], BinaryIO], path: Path) -> Iterator[tuple[str, Any]]:
    with opener() as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield f"line {number}", json.loads(line)
                except ValueError as exc:
                    raise UnreadableInput(f"{path.name}: line {number} is not a JSON object: {exc}") from exc


def _is_record(obj: Obj) -> bool:
    return "compiledRelease" in obj or "versionedRelease" in obj or ("releases" in obj and "tag" not in obj)


def _releases_of(where: str, obj: Obj) -> Iterator[tuple[str, Obj | None, tuple[str, str] | None]]:
    """(locator, release, problem) for each release a release or record gives: a record's embedded
    releases, else its compiledRelease (its releases only linked by URL)."""
    found: list[tuple[str, Any]] = []
    if _is_record(obj):
        embedded = [(f"{where}.releases[{i}]", r) for i, r in enumerate(obj.get("releases") or [])
                    if isinstance(r, dict) and "url" not in r]
        if embedded:
            found = embedded
        elif isinstance(obj.get("compiledRelease"), dict):
            found = [(f"{where}.compiledRelease", obj["compiledRelease"])]
        else:
            yield where, None, ("compiledRelease", "a record with neither embedded releases nor a compiledRelease")
            return
    else:
        found = [(where, obj)]
    for locator, release in found:
        if not isinstance(release, dict):
            yield locator, None, ("release", "a release is a JSON object")
        elif not release.get("ocid"):
            yield locator, None, ("ocid", "a release without an ocid belongs to no contracting process")
        elif not isinstance(release.get("date"), str) or not release["date"]:
            yield locator, None, ("date", "a release without a date cannot be placed among its process's releases")
        else:
            yield locator, release, None


class _Spool:
    """The file's releases grouped by ocid on disk (SQLite), so memory does not grow with the file."""

    def __enter__(self) -> "_Spool":
        self.folder = tempfile.TemporaryDirectory(prefix="graph-service-ocds-")
        self.db = sqlite3.connect(Path(self.folder.name) / "releases.db")
        self.db.execute("CREATE TABLE r (seq INTEGER PRIMARY KEY, ocid TEXT, locator TEXT, source TEXT, json TEXT)")
        self.db.execute("CREATE INDEX r_ocid ON r (ocid)")
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()
        self.folder.cleanup()

    def add(self, ocid: str, release: Release) -> None:
        self.db.execute("INSERT INTO r (ocid, locator, source, json) VALUES (?, ?, ?, ?)",
                        (ocid, release.locator, release.source, json.dumps(release.data)))

    def chunks(self, size: int) -> Iterator[list[str]]:
        cursor = self.db.execute("SELECT ocid FROM r GROUP BY ocid ORDER BY min(seq)")
        while rows := cursor.fetchmany(size):
            yield [ocid for (ocid,) in rows]

    def releases(self, ocid: str) -> list[Release]:
        rows = self.db.execute("SELECT json, source, locator FROM r WHERE ocid = ? ORDER BY seq", (ocid,)).fetchall()
        return [Release(json.loads(data), source, locator) for data, source, locator in rows]


def _unescape(value: Any) -> Any:
    """HTML entities in every text (L&amp;Q, Guy&#039;s) as the characters they stand for."""
    if isinstance(value, str):
        return html.unescape(value) if "&" in value else value
    if isinstance(value, dict):
        return {k: _unescape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unescape(v) for v in value]
    return value


# -- one contracting process -------------------------------------------------------------------
def _amount(value: Any) -> tuple[Any, Any]:
    value = value if isinstance(value, dict) else {}
    return value.get("amount"), value.get("currency")


def _key_part(value: Any) -> str:
    text = str(value)
    return text if text and all(c.isalnum() or c in "._-" for c in text) else slug(text)


def _identifiers(party: Obj) -> list[str]:
    """A party's org-ids: its identifier and additional identifiers, else its party id when that is an
    org-id (Find a Tender's `GB-PPON-...`), so a party with no name is kept under its identifier."""
    identifier = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    found = [normalise_identifier(identifier.get("scheme"), str(identifier.get("id") or ""))]
    found += [normalise_identifier(a.get("scheme"), str(a.get("id") or ""))
              for a in party.get("additionalIdentifiers") or [] if isinstance(a, dict)]
    found = [i for i in found if i]
    pid = str(party.get("id") or "")
    if not found and any(pid.upper().startswith(f"{scheme}-") for scheme in PARTY_ID_SCHEMES):
        found = [normalise_identifier(None, pid)]
    return found


def _org(token: str, party: Obj) -> dict[str, Any]:
    identifier = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    address = party.get("address") if isinstance(party.get("address"), dict) else {}
    return org_node(token, party.get("name") or identifier.get("legalName"), _identifiers(party),
                    address.get("postalCode"), also_named=[identifier.get("legalName")])


def _nameless(party: Obj) -> bool:
    identifier = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    return not str(party.get("name") or identifier.get("legalName") or "").strip() and not _identifiers(party)


def _origins(releases: list[Release]) -> dict[tuple, Release]:
    """The last release (in merge order) that published each award, contract, transaction and observation."""
    found: dict[tuple, Release] = {}
    for release in releases:
        data = release.data
        for kind in ("awards", "contracts"):
            for i, entry in enumerate(data.get(kind) or []):
                if isinstance(entry, dict) and "id" in entry:
                    found[(kind, str(entry["id"]))] = Release(data, release.source, f"{release.locator}.{kind}[{i}]")
        for i, contract in enumerate(data.get("contracts") or []):
            implementation = (contract or {}).get("implementation") or {}
            for t, tx in enumerate(implementation.get("transactions") or []):
                found[("transaction", str(contract.get("id")), str((tx or {}).get("id", t)))] = Release(
                    data, release.source, f"{release.locator}.contracts[{i}].implementation.transactions[{t}]")
            for m, metric in enumerate(implementation.get("metrics") or []):
                for o, obs in enumerate((metric or {}).get("observations") or []):
                    found[("observation", str(contract.get("id")), str(metric.get("id", m)), str((obs or {}).get("id", o)))] = \
                        Release(data, release.source,
                                f"{release.locator}.contracts[{i}].implementation.metrics[{m}].observations[{o}]")
        if data.get("tender") or data.get("planning"):
            found[("tender",)] = release
    return found


def _stage(releases: list[Release], compiled: Obj) -> str:
    stages = {TAG_STAGE.get(t) for r in releases for t in (r.data.get("tag") or []) if isinstance(t, str)}
    if compiled.get("awards"):
        stages.add("award")
    if compiled.get("contracts"):
        stages.add("contract")
    return max((s for s in stages if s), key=STAGES.index, default="tender" if compiled.get("tender") else "planning")


def _framework(compiled: Obj, award: Obj) -> bool:
    """A framework agreement, as the release says: techniques, or its method or title naming one (not a call-off)."""
    tender = compiled.get("tender") or {}
    techniques = tender.get("techniques") if isinstance(tender.get("techniques"), dict) else {}
    if techniques.get("hasFrameworkAgreement") is True or isinstance(techniques.get("frameworkAgreement"), dict):
        return True
    text = " ".join(str(t or "") for t in (tender.get("procurementMethodDetails"), tender.get("title"), award.get("title"))).lower()
    return "framework" in text and "call-off" not in text and "call off" not in text


def _notice_type(compiled: Obj) -> str | None:
    documents = [d for section in ("planning", "tender") for d in ((compiled.get(section) or {}).get("documents") or [])
                 if isinstance(d, dict) and d.get("noticeType")]
    if not documents:
        return None
    return str(max(documents, key=lambda d: str(d.get("datePublished") or ""))["noticeType"])


def _span(periods: list[Any]) -> tuple[Any, Any]:
    """The earliest start and latest end of some periods (a tender's lots)."""
    periods = [p for p in periods if isinstance(p, dict)]
    starts = [p["startDate"] for p in periods if p.get("startDate")]
    ends = [p["endDate"] for p in periods if p.get("endDate")]
    return (min(starts) if starts else None), (max(ends) if ends else None)


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None and v != ""}


def _ref_id(ref: Obj) -> str:
    """A party reference's id; an OCDS 1.0 reference without one by its identifier or name."""
    if ref.get("id") is not None:
        return str(ref["id"])
    identifier = ref.get("identifier") if isinstance(ref.get("identifier"), dict) else {}
    return f"unlisted:{identifier.get('scheme') or ''}/{identifier.get('id') or ref.get('name') or ''}"


def _process(compiled: Obj, releases: list[Release]) -> Iterator[Item]:
    ocid = str(compiled.get("ocid") or "")
    origins = _origins(releases)
    latest = releases[-1]
    parties = {str(p.get("id")): p for p in compiled.get("parties") or [] if isinstance(p, dict)}

    def stated(pick: Callable[[Obj, dict[str, Obj]], list[Any]]) -> list[tuple[str, Obj]]:
        """Every organisation any release names in this place (a union: the store never deletes, so a
        buyer or supplier one release names stays whatever order releases arrive in), each described by
        the compiled parties, else by the latest reference to it."""
        found: dict[str, Obj] = {}
        for release in releases:
            local = {str(p.get("id")): p for p in release.data.get("parties") or [] if isinstance(p, dict)}
            for ref in pick(release.data, local):
                if isinstance(ref, dict):
                    pid = _ref_id(ref)
                    found[pid] = _unescape({**ref, **parties[pid]} if pid in parties else ref)
        return list(found.items())

    def with_role(role: str) -> Callable[[Obj, dict[str, Obj]], list[Any]]:
        return lambda _, local: [p for p in local.values() if role in (p.get("roles") or [])]

    buyers = stated(lambda data, local: [data["buyer"]] if isinstance(data.get("buyer"), dict) else with_role("buyer")(data, local))
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    tender_key = f"tender:{_key_part(ocid)}"
    if tender or compiled.get("planning"):
        tenderers = stated(lambda data, local: [*((data.get("tender") or {}).get("tenderers") or []),
                                                *with_role("tenderer")(data, local)])
        yield _tender(compiled, tender, tender_key, buyers, tenderers, _stage(releases, compiled),
                      origins.get(("tender",), latest))

    units = _units(compiled)
    funders = stated(with_role("funder"))
    for unit_id, award, contracts in units:
        key = f"contract:{_key_part(ocid)}/{_key_part(unit_id)}"
        contract = contracts[0] if contracts else {}
        origin = (origins.get(("awards", str(award.get("id")))) if award else None) or \
            (origins.get(("contracts", str(contract.get("id")))) if contract else None) or latest
        values = Values()
        amounts = [_amount(c.get("value")) for c in contracts]
        if amounts and all(a is not None for a, _ in amounts) and len({c for _, c in amounts}) == 1:
            value, currency = sum(a for a, _ in amounts), amounts[0][1]
        else:
            value, currency = _amount(award.get("value"))
        period = contract.get("period") or award.get("contractPeriod") or tender.get("contractPeriod") or {}
        start, end = values.date("period.startDate", period.get("startDate")), values.date("period.endDate", period.get("endDate"))
        if award.get("id") is not None:
            suppliers = stated(lambda data, _: [s for a in data.get("awards") or [] if isinstance(a, dict)
                                                and str(a.get("id")) == str(award["id"]) for s in a.get("suppliers") or []])
        else:  # awards without ids cannot be told apart across releases: the compiled one's suppliers
            suppliers = [(_ref_id(s), {**s, **parties.get(_ref_id(s), {})}) for s in award.get("suppliers") or []
                         if isinstance(s, dict)]
        if not suppliers and len(units) == 1:
            suppliers = stated(with_role("supplier"))
        framework = _framework(compiled, award)
        share = value / len(suppliers) if isinstance(value, (int, float)) and suppliers else None
        props = {"title": contract.get("title") or award.get("title") or tender.get("title") or ocid, "ocid": ocid,
                 "value": value, "currency": currency, "start_date": start, "end_date": end,
                 "status": contract.get("status") or award.get("status"),
                 "procurement_method": tender.get("procurementMethod"), "framework": framework or None,
                 "value_is_ceiling": framework or None, "supplier_count": len(suppliers) or None, "value_share": share}
        nodes = [{"label": "Contract", "key": key, "props": _clean(props)}]
        rels = []
        # no valid_from/valid_to on these links: a relationship's identity includes valid_from, so a term a
        # later release corrects would leave a second link; the term is the Contract's start_date/end_date
        for role, rel_type, members in (("buyer", "BUYS", buyers), ("supplier", "SUPPLIES", suppliers),
                                        ("funder", "FUNDS", funders)):
            for pid, p in members:
                if _nameless(p):
                    yield _unnamed(origin, role, pid)
                    continue
                token = f"?{role}:{pid}"
                nodes.append(_org(token, p))
                rels.append({"type": rel_type, "start": token, "end": key,
                             **({"props": {"role": role}} if role == "supplier" else {})})
        yield Item(origin.locator, Provenance(source=origin.source, locator=origin.locator), nodes, rels, values.problem)
        for c in contracts:
            yield from _transactions(ocid, key, c, origins, latest, lambda ref: _party(ref, parties))
            yield from _ratings(ocid, key, c, origins, latest)


def _unnamed(origin: Release, role: str, pid: str) -> Item:
    """A located rejection of one party link, so the rest of the process is still stored."""
    locator = f"{origin.locator} ({role} {pid})"
    return Item(locator, Provenance(source=origin.source, locator=locator),
                problem=(role, f"a {role} with neither a name nor an identifier is not linked"))


def _party(ref: Any, parties: dict[str, Obj]) -> Obj | None:
    """A party from an organisation reference; an unlisted reference stands for itself (OCDS 1.0 style)."""
    if not isinstance(ref, dict):
        return None
    return {**ref, **parties[str(ref.get("id"))]} if str(ref.get("id")) in parties else ref


def _units(compiled: Obj) -> list[tuple[str, Obj, list[Obj]]]:
    """(id, award, its contracts) for each award, and each contract with no award it names, in a stable order."""
    awards = [a for a in compiled.get("awards") or [] if isinstance(a, dict)]
    units: dict[str, tuple[Obj, list[Obj]]] = {}
    for index, award in enumerate(awards):
        units[str(award["id"]) if award.get("id") is not None else f"award-{index + 1}"] = (award, [])
    for contract in sorted((c for c in compiled.get("contracts") or [] if isinstance(c, dict)), key=lambda c: str(c.get("id"))):
        unit = str(contract.get("awardID") if contract.get("awardID") is not None else contract.get("id"))
        units.setdefault(unit, ({}, []))[1].append(contract)
    return [(unit, award, contracts) for unit, (award, contracts) in units.items()]


def _tender(compiled: Obj, tender: Obj, key: str, buyers: list[tuple[str, Obj]], tenderers: list[tuple[str, Obj]],
            stage: str, origin: Release) -> Item:
    planning = compiled.get("planning") if isinstance(compiled.get("planning"), dict) else {}
    values = Values()
    value, currency = _amount(tender.get("value") or (planning.get("budget") or {}).get("amount"))
    minimum, _ = _amount(tender.get("minValue"))
    tender_period = tender.get("tenderPeriod") or {}
    contract_start, contract_end = _span([tender.get("contractPeriod")]) if tender.get("contractPeriod") else \
        _span([lot.get("contractPeriod") for lot in tender.get("lots") or [] if isinstance(lot, dict)])
    budget = planning.get("budget") if isinstance(planning.get("budget"), dict) else {}
    props = {"title": tender.get("title") or budget.get("project") or budget.get("description") or compiled.get("ocid"),
             "ocid": compiled.get("ocid"), "stage": stage, "status": tender.get("status"),
             "value": value, "currency": currency, "min_value": minimum,
             "tender_start": values.date("tender.tenderPeriod.startDate", tender_period.get("startDate")),
             "tender_end": values.date("tender.tenderPeriod.endDate", tender_period.get("endDate")),
             "contract_start": values.date("tender.contractPeriod.startDate", contract_start),
             "contract_end": values.date("tender.contractPeriod.endDate", contract_end),
             "procurement_method": tender.get("procurementMethod"),
             "procurement_method_details": tender.get("procurementMethodDetails"),
             "main_category": tender.get("mainProcurementCategory"), "notice_type": _notice_type(compiled),
             "framework": _framework(compiled, {}) or None}
    nodes = [{"label": "Tender", "key": key, "props": _clean(props)}]
    rels = []
    for role, rel_type, members in (("buyer", "BUYS", buyers), ("tenderer", "TENDERED_FOR", tenderers)):
        for pid, p in members:
            if _nameless(p):
                continue  # rejected once, with the contract's links; a notice's bidders say no more
            token = f"?{role}:{pid}"
            nodes.append(_org(token, p))
            rels.append({"type": rel_type, "start": token, "end": key})
    locator = origin.locator
    return Item(locator, Provenance(source=origin.source, locator=locator), nodes, rels, values.problem)


def _transactions(ocid: str, contract_key: str, contract: Obj, origins: dict[tuple, Release], latest: Release,
                  party) -> Iterator[Item]:
    implementation = contract.get("implementation") or {}
    for index, tx in enumerate(implementation.get("transactions") or []):
        if not isinstance(tx, dict):
            continue
        tx_id = str(tx.get("id", index))
        origin = origins.get(("transaction", str(contract.get("id")), tx_id), latest)
        amount, _ = _amount(tx.get("value") or tx.get("amount"))
        values = Values()
        amount = values.amount("value.amount", amount)
        values.require("value.amount", amount, "a transaction without an amount")
        key = f"payment:{_key_part(ocid)}/{_key_part(contract.get('id') or 'contract')}/{_key_part(tx_id)}"
        nodes = [{"label": "Payment", "key": key, "props": _clean({
            "amount": amount, "paid_on": values.date("date", tx.get("date")),
            "transaction_id": str(tx["id"]) if tx.get("id") is not None else None})}]
        rels = [{"type": "PAID_UNDER", "start": key, "end": contract_key}]
        for kind, ref, legacy in (("PAID_TO", tx.get("payee"), tx.get("receiverOrganization")),
                                  ("PAID_BY", tx.get("payer"), tx.get("providerOrganization"))):
            found = party(ref) or ({"identifier": legacy, "name": legacy.get("legalName")} if isinstance(legacy, dict) else None)
            if found:
                token = f"?{kind}"
                nodes.append(_org(token, found))
                rels.append({"type": kind, "start": key, "end": token})
        yield Item(origin.locator, Provenance(source=origin.source, locator=origin.locator), nodes, rels, values.problem)


def _ratings(ocid: str, contract_key: str, contract: Obj, origins: dict[tuple, Release], latest: Release) -> Iterator[Item]:
    implementation = contract.get("implementation") or {}
    for m, metric in enumerate(implementation.get("metrics") or []):
        metric = metric if isinstance(metric, dict) else {}
        for o, obs in enumerate(metric.get("observations") or []):
            obs = obs if isinstance(obs, dict) else {}
            classification = obs.get("measureClassification") or {}
            if not classification:
                continue  # a measured value, not a Procurement Act rating
            metric_id, obs_id = str(metric.get("id", m)), str(obs.get("id", o))
            origin = origins.get(("observation", str(contract.get("id")), metric_id, obs_id), latest)
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
            yield Item(origin.locator, Provenance(source=origin.source, locator=origin.locator),
                       nodes=[{"label": "KpiRating", "key": key, "props": _clean(props)}],
                       rels=[{"type": "RATED", "start": contract_key, "end": key}], problem=values.problem)
