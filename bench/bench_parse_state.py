"""Benchmark: the parse stage's run cost at 1k / 10k / 100k / 300k known documents.

For each size N, a data directory is given the state a parse stage leaves after parsing N
documents (one entry per document, the log read to its end), then the real parse stage runs
twice, each time in a fresh process: `no_change` (nothing archived since) and `new_docs`
(`--new` documents archived since, parsed and recorded). Side by side, on identical
entries: this tree's SQLite store (`parse_state.sqlite`) and the JSON store of `--json-from`
(`parse_state.json`, read whole by every run and rewritten whole by every run that parsed
anything), whose tree is taken with `git archive` and run the same way. Reported per run:
the stage's seconds (`parse_archive` end to end, its worker pool included) and the state's
size on disk.

Writes bench/results/parse_state.json. Timings depend on the machine.
Usage: `python -m bench.bench_parse_state [--sizes 1000 10000 100000 300000] [--new 10]`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from scrapers.archive import Archive, ArchivedDocument, ArchivedPart, LogPosition
from scrapers.parse_stage import PARSER_VERSION
from scrapers.parse_state import DocumentEntry, ParseState
from scrapers.sqlite_store import transaction

RESULTS = Path(__file__).resolve().parent / "results"
REPO = RESULTS.parent.parent
FETCHED_AT = "2026-01-01T00:00:00Z"
# Run in the child with the tree under test first on sys.path: both trees' parse stage
# have this signature.
RUN_STAGE = """
import json, sys, time
from pathlib import Path
from edufig.core.config import Settings
from scrapers.parse_stage import parse_archive
data = Path(sys.argv[1])
settings = Settings(warehouse=data / "warehouse.duckdb", data_dir=data)
start = time.perf_counter()
result = parse_archive(settings)
print(json.dumps({"seconds": time.perf_counter() - start, "counts": result.counts}))
"""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _archive_document(archive: Archive, number: int) -> ArchivedDocument:
    """A small report page, archived as the crawler archives one."""
    url = f"http://127.0.0.1/jyj/art/2026/{number}.html"
    body = (
        f"<html><head><title>第{number}号 教育工作报告</title></head><body><p>"
        f"全县教育经费投入{number + 1000}万元，学前三年毛入园率9{number % 10}.5%。"
        "</p></body></html>"
    ).encode()
    page = ArchivedPart(url, archive.store(url, 200, {}, body, FETCHED_AT), "text/html")
    provenance = {"publisher": "县教育局", "region_name": "某县", "region_code": "000000"}
    return ArchivedDocument(
        f"bench-{number}", url, "bench", FETCHED_AT, page, provenance=provenance
    )


def _entries(n: int) -> dict[str, DocumentEntry]:
    """The entries of n documents parsed before (one in 200 failed, as real archives have)."""
    return {
        f"known-{i}": DocumentEntry(
            content_key=_sha(f"bytes-{i}"),
            parser_version=PARSER_VERSION,
            crawled=True,
            location=f"http://127.0.0.1/jyj/art/2025/{i}.html",
            text_sha256=None if i % 200 == 0 else _sha(f"text-{i}"),
            parse_error="no text found in the page" if i % 200 == 0 else None,
        )
        for i in range(n)
    }


def _log_position(archive: Archive) -> LogPosition:
    return archive.documents_since(LogPosition())[1]


def _seed_sqlite(data: Path, entries: dict[str, DocumentEntry], end: LogPosition) -> None:
    with ParseState.open(data) as state:
        with transaction(state.db):
            for doc_id, entry in entries.items():
                state.put(doc_id, entry)
        state.advance(end, PARSER_VERSION, {})


def _seed_json(data: Path, entries: dict[str, DocumentEntry], end: LogPosition) -> None:
    """The file the JSON store of the parent wrote for the same entries."""
    documents = {}
    for doc_id, entry in entries.items():
        row = {k: v for k, v in vars(entry).items() if v is not None and k != "location"}
        documents[doc_id] = {**row, "where": entry.location}
    state = {
        "documents": documents,
        "archive_head": end.head,
        "archive_offset": end.offset,
        "parser_version": PARSER_VERSION,
        "retry": {},
    }
    (data / "parse_state.json").write_text(json.dumps(state, ensure_ascii=False, indent=1))


def _tree(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", ref, "edufig", "scrapers"], cwd=REPO, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def _run(tree: Path, data: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUN_STAGE, str(data)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"parse stage in {tree} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _state_bytes(data: Path) -> int:
    return sum(p.stat().st_size for p in data.glob("parse_state*") if p.is_file())


def one_store(tree: Path, data: Path, n: int, new: int, seed) -> dict:
    """No-change run, then a run with `new` documents archived since, on a seeded state."""
    archive = Archive(data / "archive")
    archive.add_document(_archive_document(archive, 0))
    (data / "parsed").mkdir(parents=True, exist_ok=True)
    seed(data, _entries(n), _log_position(archive))
    record = {"no_change": _run(tree, data)}
    for number in range(1, new + 1):
        archive.add_document(_archive_document(archive, number))
    record["new_docs"] = _run(tree, data)
    record["state_bytes"] = _state_bytes(data)
    for run in ("no_change", "new_docs"):
        record[run] = {"seconds": round(record[run]["seconds"], 3), **record[run]["counts"]}
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 300000])
    parser.add_argument("--new", type=int, default=10)
    parser.add_argument("--json-from", default="2432967")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    report: dict[str, object] = {"commit": commit, "json_from": args.json_from, "sizes": {}}
    with tempfile.TemporaryDirectory() as work:
        old_tree = _tree(args.json_from, Path(work) / "old")
        for n in args.sizes:
            sides = {
                "sqlite": one_store(REPO, Path(work) / f"sqlite-{n}", n, args.new, _seed_sqlite),
                "json": one_store(old_tree, Path(work) / f"json-{n}", n, args.new, _seed_json),
            }
            report["sizes"][str(n)] = sides
            print(json.dumps({"documents": n, **sides}), file=sys.stderr, flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "parse_state.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
