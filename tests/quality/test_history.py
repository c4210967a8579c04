"""Old validation results and Data Docs pages are removed before a quality run; the pages
current flags link to stay, whatever their age."""

from __future__ import annotations

import pytest

from edufig.core import landing_fingerprint
from edufig.core.config import Settings
from edufig.quality import check_quality, list_flags
from edufig.quality.history import linked_runs, prune_validations
from edufig.quality.run import validate
from tests.quality.conftest import check_rows
from tests.quality.warehouse import Doc, build_quality_models, write_landing

RETENTION = {
    "metric": "compulsory_retention_rate",
    "year": 2023,
    "value": 100.3,
    "unit": "percent",
    "level": "compulsory",
    "text": "九年义务教育巩固率100.3%",
}


def _runs(settings: Settings) -> tuple[set[str], set[str]]:
    """Run times with a stored result, and with a Data Docs page."""
    results = settings.validation_results_dir / "edufig_quality" / "__none__"
    pages = settings.data_docs_dir / "validations" / "edufig_quality" / "__none__"
    return {p.name for p in results.iterdir()}, {p.name for p in pages.iterdir()}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A quality run that raised a flag (run A), then two validations nobody links (B, C)."""
    work = tmp_path_factory.mktemp("history")
    settings = Settings(warehouse=work / "warehouse.duckdb", validations_kept=2)
    write_landing(settings, [Doc("hard", "130500", figures=[RETENTION])])
    build_quality_models(settings, work)
    assert not check_quality(settings).failed
    for _ in range(2):  # failing rows validated outside a quality run: no flag links them
        validate(settings, check_rows(["warning"], [1.0]))
    return settings


def test_old_runs_go_and_the_page_flags_link_to_stays(history):
    settings = history
    (a, b, c), _ = (sorted(runs) for runs in _runs(settings))
    assert linked_runs(settings) == {a}
    assert prune_validations(settings) == [b]
    assert _runs(settings) == ({a, c}, {a, c})

    landing_fingerprint.record(settings, {"quality": None})
    result = check_quality(settings)
    assert result.counts["validations_removed"] == 0  # c is the newest kept, a is linked
    results, pages = _runs(settings)
    (d,) = results - {a, c}
    assert results == pages == {a, c, d}
    assert linked_runs(settings) == {d}
    assert {f["data_docs_url"].split("/")[-2] for f in list_flags(settings)} == {d}
    index = (settings.data_docs_dir / "index.html").read_text(encoding="utf-8")
    assert all(run in index for run in (a, c, d)) and b not in index


def test_nothing_is_removed_while_fewer_runs_than_kept(tmp_path):
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb", validations_kept=5)
    validate(settings, check_rows(["warning"], [1.0]))
    assert prune_validations(settings) == []
    assert len(_runs(settings)[0]) == 1
