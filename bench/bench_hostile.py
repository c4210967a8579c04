"""Peak memory of ingesting one hostile document, and of a whole run over the worst one.

Each case is a corpus of one hostile document beside one ordinary report, run through
the real CLI in its own process tree; the tree's resident memory (the CLI, its parser
workers and forkserver, dbt) is summed every 50 ms and the peak kept. Not part of the
test suite:

    uv run python -m bench.bench_hostile            # → bench/results/hostile.json and .md
    uv run python -m bench.bench_hostile --no-run   # ingest and parse only (about a minute)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from bench.hostile import (
    REPORT,
    docx_bomb,
    docx_entity_bomb,
    flat_html,
    nested_html,
    pdf_pages,
)
from edufig.core.config import REPO_ROOT

MIB = 2**20
RESULTS = REPO_ROOT / "bench" / "results"
CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "HTML, 100,000 nested divs": ("nested.html", lambda: nested_html(100_000)),
    "HTML, 600,000 elements": ("flat.html", lambda: flat_html(600_000)),
    "DOCX unpacking to 1.1 GB": ("bomb.docx", lambda: docx_bomb(1100 * MIB)),
    "DOCX entity bomb (10^9 laughs)": ("laughs.docx", docx_entity_bomb),
    "PDF, 5,000 pages": ("huge.pdf", lambda: pdf_pages(5_000)),
}
WORST = "DOCX unpacking to 1.1 GB"


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def measure(command: list[str], cwd: Path) -> dict:
    """Peak summed RSS of the command's process tree, sampled every 50 ms."""
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=sys.stderr, stderr=sys.stderr)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process))
        time.sleep(0.05)
    return {
        "exit_code": process.returncode,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_tree_mib": round(peak / MIB),
    }


def corpus_with(folder: Path, name: str, data: bytes) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    (corpus / name).write_bytes(data)
    (corpus / "ordinary.txt").write_text(REPORT, encoding="utf-8")
    return corpus


def measure_each(commands: list[list[str]], cwd: Path) -> dict:
    """The commands one after another: the last exit code, summed time, highest peak."""
    records = [measure(command, cwd) for command in commands]
    return {
        "exit_code": records[-1]["exit_code"],
        "seconds": round(sum(r["seconds"] for r in records), 1),
        "peak_tree_mib": max(r["peak_tree_mib"] for r in records),
    }


def run_case(label: str, stage: str) -> dict:
    """`stage` "run": one whole `edufig run`; otherwise the ingest stage then the parse stage."""
    name, make = CASES[label]
    with tempfile.TemporaryDirectory(prefix="edufig-hostile-") as tmp:
        corpus = corpus_with(Path(tmp), name, make())
        warehouse = Path(tmp) / "data" / "warehouse.duckdb"
        cli = [sys.executable, "-m", "edufig.cli"]
        options = ["--warehouse", str(warehouse), "--quiet"]
        if stage == "run":
            commands = [[*cli, "run", "--corpus", str(corpus), *options]]
            label_command = "edufig run"
        else:
            commands = [
                [*cli, "stage", "ingest", "--corpus", str(corpus), *options],
                [*cli, "stage", "parse", *options],
            ]
            label_command = "edufig stage ingest, then parse"
        record = measure_each(commands, REPO_ROOT)
    record.update(case=label, command=label_command)
    print(json.dumps(record, ensure_ascii=False), flush=True)
    return record


def markdown(records: list[dict]) -> str:
    lines = [
        "| document | command | exit | seconds | peak RSS, process tree (MiB) |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['case']} | `{r['command']}` | {r['exit_code']} | {r['seconds']} |"
        f" {r['peak_tree_mib']} |"
        for r in records
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-run", action="store_true", help="skip the whole-run case")
    args = parser.parse_args(argv)
    records = [run_case(label, "ingest") for label in CASES]
    if not args.no_run:
        records.append(run_case(WORST, "run"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "hostile.json").write_text(json.dumps(records, ensure_ascii=False, indent=1))
    (RESULTS / "hostile.md").write_text(markdown(records), encoding="utf-8")
    print(markdown(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
