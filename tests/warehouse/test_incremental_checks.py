"""Work proportional to change (issue 16, item 2): after documents are reloaded, moved to
another region or removed, an incremental whole build — resolved figures and facts by
document, the quality models by document, the failing check rows by region — holds exactly
what a full refresh of the same landing holds, and the quality stage then validates only the
re-checked regions and keeps the same flags a full validation finds; new project code forces
a full refresh."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import duckdb
import pytest

from bench.determinism import differing, sorted_dumps
from bench.landing import generate_documents
from edufig.core import landing_fingerprint
from edufig.core.config import Settings
from edufig.dbt_build import PROJECT_STAGE, build_marts
from edufig.quality import check_quality
from tests.warehouse.landing_fixture import load_base_landing

pytestmark = pytest.mark.slow

FIRST_LOAD = datetime(2026, 1, 1)
CHANGED = FIRST_LOAD + timedelta(days=1)
MOVED, HOST, REMOVED = "doc_7", "doc_8", "doc_5"


def _settings(root, name: str) -> Settings:
    return Settings(warehouse=root / f"{name}.duckdb", data_dir=root / name)


def _built(settings: Settings, full_refresh: bool = False) -> dict:
    result = build_marts(settings, full_refresh=full_refresh)
    assert not result.failed, result.errors
    return result.counts


def _checked(settings: Settings) -> dict:
    result = check_quality(settings)
    assert not result.failed, result.errors
    return result.counts


def _failing_rows(settings: Settings) -> int:
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        return conn.execute("select count(*) from dq.dq_check_rows").fetchone()[0]


def _change_landing(settings: Settings) -> None:
    """Three documents reloaded, one moved into another document's region (same year, other
    values: conflicts there), one removed."""
    with duckdb.connect(str(settings.warehouse)) as conn:
        generate_documents(conn, 0, 3, 50, CHANGED)
        conn.execute(
            "update landing.documents set loaded_at = ?, region_code = "
            "(select region_code from landing.documents where doc_id = ?) where doc_id = ?",
            [CHANGED, HOST, MOVED],
        )
        for table in ("figures", "documents"):
            conn.execute(f"delete from landing.{table} where doc_id = ?", [REMOVED])


def _regions_of(settings: Settings, doc_ids: list[str]) -> set[str]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select region_code from landing.documents where list_contains(?, doc_id)", [doc_ids]
        ).fetchall()
    return {code for (code,) in rows}


def _rechecked(settings: Settings) -> set[str]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        rows = conn.execute("select region_key from dq.dq_regions_to_recheck").fetchall()
    return {key for (key,) in rows}


def _conflict_rows(settings: Settings) -> int:
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        return conn.execute(
            "select count(*) from dq.dq_check_rows where check_name = 'conflicts' and "
            "region_code = (select region_code from landing.documents where doc_id = ?)",
            [HOST],
        ).fetchone()[0]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("incremental-checks")
    incremental = _settings(root, "incremental")
    with duckdb.connect(str(incremental.warehouse)) as conn:
        load_base_landing(conn.execute)
        generate_documents(conn, 0, 300, 50, FIRST_LOAD)
    states = {"first": _built(incremental), "conflicts_before": _conflict_rows(incremental)}
    states["first_quality"] = _checked(incremental)
    states["affected"] = _regions_of(incremental, ["doc_0", "doc_1", "doc_2", MOVED, REMOVED])
    states["host_region"] = _regions_of(incremental, [HOST])
    _change_landing(incremental)
    states["changed"] = _built(incremental)
    states["rechecked"] = _rechecked(incremental)
    states["conflicts_after"] = _conflict_rows(incremental)
    states["changed_quality"] = _checked(incremental)
    states["failing_rows"] = _failing_rows(incremental)
    full = _settings(root, "full")
    shutil.copyfile(incremental.warehouse, full.warehouse)
    _built(full, full_refresh=True)
    landing_fingerprint.record(full, {"quality": None})  # the copy's record says validated
    states["full_quality"] = _checked(full)
    states["differences"] = differing(
        sorted_dumps(incremental.warehouse), sorted_dumps(full.warehouse)
    )
    landing_fingerprint.record(incremental, {PROJECT_STAGE: "code of an older release"})
    with duckdb.connect(str(incremental.warehouse)) as conn:
        conn.execute("update landing.documents set loaded_at = ? where doc_id = ?", [CHANGED, HOST])
    states["new_code"] = _built(incremental)
    return states


def test_incremental_build_equals_a_full_refresh(builds):
    # what the run re-checked is the one table that differs by design
    assert set(builds["differences"]) <= {"dq.dq_regions_to_recheck"}


def test_quality_validates_only_the_rechecked_regions_and_keeps_every_flag(builds):
    # the flags themselves are compared with the full run's in the test above (dq.dq_flags)
    assert builds["first_quality"]["validated_rechecked_regions_only"] == 0
    assert builds["changed_quality"]["validated_rechecked_regions_only"] == 1
    assert builds["full_quality"]["validated_rechecked_regions_only"] == 0
    assert 0 < builds["changed_quality"]["failing_rows"] < builds["failing_rows"]
    assert builds["full_quality"]["failing_rows"] == builds["failing_rows"]
    assert builds["changed_quality"]["flags"] == builds["full_quality"]["flags"] > 0


def test_only_the_regions_of_changed_documents_are_rechecked(builds):
    assert len(builds["affected"]) == 5
    assert builds["rechecked"] == builds["affected"] | builds["host_region"]


def test_a_document_moved_into_a_region_is_checked_against_its_documents(builds):
    assert builds["conflicts_after"] >= builds["conflicts_before"] + 10


def test_only_the_first_build_and_new_code_start_from_scratch(builds):
    assert builds["first"].get("full_refresh_for_new_code") == 1
    assert "full_refresh_for_new_code" not in builds["changed"]
    assert builds["new_code"].get("full_refresh_for_new_code") == 1
