"""What differs between the anchor's warehouse and the pipeline's, built from the same landing.

The bench runs this after every side-by-side run and tests/bench/test_anchor.py asserts it is
empty: a ratio to an anchor that computes something else would mean nothing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# Run metadata, not data: dbt stamps each build's rows with its invocation.
VOLATILE_COLUMNS = frozenset({"dbt_invocation_id"})
FAILING_ROWS = {
    "anchor": "SELECT check_row_id, severity FROM anchor.dq.dq_check_rows",
    "pipeline": (
        "SELECT check_row_id, severity FROM pipeline.dq.dq_check_rows WHERE severity IS NOT NULL"
    ),
}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    names = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'pipeline' "
        "AND schema_name = 'marts' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return ", ".join(f'"{name}"' for (name,) in names if name not in VOLATILE_COLUMNS)


def _one_sided(con: duckdb.DuckDBPyConnection, left: str, right: str) -> int:
    return con.execute(f"SELECT count(*) FROM ({left} EXCEPT ALL {right})").fetchone()[0]


def differences(anchor: Path, pipeline: Path) -> dict[str, tuple[int, int, int]]:
    """Per mart and for the failing check rows: (pipeline rows, rows only the anchor has,
    rows only the pipeline has)."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{anchor}' AS anchor (READ_ONLY)")
        con.execute(f"ATTACH '{pipeline}' AS pipeline (READ_ONLY)")
        marts = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'pipeline' "
            "AND schema_name = 'marts' ORDER BY table_name"
        ).fetchall()
        found = {}
        for (table,) in marts:
            columns = _columns(con, table)
            a, p = (
                f"SELECT {columns} FROM {side}.marts.{table}" for side in ("anchor", "pipeline")
            )
            rows = con.execute(f"SELECT count(*) FROM pipeline.marts.{table}").fetchone()[0]
            found[table] = (rows, _one_sided(con, a, p), _one_sided(con, p, a))
        a, p = FAILING_ROWS["anchor"], FAILING_ROWS["pipeline"]
        rows = con.execute(f"SELECT count(*) FROM ({p})").fetchone()[0]
        found["failing_check_rows"] = (rows, _one_sided(con, a, p), _one_sided(con, p, a))
        return found
    finally:
        con.close()


def mismatches(found: dict[str, tuple[int, int, int]]) -> dict[str, tuple[int, int, int]]:
    return {name: counts for name, counts in found.items() if counts[1] or counts[2]}
