"""The UK local-authority register: any published name, code or URI of a council -> its org-id.

    >>> council_code("http://statistics.data.gov.uk/doc/local-authority/00DA")
    'GB-LAE-LDS'
    >>> council_code("Royal Borough of Windsor & Maidenhead"), council_code("E08000009")
    ('GB-LAE-WNM', 'GB-LAE-TRF')
    >>> council_code("OCC") is None  # Oxford City or Oxfordshire County: never guessed
    True

The table (data/local_authorities.csv, derived by scripts/derive_local_authorities.py)
holds every current and former authority with its names and spelling variants, GSS
codes current and former, SNAC and old ONS codes and GOV.UK slug. English authorities
are GB-LAE, Scottish GB-LAS, Northern Irish GB-LANI and Welsh GB-PLA. A name matches when
it is one of an authority's names once case, punctuation, '&'/'and' and a leading 'The'
are ignored, or, failing that, when the name without its council words ('Borough',
'City Council', ...) belongs to exactly one authority. Abbreviations are never expanded.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_COUNCIL_WORDS = re.compile(r"\b(london borough of|royal borough of|metropolitan|borough|district|county|city|council|"
                            r"of|unitary|authority|mbc|the|corporation)\b")
_QUALIFIER = re.compile(r"\s*(\(.*?\)|\bas accountable body\b|\bas lead authority\b)\s*", re.IGNORECASE)
_GSS = re.compile(r"[ENSW]\d{8}")
_SNAC = re.compile(r"\d{2}[A-Z]{2}")  # district SNAC; county SNACs ('38') only inside a URI
_ORG_ID = re.compile(r"(GB-LAE|GB-LAS|GB-LANI|GB-PLA)-([A-Z]{3,4})", re.IGNORECASE)
_REGISTER = re.compile(r"(?:principal-)?local-authority(?:-(?:eng|sct|nir))?:([A-Z]{3,4})", re.IGNORECASE)


@dataclass(frozen=True)
class Council:
    code: str  # GB-LAE-LDS
    name: str  # the official name
    end_date: str | None  # when a former authority ceased (Craven: 2023-04-01)
    replaced_by: str | None


def normalise(name: str) -> str:
    value = re.sub(r"['’`´]", "", name.replace("\xa0", " ").lower().replace("&", " and "))
    value = re.sub(r"[^a-z0-9]+", " ", value).strip()
    return re.sub(r"^the ", "", value)


def _core(normalised: str) -> str:
    return re.sub(r"\s+", " ", _COUNCIL_WORDS.sub(" ", normalised)).strip()


@dataclass
class _Register:
    councils: dict[str, Council]
    by_name: dict[str, set[str]]
    by_core: dict[str, set[str]]
    by_code: dict[str, str]  # GSS, SNAC, old ONS code, registry code, slug -> org-id


@lru_cache(maxsize=1)
def _register() -> _Register:
    register = _Register({}, {}, {}, {})
    with resources.files("graph_service.ingest").joinpath("data/local_authorities.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"]
            register.councils[code] = Council(code, row["official_name"], row["end_date"] or None,
                                              row["replaced_by"] or None)
            for name in [row["official_name"], *row["names"].split("|")]:
                if name:
                    register.by_name.setdefault(normalise(name), set()).add(code)
                    register.by_core.setdefault(_core(normalise(name)), set()).add(code)
            for ident in [*row["gss"].split("|"), row["snac"], row["ons"], row["slug"], code.rsplit("-", 1)[1]]:
                if ident:
                    register.by_code.setdefault(ident.upper(), code)
    register.by_core.pop("", None)
    return register


def council(code: str) -> Council | None:
    """The register's entry for an org-id such as 'GB-LAE-DAC'."""
    return _register().councils.get(code.strip().upper())


def council_code(text: str | None) -> str | None:
    """The org-id of the council a name, GSS/SNAC code, register code or URI names; None when not exactly one."""
    value = (text or "").replace("\xa0", " ").strip()
    if not value:
        return None
    register = _register()
    if match := _ORG_ID.fullmatch(value) or _REGISTER.fullmatch(value):
        code = match.group(0).upper() if match.re is _ORG_ID else register.by_code.get(match.group(1).upper())
        return code if code in register.councils else None
    if re.match(r"https?://", value, re.IGNORECASE):
        return _from_uri(value)
    if _GSS.fullmatch(value.upper()) or _SNAC.fullmatch(value.upper()):
        return register.by_code.get(value.upper())
    return _from_name(value)


def _from_uri(uri: str) -> str | None:
    """statistics.data.gov.uk (SNAC or GSS), opendatacommunities.org (a slug) and similar URIs."""
    segment = uri.rstrip("/").rsplit("/", 1)[-1].split("#")[-1].split("?")[0]
    return _register().by_code.get(segment.upper()) or _from_name(segment.replace("-", " "))


def _from_name(name: str) -> str | None:
    register = _register()
    for candidate in dict.fromkeys((name, _QUALIFIER.sub(" ", name))):
        normalised = normalise(candidate)
        codes = register.by_name.get(normalised) or register.by_core.get(_core(normalised)) or set()
        if len(codes) == 1:
            return next(iter(codes))
    return None


__all__ = ["Council", "council", "council_code", "normalise"]
