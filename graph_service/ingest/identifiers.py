"""Organisation identifiers in org-id form (GB-COH-01234567), and whether a number can be real.

    >>> normalise_identifier("GB-COH", "4142000")
    'GB-COH-04142000'
    >>> identifier_problem("GB-COH-123456789")
    "'123456789' is not a company number: 8 digits, or 2 letters of a known prefix and 6 digits"
"""
from __future__ import annotations

import re
from typing import Iterable

# The org-id.guide register's GB and XI lists (org-id_gb_xi_summary.csv); a test keeps them in step.
ORG_ID_LISTS = (
    "GB-CASC", "GB-CCSCUST", "GB-CHC", "GB-COA", "GB-COE", "GB-COH", "GB-EDU", "GB-GOR", "GB-GOV", "GB-GOVUK",
    "GB-HESA", "GB-IRN", "GB-LAE", "GB-LANI", "GB-LAS", "GB-MPR", "GB-NHS", "GB-NIC", "GB-PLA", "GB-REV", "GB-SC",
    "GB-SCOTEDU", "GB-SHPE", "GB-SRS", "GB-UKPRN", "GB-WALEDU", "XI-BRIDGE", "XI-DUNS", "XI-EORI", "XI-GRID",
    "XI-IATI", "XI-LEI", "XI-PB", "XI-PID", "XI-ROR", "XI-WIKIDATA",
)
_BY_LENGTH = sorted(ORG_ID_LISTS, key=len, reverse=True)  # GB-SCOTEDU before GB-SC
_UPPER_CASE = {"GB-COH", "GB-SC", "GB-LAE", "GB-LANI", "GB-LAS", "GB-PLA", "GB-NHS", "GB-GOR", "GB-SHPE", "GB-MPR",
               "XI-LEI", "XI-WIKIDATA", "XI-EORI"}
LOCAL_AUTHORITY_LISTS = ("GB-LAE", "GB-LAS", "GB-LANI", "GB-PLA")
ORG_TYPES = {"GB-COH": "company", "GB-CHC": "charity", "GB-SC": "charity", "GB-NIC": "charity", "GB-LAE": "local authority",
             "GB-LAS": "local authority", "GB-PLA": "local authority", "GB-LANI": "local authority", "GB-NHS": "NHS body",
             "GB-EDU": "school", "GB-MPR": "mutual", "GB-SHPE": "social housing provider", "GB-CASC": "sports club"}

# Companies House register prefixes (England and Wales numbers have none): Scottish, Northern Irish and
# pre-partition companies, LLPs, limited partnerships, overseas companies, EEIGs, societies, royal charters,
# assurance and unregistered companies, CIOs, SEs, ICVCs, protected cell companies and overseas entities.
COMPANY_PREFIXES = frozenset(
    "SC NI R0 OC SO NC LP SL NL FC SF NF GE GS GN IP SP NP RS RC SR NR AC SA NA ZC SZ NZ CE CS SE ES NO IC SI NV "
    "PC OE SG EN".split())
# societies also appear under their mutuals-register number, a letter after 5 digits (IP29746R, IP00723C)
_COMPANY_NUMBER = re.compile(r"(?!0{8})\d{8}|(?P<prefix>[A-Z][A-Z0-9])\d{6}|(?:IP|SP|NP)\d{5}[A-Z]")
_CHARITY_NUMBER = re.compile(r"[1-9]\d{5,6}(?:-\d{1,3})?")  # England and Wales: 6 or 7 digits, '-1' a subsidiary
_OSCR_NUMBER = re.compile(r"SC\d{6}")


def _number(value: str) -> str:
    """A spreadsheet's float artefact ('11111111.0') back to the number it was."""
    value = re.sub(r"\s+", "", value)
    return value[:-2] if re.fullmatch(r"\d+\.0", value) else value


def normalise_identifier(scheme: str | None, value: str | None) -> str | None:
    """An org-id identifier from a scheme and an id, or from an id that is already whole.

    GB-COH numbers get their leading zeros back (8 characters, 'SC' and other prefixes
    kept); GB-CHC numbers lose spurious ones; unknown schemes are kept as given.
    Normalising never judges: `identifier_problem` says whether the number can be real.
    """
    value = (value or "").replace("\xa0", " ").strip()
    scheme = (scheme or "").strip().upper()
    if not value:
        return None
    if not scheme or value.upper().startswith(scheme + "-"):
        whole = value
    else:
        whole = f"{scheme}-{value}"
    upper = whole.upper()
    scheme = next((s for s in _BY_LENGTH if upper.startswith(s + "-")), None)
    if scheme is None:
        return whole
    ident = _number(whole[len(scheme) + 1:])
    if not ident:
        return None
    if scheme in _UPPER_CASE:
        ident = ident.upper()
    if scheme == "GB-COH":
        parts = re.fullmatch(r"([A-Z]{2})?(\d+)", ident)
        if parts:
            prefix = parts.group(1) or ""
            ident = prefix + parts.group(2).zfill(8 - len(prefix))
    elif scheme == "GB-CHC" and ident.isdigit():
        ident = ident.lstrip("0") or "0"
    elif scheme == "GB-SC" and ident.isdigit():
        ident = "SC" + ident.zfill(6)
    return f"{scheme}-{ident}"


def company_number_problem(number: str) -> str | None:
    """Why a (normalised) Companies House number cannot be real, or None when it can."""
    match = _COMPANY_NUMBER.fullmatch(number)
    if match and (match.group("prefix") is None or match.group("prefix") in COMPANY_PREFIXES):
        return None
    return f"{number!r} is not a company number: 8 digits, or 2 letters of a known prefix and 6 digits"


def identifier_problem(identifier: str) -> str | None:
    """Why an org-id identifier cannot be real (a 9-digit company number), or None.

    Only registers whose numbering is known are checked; other schemes are taken as given.
    """
    scheme, _, number = identifier.partition("-")
    scheme = f"{scheme}-{number.split('-', 1)[0]}"
    number = identifier[len(scheme) + 1:]
    if scheme == "GB-COH":
        return company_number_problem(number)
    if scheme == "GB-CHC" and not _CHARITY_NUMBER.fullmatch(number):
        return f"{number!r} is not a Charity Commission number: 6 or 7 digits (and '-N' for a subsidiary)"
    if scheme == "GB-SC" and not _OSCR_NUMBER.fullmatch(number):
        return f"{number!r} is not a Scottish charity number: SC and 6 digits"
    return None


def org_type_of(identifiers: Iterable[str]) -> str | None:
    """What kind of body its identifiers say it is (a charity number outranks a company number)."""
    kinds = [ORG_TYPES.get(i.rsplit("-", 1)[0]) for i in identifiers if i.count("-") >= 2]
    for kind in ("charity", "local authority", "NHS body"):
        if kind in kinds:
            return kind
    return next((k for k in kinds if k), None)


__all__ = ["COMPANY_PREFIXES", "LOCAL_AUTHORITY_LISTS", "ORG_ID_LISTS", "ORG_TYPES", "company_number_problem",
           "identifier_problem", "normalise_identifier", "org_type_of"]
