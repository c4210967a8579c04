"""The build and quality stages run under the project's DuckDB memory ceiling and spill to
its temp directory instead of failing (issue 16, item 4).

Half the default ceiling, on a landing of 100,000 figures; the limit and the spill
directory must be the project's in every connection (dbt's once re-applied them on every
cursor, which DuckDB refuses once it has spilled: "Cannot switch temporary directory after
the current one has been used", seen at a million figures). The floor is not flat yet: at
200 MB dq_check_rows runs out of memory at this size (its list aggregates do not spill).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from bench.landing import generate_documents
from edufig.core.config import Settings
from edufig.core.warehouse import MEMORY_LIMIT_ENV, TEMP_DIR_ENV, reader
from edufig.dbt_build import build_marts
from edufig.quality import check_quality

pytestmark = pytest.mark.slow


def test_a_tight_memory_limit_spills_and_the_stages_succeed(tmp_path, monkeypatch):
    settings = Settings(warehouse=tmp_path / "w.duckdb", data_dir=tmp_path / "data")
    spill = tmp_path / "spill"
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "512MB")
    monkeypatch.setenv(TEMP_DIR_ENV, str(spill))
    with duckdb.connect(str(settings.warehouse)) as conn:
        generate_documents(conn, 0, 2000, 50, datetime(2026, 1, 1))
    build = build_marts(settings, full_refresh=True)
    assert not build.failed, build.errors
    assert build.counts["rows_fct_best_value"] == 50_000
    quality = check_quality(settings)
    assert not quality.failed, quality.errors
    assert quality.counts["flags"] > 0
    with reader(settings) as conn:
        limit, directory = conn.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    assert limit.startswith("488.") and directory == str(spill)
