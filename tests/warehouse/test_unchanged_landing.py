"""A run whose landing did not change skips the build and quality stages and says so; any
changed row, a partial build or --full-refresh makes the next run do the work (issue 16,
item 2). Publishing keeps a snapshot that would hold the same marts, flags and flag state."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from edufig.alerts.tables import ensure_schema, sync_flag_state
from edufig.core.config import Settings
from edufig.core.landing_fingerprint import SKIPPED
from edufig.dbt_build import build_marts
from edufig.publish import publish, query_snapshot
from edufig.quality import check_quality
from tests.warehouse.conftest import create_base_landing, new_settings, query

pytestmark = pytest.mark.slow

CHUXIONG_FIGURE = (
    "SELECT figure_id, value FROM marts.fct_funding WHERE region_name LIKE '楚雄%' "
    "ORDER BY figure_id LIMIT 1"
)


def _stages(settings: Settings, full_refresh: bool = False) -> tuple[dict, dict]:
    build = build_marts(settings, full_refresh=full_refresh)
    assert not build.failed, build.errors
    quality = check_quality(settings)
    assert not quality.failed, quality.errors
    return build.counts, quality.counts


def _invocations(settings: Settings) -> set[str]:
    return {row[0] for row in query(settings, "SELECT dbt_invocation_id FROM marts.fct_funding")}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Settings, dict, dict]:
    settings = new_settings(tmp_path_factory.mktemp("unchanged"))
    create_base_landing(settings)
    build, quality = _stages(settings)
    return settings, build, quality


def test_a_run_on_an_unchanged_landing_skips_build_and_quality(built):
    settings, first_build, first_quality = built
    before = _invocations(settings)
    build, quality = _stages(settings)
    assert build.get(SKIPPED) == 1 and quality.get(SKIPPED) == 1
    assert first_build.get(SKIPPED) is None and first_quality.get(SKIPPED) is None
    # the summary still has every mart's rows and the standing flags
    rows = {k: v for k, v in first_build.items() if k.startswith("rows_")}
    assert rows and {k: build[k] for k in rows} == rows
    assert quality["flags"] == first_quality["flags"]
    assert _invocations(settings) == before


def test_one_changed_figure_makes_the_next_run_build_it(built):
    settings = built[0]
    figure_id, value = query(settings, CHUXIONG_FIGURE)[0]
    with duckdb.connect(str(settings.warehouse)) as conn:
        conn.execute(
            "UPDATE landing.figures SET value = value + 1, loaded_at = loaded_at + INTERVAL 1 DAY "
            "WHERE figure_id = ?",
            [figure_id],
        )
        conn.execute(
            "UPDATE landing.documents SET loaded_at = loaded_at + INTERVAL 1 DAY "
            "WHERE doc_id = (SELECT doc_id FROM landing.figures WHERE figure_id = ?)",
            [figure_id],
        )
    build, quality = _stages(settings)
    assert build.get(SKIPPED) is None and quality.get(SKIPPED) is None
    assert query(settings, "SELECT value FROM marts.fct_funding WHERE figure_id = ?", [figure_id])[
        0
    ][0] == pytest.approx(value + 1)


def test_a_partial_or_forced_build_is_never_taken_for_an_unchanged_one(built):
    settings = built[0]
    assert _stages(settings)[0].get(SKIPPED) == 1
    assert _stages(settings, full_refresh=True)[0].get(SKIPPED) is None
    partial = build_marts(settings, select="dim_level")
    assert not partial.failed and partial.counts.get(SKIPPED) is None
    # built again; the marts are then what the recorded quality run checked (same landing,
    # same code: test_determinism), so quality may rely on its fingerprint
    assert _stages(settings)[0].get(SKIPPED) is None


def _published(settings: Settings) -> tuple[dict, tuple]:
    result = publish(settings)
    assert not result.failed, result.errors
    stamp = query_snapshot(
        settings, "SELECT published_at, count(*) FROM meta.snapshot, dq.dq_flags GROUP BY 1"
    )
    return result.counts, stamp[1][0]


def _sync_flag_state(settings: Settings, now: datetime) -> None:
    """What the alerts stage does to alerts.flag_state on each run."""
    with duckdb.connect(str(settings.warehouse)) as conn:
        ensure_schema(conn)
        sync_flag_state(conn, now)


def test_publish_copies_only_a_snapshot_that_would_differ(built):
    settings = built[0]
    _stages(settings)
    _published(settings)
    counts, (published_at, flags) = _published(settings)
    assert counts[SKIPPED] == 1 and counts["rows_fct_funding"] > 0 and flags > 0
    # what the alerts stage writes after publish is its own snapshot's, not the marts'
    _sync_flag_state(settings, datetime(2026, 12, 1))
    counts, (same, _) = _published(settings)
    assert counts[SKIPPED] == 1 and same == published_at
    assert query_snapshot(
        settings, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'alerts'"
    )[1] == [(0,)]
    with duckdb.connect(str(settings.warehouse)) as conn:
        conn.execute(
            "DELETE FROM dq.dq_flags WHERE flag_id = (SELECT min(flag_id) FROM dq.dq_flags)"
        )
    counts, (later, fewer) = _published(settings)
    assert counts.get(SKIPPED) is None and later > same and fewer == flags - 1
