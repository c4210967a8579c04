"""Incremental by document: what a new or reloaded report rebuilds, and that a full
refresh of the same landing gives exactly the same marts."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import duckdb
import pytest

from edufig.dbt_build import run_dbt
from tests.warehouse.conftest import (
    build,
    create_base_landing,
    load_documents,
    new_settings,
    query,
)
from tests.warehouse.landing_fixture import (
    CHUXIONG_BULLETIN,
    CHUXIONG_REPORT,
    FIRST_LOAD,
    QIANJIANG_REPORT,
    Fig,
    figure_id,
)

pytestmark = pytest.mark.slow

FIGURE_FACTS = ("fct_funding", "fct_staffing", "fct_attainment", "fct_enrollment", "fct_targets")

# The report re-extracted: the approximate teacher count and the primary per-student figure
# are gone, a recruitment figure is new, the rest is unchanged.
CHUXIONG_REPORT_V2 = dataclasses.replace(
    CHUXIONG_REPORT,
    version="v2",
    figures=[
        f
        for f in CHUXIONG_REPORT.figures
        if f.metric != "full_time_teachers" and f.level != "primary"
    ]
    + [
        Fig(
            "teachers_recruited",
            "all",
            2021,
            "actual",
            373.0,
            "person",
            "全州共补充教职工373人",
            1620,
        )
    ],
)


def invocations(settings) -> dict[tuple[str, str], str]:
    """(fact table, figure_id) -> the dbt invocation that wrote the row."""
    out = {}
    for fact in FIGURE_FACTS:
        for fid, invocation in query(
            settings, f"select figure_id, dbt_invocation_id from marts.{fact}"
        ):
            out[(fact, fid)] = invocation
    return out


def best_value_invocations(settings) -> dict[str, str]:
    return dict(query(settings, "select value_key, dbt_invocation_id from marts.fct_best_value"))


def mart_contents(settings) -> dict[str, list[tuple]]:
    tables = [
        t
        for (t,) in query(
            settings,
            "select table_name from information_schema.tables where table_schema = 'marts'",
        )
    ]
    contents = {}
    for table in tables:
        columns = [
            c
            for (c,) in query(
                settings,
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [table],
            )
            if c != "dbt_invocation_id"
        ]
        contents[table] = query(
            settings, f"select {', '.join(columns)} from marts.{table} order by all"
        )
    return contents


def doc_figure_ids(doc) -> set[str]:
    return {figure_id(doc.doc_id, doc.sha256, i) for i in range(len(doc.figures))}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Base build, then a new report, then a reloaded report, then a full refresh."""
    settings = new_settings(tmp_path_factory.mktemp("incremental"))
    create_base_landing(settings)
    build(settings)
    states = {"base": invocations(settings), "base_best": best_value_invocations(settings)}
    load_documents(settings, [QIANJIANG_REPORT], FIRST_LOAD + timedelta(days=1))
    build(settings)
    states["added"] = invocations(settings)
    states["added_best"] = best_value_invocations(settings)
    states["added_regions"] = query(
        settings,
        "select d.region_code, d.region_source, t.region_code, t.province_name "
        "from marts.dim_document d join marts.fct_targets t on t.doc_id = d.doc_id "
        "where d.doc_id = ?",
        [QIANJIANG_REPORT.doc_id],
    )
    load_documents(settings, [CHUXIONG_REPORT_V2], FIRST_LOAD + timedelta(days=2))
    build(settings)
    states["reloaded"] = invocations(settings)
    states["incremental_marts"] = mart_contents(settings)
    states["best_teachers"] = query(
        settings,
        "select value, n_sources, has_conflict from marts.fct_best_value "
        "where region_code = '532300' and metric = 'full_time_teachers'",
    )
    build(settings, full_refresh=True)
    states["full_marts"] = mart_contents(settings)
    return states


def test_adding_one_document_rebuilds_only_its_rows(history):
    base, added = history["base"], history["added"]
    new_rows = {key for key in added if key not in base}
    assert {fid for _, fid in new_rows} == doc_figure_ids(QIANJIANG_REPORT)
    assert {fact for fact, _ in new_rows} == {"fct_funding", "fct_staffing", "fct_targets"}
    assert {key: added[key] for key in base} == base
    (base_run,) = set(base.values())
    (added_run,) = {added[key] for key in new_rows}
    assert added_run != base_run


def test_adding_one_document_recomputes_only_the_best_values_it_states(history):
    base, added = history["base_best"], history["added_best"]
    assert {key: added[key] for key in base} == base
    assert sorted(set(added) - set(base)) == [
        "429005|2020|edu_general_budget_expenditure|all|actual|",
        "429005|2020|full_time_teachers|all|actual|",
        "429005|2025|senior_gross_enrollment_rate|senior_secondary|target|",
    ]


def test_document_without_region_takes_the_region_its_figures_name(history):
    assert QIANJIANG_REPORT.region_code is None
    assert QIANJIANG_REPORT.figures[2].region_code is None
    assert history["added_regions"] == [("429005", "figures", "429005", "湖北省")]


def test_reloaded_document_replaces_its_rows_and_leaves_others(history):
    added, reloaded = history["added"], history["reloaded"]
    kept = {fid for _, fid in reloaded}
    assert not kept & doc_figure_ids(CHUXIONG_REPORT)
    repeat = next(i for i, f in enumerate(CHUXIONG_REPORT_V2.figures) if f.start == 5200)
    repeat_id = figure_id(CHUXIONG_REPORT_V2.doc_id, CHUXIONG_REPORT_V2.sha256, repeat)
    assert doc_figure_ids(CHUXIONG_REPORT_V2) - kept == {repeat_id}
    for key, invocation in added.items():
        if key[1] not in doc_figure_ids(CHUXIONG_REPORT):
            assert reloaded[key] == invocation, key
    bulletin = doc_figure_ids(CHUXIONG_BULLETIN)
    assert bulletin <= kept
    assert history["best_teachers"] == [(28125.0, 1, False)]


def test_full_refresh_reproduces_the_incremental_marts(history):
    incremental, full = history["incremental_marts"], history["full_marts"]
    assert set(incremental) == set(full)
    assert len(incremental) == 12  # ten marts, fct_best_value_sources, fct_extraction_corrections
    for table in incremental:
        assert incremental[table] == full[table], table
    assert len(full["fct_staffing"]) == 3


def test_tests_on_facts_check_the_rows_a_build_wrote(tmp_path):
    """A build tests the fact rows it wrote, not the ones kept from earlier builds (tested
    when those were written); `dbt test` on its own tests every row."""
    settings = new_settings(tmp_path)
    create_base_landing(settings)
    build(settings)
    with duckdb.connect(str(settings.warehouse)) as conn:
        conn.execute(
            "update marts.fct_funding set region_code = '999999' "
            "where figure_id = (select min(figure_id) from marts.fct_funding)"
        )
    load_documents(settings, [QIANJIANG_REPORT], FIRST_LOAD + timedelta(days=1))
    added = build(settings)
    assert added.counts["tests_passed"] == added.counts["tests"] - 1  # the one warning
    tested = run_dbt(settings, ["test", "--select", "fct_funding"])
    assert [n.unique_id.split(".")[2] for n in tested.failed_nodes] == [
        "references_dimensions_fct_funding_"
    ]
