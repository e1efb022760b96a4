"""Bounded parsing for files from outside: JSON checked for depth and string length across the whole
stream before any reader parses it, and YAML loaded without aliases.

The JSON check is one pass over the bytes in 1 MB chunks that never builds a value: the regular
expressions jump from one bracket, quote or backslash to the next, so a 50 MB string or 100 000
nested brackets are refused in well under a second with constant memory. ijson would build every
event's path (gigabytes for deep nesting) and materialise each string whole.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from graph_service.errors import UnreadableInput

MAX_JSON_DEPTH = 64  # OCDS and 360Giving nest about ten deep
MAX_JSON_STRING = 1024 * 1024  # bytes in one JSON string; a text property holds at most 131 072 characters
MAX_YAML_DEPTH = 64
CHUNK = 1024 * 1024
_OUTSIDE = re.compile(rb'["\[\]{}]')
_INSIDE = re.compile(rb'["\\]')
_BLANK = b"\xef\xbb\xbf \t\r\n"


def looks_like_json(path: Path) -> bool:
    """Whether the first byte after any BOM and whitespace (however much of it) opens a JSON value."""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            rest = chunk.lstrip(_BLANK)
            if rest:
                return rest.startswith((b"{", b"["))
    return False


def check_json(path: Path) -> None:
    """Refuse a JSON (or JSON Lines) file nested deeper than MAX_JSON_DEPTH or holding a string longer than
    MAX_JSON_STRING bytes, saying where; anything else (broken JSON included) is left to the reader."""
    try:
        if not looks_like_json(path):
            return
        depth, in_string, escaped, string_start, offset = 0, False, False, 0, 0
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                at = 0
                if escaped:  # a backslash ended the last chunk: its escaped byte starts this one
                    at, escaped = 1, False
                while at < len(chunk):
                    if in_string:
                        found = _INSIDE.search(chunk, at)
                        if found is None:
                            at = len(chunk)
                        elif found.group() == b"\\":
                            at = found.end() + 1
                            escaped = at > len(chunk)
                            continue
                        else:
                            in_string, at = False, found.end()
                        if offset + at - string_start > MAX_JSON_STRING:
                            raise UnreadableInput(f"{path.name}: a JSON string starting at byte {string_start} is "
                                                  f"longer than {MAX_JSON_STRING} bytes", byte=string_start)
                        continue
                    found = _OUTSIDE.search(chunk, at)
                    if found is None:
                        break
                    at, token = found.end(), found.group()
                    if token == b'"':
                        in_string, string_start = True, offset + at - 1
                    elif token in (b"[", b"{"):
                        depth += 1
                        if depth > MAX_JSON_DEPTH:
                            raise UnreadableInput(f"{path.name}: JSON nested more than {MAX_JSON_DEPTH} levels deep "
                                                  f"(at byte {offset + at - 1})", byte=offset + at - 1)
                    else:
                        depth = max(depth - 1, 0)
                if in_string and offset + len(chunk) - string_start > MAX_JSON_STRING:
                    raise UnreadableInput(f"{path.name}: a JSON string starting at byte {string_start} is longer "
                                          f"than {MAX_JSON_STRING} bytes", byte=string_start)
                offset += len(chunk)
    except OSError as exc:
        raise UnreadableInput(f"{path.name}: could not be read: {exc.strerror or exc}") from exc


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors' aliases (a 412-byte alias bomb expands to gigabytes) and nesting deeper
    than MAX_YAML_DEPTH (the composer recurses once per level)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted in this file; "
                                              "write the value out instead", mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_YAML_DEPTH} levels deep",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    """YAML from outside, without aliases and nested at most MAX_YAML_DEPTH deep (yaml.YAMLError says where)."""
    return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
