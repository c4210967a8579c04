"""The analyst snapshot: published whole after a good build, never after a failed one,
read-only, and printed as aligned tables or CSV."""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat

import duckdb
import pytest

from edufig.cli_tables import format_csv, format_table
from edufig.dbt_build import WAREHOUSE_SELECTION, build_marts
from edufig.publish import publish, query_snapshot, snapshot_path
from tests.warehouse.conftest import new_settings
from tests.warehouse.landing_fixture import sql_literal

CONFLICTS_SQL = (
    "select region_name, year, metric, distinct_values, has_conflict from marts.fct_best_value "
    "where has_conflict and kind = 'actual' order by region_name, metric"
)


@pytest.fixture(scope="module")
def published(built_warehouse):
    settings, _ = built_warehouse
    result = publish(settings)
    assert not result.failed, result.errors
    return settings, result


def test_snapshot_holds_the_marts_and_answers_queries(published):
    settings, result = published
    assert result.counts["rows_fct_funding"] == 4 and result.counts["tables"] == 12
    columns, rows = query_snapshot(settings, CONFLICTS_SQL)
    assert columns == ["region_name", "year", "metric", "distinct_values", "has_conflict"]
    assert rows == [
        ("杏花岭区", 2020, "preschool_gross_enrollment_rate", "98.5 | 98.91", True),
        ("楚雄彝族自治州", 2021, "full_time_teachers", "28000.0 | 28125.0", True),
    ]
    schemas = query_snapshot(
        settings, "select distinct table_schema from information_schema.tables order by 1"
    )[1]
    assert schemas == [("marts",), ("meta",)]


def test_snapshot_file_is_read_only(published):
    settings, _ = published
    path = snapshot_path(settings)
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    for sql in (
        "create table marts.scratch as select 1 as x",
        "delete from marts.fct_funding",
        f"copy marts.dim_level to {sql_literal(str(settings.data_dir / 'leak.csv'))}",
        "select * from read_csv('/etc/hostname')",
    ):
        with pytest.raises(duckdb.Error):
            query_snapshot(settings, sql)
    assert not (settings.data_dir / "leak.csv").exists()


def test_reader_keeps_its_snapshot_while_a_new_one_is_swapped_in(published):
    settings, _ = published
    path = snapshot_path(settings)
    with duckdb.connect(str(path), read_only=True) as reader:
        before = reader.execute("select published_at from meta.snapshot").fetchone()
        assert not publish(settings).failed
        assert reader.execute("select published_at from meta.snapshot").fetchone() == before
        assert reader.execute("select count(*) from marts.fct_funding").fetchone() == (4,)
    after = query_snapshot(settings, "select published_at from meta.snapshot")[1][0]
    assert after > before
    assert [p.name for p in path.parent.iterdir()] == ["warehouse.duckdb"]


def test_failed_build_is_not_published(built_warehouse, tmp_path):
    source, _ = built_warehouse
    settings = new_settings(tmp_path / "broken")
    shutil.copy(source.warehouse, settings.warehouse)
    settings.published_dir.mkdir()
    shutil.copy(snapshot_path(source), snapshot_path(settings))
    with duckdb.connect(str(settings.warehouse)) as conn:
        conn.execute(
            "insert into landing.figures select 'orphan-figure', 'no-such-doc', doc_sha256, "
            "99, metric, level, year, period_start, kind, value, unit, qualifier, yoy_change, "
            "yoy_growth_pct, region, region_code, text, start_offset, end_offset, loaded_at, "
            "scope, confidence from landing.figures limit 1"
        )
    build = build_marts(settings, select=WAREHOUSE_SELECTION)
    assert build.failed
    assert any("relationships_stg_figures_doc_id" in line for line in build.errors), build.errors
    before = snapshot_path(settings).read_bytes()
    result = publish(settings)
    assert result.failed
    assert "last dbt build failed" in result.errors[0]
    assert "relationships_stg_figures_doc_id" in result.errors[0]
    assert snapshot_path(settings).read_bytes() == before


def test_publish_without_a_build_names_the_warehouse(tmp_path):
    settings = new_settings(tmp_path)
    result = publish(settings)
    assert result.failed and str(settings.warehouse) in result.errors[0]
    with pytest.raises(FileNotFoundError, match="no published snapshot"):
        query_snapshot(settings, "select 1")


def test_format_table_aligns_chinese_and_flattens_scraped_text():
    table = format_table(
        ["region", "value", "evidence"],
        [
            ("杏花岭区", 98.5, "学前三年\n毛入园率达98.5%"),
            ("潜江市", 6012.0, None),
            ("x" * 3, True, "a" * 200),
        ],
    )
    lines = table.splitlines()
    assert lines[0] == "region   | value | evidence"
    assert lines[2] == "杏花岭区 | 98.5  | 学前三年 毛入园率达98.5%"
    assert lines[3] == "潜江市   | 6012  |"
    assert lines[4].startswith("xxx      | true  | aaaa") and lines[4].endswith("a…")
    assert len(lines[4].split(" | ")[2]) == 80


def test_format_csv_quotes_and_neutralises_formulas():
    text = format_csv(
        ["name", "value", "text"],
        [("杏花岭区", -3.5, '=HYPERLINK("http://x")'), ("a,b", None, "+1")],
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["name", "value", "text"],
        ["杏花岭区", "-3.5", '\'=HYPERLINK("http://x")'],
        ["a,b", "", "'+1"],
    ]


def test_terminal_escape_sequences_are_stripped_from_csv_and_tables():
    hostile = "\x1b[2J\x1b]0;owned\x07杏花岭区\x1b[31m98.5\x1b[0m\x07"
    for text in (format_csv(["v"], [(hostile,)]), format_table(["v"], [(hostile,)])):
        assert "\x1b" not in text and "\x07" not in text and "owned" not in text
        assert text.splitlines()[-1] == "杏花岭区98.5"


def test_publish_removes_partials_left_by_a_killed_publisher(published):
    settings, _ = published
    folder = snapshot_path(settings).parent
    dead = [
        folder / ".warehouse.duckdb.999999999.partial",
        folder / ".warehouse.duckdb.999999999.partial.wal",
    ]
    running = folder / f".warehouse.duckdb.{os.getppid()}.partial"  # a publish under way
    for path in [*dead, running]:
        path.write_bytes(b"half a snapshot")
    result = publish(settings)
    assert not result.failed and result.counts["stale_partials_removed"] == 2
    assert not any(p.exists() for p in dead) and running.exists()
    running.unlink()


def test_build_without_a_warehouse_fails_and_blocks_publishing(tmp_path):
    settings = new_settings(tmp_path)
    build = build_marts(settings)
    assert build.failed
    assert build.errors == [f"{settings.warehouse}: warehouse not found; run the load stage"]
    result = publish(settings)
    assert result.failed and "last dbt build failed" in result.errors[0]
    assert not snapshot_path(settings).exists()
