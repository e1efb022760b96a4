"""Settings, read once from the environment. Each setting is documented here and in the README."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS = [
    Setting("GRAPH_SERVICE_BACKEND", "embedded", "embedded (networkx on disk) or neo4j"),
    Setting("GRAPH_SERVICE_DATA_DIR", "./data", "where the embedded store and the API keys live"),
    Setting("NEO4J_URI", "", "bolt://, neo4j:// or neo4j+s:// URI; empty means the project's own local server"),
    Setting("NEO4J_USER", "neo4j", "Neo4j user"),
    Setting("NEO4J_PASSWORD", "", "Neo4j password; empty means the local server's generated password"),
    Setting("NEO4J_DATABASE", "neo4j", "Neo4j database name"),
    Setting("GRAPH_SERVICE_MAX_UPLOAD_MB", "100", "largest file POST /api/v1/ingest accepts; bigger files go through the CLI"),
    Setting("GRAPH_SERVICE_VERIFY_AFTER_DAYS", "365", "records not verified for longer are listed as accountability gaps"),
]


@dataclass(frozen=True)
class Settings:
    backend: str
    data_dir: Path
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str
    neo4j_database: str
    max_upload_mb: int
    verify_after_days: int

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        raw = [os.environ.get(s.env, s.default) for s in SETTINGS]
        values = dict(zip([f.name for f in fields(cls)], raw))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(
            backend=str(values["backend"]).lower(),
            data_dir=Path(values["data_dir"]),
            neo4j_uri=str(values["neo4j_uri"]),
            neo4j_user=str(values["neo4j_user"]),
            neo4j_password=str(values["neo4j_password"]),
            neo4j_database=str(values["neo4j_database"]),
            max_upload_mb=int(values["max_upload_mb"]),
            verify_after_days=int(values["verify_after_days"]),
        )
