"""A read-only snapshot of the marts for analysts, swapped in whole after each good build.

The warehouse has one writer (the pipeline); analysts must neither block it nor see a mart
half rebuilt. So publishing copies the marts (and the latest dq flags) into a new DuckDB
file beside the snapshot and renames it over the old one (`core.warehouse.replace_snapshot`).
A run that would copy the same again (the same whole build and flags) keeps the snapshot it
has and says so; at national scale the copy is the marts of millions of figures. What the
alerts stage writes after this one (flag state, outbox) it publishes in its own snapshot,
so sending alerts never makes the marts worth copying again.
"""

from __future__ import annotations

import hashlib
import json

import duckdb

from edufig.core import landing_fingerprint
from edufig.core.config import Settings, StageResult, timed
from edufig.core.warehouse import (
    SNAPSHOT_NAME,
    last_build_file,
    mart_tables,
    read_only_connection,
    reader,
    replace_snapshot,
    snapshot_path,
    writer_lock,
)

EXTRA_TABLES = (("dq", "dq_flags"),)
PUBLISH_STAGE = "publish"

__all__ = ["publish", "query_snapshot", "snapshot_path"]


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


def snapshot_fingerprint(settings: Settings, built_on: str | None) -> str | None:
    """What a snapshot copied now would hold: the marts of the recorded whole build (None
    after a partial one: nothing to compare) and the flags."""
    if built_on is None:
        return None
    with reader(settings) as con:
        digest = landing_fingerprint.tables_digest(con, EXTRA_TABLES)
    return hashlib.sha256(f"{built_on}|{digest}".encode()).hexdigest()


def _published_counts(settings: Settings) -> dict[str, int]:
    """Rows per table of the snapshot in place."""
    with read_only_connection(snapshot_path(settings)) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema <> 'meta'"
        ).fetchall()
        return {
            f"rows_{table}": con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()[0]
            for schema, table in tables
        }


def _copy(settings: Settings, fingerprint: str | None, result: StageResult) -> None:
    try:
        tables = [*mart_tables(settings), *EXTRA_TABLES]
        result.counts.update(replace_snapshot(settings, SNAPSHOT_NAME, tables))
    except duckdb.Error as exc:
        result.errors.append(f"{settings.warehouse}: cannot publish snapshot: {exc}")
        result.failed = True
        return
    landing_fingerprint.record(settings, {PUBLISH_STAGE: fingerprint})


def publish(settings: Settings) -> StageResult:
    """Replace published/warehouse.duckdb with the marts of the last successful build,
    unless it holds them already."""
    result = StageResult("publish")
    with timed(result):
        problem = _build_problem(settings)
        if problem:
            result.errors.append(problem)
            result.failed = True
            return result
        with writer_lock(settings):  # what is fingerprinted is what is copied
            known = landing_fingerprint.recorded(settings)
            fingerprint = snapshot_fingerprint(settings, known.get("build"))
            unchanged = fingerprint is not None and fingerprint == known.get(PUBLISH_STAGE)
            if unchanged and snapshot_path(settings).exists():
                result.counts[landing_fingerprint.SKIPPED] = 1
                result.counts.update(_published_counts(settings))
            else:
                _copy(settings, fingerprint, result)
        result.counts["tables"] = sum(1 for key in result.counts if key.startswith("rows_"))
    return result


def query_snapshot(settings: Settings, sql: str) -> tuple[list[str], list[tuple]]:
    """Run SQL on the published snapshot, read-only and without file or network access."""
    with read_only_connection(snapshot_path(settings)) as conn:
        cursor = conn.execute(sql)
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
