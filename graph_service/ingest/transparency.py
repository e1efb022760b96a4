"""Local Government Transparency Code 2015 files: spending over GBP 500 and the contracts register.

No two councils lay these out alike, and one council's changes month to month. Columns are
found by the names in settings/spend-columns.yaml (compared as letters and digits only, so
'Amount (£)' in any encoding is 'amount'). The header may sit below title lines or at the
bottom; repeated header rows, total rows and comma-only rows are skipped and counted. A spend
file without a header row has its columns recognised from their contents. A real .xls workbook
is read like a CSV (csvutil.rows).

Every file is read in three streamed passes, so memory does not grow with it: one finds the
header, one surveys the rows (which bodies they name, which way round the dates are written),
one yields the records.

Who published a file is never assumed. Each row is attributed to the body it names (a council's
name, GSS/SNAC code or URI becomes its GB-LAE code through councils.py; another body, such as
an ALMO in a council's file, is itself), or to the `publisher` the caller names. A file that
names no publisher, or only one the register cannot resolve ('SMBC', 'OCC'), is refused.

Spend lines become Payments keyed by a digest of the line (payer, transaction, supplier, date,
amount, ...) and its occurrence, so identical lines stay distinct and reloading or
re-publishing a month adds nothing. A redacted payee is recorded as `payee_redacted`, never as
a supplier named 'REDACTED'.
"""
from __future__ import annotations

import hashlib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from graph_service.errors import BadRequest, UnreadableInput
from graph_service.ingest.councils import council, council_code
from graph_service.ingest.csvutil import (_NUMERIC_DATE, Row, Values, cell, date_order, header_name, header_names,
                                          map_columns, parse_amount, parse_date, parse_month, rows)
from graph_service.ingest.identifiers import normalise_identifier
from graph_service.ingest.resolver import org_node
from graph_service.ingest.pipeline import Item
from graph_service.records import Provenance
from graph_service.schema import slug

COLUMNS_FILE = Path(__file__).resolve().parents[1] / "settings" / "spend-columns.yaml"
HEADER_SEARCH_ROWS = 30  # title lines and report preambles (Lambeth: 9) stand above the header
GUESS_SAMPLE = 200  # rows a headerless file's columns are recognised from
MAX_BODIES = 1000  # distinct publisher values surveyed; more is not a council's file
LEGAL_FORM = re.compile(r"\b(ltd|limited|plc|llp|cic|council|trust|group|services|association|charity|society|partnership|"
                        r"company|co|inc|llc)\b\.?", re.IGNORECASE)
TOTAL = re.compile(r"(grand\s+|sub\s*-?\s*)?totals?:?|sum of .*", re.IGNORECASE)
REDACTED = re.compile(r"\bredact(ed)?\b|^\*{3,}$", re.IGNORECASE)  # Craven redacts with a row of asterisks
HOW_TO_NAME = ("name it with 'graph-service ingest PATH --publisher ORG-ID' (a council's GB-LAE code such as "
               "GB-LAE-DAC, its GSS code or its name) or the 'publisher' form field of POST /api/v1/ingest")


@lru_cache(maxsize=1)
def layouts() -> dict[str, dict[str, tuple[str, ...]]]:
    """settings/spend-columns.yaml: each kind's field -> the header names that mean it (header_name form)."""
    raw = yaml.safe_load(COLUMNS_FILE.read_text(encoding="utf-8"))
    return {kind: {f: tuple(dict.fromkeys(header_name(str(n)) for n in names)) for f, names in fields.items()}
            for kind, fields in raw.items()}


# the two layouts, as the rest of the package has always named them
class _Layout(dict):
    def __init__(self, kind: str):
        super().__init__(layouts()[kind])


SPEND = _Layout("spend")
CONTRACTS = _Layout("contracts")


def publisher_org_id(text: str | None) -> str | None:
    """The org-id a caller's `publisher` names: a council's code, GSS code, URI or name, or any org-id."""
    value = (text or "").strip()
    if not value:
        return None
    code = council_code(value)
    if code:
        return code
    ident = normalise_identifier(None, value)
    if ident and re.fullmatch(r"(GB|XI)-[A-Z]+-\S+", ident, re.IGNORECASE):
        return ident
    raise BadRequest(f"publisher {value!r} is neither an organisation identifier (such as GB-LAE-DAC) nor a council "
                     "the local-authority register knows by that name or code")


# -- the file's shape -------------------------------------------------------------------------------
@dataclass
class _Shape:
    columns: dict[str, int]
    header: list[str] | None  # header_names form; None for a headerless file
    labels: list[str]  # the header as published
    header_line: int | None
    at_bottom: bool = False
    width: int = 0  # columns up to the last named one: a cut-short last row has fewer
    preamble: int = 0  # lines with content above a header at the top


def _known(synonyms: dict[str, tuple[str, ...]]) -> set[str]:
    return {name for names in synonyms.values() for name in names}


def _is_header(cells: list[str], synonyms: dict[str, tuple[str, ...]], needed: set[str]) -> bool:
    names = header_names(cells)
    return sum(n in _known(synonyms) for n in names) >= 2 and needed <= set(map_columns(cells, synonyms))


def _shape(path: Path, kind: str, needed: set[str], what: str, guess: bool) -> _Shape:
    """Where the header is: the first row naming the needed columns, with data below it (a header at the
    top, under any title lines) or with nothing below it (a header at the bottom)."""
    synonyms = layouts()[kind]
    sample: list[Row] = []
    before = 0
    found: Row | None = None
    data_below = False
    for row in rows(path):
        blank = not any(c.strip() for c in row.cells)
        if found is None:
            if not blank and _is_header(row.cells, synonyms, needed):
                found = row
            elif not blank:
                before += 1
                if len(sample) < GUESS_SAMPLE:
                    sample.append(row)
        elif not blank and header_names(row.cells) != header_names(found.cells):
            data_below = True
            break
    if found is None:
        if not sample:
            raise UnreadableInput(f"{path.name}: the file has no rows")
        best = max(sample[:HEADER_SEARCH_ROWS], key=lambda r: sum(n in _known(synonyms) for n in header_names(r.cells)))
        if sum(n in _known(synonyms) for n in header_names(best.cells)) >= 2:
            missing = needed - set(map_columns(best.cells, synonyms))
            raise UnreadableInput(f"{path.name}: line {best.line}: no {', '.join(sorted(missing))} column in the header "
                                  f"{[c for c in best.cells if c.strip()]} for a {what}; a council can add its name for "
                                  "it to graph_service/settings/spend-columns.yaml")
        if guess:
            return _Shape(_guess_columns(path, sample), None, [], None)
        raise UnreadableInput(f"{path.name}: no header row naming the columns of a {what}")
    names = header_names(found.cells)
    named = [i for i, n in enumerate(names) if n]
    at_bottom = not data_below and before > 0
    return _Shape(map_columns(found.cells, synonyms), names, found.cells, found.line, at_bottom=at_bottom,
                  width=named[-1] + 1 if named else 0, preamble=0 if at_bottom else before)


def _guess_columns(path: Path, rows_: list[Row]) -> dict[str, int]:
    """A headerless spend file's supplier, amount, date and council columns, from what their cells hold."""
    sample = [r.cells for r in rows_]
    width = max(len(r) for r in sample)

    def share(index: int, test) -> float:
        cells = [r[index].strip() for r in sample if index < len(r) and r[index].strip()]
        return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0

    def is_date(text: str) -> bool:
        try:
            return parse_date(text) is not None
        except ValueError:
            return False

    def is_amount(text: str) -> bool:
        try:
            return parse_amount(text) is not None and "." in text
        except ValueError:
            return False

    def distinct(index: int) -> int:
        return len({r[index].strip() for r in sample if index < len(r)})

    dates = [i for i in range(width) if share(i, is_date) > 0.8]
    amounts = [i for i in range(width) if i not in dates and share(i, is_amount) > 0.8]
    texts = [i for i in range(width) if i not in dates + amounts and share(i, lambda c: bool(re.search(r"[A-Za-z]{3}", c))) > 0.8]
    if not dates or not amounts or not texts:
        raise UnreadableInput(f"{path.name}: no header row, and the columns do not look like spending "
                              "(a date, an amount with pence and a supplier name)")
    columns = {"paid_on": max(dates, key=lambda i: (distinct(i), i)), "amount": amounts[0],
               "supplier": max(texts, key=lambda i: (share(i, lambda c: bool(LEGAL_FORM.search(c))), distinct(i)))}
    payer = [i for i in texts if i != columns["supplier"] and distinct(i) == 1
             and share(i, lambda c: "council" in c.lower()) == 1.0]
    if payer:
        columns["payer"] = payer[0]
    return columns


def looks_like_spend(path: Path) -> bool:
    """Whether a file without a recognised header reads as spending (for format detection)."""
    try:
        _shape(path, "spend", {"supplier", "amount"}, "spend file", guess=True)
    except UnreadableInput:
        return False
    return True


# -- rows that are not records ------------------------------------------------------------------------
def _skip(row: Row, shape: _Shape, amount_field: str, core: tuple[str, ...]) -> str | None:
    """Why a row is no record (a reason counted in the report), or None for a record."""
    if not any(c.strip() for c in row.cells):
        return "comma-only rows"
    if shape.header is not None and row.cells and header_name(row.cells[0]) == shape.header[0] \
            and header_names(row.cells) == shape.header:
        return "repeated header rows"
    if any(TOTAL.fullmatch(c.strip()) for c in row.cells if c.strip()):
        return "total rows"
    filled = {i for i, c in enumerate(row.cells) if c.strip()}
    if filled and filled <= {shape.columns.get(amount_field)}:
        return "unlabelled total rows"
    if not any(_raw(row, shape.columns, f) for f in core):
        return f"rows without {' or '.join(core)}"
    return None


# -- who published it -------------------------------------------------------------------------------
@dataclass
class _Body:
    code: str | None  # the org-id, or None for a body outside the register (an ALMO)
    name: str  # its name, as the register or the file gives it
    published: str | None  # the name the file gives, to keep as an alias


@dataclass
class _Attribution:
    bodies: dict[tuple[str, str], _Body]
    notes: list[str] = field(default_factory=list)


def _attribute(path: Path, found: Counter, columns: dict[str, int], labels: list[str],
               name_field: str, id_field: str, publisher: str | None) -> _Attribution:
    """Each (name, id) pair the file's body columns hold -> the body its rows belong to."""
    names = {n for n, _ in found if n}
    resolved = {n: council_code(n) for n in names}
    any_named_council = any(resolved.values())
    stated = {code for code in resolved.values() if code} | {code for _, i in found if i and (code := council_code(i))}
    if publisher and stated and publisher not in stated:
        raise UnreadableInput(f"{path.name}: the file says it is {', '.join(sorted(stated))}'s, not {publisher}'s; "
                              "leave out --publisher or name the body the file names")
    bodies: dict[tuple[str, str], _Body] = {}
    unresolved: Counter = Counter()
    own: Counter = Counter()
    for (name, ident), count in found.items():
        code = resolved.get(name) if name else None
        if code:
            bodies[(name, ident)] = _Body(code, _official(code), name)
            continue
        if name and any_named_council:
            bodies[(name, ident)] = _Body(None, name, name)  # another body in a council's file (Leeds: an ALMO)
            own[name] += count
            continue
        code = (council_code(ident) if ident else None) or publisher
        if code is None:
            unresolved[name or ident] += count
            continue
        bodies[(name, ident)] = _Body(code, _official(code), name if name and name != ident else None)
    if unresolved or not bodies:
        if not found.keys() - {("", "")}:
            raise UnreadableInput(f"{path.name}: the file does not say which body published it; {HOW_TO_NAME}")
        where = [h for h in (_header_of(labels, columns, name_field), _header_of(labels, columns, id_field)) if h]
        values = ", ".join(repr(v) for v, _ in unresolved.most_common(5))
        raise UnreadableInput(f"{path.name}: the file names its publisher as {values}"
                              f"{' (column ' + ' / '.join(where) + ')' if where else ''}, which is not a council name, "
                              f"code or URI in the local-authority register (abbreviations are never guessed); {HOW_TO_NAME}")
    attribution = _Attribution(bodies)
    by_code = Counter()
    for key, body in bodies.items():
        by_code[body.code or body.name] += found[key]
    attribution.notes.append("rows by paying body: " + ", ".join(f"{who} {n}" for who, n in by_code.most_common()))
    if own:
        attribution.notes.append("rows attributed to bodies outside the local-authority register: "
                                 + ", ".join(f"{name.strip()!r} ({n} rows)" for name, n in own.most_common()))
    return attribution


def _official(code: str) -> str:
    entry = council(code)
    return entry.name if entry else code


def _header_of(labels: list[str], columns: dict[str, int], name: str) -> str | None:
    return repr(labels[columns[name]].strip()) if name in columns and columns[name] < len(labels) else None


# -- the survey pass ----------------------------------------------------------------------------------
@dataclass
class _Survey:
    bodies: Counter = field(default_factory=Counter)
    month_first: bool = False
    order_note: str | None = None
    records: int = 0


def _survey(path: Path, shape: _Shape, date_field: str, name_field: str, id_field: str, amount_field: str,
            core: tuple[str, ...]) -> _Survey:
    survey = _Survey()
    proofs: dict[str, tuple[int, str]] = {}
    for row in _data_rows(path, shape):
        if _skip(row, shape, amount_field, core):
            continue
        survey.records += 1
        pair = (_raw(row, shape.columns, name_field), _raw(row, shape.columns, id_field))
        if pair in survey.bodies or len(survey.bodies) < MAX_BODIES:
            survey.bodies[pair] += 1
        else:
            raise UnreadableInput(f"{path.name}: row {row.line}: more than {MAX_BODIES} different paying bodies; "
                                  "not one body's file")
        text = _raw(row, shape.columns, date_field)
        numeric = _NUMERIC_DATE.match(text)
        if numeric:
            order = date_order(int(numeric.group(1)), int(numeric.group(3)))
            if order and order not in proofs:
                proofs[order] = (row.line, text)
    if "month-first" in proofs and "day-first" not in proofs:
        survey.month_first = True
        line, text = proofs["month-first"]
        survey.order_note = f"dates read as month/day/year: {text!r} at row {line} can be read no other way"
    return survey


def _data_rows(path: Path, shape: _Shape) -> Iterator[Row]:
    """The rows below the header (or above it, when it is at the bottom); the header itself left out."""
    for row in rows(path):
        if shape.header_line is None:
            yield row
        elif shape.at_bottom and row.line < shape.header_line:
            yield row
        elif not shape.at_bottom and row.line > shape.header_line:
            yield row


def _raw(row: Row, columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(row.cells):
        return ""
    return " ".join(row.cells[index].replace("\xa0", " ").split())


# -- the readers ----------------------------------------------------------------------------------------
class _Reader:
    """A file's records as Items; `skipped` and `notes` are complete once the items have been read."""

    kind = ""
    needed: set[str] = set()
    what = ""
    guess = False
    name_field = id_field = date_field = amount_field = ""
    core: tuple[str, ...] = ()  # a row with none of these holds no record

    def __init__(self, path: Path, publisher: str | None = None, progress: bool = False):
        self.path = path
        self.publisher = publisher_org_id(publisher) if publisher else None
        self.progress = progress
        self.skipped: Counter = Counter()
        self.notes: list[str] = []
        self.bar = None

    def __iter__(self) -> Iterator[Item]:
        shape = _shape(self.path, self.kind, self.needed, self.what, self.guess)
        survey = _survey(self.path, shape, self.date_field, self.name_field, self.id_field, self.amount_field, self.core)
        attribution = _attribute(self.path, survey.bodies, shape.columns, shape.labels, self.name_field, self.id_field,
                                 self.publisher)
        self.notes += attribution.notes + ([survey.order_note] if survey.order_note else [])
        if shape.preamble:
            self.skipped["lines above the header"] = shape.preamble
        self.bar = _bar(self.progress, survey.records, self.path.name)
        last: Row | None = None
        for row in _data_rows(self.path, shape):
            if last is not None:
                yield from self._record(last, shape, survey, attribution)
            last = row
        if last is not None:
            if not last.terminated and any(c.strip() for c in last.cells) and len(last.cells) < shape.width:
                locator = f"row {last.line}"
                yield Item(locator, Provenance(source=self.path.name, locator=locator), problem=(
                    "row", f"the file ends in the middle of this row ({len(last.cells)} of {shape.width} fields and no "
                    "line ending): it was cut short, so none of it is stored"))
            else:
                yield from self._record(last, shape, survey, attribution)
        if self.bar:
            self.bar.close()

    def _record(self, row: Row, shape: _Shape, survey: _Survey, attribution: _Attribution) -> Iterator[Item]:
        if self.bar:
            self.bar.update()
        reason = _skip(row, shape, self.amount_field, self.core)
        if reason:
            self.skipped[reason] += 1
            return
        body = attribution.bodies[(_raw(row, shape.columns, self.name_field), _raw(row, shape.columns, self.id_field))]
        yield self.item(row, shape.columns, body, survey.month_first)

    def item(self, row: Row, columns: dict[str, int], body: _Body, month_first: bool) -> Item:
        raise NotImplementedError


def _bar(progress: bool, total: int, name: str):
    """A progress bar on a terminal, shown only once a file has taken more than a few seconds."""
    if not progress or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="row", desc=name, file=sys.stderr, delay=3)


def _body_node(token: str, body: _Body) -> dict[str, Any]:
    if body.code:
        return org_node(token, body.name, [body.code], also_named=[body.published] if body.published else [])
    return org_node(token, body.name)


def _identifiers(row: list[str], columns: dict[str, int]) -> list[str | None]:
    """A company or charity number only where the cell holds one (a matching service's 'CQC-1-...' is neither);
    a number of the wrong length is passed on, for the resolver to refuse and report."""
    company = re.sub(r"^GB-COH-", "", cell(row, columns, "company") or "", flags=re.IGNORECASE).replace(" ", "")
    charity = re.sub(r"^(GB-)?CHC-", "", cell(row, columns, "charity") or "", flags=re.IGNORECASE).replace(" ", "")
    return [normalise_identifier("GB-COH", company) if re.fullmatch(r"([A-Za-z][A-Za-z0-9])?\d+[A-Za-z]?(\.0)?", company) else None,
            normalise_identifier("GB-CHC", charity) if re.fullmatch(r"\d{5,8}(\.0)?", charity) else None]


class SpendReader(_Reader):
    kind, needed, what, guess = "spend", {"supplier", "amount"}, "spend file (supplier and amount)", True
    name_field, id_field, date_field, amount_field = "payer", "payer_id", "paid_on", "amount"
    core = ("supplier", "amount", "paid_on")

    def __init__(self, path: Path, publisher: str | None = None, progress: bool = False):
        super().__init__(path, publisher, progress)
        self.seen: dict[bytes, int] = {}  # digest of a line -> how often it has occurred (identical lines stay distinct)

    def item(self, row: Row, columns: dict[str, int], body: _Body, month_first: bool) -> Item:
        cells = row.cells
        locator = f"row {row.line}"
        values = Values()
        payer = cell(cells, columns, "payer")
        raw_supplier = _raw(row, columns, "supplier")
        redacted = bool(REDACTED.search(raw_supplier) or REDACTED.search(_raw(row, columns, "redaction")))
        supplier = None if redacted else cell(cells, columns, "supplier")
        amount = values.amount("amount", cell(cells, columns, "amount"))
        values.require("amount", amount, "no amount (blank, 'NA' or redacted)")
        paid_text = cell(cells, columns, "paid_on")
        paid_in = parse_month(paid_text)
        paid_on = None if paid_in else self._date(values, paid_text, month_first)
        transaction = cell(cells, columns, "transaction")
        fingerprint = "\x1f".join(str(cell(cells, columns, f) or "") for f in
                                  ("payer", "transaction", "supplier", "supplier_id", "paid_on", "amount", "expense_type",
                                   "service_area", "purpose", "invoice"))
        line_digest = hashlib.sha1(fingerprint.encode()).digest()[:12]
        occurrence = self.seen[line_digest] = self.seen.get(line_digest, 0) + 1
        digest = hashlib.sha1(f"{fingerprint}\x1f{occurrence}".encode()).hexdigest()[:12]
        key = f"payment:{slug(payer or body.code or body.name)}/{slug(transaction) if transaction else 'line'}-{digest}"
        props = {"amount": amount, "paid_on": paid_on, "paid_in": paid_in, "transaction_id": transaction,
                 "service_area": cell(cells, columns, "service_area"), "expense_type": cell(cells, columns, "expense_type"),
                 "payee_redacted": True if redacted else None}
        nodes = [{"label": "Payment", "key": key, "props": {k: v for k, v in props.items() if v is not None}},
                 _body_node("?payer", body)]
        rels = [{"type": "PAID_BY", "start": key, "end": "?payer"}]
        if supplier:  # a redacted supplier (personal data) is a payment to no one we may name
            nodes.append(org_node("?supplier", supplier, _identifiers(cells, columns)))
            rels.append({"type": "PAID_TO", "start": key, "end": "?supplier"})
        return Item(locator, Provenance(source=self.path.name, locator=locator), nodes, rels, values.problem)

    @staticmethod
    def _date(values: Values, text: str | None, month_first: bool):
        try:
            return parse_date(text, month_first=month_first)
        except ValueError as exc:
            values.problem = values.problem or ("paid_on", str(exc))
            return None


class ContractsReader(_Reader):
    kind, needed, what, guess = "contracts", {"supplier"}, "contracts register (supplier and title or reference)", False
    name_field, id_field, date_field, amount_field = "buyer", "buyer_id", "start", "value"
    core = ("supplier", "title", "reference", "description")

    def __iter__(self) -> Iterator[Item]:
        shape = _shape(self.path, self.kind, self.needed, self.what, self.guess)
        if not {"title", "reference", "description"} & set(shape.columns):
            raise UnreadableInput(f"{self.path.name}: a contracts register needs a title, reference or description column")
        yield from super().__iter__()

    def item(self, row: Row, columns: dict[str, int], body: _Body, month_first: bool) -> Item:
        cells = row.cells
        locator = f"row {row.line}"
        values = Values()
        buyer = cell(cells, columns, "buyer")
        reference = cell(cells, columns, "reference")
        title = cell(cells, columns, "title") or cell(cells, columns, "description") or reference
        values.require("title", title, "a contract without a title, description or reference")
        supplier = cell(cells, columns, "supplier")
        start, end = values.date("start", cell(cells, columns, "start")), values.date("end", cell(cells, columns, "end"))
        ident = reference or f"{title}-{hashlib.sha1(f'{supplier}|{start}'.encode()).hexdigest()[:8]}"
        key = f"contract:{slug(buyer or body.code or body.name)}/{slug(ident)}"
        props = {"title": title, "value": values.amount("value", cell(cells, columns, "value")),
                 "currency": "GBP" if cell(cells, columns, "value") else None, "start_date": start, "end_date": end,
                 "status": cell(cells, columns, "status"), "procurement_method": cell(cells, columns, "procurement")}
        period = {k: v for k, v in (("valid_from", start), ("valid_to", end)) if v is not None}
        nodes = [{"label": "Contract", "key": key, "props": {k: v for k, v in props.items() if v is not None}},
                 _body_node("?buyer", body)]
        rels = [{"type": "BUYS", "start": "?buyer", "end": key, **period}]
        if supplier:
            nodes.append(org_node("?supplier", supplier, _identifiers(cells, columns)))
            rels.append({"type": "SUPPLIES", "start": "?supplier", "end": key, **period, "props": {"role": "supplier"}})
        else:
            values.require("supplier", None, "a contract without a supplier")
        return Item(locator, Provenance(source=self.path.name, locator=locator), nodes, rels, values.problem)


def read_spend(path: Path, publisher: str | None = None, progress: bool = False) -> SpendReader:
    return SpendReader(path, publisher, progress)


def read_contracts(path: Path, publisher: str | None = None, progress: bool = False) -> ContractsReader:
    return ContractsReader(path, publisher, progress)


def spend_or_contracts(header: list[str]) -> str | None:
    """Which Transparency Code file a header row belongs to, if either."""
    names = set(header_names(header))
    contracts = sum(bool(names & set(CONTRACTS[f])) for f in ("title", "start", "end", "reference", "description"))
    spend = sum(bool(names & set(SPEND[f])) for f in ("amount", "paid_on", "transaction", "expense_type"))
    if contracts >= 2 and names & set(CONTRACTS["supplier"]) and contracts >= spend:
        return "contracts-csv"
    if names & set(SPEND["supplier"]) and names & set(SPEND["amount"]):
        return "spend-csv"
    return None
