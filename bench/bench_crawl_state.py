"""Benchmark: the incremental crawler and its state store at 1k / 10k / 100k known documents.

For each size N, a generated newest-first TRS column of N articles (20 per list page) is
served on 127.0.0.1 (scrapers.mirror.synthetic) and crawled with crawl delay 0:

- `first_crawl`: a real full crawl that makes every article known (sizes up to
  `--crawl-up-to`; above it the store is seeded directly with the same rows a crawl writes,
  which the no-change crawl cannot tell apart),
- `no_change`: the production crawler again on the unchanged site: seconds, requests made
  (counted by the crawler and by the server),
- `state`: one run's state writes, 10 changed URLs (new article + its validator), into the
  SQLite store holding N articles and N validators, against the JSON store of the parent
  architecture (`git show <--json-from>:scrapers/state.py`: the whole file merged and
  rewritten on every save), with N validators: save seconds, median of 5; and load seconds
  (SQLite: open + one list page's known-article look-up; JSON: the whole file),
- `json_store_crawl` (sizes up to `--old-up-to`): the same first and no-change crawls run by
  the crawler of `--json-from` (its tree from `git archive`, in a subprocess), which asked
  every known article again.

Writes bench/results/crawl_state.json and bench/results/crawl_state.png. Timings depend on
the machine. Usage: `python bench/bench_crawl_state.py [--sizes 1000 10000 100000]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

from edufig.core.config import Settings
from scrapers.crawl import crawl_sources, doc_id_for
from scrapers.mirror.synthetic import RunningSynthetic, SyntheticSite, serve_synthetic
from scrapers.state import STATE_FILE, CrawlState, Validator

RESULTS = Path(__file__).resolve().parent / "results"
REPO = RESULTS.parent.parent
CHANGES = 10  # URLs a run changes, for the save timing
REPEATS = 5


def _median_seconds(action: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _seed(state: CrawlState, running: RunningSynthetic, n: int) -> None:
    """The rows a full crawl of n articles leaves: known articles and their validators."""
    source = running.source()
    now = time.time()
    rows = []
    for number in range(1, n + 1):
        url = source.identity(running.base_url + SyntheticSite.article_path(number))
        rows.append((url, source.name, doc_id_for(source, url), f"report {number}", now))
    state.seed_articles(rows)
    state.listed(source.name)  # as a first crawl walking the whole list records
    state.db.execute("BEGIN")
    state.db.executemany(
        "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?, ?)",
        ((url, f'"{i}"', "", f"{i:064x}", "text/html") for i, (url, *_r) in enumerate(rows)),
    )
    state.db.execute("COMMIT")


def crawl_numbers(n: int, crawl_up_to: int) -> dict[str, object]:
    """A first crawl (or seeded store) of n articles, then a timed no-change crawl."""
    site = SyntheticSite(n, page_size=20)
    with tempfile.TemporaryDirectory() as tmp, serve_synthetic(site) as running:
        settings = Settings(warehouse=Path(tmp) / "warehouse.duckdb", data_dir=Path(tmp))
        settings.ensure_dirs()
        report: dict[str, object] = {"documents": n, "list_pages_on_site": site.pages}
        if n <= crawl_up_to:
            start = time.perf_counter()
            first = crawl_sources([running.source()], settings)
            report["first_crawl"] = {
                "seconds": round(time.perf_counter() - start, 3),
                "requests": first.counts["requests"],
                "archived": first.counts["archived"],
            }
        else:
            with CrawlState.open(settings.data_dir) as state:
                _seed(state, running, n)
            report["first_crawl"] = "seeded"
        asked = len(site.asked)
        start = time.perf_counter()
        again = crawl_sources([running.source()], settings)
        report["no_change"] = {
            "seconds": round(time.perf_counter() - start, 3),
            "requests": again.counts["requests"],
            "requests_seen_by_server": len(site.asked) - asked,
            "list_pages": again.counts["list_pages"],
            "known_on_lists": again.counts["known"],
            "articles_fetched": again.counts["fetched"],
            "errors": len(again.errors),
        }
        report["state_file_bytes"] = (settings.data_dir / STATE_FILE).stat().st_size
        return report


def sqlite_state_numbers(n: int) -> dict[str, float]:
    """One run's writes (CHANGES URLs, a commit each) into a store of n articles, and an
    open plus the known-article look-up of one list page (20 links), what a no-change run
    reads; each median of REPEATS."""
    site = SyntheticSite(0)
    with tempfile.TemporaryDirectory() as tmp, serve_synthetic(site) as running:
        with CrawlState.open(Path(tmp)) as state:
            _seed(state, running, n)
        rounds = iter(range(10**6))
        state = CrawlState.open(Path(tmp))
        source = running.source()
        page = [
            source.identity(running.base_url + SyntheticSite.article_path(k)) for k in range(1, 21)
        ]

        def save() -> None:
            r = next(rounds)
            for i in range(CHANGES):
                url = f"http://new.example/{r}/{i}.html"
                state.set_validator(url, Validator('"e"', "", f"{i:064x}", "text/html"))
                state.checked(url, "synth", f"synth-{r}-{i}", "report")

        def load() -> None:
            with CrawlState.open(Path(tmp)) as opened:
                opened.known_among("synth", page)

        try:
            return {"save_seconds": _median_seconds(save), "load_seconds": _median_seconds(load)}
        finally:
            state.close()


def _old_state_module(ref: str) -> types.ModuleType:
    """scrapers/state.py as it was at `ref` (the JSON store), loaded under another name."""
    source = subprocess.run(
        ["git", "show", f"{ref}:scrapers/state.py"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("json_crawl_state")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{ref}:scrapers/state.py", "exec"), module.__dict__)
    return module


def json_state_numbers(n: int, old: types.ModuleType) -> dict[str, float]:
    """The same run's writes into the JSON store holding n validators: load, change, save."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "crawl_state.json"
        seeded = old.CrawlState()
        seeded.validators = {
            f"http://synth.example/col/t20240101_{i}.html": {
                "etag": f'"{i}"',
                "last_modified": "",
                "sha256": f"{i:064x}",
                "content_type": "text/html",
            }
            for i in range(n)
        }
        seeded.save(path)
        rounds = iter(range(10**6))
        state = old.CrawlState.load(path)

        def save() -> None:
            r = next(rounds)
            for i in range(CHANGES):
                state.validators[f"http://new.example/{r}/{i}.html"] = {"etag": '"e"'}
            state.save(path)

        def load() -> None:
            old.CrawlState.load(path)

        return {"save_seconds": _median_seconds(save), "load_seconds": _median_seconds(load)}


OLD_CRAWL = """
import json, sys, tempfile, time
from pathlib import Path
from edufig.core.config import Settings
from scrapers.crawl import crawl_sources
from scrapers.mirror.synthetic import SyntheticSite, serve_synthetic

site = SyntheticSite(int(sys.argv[1]), page_size=20)
with tempfile.TemporaryDirectory() as tmp, serve_synthetic(site) as running:
    settings = Settings(warehouse=Path(tmp) / "warehouse.duckdb", data_dir=Path(tmp))
    report = {}
    for label in ("first_crawl", "no_change"):
        start = time.perf_counter()
        result = crawl_sources([running.source()], settings)
        report[label] = {"seconds": round(time.perf_counter() - start, 3),
                         "requests": result.counts["requests"]}
print(json.dumps(report))
"""


def old_crawl_numbers(n: int, ref: str) -> dict[str, object]:
    """First and no-change crawl of n articles by the crawler at `ref` (the JSON store)."""
    with tempfile.TemporaryDirectory() as tree:
        archive = subprocess.run(
            ["git", "archive", ref, "scrapers", "edufig"], cwd=REPO, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        synthetic = Path(__file__).resolve().parents[1] / "scrapers/mirror/synthetic.py"
        (Path(tree) / "scrapers/mirror/synthetic.py").write_bytes(synthetic.read_bytes())
        done = subprocess.run(
            [sys.executable, "-c", OLD_CRAWL, str(n)],
            cwd=tree,
            env={**os.environ, "PYTHONPATH": tree},
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(done.stdout)


def plot(report: dict[str, object], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [row["documents"] for row in report["sizes"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for store, style in (("sqlite", "o-"), ("json", "s--")):
        if all(store in row["state"] for row in report["sizes"]):
            saves = [row["state"][store]["save_seconds"] * 1000 for row in report["sizes"]]
            left.plot(sizes, saves, style, label=f"{store}: save of one run ({CHANGES} URLs)")
    left.set(xscale="log", yscale="log", xlabel="known documents", ylabel="ms")
    left.set_title("State save time per run")
    left.legend(fontsize=8)
    old = [row for row in report["sizes"] if "json_store_crawl" in row]
    for label, rows, pick, style in (
        ("sqlite store, incremental", report["sizes"], lambda r: r["no_change"], "o-"),
        (
            "json store (every article asked)",
            old,
            lambda r: r["json_store_crawl"]["no_change"],
            "s--",
        ),
    ):
        if not rows:
            continue
        xs = [row["documents"] for row in rows]
        ys = [pick(row)["seconds"] for row in rows]
        right.plot(xs, ys, style, label=label)
        for x, y, row in zip(xs, ys, rows, strict=True):
            text = f"{pick(row)['requests']} req."
            right.annotate(text, (x, y), textcoords="offset points", xytext=(4, 6), fontsize=8)
    right.set(xscale="log", yscale="log", xlabel="known documents", ylabel="seconds")
    right.legend(fontsize=8)
    right.set_title("No-change crawl (loopback, delay 0)")
    fig.suptitle(f"Incremental crawl state, commit {report['commit']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--crawl-up-to", type=int, default=10_000)
    parser.add_argument("--json-from", default="arch2", help="git ref with the JSON store")
    parser.add_argument("--old-up-to", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=RESULTS / "crawl_state.json")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    old = _old_state_module(args.json_from)
    report: dict[str, object] = {"commit": commit, "json_store_from": args.json_from, "sizes": []}
    for n in args.sizes:
        row = crawl_numbers(n, args.crawl_up_to)
        row["state"] = {"sqlite": sqlite_state_numbers(n), "json": json_state_numbers(n, old)}
        if n <= args.old_up_to:
            row["json_store_crawl"] = old_crawl_numbers(n, args.json_from)
        report["sizes"].append(row)
        print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    plot(report, args.out.with_suffix(".png"))


if __name__ == "__main__":
    main()
