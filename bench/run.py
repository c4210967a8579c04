"""The benchmark: `uv run python -m bench.run [--sizes 100,1000,10000] [--quick]`.

For each size N it generates the synthetic corpus, serves its sites on loopback, and runs
every stage as its own process on a fresh data directory: crawl (politeness delay 0, bench
only), parse alone, local-corpus ingest, extract and JioNLP's `extract_money` on the same
texts, load, dbt build (full refresh), quality, publish, alerts. Then it scores extraction
and the planted-error flags, adds 1 % new documents for an incremental run, and reruns the
whole pipeline with nothing changed. Results go to bench/results/ after every size.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bench import accuracy
from bench.measure import StageRun
from bench.report import current_commit, write_results
from bench.serve import serve_sites
from bench.synth.generate import CorpusInfo, generate
from edufig.core.divisions import divisions_by_code, load_divisions

RESULTS_DIR = Path(__file__).resolve().parent / "results"
README = Path(__file__).resolve().parent / "README.md"
DEFAULT_WORK = Path("/tmp/edufig-bench")
PIPELINE = ("crawl", "extract", "load", "build", "quality", "publish", "alerts")
FULL_ONLY = ("parse", "jionlp")


def _serve_dir(root: Path) -> Path:
    """One host directory per province, so hosts exist before any corpus needs them."""
    served = root / "served"
    for code in sorted({d.province_code[:2] for d in load_divisions()}):
        site = served / f"p{code}"
        site.mkdir(parents=True, exist_ok=True)
        (site / "_site.json").write_text('{"last_modified": "Mon, 04 Mar 2024 02:00:00 GMT"}\n')
    return served


def _publish_sites(
    corpus: CorpusInfo, served: Path, base_urls: dict[str, str], target: Path
) -> Path:
    """Copy the corpus sites into the served tree and write its registry with real ports."""
    shutil.copytree(corpus.sites_dir, served, dirs_exist_ok=True)
    text = (corpus.sites_dir / "sources.yaml").read_text(encoding="utf-8")
    for name, url in base_urls.items():
        text = text.replace("${" + name + "}", url)
    target.write_text(text, encoding="utf-8")
    return target


def _subscriptions(corpus: CorpusInfo, target: Path) -> Path:
    """One outbox subscriber per province in the corpus, so every flag reaches a digest."""
    divisions = divisions_by_code()
    codes = {entry["region_code"] for entry in accuracy.read_jsonl(corpus.manifest)}
    provinces = sorted({divisions[code].province_name for code in codes})
    recipients = [
        {"name": f"{name}教育厅", "province": name, "min_severity": "warning",
         "channels": [{"type": "outbox"}]}
        for name in provinces
    ]  # fmt: skip
    target.write_text(yaml.safe_dump({"recipients": recipients}, allow_unicode=True), "utf-8")
    return target


def _pipeline(run: StageRun, label: str) -> dict[str, dict]:
    print(f"  {label}", flush=True)
    return {name: run.stage(name) for name in PIPELINE}


def _accuracy(run: StageRun, corpus: CorpusInfo) -> dict:
    mapping = accuracy.doc_id_map(run.data_dir / "parsed", corpus.manifest)
    result: dict = {"mapped_documents": len(mapping)}
    result["extraction"] = accuracy.extraction_scores(
        run.data_dir / "figures", corpus.truth_figures, mapping
    )
    try:
        flags = accuracy.read_flags(run.data_dir / "warehouse.duckdb")
    except Exception as exc:  # no dq.dq_flags yet: the quality stage has not run or landed
        result["flags"] = {"status": "not_available", "reason": f"{type(exc).__name__}: {exc}"}
    else:
        result["flags"] = accuracy.flag_scores(
            flags, accuracy.read_jsonl(corpus.truth_errors), mapping
        )
    return result


def _text_bytes(parsed_dir: Path) -> int:
    total = 0
    for path in parsed_dir.glob("*.json"):
        total += len(json.loads(path.read_text(encoding="utf-8")).get("text", "").encode("utf-8"))
    return total


def bench_size(n: int, work: Path, seed: int) -> dict:
    root = work / f"n{n}"
    if root.exists():
        shutil.rmtree(root)
    start = time.perf_counter()
    corpus = generate(root / "corpus", n, seed)
    record: dict = {"documents": n, "generate_seconds": round(time.perf_counter() - start, 2)}
    record["corpus"] = {
        "figures": corpus.figures,
        "planted": corpus.planted,
        "text_bytes": corpus.text_bytes,
    }
    extra = max(1, math.ceil(n / 100))
    plus = generate(root / "corpus_plus", n + extra, seed)
    served = _serve_dir(root)
    with serve_sites(served) as base_urls:
        sources = _publish_sites(corpus, served, base_urls, root / "sources.yaml")
        run = StageRun(root / "data", sources, corpus.sites_dir, corpus.txt_dir)
        run.subscriptions = _subscriptions(plus, root / "subscriptions.yaml")
        print(f"N={n}: full run", flush=True)
        full = {name: run.stage(name, full_refresh=name == "build") for name in PIPELINE}
        full |= {name: run.stage(name) for name in FULL_ONLY}
        full["ingest"] = StageRun(root / "data_txt", corpus=corpus.txt_dir).stage("ingest")
        record["text_bytes_parsed"] = _text_bytes(run.data_dir / "parsed")
        record["accuracy"] = _accuracy(run, corpus)
        _publish_sites(plus, served, base_urls, root / "sources.yaml")
        record["incremental_new_documents"] = extra
        record["incremental"] = _pipeline(run, f"incremental (+{extra} documents)")
        record["nochange"] = _pipeline(run, "no-change rerun")
        # the first quiet run scans the documents and records the folders; the next skips
        record["nochange_again"] = _pipeline(run, "second no-change rerun")
        record["accuracy_after_rerun"] = _accuracy(run, plus)
    record["full"] = full
    return record


def _earlier(folder: Path, seed: int) -> dict[int, dict]:
    """Size records of an earlier run with the same seed; each keeps the commit it measured."""
    path = folder / "results.json"
    if not path.is_file():
        return {}
    summary = json.loads(path.read_text(encoding="utf-8"))
    if summary.get("seed") != seed:
        return {}
    commit = summary.get("machine", {}).get("code_commit")
    return {int(n): {"commit": commit} | record for n, record in summary["results"].items()}


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"--sizes {text!r}: expected numbers like 100,1000"
        ) from exc
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: sizes must be positive")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[100, 1000, 10000])
    parser.add_argument("--quick", action="store_true", help="N=100 only (smoke run)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--work-dir", type=Path, default=DEFAULT_WORK, help="scratch data (replaced)"
    )
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--keep", action="store_true", help="keep earlier results of sizes not rerun now"
    )
    args = parser.parse_args(argv)
    sizes = [100] if args.quick else args.sizes
    folder = args.results / "quick" if args.quick else args.results
    results = _earlier(folder, args.seed) if args.keep else {}
    for n in sizes:
        load = [round(x, 2) for x in os.getloadavg()]
        results[n] = bench_size(n, args.work_dir, args.seed)
        results[n]["load_average_at_start"] = load
        results[n]["commit"] = current_commit()
        results[n]["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        requested = sorted(set(sizes) | set(results))
        write_results(results, folder, args.seed, requested, None if args.quick else README)
    print(f"results → {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
