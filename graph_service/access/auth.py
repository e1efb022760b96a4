"""API keys with roles, stored hashed in the data directory.

Keys are 32 random bytes, so one SHA-256 is enough to store them safely (no
password stretching needed); comparison is constant-time.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from enum import IntEnum
from pathlib import Path

from graph_service.errors import BadRequest

KEYS_FILE = "api-keys.json"


class Role(IntEnum):
    """Roles in increasing power: each may do everything the ones below it may."""

    viewer = 1
    procurement = 2
    admin = 3

    @classmethod
    def parse(cls, name: str) -> "Role":
        try:
            return cls[name]
        except KeyError:
            raise BadRequest(f"unknown role {name!r}; expected one of {[r.name for r in cls]}") from None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class KeyStore:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / KEYS_FILE

    def _load(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return json.loads(self.path.read_text())

    def create(self, role: Role, label: str = "") -> str:
        key = f"gs_{secrets.token_urlsafe(32)}"
        entries = [*self._load(), {"sha256": _digest(key), "role": role.name, "label": label}]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            json.dump(entries, out, indent=1)
        os.replace(tmp, self.path)
        return key

    def role_of(self, key: str) -> Role | None:
        found = self.identify(key)
        return found[0] if found else None

    def identify(self, key: str) -> tuple[Role, str] | None:
        """The key's role and label (who it was made for), or None if it is not a key."""
        digest = _digest(key)
        for entry in self._load():
            if hmac.compare_digest(entry["sha256"], digest):
                return Role[entry["role"]], entry.get("label", "")
        return None

    def any(self) -> bool:
        return bool(self._load())
