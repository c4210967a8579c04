"""A warehouse built once per session from the landing fixture, by a real `dbt build`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from edufig.core.config import Settings, StageResult
from edufig.dbt_build import WAREHOUSE_SELECTION, build_marts
from tests.warehouse.landing_fixture import Doc, document_statements, load_base_landing


def new_settings(root: Path) -> Settings:
    root.mkdir(parents=True, exist_ok=True)
    return Settings(warehouse=root / "warehouse.duckdb", data_dir=root)


def create_base_landing(settings: Settings) -> None:
    with duckdb.connect(str(settings.warehouse)) as conn:
        load_base_landing(conn.execute)


def load_documents(settings: Settings, docs: Iterable[Doc], loaded_at: datetime) -> None:
    """Add or reload documents the way edufig.load does: each one replaced whole."""
    with duckdb.connect(str(settings.warehouse)) as conn:
        for doc in docs:
            for statement in document_statements(doc, loaded_at):
                conn.execute(statement)


def build(settings: Settings, full_refresh: bool = False) -> StageResult:
    result = build_marts(settings, select=WAREHOUSE_SELECTION, full_refresh=full_refresh)
    assert not result.failed, result.errors
    return result


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> tuple[Settings, StageResult]:
    settings = new_settings(tmp_path_factory.mktemp("warehouse"))
    create_base_landing(settings)
    return settings, build(settings)
