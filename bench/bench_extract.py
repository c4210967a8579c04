"""Benchmark: figure extraction throughput against JioNLP's `extract_money` on the same text.

The corpus is the seeds, the dev excerpts and the authored documents, replicated until it
passes `--megabytes` (default 10). Both extractors run on the same documents in the same
process; the first document is run once before timing so one-time costs (imports, the
region table) are not counted. Wall and CPU time are both reported: the machine is shared,
so CPU time is the fairer basis for the ratio; each runs twice, alternating, best kept.
`--linear` also times one text of 1× and 5× a base size to show linear growth. Prints JSON.
Not part of the test suite.

Usage: `python bench/bench_extract.py [--megabytes 10] [--linear 10]`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import time
from pathlib import Path

from edufig.core.records import ParsedDocument
from edufig.extract import EXTRACTOR_VERSION, extract_figures
from scrapers.parse import parse_file

REPO = Path(__file__).resolve().parent.parent
ROUNDS = 2
SOURCES = (
    REPO / "tests" / "fixtures" / "corpus" / "seeds",
    REPO / "tests" / "fixtures" / "corpus" / "dev",
    REPO / "tests" / "gold" / "authored" / "docs",
)


def corpus(megabytes: float) -> list[ParsedDocument]:
    originals = [parse_file(path) for source in SOURCES for path in sorted(source.glob("*.txt"))]
    docs: list[ParsedDocument] = []
    size = 0
    while size < megabytes * 1e6:
        for doc in originals:
            docs.append(doc)
            size += len(doc.text.encode("utf-8"))
    return docs


def money_extractor():
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

    return jionlp.ner.extract_money


def timed(run, docs: list[ParsedDocument]) -> dict:
    run(docs[0])
    started, cpu_started = time.perf_counter(), time.process_time()
    found = sum(len(run(doc)) for doc in docs)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    megabytes = sum(len(doc.text.encode("utf-8")) for doc in docs) / 1e6
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "documents_per_second": round(len(docs) / seconds, 1),
        "documents_per_cpu_second": round(len(docs) / cpu, 1),
        "megabytes_per_second": round(megabytes / seconds, 3),
        "megabytes_per_cpu_second": round(megabytes / cpu, 3),
        "items_found": found,
    }


def linear(base_megabytes: float) -> dict:
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SOURCES[0].glob("*.txt")))
    unit = seeds * max(1, int(base_megabytes * 1e6 / len(seeds.encode("utf-8"))))
    extract_figures(ParsedDocument(doc_id="warm", text=seeds, sha256=""))
    out = {}
    for factor in (1, 5):
        doc = ParsedDocument(doc_id=f"x{factor}", text=unit * factor, sha256="")
        started = time.process_time()
        figures = extract_figures(doc)
        out[f"{factor}x"] = {
            "megabytes": round(len(doc.text.encode("utf-8")) / 1e6, 1),
            "cpu_seconds": round(time.process_time() - started, 2),
            "figures": len(figures),
        }
    out["cpu_ratio_5x_over_1x"] = round(out["5x"]["cpu_seconds"] / out["1x"]["cpu_seconds"], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--linear", type=float, default=0.0, help="base size in MB (0 = skip)")
    args = parser.parse_args()
    docs = corpus(args.megabytes)
    extract_money = money_extractor()
    runs = {"ours": [], "peer": []}
    for _ in range(ROUNDS):
        runs["ours"].append(timed(extract_figures, docs))
        runs["peer"].append(timed(lambda doc: extract_money(doc.text, with_parsing=True), docs))
    ours = min(runs["ours"], key=lambda r: r["cpu_seconds"])
    peer = min(runs["peer"], key=lambda r: r["cpu_seconds"])
    result = {
        "extractor_version": EXTRACTOR_VERSION,
        "documents": len(docs),
        "megabytes": round(sum(len(d.text.encode("utf-8")) for d in docs) / 1e6, 2),
        "extract_figures": ours,
        "jionlp_extract_money": peer,
        "speed_ratio_ours_over_jionlp": round(
            ours["megabytes_per_cpu_second"] / peer["megabytes_per_cpu_second"], 2
        ),
    }
    if args.linear:
        result["linear"] = linear(args.linear)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
