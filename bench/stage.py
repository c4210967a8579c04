"""One measured stage in its own process: `python -m bench.stage STAGE --data-dir D …`.

Each stage runs in a fresh interpreter so its peak memory (VmHWM) is its own. The last
stdout line is a JSON record: seconds of the stage function call (its lazy imports
included, as a scheduler task pays them), the seconds the stage reports itself, counts,
errors, peak RSS, and status `ok`, `failed` or `not_available` (its module has not landed).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from edufig.core.config import Settings, StageResult

ERRORS_KEPT = 5


def _report_pages(sites_dir: Path) -> list[Path]:
    """The report pages of a generated corpus (its manifest sits beside `sites/`)."""
    manifest = sites_dir.parent / "manifest.jsonl"
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    return [sites_dir / e["url"][2:5] / e["path"].lstrip("/") for e in entries]


def _parse_pages(settings: Settings, sites_dir: Path) -> StageResult:
    """The parse step of the crawl, alone: report pages → ParsedDocument, no network."""
    from scrapers.parse import document_from, parse_bytes

    result = StageResult("parse")
    pages = _report_pages(sites_dir)
    start = time.perf_counter()
    for path in pages:
        data = path.read_bytes()
        parsed = parse_bytes(data, "text/html; charset=utf-8", path.as_uri())
        document_from(parsed, path.stem, data)
        result.add("documents")
        result.add("bytes", len(data))
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def _jionlp_money(settings: Settings) -> StageResult:
    """The peer: JioNLP's `extract_money` over the same parsed texts extraction reads."""
    from edufig.core.divisions import _quiet_jionlp
    from edufig.core.records import ParsedDocument

    jionlp = _quiet_jionlp()
    texts = [ParsedDocument.load(p).text for p in sorted(settings.parsed_dir.glob("*.json"))]
    result = StageResult("jionlp_extract_money")
    start = time.perf_counter()
    for text in texts:
        result.add("money", len(jionlp.ner.extract_money(text)))
        result.add("documents")
        result.add("bytes", len(text.encode("utf-8")))
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def _then_parse(settings: Settings, acquired: StageResult) -> StageResult:
    """An acquisition stage followed by the parse stage, timed and counted as one, as the
    crawl was measured before parsing became a stage of its own."""
    from edufig.pipeline import run_stage

    parsed = run_stage("parse", settings)
    for key, value in parsed.counts.items():
        acquired.add(key, value)
    acquired.errors += parsed.errors
    acquired.seconds = round(acquired.seconds + parsed.seconds, 3)
    acquired.failed = acquired.failed or parsed.failed
    return acquired


def _stage(args: argparse.Namespace, settings: Settings) -> Callable[[], StageResult]:
    from edufig.pipeline import run_stage

    stages: dict[str, Callable[[], StageResult]] = {
        "crawl": lambda: _then_parse(settings, run_stage("scrape", settings)),
        "parse": lambda: _parse_pages(settings, args.sites),
        "ingest": lambda: _then_parse(
            settings, run_stage("ingest", settings, corpus_dir=args.corpus)
        ),
        "extract": lambda: run_stage("extract", settings),
        "jionlp": lambda: _jionlp_money(settings),
        "load": lambda: run_stage("load", settings),
        "build": lambda: run_stage("build", settings, full_refresh=args.full_refresh),
        "quality": lambda: run_stage("quality", settings),
        "publish": lambda: run_stage("publish", settings),
        "alerts": lambda: run_stage("alerts", settings),
    }
    return stages[args.stage]


def _peak_rss_mb() -> tuple[float, str]:
    """This program's peak resident set and where it was read.

    `VmHWM` is the high-water mark of this process image only. `ru_maxrss` is not: Linux
    carries it across fork and exec, so it includes the harness's own size at the spawn.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1), "VmHWM"
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1), "ru_maxrss"


def run_stage(args: argparse.Namespace) -> dict:
    settings = Settings(
        warehouse=args.data_dir / "warehouse.duckdb",
        data_dir=args.data_dir,
        sources_file=args.sources,
        subscriptions_file=args.subscriptions,
        crawl_delay=0.0,
    )
    record: dict = {"stage": args.stage}
    start = time.perf_counter()
    try:
        result = _stage(args, settings)()
    except ImportError as exc:
        return record | {"status": "not_available", "reason": f"{type(exc).__name__}: {exc}"}
    except Exception as exc:  # a failing stage is a measurement too
        peak, source = _peak_rss_mb()
        return record | {
            "status": "failed",
            "reason": f"{type(exc).__name__}: {exc}",
            "seconds": round(time.perf_counter() - start, 3),
            "peak_rss_mb": peak,
            "rss_source": source,
        }
    elapsed = round(time.perf_counter() - start, 3)
    peak, source = _peak_rss_mb()
    return record | {
        "status": "failed" if result.failed else "ok",
        "seconds": elapsed,
        "stage_seconds": result.seconds,
        "counts": result.counts,
        "error_count": len(result.errors),
        "errors": result.errors[:ERRORS_KEPT],
        "peak_rss_mb": peak,
        "rss_source": source,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stage")
    parser.add_argument("stage")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--sources", type=Path)
    parser.add_argument("--sites", type=Path)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--subscriptions", type=Path)
    parser.add_argument("--full-refresh", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(run_stage(args), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
