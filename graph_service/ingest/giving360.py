"""360Giving Data Standard grants, as JSON ({"grants": [...]}, streamed) or as the flat CSV
that publishers export from the spreadsheet template (column titles such as
`Recipient Org:Identifier`, or flattened paths such as `recipientOrganization/0/id`).

Each grant becomes a Grant (`grant:<360G id>`), FUNDS from the funder and RECEIVES by
the recipient, both for the grant's planned dates (or from its award date). A
recipient's charity and company numbers become GB-CHC / GB-COH identifiers beside its
own, so a charitable company published under a 360G id still meets its other records.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import ijson

from graph_service.errors import UnreadableInput
from graph_service.ingest.bounded import looks_like_json
from graph_service.ingest.csvutil import Values, find_header, header_name, map_columns, read_rows
from graph_service.ingest.identifiers import normalise_identifier
from graph_service.ingest.resolver import org_node
from graph_service.ingest.pipeline import Item
from graph_service.records import Provenance
from graph_service.schema import slug

# field -> (spreadsheet title, flattened JSON path); compared in csvutil.header_name form
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("Identifier", "id"),
    "title": ("Title", "title"),
    "description": ("Description", "description"),
    "currency": ("Currency", "currency"),
    "amount": ("Amount Awarded", "amountAwarded"),
    "award_date": ("Award Date", "awardDate"),
    "start_date": ("Planned Dates:Start Date", "plannedDates/0/startDate"),
    "end_date": ("Planned Dates:End Date", "plannedDates/0/endDate"),
    "recipient_id": ("Recipient Org:Identifier", "recipientOrganization/0/id"),
    "recipient_name": ("Recipient Org:Name", "recipientOrganization/0/name"),
    "recipient_charity": ("Recipient Org:Charity Number", "recipientOrganization/0/charityNumber"),
    "recipient_company": ("Recipient Org:Company Number", "recipientOrganization/0/companyNumber"),
    "recipient_postcode": ("Recipient Org:Postal Code", "recipientOrganization/0/postalCode"),
    "recipient_url": ("Recipient Org:Web Address", "recipientOrganization/0/url"),
    "funder_id": ("Funding Org:Identifier", "fundingOrganization/0/id"),
    "funder_name": ("Funding Org:Name", "fundingOrganization/0/name"),
    "funder_postcode": ("Funding Org:Postal Code", "fundingOrganization/0/postalCode"),
    "programme": ("Grant Programme:Title", "grantProgramme/0/title"),
}
SYNONYMS = {field: tuple(header_name(name) for name in names) for field, names in COLUMNS.items()}
MARKERS = {SYNONYMS["recipient_id"][0], SYNONYMS["recipient_id"][1], SYNONYMS["funder_id"][0], SYNONYMS["funder_id"][1]}


def read_360giving(path: Path) -> Iterator[Item]:
    if looks_like_json(path):  # ingest.read has checked its depth and strings (ingest/bounded.py)
        yield from _read_json(path)
    else:
        yield from _read_csv(path)


def _read_json(path: Path) -> Iterator[Item]:
    try:
        with path.open("rb") as f:
            for index, grant in enumerate(ijson.items(f, "grants.item", use_float=True)):
                yield _grant(path.name, f"grants[{index}]", _flatten(grant if isinstance(grant, dict) else {}))
    except ijson.JSONError as exc:
        raise UnreadableInput(f"{path.name}: not valid JSON: {exc}") from exc


def _flatten(grant: dict[str, Any]) -> dict[str, Any]:
    """A JSON grant in the flat form the CSV has: the first recipient, funder, plan and programme."""

    def first(name: str) -> dict[str, Any]:
        values = grant.get(name)
        return values[0] if isinstance(values, list) and values and isinstance(values[0], dict) else {}

    recipient, funder, plan, programme = (first("recipientOrganization"), first("fundingOrganization"),
                                          first("plannedDates"), first("grantProgramme"))
    return {"id": grant.get("id"), "title": grant.get("title"), "description": grant.get("description"),
            "currency": grant.get("currency"), "amount": grant.get("amountAwarded"), "award_date": grant.get("awardDate"),
            "start_date": plan.get("startDate"), "end_date": plan.get("endDate"),
            "recipient_id": recipient.get("id"), "recipient_name": recipient.get("name"),
            "recipient_charity": recipient.get("charityNumber"), "recipient_company": recipient.get("companyNumber"),
            "recipient_postcode": recipient.get("postalCode"), "recipient_url": recipient.get("url"),
            "funder_id": funder.get("id"), "funder_name": funder.get("name"), "funder_postcode": funder.get("postalCode"),
            "programme": programme.get("title")}


def _read_csv(path: Path) -> Iterator[Item]:
    rows = list(read_rows(path))
    header_at = find_header(rows, MARKERS, minimum=1)
    if header_at is None:
        raise UnreadableInput(f"{path.name}: not 360Giving: no 'Recipient Org:Identifier' or 'Funding Org:Identifier' column")
    columns = map_columns(rows[header_at][1], SYNONYMS)
    for line, row in rows[header_at + 1:]:
        record = {field: (row[i].strip() if i < len(row) and row[i].strip() else None) for field, i in columns.items()}
        yield _grant(path.name, f"row {line}", record)


def _text(value: Any) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _grant(source: str, locator: str, g: dict[str, Any]) -> Item:
    values = Values()
    grant_id = _text(g.get("id"))
    values.require("id", grant_id, "a grant without an identifier")
    key = f"grant:{grant_id if grant_id and re.fullmatch(r'[A-Za-z0-9._-]+', grant_id) else slug(grant_id or '')}"
    start = values.date("plannedDates.startDate", _text(g.get("start_date")))
    end = values.date("plannedDates.endDate", _text(g.get("end_date")))
    award = values.date("awardDate", _text(g.get("award_date")))
    amount = values.amount("amountAwarded", g.get("amount") if isinstance(g.get("amount"), (int, float)) else _text(g.get("amount")))
    props = {"title": _text(g.get("title")) or grant_id, "amount": amount, "currency": _text(g.get("currency")),
             "award_date": award, "start_date": start, "end_date": end, "programme": _text(g.get("programme")),
             "description": _text(g.get("description"))}
    nodes = [{"label": "Grant", "key": key, "props": {k: v for k, v in props.items() if v is not None}}]
    period = {k: v for k, v in (("valid_from", start or award), ("valid_to", end)) if v is not None}
    rels = []
    recipient_ids = [normalise_identifier(None, _text(g.get("recipient_id"))),
                     normalise_identifier("GB-CHC", _text(g.get("recipient_charity"))),
                     normalise_identifier("GB-COH", _text(g.get("recipient_company")))]
    if _text(g.get("recipient_id")) or _text(g.get("recipient_name")):
        nodes.append(org_node("?recipient", _text(g.get("recipient_name")), recipient_ids, _text(g.get("recipient_postcode")),
                              website=_text(g.get("recipient_url"))))
        rels.append({"type": "RECEIVES", "start": "?recipient", "end": key, **period})
    else:
        values.require("recipientOrganization", None, "a grant without a recipient organisation")
    if _text(g.get("funder_id")) or _text(g.get("funder_name")):
        nodes.append(org_node("?funder", _text(g.get("funder_name")), [normalise_identifier(None, _text(g.get("funder_id")))],
                              _text(g.get("funder_postcode"))))
        rels.append({"type": "FUNDS", "start": "?funder", "end": key, **period})
    else:
        values.require("fundingOrganization", None, "a grant without a funding organisation")
    return Item(locator, Provenance(source=source, locator=locator), nodes, rels, values.problem)
