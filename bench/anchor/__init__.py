"""The plain-SQL anchor: the warehouse's marts and quality failures in one DuckDB script.

`anchor.sql` is written by `python -m bench.anchor.generate` from the dbt project's own
compiled SQL (so it cannot drift from the models: tests/bench/test_anchor.py regenerates it
and compares), and run by `bench.anchor.run` with nothing but DuckDB: no dbt, no GX.
"""

from __future__ import annotations

from pathlib import Path

ANCHOR_SQL = Path(__file__).with_name("anchor.sql")
# Where the script reads the seed CSVs; the runner puts the project's seeds folder here.
SEEDS_TOKEN = "__SEEDS_DIR__"
