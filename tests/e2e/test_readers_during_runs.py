"""Readers never touch the writer's file: `edufig run` succeeds 10 times out of 10 while four
reader loops (`edufig flags`, `edufig alerts`, `edufig sql` on a mart and on the flags) query
the published snapshots as fast as they can, and every reader call answers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scrapers.local import corpus_files
from tests.conftest import DEV_DIR, SEEDS_DIR

RUNS = 10
READER_LOOP = """
import contextlib, io, json, sys, time
from pathlib import Path
from edufig.cli import main

stop, args = Path(sys.argv[1]), sys.argv[2:]
calls, failures = 0, []
while not stop.exists():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except BaseException as exc:
            code = f"{type(exc).__name__}: {exc}"
    calls += 1
    if code != 0:
        failures.append(f"{code}: {err.getvalue()[-300:]}")
    time.sleep(0.2)  # an eager analyst, not a spinning core: the machine has two
print(json.dumps({"calls": calls, "failures": failures[:5], "failed": len(failures)}))
"""
READERS = (
    ("flags",),
    ("alerts",),
    ("sql", "SELECT count(*) FROM marts.fct_funding"),
    ("sql", "SELECT count(*) FROM dq.dq_flags"),
)


def edufig_run(corpus: Path, options: tuple[str, ...]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "edufig.cli", "run", "--corpus", str(corpus), "--quiet", *options],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def start_readers(stop: Path, options: tuple[str, ...]) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", READER_LOOP, str(stop), *reader, *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for reader in READERS
    ]


def stop_readers(stop: Path, readers: list[subprocess.Popen]) -> list[dict]:
    stop.touch()
    reports = []
    for reader in readers:
        out, err = reader.communicate(timeout=120)
        assert reader.returncode == 0, err
        reports.append(json.loads(out.splitlines()[-1]))
    return reports


@pytest.mark.slow
@pytest.mark.timeout(1800)  # ten whole runs, each with a real dbt build
def test_ten_runs_succeed_while_four_reader_loops_query(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    options = ("--warehouse", str(tmp_path / "wh" / "warehouse.duckdb"))
    first = edufig_run(corpus, options)  # readers need a published snapshot to read
    assert first.returncode == 0, first.stdout + first.stderr
    additions = sorted(DEV_DIR.glob("*.txt"))[: RUNS - 1]
    stop = tmp_path / "stop-readers"
    readers = start_readers(stop, options)
    outcomes: list[str] = []
    try:
        time.sleep(2)
        for added in [None, *additions]:
            if added is not None:  # every run lands a new report, so every build is real
                shutil.copy(added, corpus / added.name)
            run = edufig_run(corpus, options)
            ok = run.returncode == 0 and "failed stages: none" in run.stdout
            outcomes.append("ok" if ok else run.stdout[-800:] + run.stderr[-800:])
    finally:
        reports = stop_readers(stop, readers)
    assert outcomes == ["ok"] * RUNS
    for reader, report in zip(READERS, reports, strict=True):
        assert report["failed"] == 0, (reader, report["failures"])
        assert report["calls"] >= RUNS, (reader, report)
    documents = edufig_sql("SELECT count(*) FROM marts.dim_document", options)
    assert documents == len(corpus_files(corpus)) == len(corpus_files(SEEDS_DIR)) + RUNS - 1


def edufig_sql(query: str, options: tuple[str, ...]) -> int:
    proc = subprocess.run(
        [sys.executable, "-m", "edufig.cli", "sql", query, *options],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(proc.stdout.splitlines()[-1])
