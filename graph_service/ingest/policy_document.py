"""Policy documents that open with a front sheet of metadata, as the New Normal Strategy does:

    New Normal Strategy 2019 to 2024
    Date of publication	12 February 2019	Date of last version	12 February 2019
    Version no	1.0	Date for Review	May 2020
    <p>Associated documents:</p> <p>Corporate Plan - 2015 to 2020 Medium Term Financial ...</p>
    Sponsoring Member: Leader of the Council		Sponsoring Officer: Chief Executive

Cells are tab-separated, as a table copied out of Word arrives; a label is followed by its
value in the same cell ("Label: value") or the next one. The front sheet ends at "Contents"
or after FRONT_SHEET_LINES lines.

The policy's key comes from its title with the period's "to" dropped ("New Normal Strategy
2019 to 2024" -> policy:new-normal-strategy-2019-2024), the council's convention, so a
document loaded over the reference dataset updates its policy rather than adding another.
Owner titles are matched to existing posts (title or abbreviation, ignoring case, "&" and
punctuation); an unknown title becomes post:<slug>. Every fact cites the file and its line: the
policy's dates and version each in its `citations` ("field | label; line N"). Dates keep the precision
the sheet gives ("May 2020" is the month, graph_service/dates.py). The owners and associated documents
are what the document declares, so they hold from its date (publication, else last version; a month's first day).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from charset_normalizer import from_bytes

from graph_service.dates import DocDate
from graph_service.store.base import GraphStore
from graph_service.errors import UnreadableInput
from graph_service.ingest.pipeline import Item
from graph_service.records import Provenance
from graph_service.schema import make_key, slug
from graph_service.queries import ask

FRONT_SHEET_LINES = 60
DATES = {"produced_on": ("produced",),
         "published_on": ("date of publication", "publication date", "date published", "published"),
         "last_version_on": ("date of last version", "last version date", "last version"),
         "review_date": ("date for review", "review date", "next review date", "next review", "review due")}
VERSION = ("version no", "version number", "version")
ASSOCIATED = ("associated documents", "related documents")
OWNERS = {"SPONSORING_MEMBER_FOR": ("sponsoring member",), "SPONSORING_OFFICER_FOR": ("sponsoring officer",),
          "PORTFOLIO_HOLDER_FOR": ("portfolio holder",), "RESPONSIBLE_FOR": ("responsible officer", "policy owner")}
MEMBER_ROLES = {"SPONSORING_MEMBER_FOR", "PORTFOLIO_HOLDER_FOR"}
FIELD_OF = {label: field for field, labels in
            [*DATES.items(), ("version", VERSION), ("associated", ASSOCIATED), *OWNERS.items()] for label in labels}
_LABELS = "|".join(sorted(map(re.escape, FIELD_OF), key=len, reverse=True))
_LABEL = re.compile(r"^\s*(?P<label>" + _LABELS + r")\s*(?::\s*(?P<value>.*))?$", re.IGNORECASE)
# "Produced February 2019": a date label and its date in one cell with no colon between
_BARE_DATE = re.compile(r"^\s*(?P<label>" + _LABELS + r")\s+(?P<value>\S.*)$", re.IGNORECASE)
_PERIOD = r"\d{4}(?:/\d{2})?\s*(?:to|-|–)\s*\d{4}(?:/\d{2})?"
_NAMED_PERIOD = re.compile(r"(?P<name>[^;]+?)\s*[-–:]?\s*(?P<period>" + _PERIOD + r")")
_TRAILING_PERIOD = re.compile(r"^(?P<name>.+?)\s*[-–:]?\s*(?P<period>" + _PERIOD + r")\s*$")
_BREAK_TAG = re.compile(r"</?(?:p|br|li|div|tr)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def policy_key(title: str) -> str:
    """policy:<slug> with a period's "to" dropped: "Corporate Plan 2015 to 2020" -> policy:corporate-plan-2015-2020."""
    return make_key("Policy", re.sub(r"(\d{4}(?:/\d{2})?)\s*(?:to|-|–)\s*(\d{4}(?:/\d{2})?)", r"\1 \2", title))


def parse_date(text: str) -> DocDate | None:
    """A front-sheet date at the precision it is written: "12 February 2019", "12th Feb 2019", "May 2020" (the
    month), ISO or dd/mm/yyyy."""
    return DocDate.from_text(text)


def _match(cell: str) -> re.Match | None:
    found = _LABEL.match(cell)
    if found:
        return found
    bare = _BARE_DATE.match(cell)
    return bare if bare and FIELD_OF[bare["label"].lower()] in DATES and parse_date(bare["value"]) else None


def _normalise(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", title.lower().replace("&", " and ")).split())


def reference_posts() -> list[tuple[str, str, str | None]]:
    """(key, title, abbreviation) of every post in the council's reference dataset."""
    # imported here: the reference package loads through the ingest package, which may list this format
    from graph_service.ingest.register import read_register
    from graph_service.reference import register_files

    return [(n["key"], n["props"]["title"], n["props"].get("abbreviation"))
            for path in register_files() for item in read_register(path) for n in item.nodes
            if n.get("label") == "Post"]


def known_posts(store: GraphStore) -> list[tuple[str, str, str | None]]:
    """(key, title, abbreviation) of every post already in the store, to match owner titles against."""
    return [(row["post"], row["title"], row["abbreviation"]) for row in ask(store, "role_holdings")]


def _read_lines(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"{path}: could not be read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        if best is None:
            raise UnreadableInput(f"{path}: not a text document") from None
        text = str(best)
    return text.splitlines()


def _cells(line: str) -> list[str]:
    text = _TAG.sub(" ", _BREAK_TAG.sub(";", line))
    return [cell.strip(" ;") for cell in text.split("\t") if cell.strip(" ;")]


def _front_sheet(lines: list[str]) -> tuple[str | None, int, list[tuple[str, str, str, int]]]:
    """(title, its line number, [(field, label as written, value, line number)]) from the opening lines."""
    title, title_line, facts = None, 0, []
    for number, line in enumerate(lines[:FRONT_SHEET_LINES], start=1):
        if line.strip().lower() == "contents":
            break
        cells = _cells(line)
        matched = False
        index = 0
        while index < len(cells):
            found = _match(cells[index])
            index += 1
            if not found:
                continue
            matched = True
            value = found["value"]
            if value is None or not value.strip(" ;"):
                value = cells[index] if index < len(cells) and not _match(cells[index]) else ""
                index += value != ""
            label = found["label"]
            facts.append((FIELD_OF[label.lower()], label, value.strip(" ;"), number))
        if not matched and title is None and cells:
            title, title_line = " ".join(cells), number
    return title, title_line, facts


def _documents(value: str) -> Iterator[tuple[str, str | None]]:
    """(name, period) of each associated document, also when a list runs together without separators."""
    for piece in value.split(";"):
        end = 0
        for found in _NAMED_PERIOD.finditer(piece):
            yield found["name"].strip(" -–,"), found["period"]
            end = found.end()
        rest = piece[end:].strip(" -–,")
        if rest:
            yield rest, None


def _policy_node(title: str, **props: Any) -> dict[str, Any]:
    """A Policy node; a title ending in a period also gets that period and the title without it as an alias."""
    found = _TRAILING_PERIOD.match(title)
    if found:
        props = {"period": re.sub(r"\s+", " ", found["period"]), "aliases": [found["name"]], **props}
    return {"label": "Policy", "key": policy_key(title), "props": {"title": title, **props}}


def _post_index(posts: Iterable[tuple[str, str, str | None]]) -> dict[str, tuple[str, str]]:
    """Normalised title or abbreviation -> (key, title) of each known post."""
    index: dict[str, tuple[str, str]] = {}
    for key, title, abbreviation in posts:
        for text in filter(None, (title, abbreviation)):
            index.setdefault(_normalise(text), (key, title))
    return index


def _owner(field: str, value: str, posts: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """The post an owner title names: a known one (by title or abbreviation), else a new post:<slug>."""
    known = posts.get(_normalise(value))
    if known:
        return {"label": "Post", "key": known[0], "props": {"title": known[1]}}
    kind = "member" if field in MEMBER_ROLES else "officer"
    return {"label": "Post", "key": f"post:{slug(value)}", "props": {"title": value, "kind": kind}}


def read_policy_document(path: Path, posts: Iterable[tuple[str, str, str | None]] | None = None,
                         location: str | None = None) -> Iterator[Item]:
    """Items for a policy document's front sheet: the policy, its owner posts, ownership and associated documents.

    posts: (key, title, abbreviation) of the posts to match owner titles to; by default the reference
    dataset's (pass known_posts(store) to match what a store holds). A date that cannot be read is
    yielded on its own so that the pipeline rejects just that field, naming its line.
    """
    path = Path(path)
    title, title_line, facts = _front_sheet(_read_lines(path))
    title = title or path.stem.replace("-", " ").replace("_", " ")
    key, source = policy_key(title), location or path.name
    facts = [fact for fact in facts if fact[2]]  # an empty cell on a template says nothing
    props: dict[str, Any] = {"document_location": location or str(path)}
    unreadable: list[tuple[str, str, str, int]] = []
    citations = []
    for field, label, value, number in facts:
        if field in DATES:
            parsed = parse_date(value)
            if parsed:
                props[field] = parsed.iso()
                citations.append(f"{field} | {label}; line {number}")
            else:
                unreadable.append((field, label, value, number))
        elif field == "version":
            props["version"] = value
            citations.append(f"version | {label}; line {number}")
    if citations:
        props["citations"] = citations
    dated = props.get("published_on") or props.get("last_version_on")
    declared = {"valid_from": DocDate.of(dated).first} if dated else {}
    used = sorted({title_line, *(fact[3] for fact in facts)} - {0})
    span = "no front sheet" if not used else f"line {used[0]}" if len(used) == 1 else f"lines {used[0]}-{used[-1]}"
    yield Item(span, Provenance(source=source, locator=f"front sheet; {span}"),
               nodes=[_policy_node(title, **props)])
    for field, label, value, number in unreadable:
        where = f"{label}; line {number}"
        yield Item(where, Provenance(source=source, locator=where),
                   nodes=[{"label": "Policy", "key": key, "props": {"title": title, field: value}}])
    index = _post_index(reference_posts() if posts is None else posts)
    for field, label, value, number in facts:
        where = f"{label}; line {number}"
        provenance = Provenance(source=source, locator=where)
        if field == "associated":
            for name, period in _documents(value):
                document = _policy_node(f"{name} {period}" if period else name)
                yield Item(where, provenance, nodes=[document],
                           rels=[{"type": "ASSOCIATED_WITH", "start": key, "end": document["key"], **declared}])
        elif field in OWNERS:
            post = _owner(field, value, index)
            yield Item(where, provenance, nodes=[post],
                       rels=[{"type": field, "start": post["key"], "end": key, **declared}])
