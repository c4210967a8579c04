"""Mart contents after a real dbt build of the landing fixture."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from edufig.core.catalog import load_metrics
from edufig.dbt_build import WAREHOUSE_SELECTION, run_dbt
from edufig.review.landing import REVIEW_DECISIONS_DDL
from tests.warehouse.conftest import query
from tests.warehouse.landing_fixture import (
    CHUXIONG_BULLETIN,
    CHUXIONG_REPORT,
    CHUXIONG_SPENDING,
    XINGHUALING_PLAN,
)


def is_bilingual(text: str) -> bool:
    """A Chinese description and an English one (at least two English words)."""
    english_words = re.findall(r"\b[A-Za-z]{2,}\b", text)
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and len(english_words) >= 2


ACTUAL_FACTS = ("fct_funding", "fct_staffing", "fct_attainment", "fct_enrollment")


@pytest.fixture(scope="module")
def settings(built_warehouse):
    return built_warehouse[0]


def test_chuxiong_spending_has_region_hierarchy_yoy_and_evidence(settings):
    rows = query(
        settings,
        "select region_code, region_name, region_level, province_code, province_name, "
        "value, unit, yoy_change, yoy_growth_pct, evidence_text, start_offset, end_offset, "
        "n_mentions, doc_title "
        "from marts.fct_funding where doc_id = ? and metric = 'edu_general_budget_expenditure'",
        [CHUXIONG_REPORT.doc_id],
    )
    assert rows == [
        (
            "532300",
            "楚雄彝族自治州",
            "prefecture",
            "530000",
            "云南省",
            4738139700.0,
            "yuan",
            117306700.0,
            2.54,
            CHUXIONG_SPENDING,
            743,
            743 + len(CHUXIONG_SPENDING),
            2,
            CHUXIONG_REPORT.title,
        )
    ]


def test_figure_region_overrides_document_region(settings):
    rows = query(
        settings,
        "select region_code, region_name, region_level, prefecture_code, province_name "
        "from marts.fct_enrollment where doc_id = ? and value = 61234",
        [CHUXIONG_REPORT.doc_id],
    )
    assert rows == [("532301", "楚雄市", "county", "532300", "云南省")]


def test_best_value_shows_text_against_table_conflict(settings):
    rows = query(
        settings,
        "select value, n_sources, n_figures, n_distinct_values, distinct_values, has_conflict, "
        "evidence_text from marts.fct_best_value where region_code = '140107' and year = 2020 "
        "and metric = 'preschool_gross_enrollment_rate' and level = 'preschool'",
    )
    assert len(rows) == 1
    value, n_sources, n_figures, n_distinct, distinct_values, conflict, evidence = rows[0]
    assert (n_sources, n_figures, n_distinct, conflict) == (1, 2, 2, True)
    assert distinct_values == "98.5 | 98.91"
    assert value == 98.5 and "毛入园率达98.5%" in evidence


def test_best_value_prefers_statistical_bulletin_over_later_report(settings):
    rows = query(
        settings,
        "select value, doc_id, authority_rank, n_sources, has_conflict from marts.fct_best_value "
        "where region_code = '532300' and year = 2021 and metric = 'full_time_teachers'",
    )
    assert CHUXIONG_REPORT.published_date > CHUXIONG_BULLETIN.published_date
    assert rows == [(28125.0, CHUXIONG_BULLETIN.doc_id, 1, 2, True)]


def test_agreeing_sources_are_counted_without_conflict(settings):
    rows = query(
        settings,
        "select n_sources, n_figures, has_conflict from marts.fct_best_value "
        "where region_code = '532300' and year = 2021 "
        "and metric = 'edu_general_budget_expenditure'",
    )
    assert rows == [(2, 2, False)]


def test_targets_are_kept_out_of_actual_facts(settings):
    for fact in ACTUAL_FACTS:
        assert query(settings, f"select count(*) from marts.{fact} where kind <> 'actual'") == [
            (0,)
        ]
        assert query(settings, f"select count(*) from marts.{fact} where year = 2025") == [(0,)]
    targets = query(
        settings,
        "select metric, year, value, n_mentions from marts.fct_targets "
        "where doc_id = ? order by metric, value",
        [XINGHUALING_PLAN.doc_id],
    )
    assert targets == [
        ("compulsory_retention_rate", 2025, 99.7, 1),
        ("compulsory_retention_rate", 2025, 100.0, 1),
        ("preschool_gross_enrollment_rate", 2025, 99.0, 2),
    ]


def test_unknown_metric_is_reported_not_loaded(built_warehouse):
    settings, result = built_warehouse
    facts = " union all ".join(
        f"select metric from marts.{f}" for f in (*ACTUAL_FACTS, "fct_targets")
    )
    assert query(
        settings, f"select count(*) from ({facts}) where metric = 'kindergarten_buses'"
    ) == [(0,)]
    assert query(settings, "select metric, reason from intermediate.int_figures_unresolved") == [
        ("kindergarten_buses", "unknown_metric")
    ]
    assert result.counts["tests_warned"] == 1


def test_build_counts_rows_per_mart(built_warehouse):
    settings, result = built_warehouse
    for table in (*ACTUAL_FACTS, "fct_targets", "fct_best_value", "dim_document"):
        assert (
            result.counts[f"rows_{table}"]
            == query(settings, f"select count(*) from marts.{table}")[0][0]
        )
    assert result.counts["rows_fct_funding"] == 4
    assert result.counts["rows_dim_document"] == 3
    assert (
        result.counts["tests"] > 30 and result.counts["tests_passed"] == result.counts["tests"] - 1
    )


def test_dim_region_covers_the_country(settings):
    levels = dict(query(settings, "select level, count(*) from marts.dim_region group by level"))
    assert levels["province"] == 34
    assert levels["prefecture"] > 330 and levels["county"] > 2800
    orphans = query(
        settings,
        "select count(*) from marts.dim_region r left join marts.dim_region p "
        "on p.code = r.province_code where p.level <> 'province' or p.code is null",
    )
    assert orphans == [(0,)]


def test_dim_metric_is_the_catalog(settings):
    codes = {code for (code,) in query(settings, "select code from marts.dim_metric")}
    assert codes == set(load_metrics())


def test_documents_get_authority_ranks(settings):
    rows = query(settings, "select doc_id, authority_rank from marts.dim_document order by doc_id")
    assert rows == [
        (CHUXIONG_REPORT.doc_id, 3),
        (XINGHUALING_PLAN.doc_id, 4),
        (CHUXIONG_BULLETIN.doc_id, 1),
    ]


def test_docs_generate_describes_marts_in_both_languages(settings):
    run = run_dbt(settings, ["docs", "generate", "--select", WAREHOUSE_SELECTION])
    assert run.success, run.exception
    target = settings.data_dir / "dbt" / "target"
    catalog = json.loads((target / "catalog.json").read_text())
    assert "model.edufigures.fct_best_value" in catalog["nodes"]
    columns = catalog["nodes"]["model.edufigures.fct_funding"]["columns"]
    assert {"figure_id", "evidence_text", "start_offset", "region_code"} <= set(columns)
    manifest = json.loads((target / "manifest.json").read_text())
    marts = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["schema"] == "marts"
    ]
    assert len(marts) == 12  # ten marts, fct_best_value_sources, fct_extraction_corrections
    for node in marts:
        assert node["contract"]["enforced"], node["name"]
        assert is_bilingual(node["description"]), node["name"]
        for column in node["columns"].values():
            assert column["data_type"] and is_bilingual(column["description"]), column
    assert {e["name"] for e in manifest["exposures"].values()} == {"dq_alerts", "analyst_snapshot"}


def test_scoped_figures_are_their_own_rows_and_never_the_best_value_of_the_whole(settings):
    staffing = query(
        settings,
        "select value, scope, confidence from marts.fct_staffing "
        "where doc_id = '000_8ec6747b4fd94863' and metric = 'full_time_teachers' order by value",
    )
    assert staffing == [(3100.0, "private", 0.9), (28000.0, None, 0.9)]
    best = query(
        settings,
        "select value, cast(distinct_values as varchar) from marts.fct_best_value "
        "where region_code = '532300' and metric = 'full_time_teachers' and year = 2021",
    )
    assert len(best) == 1 and best[0][0] != 3100.0 and "3100" not in best[0][1]


def test_mart_keys_and_codes_are_constraints_enforced_on_write(settings):
    """Declared in the contracts rather than tested after the build: DuckDB refuses the
    row, so a null key or an unknown code never reaches a mart."""
    constraints = query(
        settings,
        "select table_name, constraint_type, unnest(constraint_column_names) "
        "from duckdb_constraints() where schema_name = 'marts'",
    )
    not_null = {(t, c) for t, kind, c in constraints if kind == "NOT NULL"}
    checked = {(t, c) for t, kind, c in constraints if kind == "CHECK"}
    for fact in (*ACTUAL_FACTS, "fct_targets"):
        for column in ("figure_id", "doc_id", "metric", "level", "kind", "value", "loaded_at"):
            assert (fact, column) in not_null
        for column in ("domain", "kind", "unit", "qualifier", "scope"):
            assert (fact, column) in checked
    assert {("fct_best_value", "value_key"), ("dim_region", "code")} <= not_null
    assert {("fct_best_value", "value_source"), ("dim_metric", "direction")} <= checked
    with duckdb.connect(str(settings.warehouse)) as conn:
        for replaced, refusal in (
            ("null as figure_id", r"NOT NULL.*figure_id"),
            ("'roughly' as qualifier", r"CHECK.*qualifier"),
        ):
            conn.execute("begin")
            with pytest.raises(duckdb.ConstraintException, match=refusal):
                conn.execute(
                    "insert into marts.fct_funding by name "
                    f"select * replace ({replaced}) from marts.fct_funding limit 1"
                )
            conn.execute("rollback")


def test_landing_keys_and_not_nulls_are_constraints_the_database_enforces(settings):
    """No dbt test scans the landing keys or the staging columns that repeat them (sources
    and staging yml): DuckDB refuses a duplicate or a null key, or a null in a NOT NULL
    column, when edufig.load writes it."""
    decision = (
        "insert into landing.review_decisions (flag_id, action, reviewer, decided_at, "
        "decision_id, loaded_at) values ({flag}, 'confirm', 'r', now(), 1, now())"
    )
    with duckdb.connect(str(settings.warehouse)) as conn:
        conn.execute(REVIEW_DECISIONS_DDL)  # the fixture's landing predates the review loop
        conn.execute(decision.format(flag="'f1'"))
        for statement, refusal in (
            ("insert into landing.figures select * from landing.figures limit 1", "Duplicate"),
            ("insert into landing.documents select * from landing.documents limit 1", "Duplicate"),
            (_copy_with("figures", "null as figure_id"), r"NOT NULL.*figure_id"),
            (_copy_with("figures", "'new' as figure_id, null as value"), r"NOT NULL.*value"),
            (_copy_with("documents", "'new' as doc_id, null as loaded_at"), "NOT NULL.*loaded_at"),
            (decision.format(flag="'f2'"), "Duplicate"),
            (decision.format(flag="null").replace(", 1,", ", 2,"), r"NOT NULL.*flag_id"),
        ):
            conn.execute("begin")
            with pytest.raises(duckdb.ConstraintException, match=refusal):
                conn.execute(statement)
            conn.execute("rollback")
        conn.execute("drop table landing.review_decisions")


def _copy_with(table: str, replaced: str) -> str:
    return f"insert into landing.{table} select * replace ({replaced}) from landing.{table} limit 1"
