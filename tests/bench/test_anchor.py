"""The plain-SQL anchor computes what the pipeline computes: the same mart rows and the same
failing check rows from the same landing tables, and its script is current with the models.

The landing is the warehouse tests' hand-made documents (real regions, targets, conflicts,
corrections of several kinds) plus 300 generated documents with planted errors, so both
marts and failing rows are non-empty and a drift in either would show.
"""

from __future__ import annotations

import shutil
from datetime import datetime

import duckdb
import pytest

from bench.anchor import ANCHOR_SQL
from bench.anchor.compare import differences, mismatches
from bench.anchor.generate import generate
from bench.anchor.run import run_anchor
from bench.landing import generate_documents
from edufig.core.config import Settings
from edufig.dbt_build import build_marts
from edufig.quality import check_quality
from tests.warehouse.landing_fixture import load_base_landing

FLAG_KEY = "check_name, severity, region_code, metric, level, year"


@pytest.fixture(scope="module")
def side_by_side(tmp_path_factory) -> tuple[Settings, duckdb.DuckDBPyConnection]:
    """The pipeline's warehouse (dbt build + quality) and the anchor's, from one landing."""
    root = tmp_path_factory.mktemp("anchor")
    settings = Settings(warehouse=root / "pipeline.duckdb", data_dir=root / "data")
    with duckdb.connect(str(settings.warehouse)) as conn:
        load_base_landing(conn.execute)
        generate_documents(conn, 0, 300, 50, datetime(2026, 1, 1))
    anchor = root / "anchor.duckdb"
    shutil.copyfile(settings.warehouse, anchor)
    build = build_marts(settings, full_refresh=True)
    assert not build.failed, build.errors
    quality = check_quality(settings)
    assert not quality.failed, quality.errors
    with duckdb.connect(str(anchor)) as conn:
        run_anchor(conn)
    return settings, anchor


def test_anchor_builds_the_same_marts_and_failing_rows(side_by_side):
    settings, anchor = side_by_side
    found = differences(anchor, settings.warehouse)
    assert mismatches(found) == {}
    assert found["fct_funding"][0] > 3000 and found["fct_best_value"][0] > 3000
    assert found["failing_check_rows"][0] > 0


def test_anchor_failing_rows_are_the_flags_the_quality_stage_raised(side_by_side):
    settings, anchor = side_by_side
    with duckdb.connect(str(anchor), read_only=True) as conn:
        anchored = set(conn.execute(f"SELECT {FLAG_KEY} FROM dq.anchor_flagged_rows").fetchall())
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        flagged = set(conn.execute(f"SELECT {FLAG_KEY} FROM dq.dq_flags").fetchall())
    assert anchored == flagged
    assert {"plausibility", "unit_scale"} <= {key[0] for key in flagged}


def test_anchor_script_is_current_with_the_dbt_models():
    assert ANCHOR_SQL.read_text(encoding="utf-8") == generate(), (
        "bench/anchor/anchor.sql is stale: run `uv run python -m bench.anchor.generate`"
    )


def test_anchor_times_each_node_within_its_stages(side_by_side, tmp_path):
    """`--nodes` sets the anchor's statements beside dbt's log node by node."""
    _, anchor = side_by_side
    again = tmp_path / "again.duckdb"
    shutil.copyfile(anchor, again)
    nodes: dict[str, float] = {}
    with duckdb.connect(str(again)) as conn:
        seconds = run_anchor(conn, nodes=nodes)
    assert {"model.edufigures.fct_best_value", "anchor_flagged_rows"} <= nodes.keys()
    named = ("model.edufigures.", "seed.edufigures.", "schema.")
    assert all(n.startswith(named) or n == "anchor_flagged_rows" for n in nodes)
    assert 0 < sum(nodes.values()) <= sum(seconds.values())
