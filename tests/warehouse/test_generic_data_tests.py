"""The project's own generic dbt tests (dbt_project/tests/generic) fail on the rows they
exist to catch: a duplicated or null key, and each fact key missing from its dimension."""

from __future__ import annotations

import re

import duckdb
import pytest

from edufig.dbt_build import run_dbt
from tests.warehouse.conftest import build, create_base_landing, new_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """A built warehouse, then rows no build would write: a resolved figure twice and one
    without an id (both copies of the same first-mentioned figure of a known metric, so the
    rows are the same on every run); a funding fact per key whose value no dimension holds."""
    settings = new_settings(tmp_path_factory.mktemp("generic_tests"))
    create_base_landing(settings)
    build(settings)
    with duckdb.connect(str(settings.warehouse)) as conn:
        resolved = "intermediate.int_figures_resolved"
        first = (
            f"from {resolved} where is_first_mention and is_metric_known and is_level_known"
            " and is_kind_known order by figure_id limit 1"
        )
        conn.execute(f"insert into {resolved} select * {first}")
        conn.execute(f"insert into {resolved} select * replace (null as figure_id) {first}")
        ids = [
            r[0]
            for r in conn.execute(
                "select figure_id from marts.fct_funding order by figure_id limit 4"
            ).fetchall()
        ]
        for column, figure in zip(("doc_id", "metric", "level", "region_code"), ids, strict=True):
            conn.execute(
                f"update marts.fct_funding set {column} = 'no-such-{column}' where figure_id = ?",
                [figure],
            )
    tested = run_dbt(settings, ["test", "--select", "int_figures_resolved", "fct_funding"])
    return {node.unique_id.split(".")[2]: node.message for node in tested.failed_nodes}


def _failing_rows(message: str) -> int:
    return int(re.search(r"Got (\d+) results?", message).group(1))


def test_primary_key_fails_on_a_duplicated_and_a_null_key(broken):
    assert _failing_rows(broken["primary_key_int_figures_resolved_figure_id"]) == 2


def test_references_dimensions_fails_once_per_missing_key(broken):
    assert _failing_rows(broken["references_dimensions_fct_funding_"]) == 4
    # the singular test on fact rows also refuses the metric the catalog lacks
    assert set(broken) == {
        "primary_key_int_figures_resolved_figure_id",
        "references_dimensions_fct_funding_",
        "assert_fact_rows_have_evidence_and_known_metric",
        "assert_every_resolved_figure_reaches_one_fact",
    }


def test_a_figure_without_an_id_reaches_no_fact(broken):
    """The duplicated figure still has its one fact row; the copy without an id has none."""
    assert _failing_rows(broken["assert_every_resolved_figure_reaches_one_fact"]) == 1
