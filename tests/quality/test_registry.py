"""The check registry is the one declaration: the derived dbt files match it, the suite and
messages come from it, and the SQL verdict must agree with GX's on every failing row."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from edufig.alerts.flag_routing import Flag
from edufig.core.config import REPO_ROOT, Settings
from edufig.core.dq_flags import FLAG_COLUMNS
from edufig.quality import generated_files
from edufig.quality.registry import BOUND_SEVERITY, CHECKS, CHECKS_BY_NAME
from edufig.quality.run import validate
from edufig.quality.suites import expectations
from tests.quality.conftest import check_rows


def test_derived_files_are_current():
    assert generated_files.stale_files() == [], (
        "run: uv run python -m edufig.quality.generated_files"
    )


def test_union_and_docs_list_every_registered_check():
    macro = generated_files.render_macro()
    properties = yaml.safe_load(generated_files.render_properties())
    models = {m["name"]: m for m in properties["models"]}
    names = [c.name for c in CHECKS]
    for check in CHECKS:
        assert f"'model': '{check.model}'" in macro
        assert models[check.model]["description"].startswith(check.description_zh)
        assert models[check.model]["config"]["meta"]["check_name"] == check.name
    union = {c["name"]: c for c in models["dq_check_rows"]["columns"]}
    accepted = union["check_name"]["data_tests"][1]["accepted_values"]["arguments"]["values"]
    assert accepted == names


def test_suite_has_one_expectation_per_bound_and_every_declared_bound_is_one():
    found = {e.meta["bound"]: e.meta["severity"] for e in expectations()}
    assert found == dict(BOUND_SEVERITY)
    assert {b for c in CHECKS for b in c.bounds} <= found.keys()
    assert all(e.row_condition is None for e in expectations())


def test_every_message_has_both_languages_and_an_unknown_variant_is_named():
    for check in CHECKS:
        assert check.messages and all(zh and en for zh, en in check.messages.values())
    with pytest.raises(KeyError, match="conflicts"):
        CHECKS_BY_NAME["conflicts"].templates({"scope": "elsewhere"}, "warning")


def _files(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_gx_confirms_the_rows_sql_failed_writing_only_under_the_data_dir(tmp_path):
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    repo_gx_files = _files(REPO_ROOT / "expectations")
    failed, docs_url = validate(settings, check_rows(["warning", "warning"], [1.0, 1.0]))
    assert failed == {"pp_amounts:row0": "warning", "pp_amounts:row1": "warning"}
    assert Path(docs_url.removeprefix("file://")).is_relative_to(settings.data_docs_dir)
    assert list((tmp_path / "gx_results").rglob("*.json"))
    assert _files(REPO_ROOT / "expectations") == repo_gx_files
    pages = " ".join(p.read_text() for p in settings.data_docs_dir.rglob("validations/**/*.html"))
    assert "1 · pp_amounts · 黄浦区 · edu_total_investment · all · 2022 · 增长3.2个百分点" in pages


def test_rows_both_pass_are_no_flags(tmp_path):
    """As the bench validates every candidate row: a null severity read as None or NaN."""
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    frame = check_rows(["warning", None, float("nan")], [1.0, 0.0, 0.0])
    assert validate(settings, frame)[0] == {"pp_amounts:row0": "warning"}


def test_a_row_sql_fails_but_gx_passes_stops_the_stage(tmp_path):
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    frame = check_rows(["warning", "warning"], [1.0, 0.0])
    with pytest.raises(RuntimeError, match=r"disagree on 1 rows.*pp_amounts:row1"):
        validate(settings, frame)


def test_a_row_failed_at_another_severity_stops_the_stage(tmp_path):
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    with pytest.raises(RuntimeError, match=r"disagree on 1 rows.*pp_amounts:row0"):
        validate(settings, check_rows(["error"], [1.0]))


def test_alerts_read_the_columns_quality_writes():
    assert tuple(f.name for f in fields(Flag)) == FLAG_COLUMNS
