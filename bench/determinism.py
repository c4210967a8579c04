"""Are the warehouse's outputs a function of its inputs? Build twice, compare sorted dumps.

Usage: python -m bench.determinism [--figures 100000] [--per-doc 50] [--work DIR]

Two copies of one generated landing go through the pipeline's build and quality stages,
each in its own process; every table of `marts` and `dq` is then dumped as CSV sorted by all
its columns, without the columns that record which run wrote a row, and the dumps' digests
compared. Ties broken by thread scheduling (an unordered list(), a window without a total
order) show up here, and more often the larger the landing (issue 16, item 7).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb

from edufig.core.config import REPO_ROOT

# Which run wrote a row, and where that run's Data Docs are: not data.
RUN_COLUMNS = frozenset({"dbt_invocation_id", "raised_at", "run_id", "data_docs_url"})
SCHEMAS = ("marts", "dq")


def sorted_dumps(warehouse: Path) -> dict[str, bytes]:
    """schema.table → its rows as CSV, sorted by every column, run columns left out."""
    dumps = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE list_contains(?, schema_name) ORDER BY ALL",
            [list(SCHEMAS)],
        ).fetchall()
        with tempfile.TemporaryDirectory(prefix="edufig-dump-") as scratch:
            for schema, table in tables:
                names = con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? "
                    "AND table_name = ? ORDER BY column_index",
                    [schema, table],
                ).fetchall()
                columns = ", ".join(f'"{n}"' for (n,) in names if n not in RUN_COLUMNS)
                path = Path(scratch) / f"{schema}.{table}.csv"
                con.execute(
                    f"COPY (SELECT {columns} FROM {schema}.{table} ORDER BY ALL) TO '{path}'"
                )
                dumps[f"{schema}.{table}"] = path.read_bytes()
    return dumps


def differing(first: dict[str, bytes], second: dict[str, bytes]) -> dict[str, int]:
    """Tables whose dumps differ → how many distinct lines are in one dump only."""
    out = {}
    for name in sorted(first.keys() | second.keys()):
        a, b = first.get(name, b""), second.get(name, b"")
        if a != b:
            out[name] = len(set(a.splitlines()) ^ set(b.splitlines()))
    return out


def build_twice(landing: Path, work: Path) -> dict[str, int]:
    from bench.bench_dbt import measure

    dumps = []
    for name in ("first", "second"):
        copy = work / f"{name}.duckdb"
        shutil.copyfile(landing, copy)
        measure("pipeline", copy)
        dumps.append(sorted_dumps(copy))
    return differing(*dumps)


def main() -> None:
    from bench.landing import generate_documents

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=100_000)
    parser.add_argument("--per-doc", type=int, default=50)
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "bench" / "work" / "determinism")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    landing = args.work / "source.duckdb"
    with duckdb.connect(str(landing)) as con:
        generate_documents(con, 0, args.figures // args.per_doc, args.per_doc, datetime(2026, 1, 1))
    found = build_twice(landing, args.work)
    print(json.dumps({"figures": args.figures, "differing_tables": found}))
    raise SystemExit(1 if found else 0)


if __name__ == "__main__":
    main()
