"""Browser sessions: the sign-in cookie holds a random session token, never the API key.

The server keeps only the token's SHA-256 (in sessions.json in the data directory) with the key id
it was opened with, so a session can be revoked (sign-out, or revoking its key) and expires: after
IDLE without a request, and MAX_AGE after sign-in whatever happens.
"""
from __future__ import annotations

import datetime as dt
import hmac
import secrets
from pathlib import Path
from typing import Any

from graph_service.access.auth import Identity, JsonFile, KeyStore, digest, now, parse_time
from graph_service.errors import Unauthorised

SESSIONS_FILE = "sessions.json"
IDLE = dt.timedelta(hours=8)
MAX_AGE = dt.timedelta(days=7)
SEEN_EVERY = dt.timedelta(minutes=5)  # how stale "last seen" may get before a request rewrites it


def _check_sessions(entries: Any) -> None:
    if not isinstance(entries, list):
        raise ValueError("expected a list of sessions")
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in ("sha256", "key_id")):
            raise ValueError(f"entry {index} is not a session with a sha256 and a key_id")
        if parse_time(entry.get("created")) is None or parse_time(entry.get("last_seen")) is None:
            raise ValueError(f"entry {index} has no created or last_seen time")


def form_token(secret: str) -> str:
    """The CSRF token for forms sent with a cookie holding `secret`: only its holder's pages can know it."""
    return hmac.new(secret.encode(), b"csrf", "sha256").hexdigest()


def _live(entry: dict[str, Any], at: dt.datetime) -> bool:
    return at - parse_time(entry["last_seen"]) < IDLE and at - parse_time(entry["created"]) < MAX_AGE


class SessionStore:
    def __init__(self, data_dir: Path, keys: KeyStore):
        self.path = Path(data_dir) / SESSIONS_FILE
        self._file = JsonFile(self.path, _check_sessions)
        self.keys = keys

    def check(self) -> None:
        self._file.read()

    def open(self, identity: Identity) -> str:
        """A new session for a key that was just checked; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        at = now().isoformat()

        def change(entries: list[dict[str, Any]]) -> None:
            entries[:] = [e for e in entries if _live(e, now())]  # forget the expired while here
            entries.append({"sha256": digest(token), "key_id": identity.id, "created": at, "last_seen": at})

        self._file.update(change)
        return token

    def identify(self, token: str) -> Identity:
        """The identity behind a live session on a key that still works; Unauthorised otherwise."""
        hashed = digest(token)
        entry = next((e for e in self._file.read() if hmac.compare_digest(e["sha256"], hashed)), None)
        at = now()
        if entry is None or not _live(entry, at):
            raise Unauthorised("your session has ended; sign in again")
        identity = self.keys.identity_of(entry["key_id"])
        if at - parse_time(entry["last_seen"]) > SEEN_EVERY:
            def seen(entries: list[dict[str, Any]]) -> None:
                for e in entries:
                    if e["sha256"] == hashed:
                        e["last_seen"] = at.isoformat()

            self._file.update(seen)
        return identity

    def close(self, token: str) -> None:
        """Sign-out: the token stops working at once."""
        hashed = digest(token)

        def forget(entries: list[dict[str, Any]]) -> None:
            entries[:] = [e for e in entries if e["sha256"] != hashed]

        self._file.update(forget)
