"""Local Government Transparency Code 2015 CSVs: spending over GBP 500 and the contracts register.

No two councils lay these out alike, and one council's changes month to month. Columns
are found by any of their usual names (compared as letters and digits only, so
'Amount (£)' in any encoding is 'amount'); a title line above the header, blank lines,
empty columns, BOMs, Windows-1252 and bare CR endings are handled by csvutil. A spend
file without a header row has its columns recognised from their contents.

Spend lines become Payments keyed by a digest of the line (payer, transaction, supplier,
date, amount, ...) and its occurrence, so identical lines stay distinct and reloading
or re-publishing a month adds nothing. A file that does not name its council is the
store's own council's (the Organisation with is_council).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Iterator

from graph_service.errors import UnreadableInput
from graph_service.ingest.csvutil import (Values, cell, find_header, header_name, map_columns, parse_amount, parse_date,
                                          read_rows)
from graph_service.ingest.identity import council_node, normalise_identifier, org_node
from graph_service.ingest.pipeline import Item
from graph_service.records import Provenance
from graph_service.schema import slug

_ORG = ("organisationname", "organisationlabel", "organisation", "bodyname", "body", "council", "authority",
        "localauthority", "publisher")
_COMPANY = ("suppliercompanyregistrationnumber", "companyregistrationnumber", "companynumber", "companyno",
            "companieshousenumber", "companyregno")
_CHARITY = ("suppliercharityregistrationnumber", "charityregistrationnumber", "charitynumber", "charityno")
SPEND = {
    "payer": _ORG,
    "supplier": ("suppliername", "beneficiaryname", "vendorname", "payeename", "creditorname", "merchantname", "supplier",
                 "beneficiary", "vendor", "payee", "creditor"),
    "supplier_id": ("supplierid", "beneficiaryotherid", "vendorid", "vendornumber", "suppliercode", "suppliernumber",
                    "creditornumber", "supplierref"),
    "amount": ("amount", "netamount", "amountexcludingvat", "amountexvat", "amountgbp", "netvalue", "value", "totalamount",
               "grossamount", "amountpaid"),
    "paid_on": ("paymentdate", "dateofpayment", "datepaid", "paiddate", "transactiondate", "date", "invoicepaymentdate",
                "effectivedate"),
    "transaction": ("transactionnumber", "transactionid", "transactionref", "transactionreference", "transactionno",
                    "documentnumber", "paymentreference", "paymentref"),
    "service_area": ("serviceareacategorisation", "servicearea", "servicedivisionlabel", "servicedivision",
                     "servicecategorylabel", "organisationalunit", "department", "directorate", "responsibleunit",
                     "expensearea", "service", "costcentredescription", "costcentre"),
    "expense_type": ("expensestype", "expensetype", "expensetypes", "expensescategory", "expenditurecategory",
                     "proclasslabel", "procurementclassification", "expensedescription", "accountdescription",
                     "subjectivedescription", "subjective", "category"),
    "purpose": ("purpose", "purposeofspend", "purposeofexpenditure", "narrative", "description", "details"),
    "invoice": ("invoicenumber", "invoiceno", "invoiceref", "invoicereference"),
    "company": _COMPANY,
    "charity": _CHARITY,
}
CONTRACTS = {
    "buyer": _ORG,
    "reference": ("referencenumber", "contractreference", "contractreferencenumber", "contractref", "reference",
                  "contractid", "contractnumber", "contractno", "ref"),
    "title": ("titleofagreement", "contracttitle", "title", "contractname", "agreementtitle", "nameofcontract"),
    "description": ("descriptionofgoodsandservices", "descriptionofgoodsservices", "descriptionofthegoodsandservices",
                    "contractdescription", "description"),
    "supplier": ("suppliername", "supplier", "contractor", "contractorname", "providername", "provider", "vendorname"),
    "start": ("startdate", "contractstartdate", "commencementdate", "start"),
    "end": ("enddate", "contractenddate", "expirydate", "end", "finishdate"),
    "value": ("totalcontractvalue", "contractvalue", "valueofcontract", "totalvalue", "estimatedtotalvalue",
              "estimatedvalue", "value", "totalvalueofcontract"),
    "procurement": ("procurementprocess", "procurementmethod", "procurementroute", "routetomarket", "procurementtype"),
    "status": ("status", "contractstatus"),
    "company": _COMPANY,
    "charity": _CHARITY,
}
LEGAL_FORM = re.compile(r"\b(ltd|limited|plc|llp|cic|council|trust|group|services|association|charity|society|partnership|"
                        r"company|co|inc|llc)\b\.?", re.IGNORECASE)


def _table(path: Path, synonyms: dict[str, tuple[str, ...]], needed: set[str], what: str,
           guess: bool) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    rows = list(read_rows(path))
    if not rows:
        raise UnreadableInput(f"{path.name}: the file has no rows")
    known = {name for names in synonyms.values() for name in names}
    header_at = find_header(rows, known)
    if header_at is not None:
        columns = map_columns(rows[header_at][1], synonyms)
        missing = needed - set(columns)
        if missing:
            raise UnreadableInput(f"{path.name}: no {', '.join(sorted(missing))} column in the header "
                                  f"{[c for c in rows[header_at][1] if c.strip()]} for a {what}")
        return columns, rows[header_at + 1:]
    if guess:
        return _guess_columns(path, rows), rows
    raise UnreadableInput(f"{path.name}: no header row naming the columns of a {what}")


def _guess_columns(path: Path, rows: list[tuple[int, list[str]]]) -> dict[str, int]:
    """A headerless spend file's supplier, amount, date and council columns, from what their cells hold."""
    sample = [row for _, row in rows[:200]]
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


def _identifiers(row: list[str], columns: dict[str, int]) -> list[str | None]:
    return [normalise_identifier("GB-COH", cell(row, columns, "company")),
            normalise_identifier("GB-CHC", cell(row, columns, "charity"))]


def read_spend(path: Path) -> Iterator[Item]:
    columns, rows = _table(path, SPEND, {"supplier", "amount"}, "spend file (supplier and amount)", guess=True)
    seen: dict[str, int] = {}
    for line, row in rows:
        locator = f"row {line}"
        values = Values()
        payer = cell(row, columns, "payer")
        supplier = cell(row, columns, "supplier")
        raw_amount = cell(row, columns, "amount")
        amount = values.amount("amount", raw_amount)
        values.require("amount", amount, "no amount (blank, 'NA' or redacted)")
        paid_on = values.date("paid_on", cell(row, columns, "paid_on"))
        transaction = cell(row, columns, "transaction")
        fingerprint = "\x1f".join(str(cell(row, columns, f) or "") for f in
                                  ("payer", "transaction", "supplier", "supplier_id", "paid_on", "amount", "expense_type",
                                   "service_area", "purpose", "invoice"))
        occurrence = seen[fingerprint] = seen.get(fingerprint, 0) + 1
        digest = hashlib.sha1(f"{fingerprint}\x1f{occurrence}".encode()).hexdigest()[:12]
        key = f"payment:{slug(payer or 'council')}/{slug(transaction) if transaction else 'line'}-{digest}"
        props = {"amount": amount, "paid_on": paid_on, "transaction_id": transaction,
                 "service_area": cell(row, columns, "service_area"), "expense_type": cell(row, columns, "expense_type")}
        nodes = [{"label": "Payment", "key": key, "props": {k: v for k, v in props.items() if v is not None}},
                 org_node("?payer", payer) if payer else council_node("?payer")]
        rels = [{"type": "PAID_BY", "start": key, "end": "?payer"}]
        if supplier:  # a redacted supplier (personal data) is a payment to no one we may name
            nodes.append(org_node("?supplier", supplier, _identifiers(row, columns)))
            rels.append({"type": "PAID_TO", "start": key, "end": "?supplier"})
        yield Item(locator, Provenance(source=path.name, locator=locator), nodes, rels, values.problem)


def read_contracts(path: Path) -> Iterator[Item]:
    columns, rows = _table(path, CONTRACTS, {"supplier"}, "contracts register (supplier and title or reference)",
                           guess=False)
    if not {"title", "reference", "description"} & set(columns):
        raise UnreadableInput(f"{path.name}: a contracts register needs a title, reference or description column")
    for line, row in rows:
        locator = f"row {line}"
        values = Values()
        buyer = cell(row, columns, "buyer")
        reference = cell(row, columns, "reference")
        title = cell(row, columns, "title") or cell(row, columns, "description") or reference
        values.require("title", title, "a contract without a title, description or reference")
        supplier = cell(row, columns, "supplier")
        start, end = values.date("start", cell(row, columns, "start")), values.date("end", cell(row, columns, "end"))
        ident = reference or f"{title}-{hashlib.sha1(f'{supplier}|{start}'.encode()).hexdigest()[:8]}"
        key = f"contract:{slug(buyer or 'council')}/{slug(ident)}"
        props = {"title": title, "value": values.amount("value", cell(row, columns, "value")),
                 "currency": "GBP" if cell(row, columns, "value") else None, "start_date": start, "end_date": end,
                 "status": cell(row, columns, "status"), "procurement_method": cell(row, columns, "procurement")}
        period = {k: v for k, v in (("valid_from", start), ("valid_to", end)) if v is not None}
        nodes = [{"label": "Contract", "key": key, "props": {k: v for k, v in props.items() if v is not None}},
                 org_node("?buyer", buyer) if buyer else council_node("?buyer")]
        rels = [{"type": "BUYS", "start": "?buyer", "end": key, **period}]
        if supplier:
            nodes.append(org_node("?supplier", supplier, _identifiers(row, columns)))
            rels.append({"type": "SUPPLIES", "start": "?supplier", "end": key, **period, "props": {"role": "supplier"}})
        else:
            values.require("supplier", None, "a contract without a supplier")
        yield Item(locator, Provenance(source=path.name, locator=locator), nodes, rels, values.problem)


def spend_or_contracts(header: list[str]) -> str | None:
    """Which Transparency Code file a header row belongs to, if either."""
    names = {header_name(c) for c in header}
    contracts = sum(bool(names & set(CONTRACTS[f])) for f in ("title", "start", "end", "reference", "description"))
    spend = sum(bool(names & set(SPEND[f])) for f in ("amount", "paid_on", "transaction", "expense_type"))
    if contracts >= 2 and names & set(CONTRACTS["supplier"]) and contracts >= spend:
        return "contracts-csv"
    if names & set(SPEND["supplier"]) and names & set(SPEND["amount"]):
        return "spend-csv"
    return None
