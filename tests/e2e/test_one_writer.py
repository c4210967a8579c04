"""One warehouse writer, enforced: a second `edufig run` on the same warehouse is refused at
once, naming the holder, before it writes anything; readers never touch the live file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from edufig.core.config import Settings
from edufig.core.warehouse import (
    WriteConnectionOpen,
    ensure_no_write_connection,
    lock_path,
    writer,
    writer_lock,
)
from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.slow

EDUFIG = [sys.executable, "-m", "edufig.cli"]
EX_TEMPFAIL = 75


def edufig(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*EDUFIG, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def wait_for_holder(lock: Path, pid: int, limit: float = 60) -> dict:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text(encoding="utf-8").strip():
            holder = json.loads(lock.read_text(encoding="utf-8"))
            if holder["pid"] == pid:
                return holder
        time.sleep(0.05)
    raise AssertionError(f"{lock}: PID {pid} never took the writer lock")


def test_stage_on_a_held_warehouse_is_refused_naming_the_holder(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "wh" / "warehouse.duckdb")
    with writer_lock(settings, "test holder"):
        holder = json.loads(lock_path(settings).read_text(encoding="utf-8"))
        proc = edufig("stage", "load", "--warehouse", str(settings.warehouse), cwd=tmp_path)
    assert proc.returncode == EX_TEMPFAIL, proc.stdout + proc.stderr
    assert f"PID {os.getpid()} (test holder) since {holder['started_at']}" in proc.stderr
    assert "refused before writing anything" in proc.stderr
    assert not settings.warehouse.exists()
    assert lock_path(settings).read_text(encoding="utf-8") == ""  # released on exit


def test_network_io_is_refused_while_a_write_connection_is_open(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    with writer(settings), pytest.raises(WriteConnectionOpen, match="delivering m-1"):
        ensure_no_write_connection("delivering m-1")
    ensure_no_write_connection("delivering m-1")  # closed again: allowed


def test_second_concurrent_run_is_refused_at_once_and_writes_nothing(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    intruder = tmp_path / "intruder"
    intruder.mkdir()
    shutil.copy(next(SEEDS_DIR.glob("000_*.txt")), intruder / "intruder_report.txt")
    first_data, second_data = tmp_path / "first", tmp_path / "second"
    common = ("--warehouse", str(warehouse), "--quiet")
    first = subprocess.Popen(
        [*EDUFIG, "run", "--corpus", str(SEEDS_DIR), "--data-dir", str(first_data), *common],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        holder = wait_for_holder(warehouse.with_name("warehouse.duckdb.writer.lock"), first.pid)
        started = time.monotonic()
        second = edufig(
            "run", "--corpus", str(intruder), "--data-dir", str(second_data), *common,
            cwd=tmp_path, timeout=60,
        )  # fmt: skip
        refused_after = time.monotonic() - started
        assert first.poll() is None, "the first run ended before the second was tried"
        out, err = first.communicate(timeout=900)
    finally:
        if first.poll() is None:
            first.kill()
    assert second.returncode == EX_TEMPFAIL, second.stdout + second.stderr
    assert refused_after < 20, f"refused only after {refused_after:.1f}s"
    assert f"PID {first.pid} (edufig run) since {holder['started_at']}" in second.stderr
    assert second.stdout == ""
    assert not second_data.exists(), "the refused run wrote its data directory"
    assert first.returncode == 0, out + err
    assert "failed stages: none" in out
    with duckdb.connect(str(warehouse), read_only=True) as con:
        docs = {d for (d,) in con.execute("SELECT doc_id FROM landing.documents").fetchall()}
    assert docs == {p.stem for p in SEEDS_DIR.glob("*.txt")}
    assert_readers_use_the_snapshot(warehouse, first_data)


def assert_readers_use_the_snapshot(warehouse: Path, data_dir: Path) -> None:
    """With another process's write connection open on the live file, DuckDB refuses any
    other opener: every reader command still answers, from the published snapshots."""
    options = ("--warehouse", str(warehouse), "--data-dir", str(data_dir))
    with duckdb.connect(str(warehouse)):
        flags = edufig("flags", *options, cwd=data_dir, timeout=120)
        alerts = edufig("alerts", *options, cwd=data_dir, timeout=120)
        sql = edufig("sql", "SELECT count(*) FROM marts.fct_funding", *options, cwd=data_dir)
    assert flags.returncode == 0, flags.stderr
    assert "open flag(s)" in flags.stdout and "conflicts" in flags.stdout
    assert alerts.returncode == 0, alerts.stderr
    assert "sent" in alerts.stdout
    assert sql.returncode == 0, sql.stderr
    assert int(sql.stdout.splitlines()[-1]) > 0
