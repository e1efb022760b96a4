"""API keys with roles, names and an optional expiry, stored hashed in the data directory.

Keys are 32 random bytes, so one SHA-256 is enough to store them safely (no password
stretching needed); comparison is constant-time. A key's id is the first 12 hex digits of
that hash, the same short hash the audit log records, so `keys list` and the log agree.

Every change to the file (create, revoke, last used) happens under an exclusive lock on a
lock file beside it and is written to a temporary file renamed over the old one, so
concurrent `keys create` runs all keep their key and a crash never leaves half a file.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, Callable, Iterator

from graph_service.errors import BadRequest, GraphServiceError, NotFound, Unauthorised

KEYS_FILE = "api-keys.json"
LAST_USED_EVERY = dt.timedelta(minutes=5)  # how stale "last used" may get before a request rewrites it


class Role(IntEnum):
    """Roles in increasing power: each may do everything the ones below it may. An editor (a partnerships
    officer) records judgement and facts but, like a viewer, sees no restricted values."""

    viewer = 1
    editor = 2
    procurement = 3
    admin = 4

    @classmethod
    def parse(cls, name: str) -> "Role":
        try:
            return cls[name]
        except KeyError:
            raise BadRequest(f"unknown role {name!r}; expected one of {[r.name for r in cls]}") from None


class DamagedFile(GraphServiceError):
    """A keys or sessions file that cannot be read: the service refuses to guess who may do what."""

    status = 503
    code = "access_file_damaged"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def parse_time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class JsonFile:
    """A small JSON list in the data directory, read when it changed on disk, changed under a lock, replaced
    atomically and readable only by its owner (0600)."""

    def __init__(self, path: Path, check: Callable[[Any], None]):
        self.path = path
        self._check = check
        self._cache: tuple[tuple[int, int, int], list[dict[str, Any]]] | None = None
        self._memory = threading.Lock()

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def read(self) -> list[dict[str, Any]]:
        signature = self._signature()
        if signature is None:
            return []
        with self._memory:
            if self._cache and self._cache[0] == signature:
                return self._cache[1]
            try:
                entries = json.loads(self.path.read_bytes())
                self._check(entries)
            except (ValueError, TypeError, KeyError) as exc:
                raise DamagedFile(f"{self.path} is damaged ({exc}); fix or restore it (keys are only ever "
                                  "added with 'graph-service keys create')", file=str(self.path)) from None
            self._cache = (signature, entries)
            return entries

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def update(self, change: Callable[[list[dict[str, Any]]], Any]) -> Any:
        """Apply `change` to the current entries (in place) and write them back: one writer at a time."""
        with self._locked():
            entries = [dict(e) for e in self.read()]
            result = change(entries)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)  # created 0600
            try:
                with os.fdopen(fd, "w") as out:
                    json.dump(entries, out, indent=1)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            directory = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
            return result


def _check_keys(entries: Any) -> None:
    if not isinstance(entries, list):
        raise ValueError("expected a list of keys")
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) or entry.get("role") not in Role.__members__:
            raise ValueError(f"entry {index} is not a key with a sha256 and a role")
        for field in ("created", "expires", "revoked", "last_used"):
            parse_time(entry.get(field))


@dataclass(frozen=True)
class Identity:
    """Who a key belongs to: never the key itself."""

    id: str
    name: str
    role: Role


def _summary(entry: dict[str, Any]) -> dict[str, Any]:
    return {"id": entry["sha256"][:12], "name": entry.get("name", entry.get("label", "")), "role": entry["role"],
            "created": entry.get("created"), "expires": entry.get("expires"), "last_used": entry.get("last_used"),
            "revoked": entry.get("revoked")}


class KeyStore:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / KEYS_FILE
        self._file = JsonFile(self.path, _check_keys)

    def check(self) -> None:
        """Raise DamagedFile now (at start-up) rather than on the first request."""
        self._file.read()

    def create(self, role: Role, name: str = "", expires: dt.date | None = None) -> str:
        """A new key (returned once; only its hash is kept). `expires`: the day it stops working (UTC)."""
        if expires is not None and expires <= now().date():
            raise BadRequest(f"the expiry date {expires} is not in the future", expires=str(expires))
        key = f"gs_{secrets.token_urlsafe(32)}"
        entry = {"sha256": digest(key), "role": role.name, "name": name, "created": now().isoformat(),
                 "expires": dt.datetime.combine(expires, dt.time(), dt.timezone.utc).isoformat() if expires else None,
                 "revoked": None, "last_used": None}
        self._file.update(lambda entries: entries.append(entry))
        return key

    def list(self) -> list[dict[str, Any]]:
        return [_summary(e) for e in self._file.read()]

    def revoke(self, key_or_id: str) -> dict[str, Any]:
        """Revoke a key given as itself or by its id; revoking twice keeps the first time."""
        wanted = key_or_id.strip()

        def change(entries: list[dict[str, Any]]) -> dict[str, Any]:
            for entry in entries:
                if hmac.compare_digest(entry["sha256"], digest(wanted)) or entry["sha256"][:12] == wanted:
                    entry["revoked"] = entry.get("revoked") or now().isoformat()
                    return _summary(entry)
            raise NotFound(f"no key with id {wanted!r} in {self.path}" if not wanted.startswith("gs_")
                           else f"that key is not in {self.path}", key=wanted[:12])

        return self._file.update(change)

    def _entry(self, key: str) -> dict[str, Any] | None:
        hashed = digest(key)
        return next((e for e in self._file.read() if hmac.compare_digest(e["sha256"], hashed)), None)

    def identity_of(self, key_id: str) -> Identity:
        """The identity behind a key id, if the key still works; Unauthorised says why not."""
        entry = next((e for e in self._file.read() if e["sha256"][:12] == key_id), None)
        return self._usable(entry)

    def identify(self, key: str) -> Identity:
        """The key's identity, recording that it was used; Unauthorised if unknown, revoked or expired."""
        return self._usable(self._entry(key))

    def _usable(self, entry: dict[str, Any] | None) -> Identity:
        if entry is None:
            raise Unauthorised("the API key is not recognised")
        if entry.get("revoked"):
            raise Unauthorised("the API key has been revoked")
        expires = parse_time(entry.get("expires"))
        if expires and now() >= expires:
            raise Unauthorised(f"the API key expired on {expires.date()}")
        used = parse_time(entry.get("last_used"))
        if used is None or now() - used > LAST_USED_EVERY:
            self._touch(entry["sha256"])
        return Identity(entry["sha256"][:12], entry.get("name", entry.get("label", "")), Role[entry["role"]])

    def _touch(self, hashed: str) -> None:
        def change(entries: list[dict[str, Any]]) -> None:
            for entry in entries:
                if entry["sha256"] == hashed:
                    entry["last_used"] = now().isoformat()

        self._file.update(change)

    def role_of(self, key: str) -> Role | None:
        try:
            return self.identify(key).role
        except Unauthorised:
            return None

    def any(self) -> bool:
        return bool(self._file.read())
