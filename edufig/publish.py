"""A read-only snapshot of the marts for analysts, swapped in whole after each good build.

The warehouse has one writer (the pipeline); analysts must neither block it nor see a mart
half rebuilt. So publishing copies the marts (and the latest dq flags) into a new DuckDB
file beside the snapshot and renames it over the old one: os.replace is atomic, a reader
that already opened the old file keeps reading it, the next reader gets the new one.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from edufig.core.config import Settings, StageResult, timed
from edufig.dbt_build import MART_SCHEMA, last_build_file

SNAPSHOT_NAME = "warehouse.duckdb"
EXTRA_TABLES = (("dq", "dq_flags"), ("alerts", "flag_state"))


def snapshot_path(settings: Settings) -> Path:
    return settings.published_dir / SNAPSHOT_NAME


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _build_problem(settings: Settings) -> str | None:
    """Why the warehouse must not be published now, or None when the last build passed."""
    record_path = last_build_file(settings)
    if not record_path.exists():
        return f"{settings.warehouse}: no dbt build recorded ({record_path}); run the build stage"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    if not record.get("succeeded"):
        failed = "; ".join(record.get("errors", [])[:3])
        return f"{settings.warehouse}: last dbt build failed, snapshot not replaced: {failed}"
    return None


def _tables_to_publish(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    marts = conn.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = 'src' and table_schema = ? and table_type = 'BASE TABLE' "
        "order by table_name",
        [MART_SCHEMA],
    ).fetchall()
    present = set(
        conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'src'"
        ).fetchall()
    )
    return marts + [t for t in EXTRA_TABLES if t in present]


def _write_snapshot(warehouse: Path, target: Path, published_at: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    with duckdb.connect(str(target)) as conn:
        conn.execute(f"attach {_sql_string(str(warehouse))} as src (read_only)")
        for schema, table in _tables_to_publish(conn):
            conn.execute(f'create schema if not exists "{schema}"')
            conn.execute(
                f'create table "{schema}"."{table}" as select * from src."{schema}"."{table}"'
            )
            counts[f"rows_{table}"] = conn.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
        conn.execute("detach src")
        conn.execute("create schema meta")
        conn.execute(
            "create table meta.snapshot as select ? as published_at, ? as source_warehouse",
            [published_at, str(warehouse)],
        )
    return counts


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


def remove_stale_partials(folder: Path) -> int:
    """Delete half-written snapshots (and their WAL) left by a publisher that was killed;
    a partial whose process still runs belongs to a publish under way and is kept."""
    removed = 0
    for path in folder.glob(f".{SNAPSHOT_NAME}.*.partial*"):
        pid = path.name.removeprefix(f".{SNAPSHOT_NAME}.").split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def publish(settings: Settings) -> StageResult:
    """Replace published/warehouse.duckdb with the marts of the last successful build."""
    result = StageResult("publish")
    with timed(result):
        problem = _build_problem(settings)
        if problem:
            result.errors.append(problem)
            result.failed = True
            return result
        target = snapshot_path(settings)
        target.parent.mkdir(parents=True, exist_ok=True)
        stale = remove_stale_partials(target.parent)
        if stale:
            result.counts["stale_partials_removed"] = stale
        partial = target.with_name(f".{SNAPSHOT_NAME}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        try:
            published_at = datetime.now(UTC).replace(tzinfo=None)
            result.counts.update(_write_snapshot(settings.warehouse, partial, published_at))
            partial.chmod(0o444)
            os.replace(partial, target)
        except duckdb.Error as exc:
            result.errors.append(f"{settings.warehouse}: cannot publish snapshot: {exc}")
            result.failed = True
        finally:
            partial.unlink(missing_ok=True)
        result.counts["tables"] = sum(1 for key in result.counts if key.startswith("rows_"))
    return result


def query_snapshot(settings: Settings, sql: str) -> tuple[list[str], list[tuple]]:
    """Run SQL on the published snapshot, read-only and without file or network access."""
    path = snapshot_path(settings)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no published snapshot yet; run `edufig run` first")
    config = {"enable_external_access": False, "lock_configuration": True}
    with duckdb.connect(str(path), read_only=True, config=config) as conn:
        cursor = conn.execute(sql)
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
