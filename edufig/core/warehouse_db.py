"""Every heavy connection to the warehouse opens with the project's memory ceiling and a
spill directory, so a build or check over millions of figures spills to disk instead of
growing with the data (DuckDB's own default is 80 % of the machine's memory).

The same two values reach dbt through profiles.yml (`settings:`), from the environment
`edufig.dbt_build.run_dbt` sets, so dbt, the quality stage and the bench's anchor run under
one limit. EDUFIG_DUCKDB_MEMORY_LIMIT and EDUFIG_DUCKDB_TEMP_DIR override them.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from edufig.core.config import Settings

MEMORY_LIMIT_ENV = "EDUFIG_DUCKDB_MEMORY_LIMIT"
TEMP_DIR_ENV = "EDUFIG_DUCKDB_TEMP_DIR"
# DuckDB's share of the 2 GB budget of issue 16; dbt and GX live beside it in the process.
DEFAULT_MEMORY_LIMIT = "1GB"


def memory_limit() -> str:
    return os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT


def temp_directory(settings: Settings) -> Path:
    """Where DuckDB spills: under the data directory, beside the warehouse it belongs to."""
    configured = os.environ.get(TEMP_DIR_ENV)
    return Path(configured) if configured else settings.data_dir / "duckdb_tmp"


def duckdb_config(settings: Settings) -> dict[str, str]:
    spill = temp_directory(settings)
    spill.mkdir(parents=True, exist_ok=True)
    return {"memory_limit": memory_limit(), "temp_directory": str(spill)}


def dbt_environment(settings: Settings) -> dict[str, str]:
    """The values profiles.yml reads, for a dbt invocation on `settings.warehouse`."""
    config = duckdb_config(settings)
    return {MEMORY_LIMIT_ENV: config["memory_limit"], TEMP_DIR_ENV: config["temp_directory"]}


def connect(settings: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse under the memory ceiling, spilling to temp_directory."""
    return duckdb.connect(
        str(settings.warehouse), read_only=read_only, config=duckdb_config(settings)
    )
