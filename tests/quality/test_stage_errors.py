"""The quality stage on a warehouse that is not ready: a clear error, nothing written."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from edufig.core.config import Settings
from edufig.load import landing_writer
from edufig.quality import check_quality, list_flags
from edufig.quality.run import validate


def test_missing_warehouse_is_named(tmp_path):
    settings = Settings(warehouse=tmp_path / "absent.duckdb")
    result = check_quality(settings)
    assert result.failed
    assert result.errors == [f"{settings.warehouse}: warehouse not found; run load and build"]
    assert list_flags(settings) == []
    assert not settings.warehouse.exists()


def test_warehouse_without_check_models_asks_for_the_build(tmp_path):
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    with landing_writer(settings):
        pass
    result = check_quality(settings)
    assert result.failed and len(result.errors) == 1
    assert "dq.dq_check_rows missing; run the build stage" in result.errors[0]
    assert list_flags(settings) == []
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_schemas()").fetchall()}
    assert "dq" not in schemas


def test_an_expectation_that_cannot_run_fails_validation(tmp_path):
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    frame = pd.DataFrame(
        {
            "row_key": [0],
            "check_row_id": ["conflicts:x"],
            "check_name": ["conflicts"],
            "year": [2020],
            "measure": [1.0],
            "hard_min": [None],
            "hard_max": [0.0],
            "soft_min": [None],
            "region_name": ["杏花岭区"],
            "metric": ["schools"],
            "level": ["all"],
            "evidence_text": ["学校64所"],
        }
    )
    with pytest.raises(RuntimeError, match=r"could not run: .*soft_max"):
        validate(settings, frame)
