"""Every setting, read once from the environment into one pydantic Settings.

Each field names its environment variable and says what it means; the README's configuration
table documents each one (tests/test_docs.py checks). Paths to the settings YAML files that
officers edit (weights, thresholds, mappings) live here too.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SETTINGS_DIR = Path(__file__).resolve().parent / "settings"  # the YAML weights and thresholds


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    backend: Literal["embedded", "neo4j"] = Field(
        "embedded", validation_alias="GRAPH_SERVICE_BACKEND", description="embedded (networkx on disk) or neo4j")
    data_dir: Path = Field(
        Path("./data"), validation_alias="GRAPH_SERVICE_DATA_DIR",
        description="where the embedded store and the API keys live")
    neo4j_uri: str = Field(
        "", validation_alias="NEO4J_URI",
        description="bolt://, neo4j:// or neo4j+s:// URI; empty means the project's own local server")
    neo4j_user: str = Field("neo4j", validation_alias="NEO4J_USER", description="Neo4j user")
    neo4j_password: str = Field(
        "", validation_alias="NEO4J_PASSWORD",
        description="Neo4j password; empty means the local server's generated password")
    neo4j_database: str = Field("neo4j", validation_alias="NEO4J_DATABASE", description="Neo4j database name")
    max_upload_mb: int = Field(
        100, gt=0, validation_alias="GRAPH_SERVICE_MAX_UPLOAD_MB",
        description="largest file POST /api/v1/ingest accepts; bigger files go through the CLI")
    verify_after_days: int = Field(
        365, gt=0, validation_alias="GRAPH_SERVICE_VERIFY_AFTER_DAYS",
        description="records not verified for longer are listed as accountability gaps")
    neo4j_home: Path = Field(
        Path(".cache/neo4j"), validation_alias="GRAPH_SERVICE_NEO4J_HOME",
        description="where the project's own Neo4j server keeps its jars, configuration and data")
    neo4j_bolt_port: int = Field(
        7687, gt=0, lt=65536, validation_alias="GRAPH_SERVICE_NEO4J_BOLT_PORT",
        description="the loopback Bolt port of the project's own Neo4j server")
    neo4j_heap: str = Field(
        "2g", pattern=r"^\d+[kmgKMG]$", validation_alias="GRAPH_SERVICE_NEO4J_HEAP",
        description="the largest heap of the project's own Neo4j server")
    neo4j_page_cache: str = Field(
        "2g", pattern=r"^\d+[kmgKMG]$", validation_alias="GRAPH_SERVICE_NEO4J_PAGE_CACHE",
        description="the page cache of the project's own Neo4j server")
    neo4j_transaction_max: str = Field(
        "", pattern=r"^(\d+[kmgKMG]?)?$", validation_alias="GRAPH_SERVICE_NEO4J_TRANSACTION_MAX",
        description="the memory all transactions of the project's own Neo4j server may hold together "
                    "(dbms.memory.transaction.total.max): empty leaves Neo4j's default, 70% of the heap; "
                    "0 is no limit but the heap. A file is ingested in one transaction")

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """The environment's settings; overrides (command-line options) win where given."""
        return cls(**{name: value for name, value in overrides.items() if value is not None})


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS = [Setting(str(field.validation_alias), str(field.default), field.description or "")
            for field in Settings.model_fields.values()]
