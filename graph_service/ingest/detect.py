"""Telling a file's format from its content (the name's suffix only breaks ties)."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import ijson

from graph_service.errors import UnreadableInput
from graph_service.ingest.csvutil import decode, header_name, read_rows

POLICY_MARKERS = ("sponsoring officer", "date for review")
OPENING = 4000  # characters of a document in which its ownership table appears
MAX_JSON_DEPTH = 64  # OCDS and 360Giving nest about ten deep
DECISIVE_KEYS = {"releases": "ocds", "records": "ocds", "ocid": "ocds", "compiledRelease": "ocds",
                 "versionedRelease": "ocds", "grants": "360giving"}


def detect_format(path: Path) -> str:
    try:
        with path.open("rb") as f:
            head = f.read(OPENING)
    except OSError as exc:
        raise UnreadableInput(f"{path.name}: could not be read: {exc.strerror or exc}") from exc
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "register"
    if suffix in (".docx", ".pdf") or (suffix == ".txt" and _is_policy(decode(head))):
        if _is_policy(_opening_text(path)):
            return "policy-document"
        raise UnreadableInput(f"{path.name}: a document without 'Sponsoring Officer' or 'Date for Review' near its "
                              "start is not a policy this service reads")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return _json_format(path)
    if re.match(rb"\s*(source|illustrative|nodes|relationships)\s*:", head):
        return "register"
    return _csv_format(path)


def check_json_depth(path: Path) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH before a reader parses it: ijson builds every event's
    path, so a 200 KB file of nested brackets would otherwise take gigabytes of memory."""
    depth = 0
    try:
        with path.open("rb") as f:
            if not f.read(OPENING).lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
                return
            f.seek(0)
            for event, _ in ijson.basic_parse(f, multiple_values=True):
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > MAX_JSON_DEPTH:
                        raise UnreadableInput(f"{path.name}: JSON nested more than {MAX_JSON_DEPTH} levels deep")
                elif event in ("end_map", "end_array"):
                    depth -= 1
    except (ijson.JSONError, OSError):
        return  # broken or unreadable: the format's reader says where


def _is_policy(text: str) -> bool:
    return any(marker in text.lower() for marker in POLICY_MARKERS)


def _opening_text(path: Path) -> str:
    """The first few thousand characters of a text, Word or PDF document."""
    if path.suffix.lower() == ".docx":
        try:
            with zipfile.ZipFile(path) as docx, docx.open("word/document.xml") as part:
                xml = part.read(OPENING * 64).decode("utf-8", "replace")  # never all of it: a zip bomb expands hugely
        except (zipfile.BadZipFile, KeyError, OSError, zlib.error) as exc:
            raise UnreadableInput(f"{path.name}: not a readable Word document: {exc}") from exc
        return re.sub(r"<[^>]+>", " ", xml.replace("</w:p>", "\n"))[:OPENING * 4]
    if path.suffix.lower() == ".pdf" and shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-l", "2", str(path), "-"], capture_output=True, timeout=60)
        return done.stdout.decode("utf-8", "replace")[:OPENING]
    return decode(path.read_bytes()[:OPENING])


def _json_format(path: Path) -> str:
    """OCDS or 360Giving, from the first top-level key that tells them apart (streamed)."""
    try:
        with path.open("rb") as f:
            for prefix, event, value in ijson.parse(f):
                if event == "map_key" and prefix in ("", "item") and value in DECISIVE_KEYS:
                    return DECISIVE_KEYS[value]
    except ijson.JSONError:
        with path.open("rb") as f:  # JSON Lines: each line its own document
            if b'"ocid"' in f.readline():
                return "ocds"
    raise UnreadableInput(f"{path.name}: JSON, but neither OCDS (releases, records, ocid) nor 360Giving (grants)")


def _csv_format(path: Path) -> str:
    from graph_service.ingest.giving360 import MARKERS
    from graph_service.ingest.transparency import HEADER_SEARCH_ROWS, looks_like_spend, spend_or_contracts

    rows = []
    for _, row in read_rows(path):
        rows.append(row)
        if len(rows) == HEADER_SEARCH_ROWS:
            break
    for row in rows:
        if {header_name(c) for c in row} & MARKERS:
            return "360giving"
        kind = spend_or_contracts(row)
        if kind:
            return kind
    if looks_like_spend(path):  # a header further down or at the bottom, or none: spending if it reads as spending
        return "spend-csv"
    raise UnreadableInput(f"{path.name}: not a format this service reads (OCDS, 360Giving, Transparency Code spend "
                          "or contracts CSV, register YAML, policy document)")
