"""The committed dim_region seed is what the generator script writes from edufig.core.divisions."""

from __future__ import annotations

import csv
import importlib.util
import io

from edufig.core.config import REPO_ROOT
from edufig.core.divisions import load_divisions

SCRIPT = REPO_ROOT / "dbt_project" / "scripts" / "build_dim_region.py"


def _script():
    spec = importlib.util.spec_from_file_location("build_dim_region", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_seed_matches_a_fresh_export():
    script = _script()
    fresh = script.render_seed(load_divisions())
    assert script.SEED_PATH.read_text(encoding="utf-8") == fresh


def test_seed_has_one_row_per_code_with_its_hierarchy():
    script = _script()
    rows = list(csv.DictReader(io.StringIO(script.render_seed(load_divisions()))))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) == len({d.code for d in load_divisions()})
    by_code = {r["code"]: r for r in rows}
    assert by_code["140107"] == {
        "code": "140107",
        "name": "杏花岭区",
        "level": "county",
        "province_code": "140000",
        "province_name": "山西省",
        "prefecture_code": "140100",
        "prefecture_name": "太原市",
    }
    assert by_code["110000"]["level"] == "province"
    assert by_code["429005"]["prefecture_code"] == ""
