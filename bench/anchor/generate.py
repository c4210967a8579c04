"""Write bench/anchor/anchor.sql: every model of the dbt project as one plain DuckDB script.

Why generated: the anchor must compute the same marts and the same failing check rows as
the pipeline, and a hand-written second copy of 2,000 lines of models would drift. dbt
compiles the models once against an empty landing (so incremental models take their full
branch); each becomes `CREATE VIEW` or `CREATE TABLE ... AS` in dependency order, tables
with an enforced contract cast to their declared column types, seeds read from their CSVs.
What dbt adds around that SQL (its tests, incremental bookkeeping, run metadata) and what
the quality stage adds (GX over the failing rows, messages) is what the anchor leaves out:
the bench's ratios measure exactly that. Stages split as the pipeline's do: dbt builds
dq_check_rows (the pass/fail decision), so the anchor's build stage does too; its quality
stage reads the failing rows' evidence with the quality stage's own query.

Usage: python -m bench.anchor.generate [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from bench.anchor import ANCHOR_SQL, SEEDS_TOKEN
from edufig.core.config import Settings
from edufig.dbt_build import run_dbt
from edufig.load import LANDING_DDL
from edufig.quality.run import FLAGGED_ROWS_SQL

DATABASE = "warehouse"
HEADER = """-- The plain-SQL anchor (issue 16, item 1), generated from the dbt project's compiled
-- models by `python -m bench.anchor.generate`; do not edit. Run with `bench.anchor.run`.
-- `-- stage:` lines split the script into the bench's stages, `-- node:` lines into statements.
"""


def compiled_manifest(work: Path) -> dict:
    """dbt's manifest after `dbt compile` against an empty landing in `work`."""
    settings = Settings(warehouse=work / f"{DATABASE}.duckdb", data_dir=work)
    with duckdb.connect(str(settings.warehouse)) as conn:
        conn.execute(LANDING_DDL)
    run = run_dbt(settings, ["compile", "--quiet"])
    if not run.success:
        raise RuntimeError(f"dbt compile failed: {run.exception or run.failed_nodes}")
    return json.loads((work / "dbt" / "target" / "manifest.json").read_text(encoding="utf-8"))


def _relation(node: dict) -> str:
    return f"{node['schema']}.{node['alias']}"


def _plain(node: dict, invocation_id: str) -> str:
    """The compiled select without the database name and with a fixed invocation id."""
    return (
        node["compiled_code"].replace(f'"{DATABASE}".', "").replace(invocation_id, "anchor").strip()
    )


def seed_statement(node: dict) -> str:
    types = node["config"].get("column_types") or {}
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in types.items())
    path = f"{SEEDS_TOKEN}/{Path(node['original_file_path']).name}"
    return (
        f"CREATE OR REPLACE TABLE {_relation(node)} AS SELECT * FROM read_csv('{path}', "
        f"header = true, columns = {{{columns}}});"
    )


def model_statement(node: dict, invocation_id: str) -> str:
    select = _plain(node, invocation_id)
    relation = _relation(node)
    if node["config"]["materialized"] == "view":
        return f"CREATE OR REPLACE VIEW {relation} AS\n{select}\n;"
    if node["config"].get("contract", {}).get("enforced"):
        casts = ",\n    ".join(
            f"CAST({name} AS {column['data_type']}) AS {name}"
            for name, column in node["columns"].items()
        )
        select = f"SELECT\n    {casts}\nFROM (\n{select}\n)"
    return f"CREATE OR REPLACE TABLE {relation} AS\n{select}\n;"


def flagged_statement() -> str:
    """The failing rows with their documents and evidence, by the quality stage's query."""
    with_failed = FLAGGED_ROWS_SQL.strip().replace(
        "WITH ", "WITH failed_ids AS (SELECT check_row_id FROM dq.dq_check_rows),\n", 1
    )
    return f"CREATE OR REPLACE TABLE dq.anchor_flagged_rows AS\n{with_failed}\n;"


def build_order(manifest: dict) -> list[dict]:
    """Seeds and enabled models, each after what it depends on (ties by name)."""
    nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("seed", "model") and node["config"].get("enabled", True)
    }
    graph = TopologicalSorter(
        {
            uid: [d for d in nodes[uid].get("depends_on", {}).get("nodes", []) if d in nodes]
            for uid in nodes
        }
    )
    graph.prepare()
    order: list[dict] = []
    while graph.is_active():
        ready = sorted(graph.get_ready())
        order.extend(nodes[uid] for uid in ready)
        graph.done(*ready)
    return order


def anchor_script(manifest: dict) -> str:
    """The script: build stage (seeds, models), then quality (the failing rows' evidence)."""
    invocation_id = manifest["metadata"]["invocation_id"]
    order = build_order(manifest)
    schemas = sorted({node["schema"] for node in order})
    parts = [HEADER, "-- stage: build"]
    parts += [f"-- node: schema.{s}\nCREATE SCHEMA IF NOT EXISTS {s};" for s in schemas]
    for node in order:
        if node["resource_type"] == "seed":
            statement = seed_statement(node)
        else:
            statement = model_statement(node, invocation_id)
        parts.append(f"-- node: {node['unique_id']}\n{statement}")
    parts += ["-- stage: quality", f"-- node: anchor_flagged_rows\n{flagged_statement()}"]
    return "\n\n".join(parts) + "\n"


def generate() -> str:
    with tempfile.TemporaryDirectory(prefix="edufig-anchor-") as work:
        return anchor_script(compiled_manifest(Path(work)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if anchor.sql is stale")
    args = parser.parse_args()
    script = generate()
    if args.check:
        current = ANCHOR_SQL.read_text(encoding="utf-8") if ANCHOR_SQL.exists() else ""
        if current != script:
            print(f"{ANCHOR_SQL} is stale: run python -m bench.anchor.generate", file=sys.stderr)
            return 1
        return 0
    ANCHOR_SQL.write_text(script, encoding="utf-8")
    print(f"wrote {ANCHOR_SQL} ({script.count('-- node:')} statements)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
