"""Chaos suite, pipeline: `edufig run` killed with SIGKILL as a stage starts, then run
again, ends with exactly the rows, flags and alert messages of a run never interrupted."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEEDS_DIR

EDUFIG = [sys.executable, "-m", "edufig.cli"]
VOLATILE = {"loaded_at", "sources_loaded_at", "dbt_invocation_id", "fetched_at", "raised_at"}
VOLATILE |= {"run_id", "data_docs_url"}


def run_command(work: Path) -> list[str]:
    return [*EDUFIG, "run", "--corpus", str(SEEDS_DIR), "--warehouse", str(work / "w.duckdb")]


def content(warehouse: Path) -> dict[str, list[tuple]]:
    """Every mart and the flags, sorted, without the columns that record when or by which
    invocation a row was written; and which alert messages were sent."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema = 'marts' OR (table_schema = 'dq' AND table_name = 'dq_flags')"
        ).fetchall()
        out = {}
        for schema, table in tables:
            columns = [
                row[0]
                for row in con.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                    [schema, table],
                ).fetchall()
                if row[0] not in VOLATILE
            ]
            rows = con.execute(f'SELECT {", ".join(columns)} FROM {schema}."{table}"').fetchall()
            out[f"{schema}.{table}"] = sorted(rows, key=repr)
        out["alerts.outbox"] = con.execute(
            "SELECT message_id, status FROM alerts.outbox ORDER BY message_id"
        ).fetchall()
    return out


def kill_when_stage_starts(work: Path, stage: str) -> None:
    run = subprocess.Popen(
        run_command(work), cwd=work, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert run.stderr is not None
    for line in run.stderr:
        if line.strip() == f"▶ {stage}":
            run.send_signal(signal.SIGKILL)
            break
    assert run.wait(600) == -signal.SIGKILL, f"the run ended before {stage} started"


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    work = tmp_path_factory.mktemp("clean")
    done = subprocess.run(run_command(work), cwd=work, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return content(work / "w.duckdb")


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["load", "quality", "alerts"])
def test_a_run_killed_as_a_stage_starts_then_rerun_equals_a_clean_run(
    clean_run: dict[str, list[tuple]], tmp_path: Path, stage: str
) -> None:
    kill_when_stage_starts(tmp_path, stage)
    rerun = subprocess.run(
        run_command(tmp_path), cwd=tmp_path, capture_output=True, text=True, timeout=900
    )
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    after = content(tmp_path / "w.duckdb")
    assert after.keys() == clean_run.keys()
    assert clean_run["marts.fct_funding"] and clean_run["dq.dq_flags"]
    for table, rows in clean_run.items():
        assert after[table] == rows, table
    assert {status for _id, status in after["alerts.outbox"]} == {"sent"}
