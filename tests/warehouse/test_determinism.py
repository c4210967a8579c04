"""Identical landing tables give byte-identical marts and flags (issue 16, item 7).

Two copies of one landing (the hand-made documents plus generated ones that state every
figure twice, in the text and in a table, so ties are everywhere) are built and checked
separately; every table of `marts` and `dq`, sorted and without the columns naming the run
that wrote it, must dump to the same bytes.
"""

from __future__ import annotations

import shutil
from datetime import datetime

import duckdb
import pytest

from bench.determinism import differing, sorted_dumps
from bench.landing import generate_documents
from edufig.core.config import Settings
from edufig.dbt_build import build_marts
from edufig.quality import check_quality
from edufig.quality.flags import build_flags
from edufig.quality.run import read_flagged_rows
from tests.warehouse.landing_fixture import load_base_landing

pytestmark = pytest.mark.slow


def _built(settings: Settings) -> Settings:
    build = build_marts(settings, full_refresh=True)
    assert not build.failed, build.errors
    quality = check_quality(settings)
    assert not quality.failed, quality.errors
    return settings


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Settings, Settings]:
    root = tmp_path_factory.mktemp("determinism")
    landing = root / "source.duckdb"
    with duckdb.connect(str(landing)) as conn:
        load_base_landing(conn.execute)
        generate_documents(conn, 0, 400, 50, datetime(2026, 1, 1))
    builds = []
    for name in ("first", "second"):
        shutil.copyfile(landing, root / f"{name}.duckdb")
        settings = Settings(warehouse=root / f"{name}.duckdb", data_dir=root / name)
        builds.append(_built(settings))
    return builds[0], builds[1]


def test_two_builds_of_one_landing_dump_identical_bytes(two_builds):
    first, second = (sorted_dumps(s.warehouse) for s in two_builds)
    assert differing(first, second) == {}
    assert {"marts.fct_best_value", "dq.dq_flags", "dq.dq_check_rows"} <= first.keys()
    assert first["dq.dq_flags"].count(b"\n") > 10


def test_rows_sharing_a_flag_give_the_same_flag_in_any_order(two_builds):
    """A value stated in the text and in a table fails twice under one flag id; the flag
    must cite the same row's evidence whichever order the rows arrive in."""
    settings = two_builds[0]
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        failing = dict(
            conn.execute(
                "SELECT check_row_id, severity FROM dq.dq_check_rows WHERE severity IS NOT NULL"
            ).fetchall()
        )
    frame = read_flagged_rows(settings, sorted(failing))
    flags = build_flags(frame, failing, "", "run")
    reversed_flags = build_flags(frame.iloc[::-1], failing, "", "run")
    assert len(flags) < len(frame), "no two rows share a flag: the landing lost its duplicates"
    drop = ("raised_at",)
    assert [{k: v for k, v in f.items() if k not in drop} for f in flags] == [
        {k: v for k, v in f.items() if k not in drop} for f in reversed_flags
    ]
