"""`edufig run` end to end, through the real console script: mirror over loopback, DuckDB,
dbt, Great Expectations and the alert outbox."""

from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.slow

EDUFIG = [sys.executable, "-m", "edufig.cli"]

CHUXIONG_BUDGET = """
    SELECT value, yoy_growth_pct, yoy_change, region_name, unit
    FROM marts.fct_funding
    WHERE region_code = '532300' AND year = 2021
      AND metric = 'edu_general_budget_expenditure' AND level = 'all'
"""


def edufig(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*EDUFIG, *args], cwd=cwd, capture_output=True, text=True, timeout=900, check=False
    )


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def summary_count(stdout: str, label: str) -> int:
    """The number after `label` in the run summary, e.g. 'new 5'."""
    line = next(line for line in stdout.splitlines() if line.startswith("documents:"))
    for part in line.removeprefix("documents:").split(","):
        name, _, value = part.strip().rpartition(" ")
        if name == label:
            return int(value)
    raise AssertionError(f"{label!r} not in {line!r}")


@pytest.fixture(scope="module")
def mirror_run(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("mirror_run")
    warehouse = work / "data" / "warehouse.duckdb"
    proc = edufig("run", "--warehouse", str(warehouse), cwd=work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return warehouse, proc


def test_run_lands_chuxiong_budget_with_growth(mirror_run):
    warehouse, _ = mirror_run
    rows = query(warehouse, CHUXIONG_BUDGET)
    assert len(rows) == 1, rows
    value, growth, change, region, unit = rows[0]
    assert value == pytest.approx(4738139700.0)
    assert growth == pytest.approx(2.54)
    assert change == pytest.approx(117306700.0)
    assert region == "楚雄彝族自治州"
    assert unit == "yuan"


def test_run_summary_reports_every_stage(mirror_run):
    _, proc = mirror_run
    out = proc.stdout
    assert summary_count(out, "new") == 5
    # the mirror plants one dead attachment link: reported by URL, not fatal
    assert summary_count(out, "failed") == 1
    assert "missing_20230714.docx: HTTP 404" in proc.stderr
    assert "kunming-jtj: blocked" in proc.stderr
    assert "fct_funding" in out
    for stage in ("scrape", "extract", "load", "build", "quality", "publish", "alerts"):
        assert f"{stage} " in out.split("seconds:")[1]


def test_run_writes_alerts_to_outbox(mirror_run):
    warehouse, _ = mirror_run
    outbox = warehouse.parent / "outbox"
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in outbox.rglob("*.eml")
    ]
    assert messages, "no alert e-mail in the outbox"
    bodies = [m.get_body(preferencelist=("plain",)).get_content() for m in messages]
    shanxi = [b for b in bodies if "杏花岭区" in b]
    assert shanxi, "the 杏花岭区 flags reached no digest"
    assert any("学前三年毛入园率" in b or "毛入园率" in b for b in shanxi)


def test_second_run_is_unchanged_and_adds_no_rows(mirror_run):
    warehouse, _ = mirror_run
    counts_sql = """
        SELECT (SELECT count(*) FROM landing.figures), (SELECT count(*) FROM marts.fct_funding),
               (SELECT count(*) FROM marts.fct_attainment), (SELECT count(*) FROM marts.fct_targets)
    """
    before = query(warehouse, counts_sql)
    proc = edufig("run", "--warehouse", str(warehouse), cwd=warehouse.parent.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary_count(proc.stdout, "new") == 0
    assert summary_count(proc.stdout, "unchanged") == 5
    assert "skipped, landing unchanged since the last good build: build, quality" in proc.stdout
    assert query(warehouse, counts_sql) == before
    assert query(warehouse, CHUXIONG_BUDGET)[0][0] == pytest.approx(4738139700.0)


def _figure_keys(warehouse: Path) -> set[tuple]:
    rows = query(
        warehouse,
        "SELECT metric, level, year, kind, round(value, 2), region_code FROM landing.figures",
    )
    return set(rows)


def test_corpus_run_of_seed_files_yields_the_mirror_figures(mirror_run, tmp_path):
    mirror_warehouse, _ = mirror_run
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    (corpus / "junk.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<" + bytes(range(256)) * 4)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "noise.docx").write_bytes(b"\x00\x01PK\x03\x04 not really a zip")
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    proc = edufig("run", "--corpus", str(corpus), "--warehouse", str(warehouse), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("junk.pdf", "empty.txt", "noise.docx"):
        assert name in proc.stderr, f"{name} not reported"
    assert summary_count(proc.stdout, "failed") == 3
    docs = query(warehouse, "SELECT doc_id FROM landing.documents WHERE parse_status = 'ok'")
    assert {d for (d,) in docs} == {p.stem for p in SEEDS_DIR.glob("*.txt")}
    budget = query(warehouse, CHUXIONG_BUDGET)
    assert budget and budget[0][0] == pytest.approx(4738139700.0)
    missing = _figure_keys(mirror_warehouse) - _figure_keys(warehouse)
    assert not missing, f"mirror-run figures missing from the corpus run: {sorted(missing)[:5]}"


def test_best_value_keeps_the_xinghualing_preschool_conflict_visible(mirror_run):
    warehouse, _ = mirror_run
    rows = query(
        warehouse,
        """SELECT has_conflict, n_distinct_values, min_value, max_value FROM marts.fct_best_value
           WHERE region_code = '140107' AND year = 2020 AND kind = 'actual'
             AND metric = 'preschool_gross_enrollment_rate' AND level = 'preschool'""",
    )
    assert rows == [(True, 2, 98.5, 98.91)]


def test_quality_flags_the_seed_conflicts_and_not_the_sound_arithmetic(mirror_run):
    warehouse, _ = mirror_run
    flags = query(
        warehouse,
        "SELECT check_name, region_code, metric, year, kind, values_json FROM dq.dq_flags",
    )
    conflicts = {(r[1], r[2], r[3], r[4]) for r in flags if r[0] == "conflicts"}
    assert ("140107", "preschool_gross_enrollment_rate", 2020, "actual") in conflicts
    assert ("140107", "compulsory_retention_rate", 2025, "target") in conflicts
    chuxiong_budget = [
        r for r in flags if r[1] == "532300" and r[2] == "edu_general_budget_expenditure"
    ]
    assert chuxiong_budget == []
    xinghualing_students = [r for r in flags if r[1] == "140107" and r[0] == "parts_totals"]
    assert xinghualing_students == []


def test_each_document_records_the_year_it_describes_and_how_that_was_decided(mirror_run):
    warehouse, _ = mirror_run
    rows = query(
        warehouse,
        "SELECT title, reference_year, reference_year_basis FROM marts.dim_document",
    )
    plans = [(year, basis) for title, year, basis in rows if "十四五" in (title or "")]
    assert plans == [(2020, "plan_period")]  # 杏花岭's 十四五 plan describes its base year
    assert all(year is not None and basis for _, year, basis in rows), rows
    confidences = query(warehouse, "SELECT min(confidence), max(confidence) FROM landing.figures")
    assert 0 < confidences[0][0] <= confidences[0][1] <= 1
