"""Run the plain-SQL anchor on a warehouse that holds landing tables; time each stage.

Usage: python -m bench.anchor.run WAREHOUSE.duckdb [--nodes N]

`--nodes N` adds the N slowest statements, named by their dbt node, to set beside the
`OK ... in X s` lines of dbt's log (`<data_dir>/dbt/logs/dbt.log`) node by node.

Only DuckDB runs here, with the project's own connection settings (memory limit, spill
directory), so the bench compares dbt and GX with the same engine under the same limits.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import duckdb

from bench.anchor import ANCHOR_SQL, SEEDS_TOKEN
from edufig.core.config import REPO_ROOT, Settings
from edufig.core.warehouse import writer

SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"
STAGE_LINE = re.compile(r"^-- stage: (\w+)\s*$", re.MULTILINE)


def stages(script: str) -> dict[str, list[str]]:
    """Stage name → its statements, in script order."""
    pieces = STAGE_LINE.split(script)
    return {
        name: [s.strip() for s in body.split("-- node:")[1:] if s.strip()]
        for name, body in zip(pieces[1::2], pieces[2::2], strict=True)
    }


def run_anchor(
    conn: duckdb.DuckDBPyConnection,
    script: str | None = None,
    nodes: dict[str, float] | None = None,
) -> dict[str, float]:
    """Execute the anchor on `conn`; seconds per stage (and per node into `nodes`)."""
    text = (script or ANCHOR_SQL.read_text(encoding="utf-8")).replace(SEEDS_TOKEN, str(SEEDS_DIR))
    nodes = {} if nodes is None else nodes
    seconds = {}
    for name, statements in stages(text).items():
        start = time.perf_counter()
        for statement in statements:
            node, sql = statement.split("\n", 1)  # the first line names the node
            began = time.perf_counter()
            conn.execute(sql)
            nodes[node.strip()] = time.perf_counter() - began
        seconds[name] = time.perf_counter() - start
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--nodes", type=int, default=0, help="list the N slowest statements")
    args = parser.parse_args()
    settings = Settings(warehouse=args.warehouse, data_dir=args.warehouse.with_suffix(".data"))
    nodes: dict[str, float] = {}
    with writer(settings) as conn:
        seconds = run_anchor(conn, nodes=nodes)
        failing = conn.execute("SELECT count(*) FROM dq.dq_check_rows").fetchone()[0]
    record = {**{f"{k}_s": round(v, 2) for k, v in seconds.items()}, "failing": failing}
    if args.nodes:
        slowest = sorted(nodes.items(), key=lambda item: -item[1])[: args.nodes]
        record["slowest_nodes_s"] = {node: round(s, 2) for node, s in slowest}
    print(json.dumps(record))


if __name__ == "__main__":
    main()
