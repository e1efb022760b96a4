"""Organisation names: as published, and the one form two names must share to be one name.

    >>> normalise_name("TÜV SÜD Limited"), normalise_name("Acme Limited Liability Partnership")
    ('tuv sud ltd', 'acme llp')
    >>> strip_qualifiers("British Gas A/C 1234"), strip_qualifiers("Ministry of Justice SW1H 9AJ")
    ('British Gas', 'Ministry of Justice')
    >>> council_identifier("Hertfordshire County Council - Pensions")
    'GB-LAE-HRT'

Legal forms are a data table (data/legal_forms.yaml) an officer can read and extend.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import yaml

from graph_service.ingest.councils import council_code

# letters NFKD does not decompose into a base letter and a mark
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l",
                          "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"})
_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"
# a trailing postcode, bare or in brackets, after a space, comma or dash
_POSTCODE_SUFFIX = re.compile(rf"^(?P<name>.*?\S)[\s,\-–]+\(?{_POSTCODE}\)?$", re.IGNORECASE)
# a utility's (or anyone's) account line: 'British Gas A/C 1234', 'EDF Energy - account 99', 'Acc No. 12/34'
_ACCOUNT_SUFFIX = re.compile(r"^(?P<name>.*?\S)[\s,\-–:(]+(?:a/c|acct|acc|account)(?:\s*(?:no|number|ref|reference))?"
                             r"\.?\s*[:#]?\s*[\w/\-]*\d[\w/\-]*\)?$", re.IGNORECASE)
# how it was paid, not who: '(Direct Debit Payments)', '- DD', '(BACS)'
_PAYMENT_SUFFIX = re.compile(r"^(?P<name>.*?\S)\s*(?:\(\s*(?:direct debit|dd|bacs|chaps)(?:\s+payments?)?\s*\)"
                             r"|[\-–]\s*(?:direct debit|dd|bacs|chaps)(?:\s+payments?)?)$", re.IGNORECASE)
_COUNCIL_NAME = re.compile(r"\b(council|borough)\b", re.IGNORECASE)
_DEPARTMENT_SEPARATOR = re.compile(r"\s+[\-–/:]\s+|\s*,\s+|\s+\(")
_COUNCIL_WORDS = r"\b(metropolitan|borough|district|county|city|council|of|royal|and|unitary|authority|mbc|the)\b"
STOP_WORDS = frozenset("and of the for in at on to a uk".split())


def clean_name(text: str | None) -> str:
    """A name as published, without HTML entities, non-breaking spaces or stray whitespace."""
    if not text:
        return ""
    value = html.unescape(html.unescape(str(text))).replace("´", "'")  # an acute accent typed as an apostrophe;
    value = unicodedata.normalize("NFKC", value).replace("\xa0", " ")  # NFKC would make it a space and a mark
    return re.sub(r"\s+", " ", value).strip()


def fold(text: str) -> str:
    """Latin letters without their accents ('TÜV SÜD' -> 'TUV SUD'); other scripts are kept."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def strip_qualifiers(name: str) -> str:
    """The organisation a published name means: an account number, a payment method or a postcode after
    the name is not part of it (a billing address is not a second body, so the postcode is not kept as
    the organisation's). A name that is nothing but a qualifier is kept whole."""
    value = clean_name(name)
    while match := next((m for m in (p.match(value) for p in (_POSTCODE_SUFFIX, _ACCOUNT_SUFFIX, _PAYMENT_SUFFIX))
                         if m), None):
        value = match.group("name").rstrip(" ,-–:")
    return value


@lru_cache(maxsize=1)
def legal_forms() -> dict[str, str]:
    """Every spelling in data/legal_forms.yaml -> its form."""
    text = resources.files("graph_service.ingest").joinpath("data/legal_forms.yaml").read_text(encoding="utf-8")
    return {spelling: form for form, spellings in yaml.safe_load(text).items() for spelling in spellings}


@lru_cache(maxsize=1)
def _legal_form_pattern() -> re.Pattern[str]:
    spellings = sorted(legal_forms(), key=len, reverse=True)  # the longest spelling wins where several start
    return re.compile(r"\b(" + "|".join(map(re.escape, spellings)) + r")\b")


@lru_cache(maxsize=200_000)  # the same names recur on every row of a file and in every file
def normalise_name(text: str | None) -> str:
    """The form two names must share to be one name: case, accents, punctuation, '&'/'and', dotted
    initials, the spelling of a legal form ('Limited Liability Partnership'/'LLP'), a leading 'The' and
    trailing account numbers, payment methods and postcodes do not matter."""
    value = fold(strip_qualifiers(text or "")).lower().replace("&", " and ")
    value = re.sub(r"['’`´]", "", value)
    value = re.sub(r"[^\w]+|_", " ", value)
    value = re.sub(r"\b\w(?: \w\b)+", lambda m: m.group(0).replace(" ", ""), value)  # 'l l p' -> 'llp'
    value = re.sub(r"\s+", " ", value).strip()
    value = _legal_form_pattern().sub(lambda m: legal_forms()[m.group(1)], value)
    return re.sub(r"^the ", "", value)


def name_tokens(normalised: str) -> set[str]:
    """The words worth blocking on: not legal forms or stop words."""
    forms = set(legal_forms().values())
    return {t for t in normalised.split() if len(t) > 1 and t not in STOP_WORDS and t not in forms}


@lru_cache(maxsize=200_000)
def name_blocks(normalised: str) -> frozenset[str]:
    """What a name is indexed under: its words, and the first four letters of each longer word
    (so 'treework' and 'treeworks', or a typo late in a word, still meet)."""
    words = name_tokens(normalised)
    return frozenset(words | {"~" + w[:4] for w in words if len(w) > 4})


def match_keys(key: str, props: dict) -> list[str]:
    """The look-up keys an Organisation is found by when a file is resolved (stored as `match_keys`):
    'n:' each normalised name, 'b:' each of their blocks, 'i:' each identifier (and an org-id key),
    'p:' the postcode. Derived from the name, aliases, identifiers and postcode alone, so the keys of
    two writes unioned are the keys of their props unioned."""
    names = {normalise_name(n) for n in [props.get("name"), *(props.get("aliases") or [])] if n} - {""}
    keys = {"n:" + n for n in names} | {"b:" + b for n in names for b in name_blocks(n)}
    keys |= {"i:" + i for i in [*(props.get("identifiers") or []), *([] if key.startswith("org:") else [key])]}
    if pc := postcode(props.get("postal_code")):
        keys.add("p:" + pc)
    return sorted(keys)


def council_identifier(name: str | None) -> str | None:
    """The GB-LAE (or LAS, LANI, PLA) code of a council named with a suffix or in another form:
    'Borough of X', 'X Borough Council', 'X Council (Direct Debit Payments)', 'X County Council - Pensions'.
    Only names that say council or borough are tried, so a supplier called 'Bolton' stays a supplier."""
    value = strip_qualifiers(name or "")
    if not _COUNCIL_NAME.search(value):
        return None
    code = council_code(value)
    if code is None:
        head = _DEPARTMENT_SEPARATOR.split(value, maxsplit=1)[0]
        if head != value and _COUNCIL_NAME.search(head):
            code = council_code(head)
    return code


def council_core(normalised: str) -> str | None:
    """'trafford' for both 'Trafford Council' and 'Trafford Metropolitan Borough Council'."""
    if not re.search(r"\bcouncil\b", normalised):
        return None
    core = re.sub(r"\s+", " ", re.sub(_COUNCIL_WORDS, " ", normalised)).strip()
    return core or None


def postcode(text: str | None) -> str | None:
    value = re.sub(r"\s+", "", (text or "").upper())
    if not re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}", value):
        return None
    return f"{value[:-3]} {value[-3:]}"


__all__ = ["clean_name", "council_core", "council_identifier", "fold", "legal_forms", "match_keys", "name_blocks",
           "name_tokens", "normalise_name", "postcode", "strip_qualifiers"]
