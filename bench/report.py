"""Results as JSON, a Markdown table and PNG plots; scaling fits and the 300k extrapolation.

Small runs are dominated by fixed costs (interpreter start, dbt parse), so a log-log slope
over all sizes understates growth. Extrapolations use the marginal cost between the two
largest sizes that ran (linear in N), and the larger of that and the fitted power law.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

TARGET_DOCS = 300_000
TARGET_FIGURES = 15_000_000
GOALS = {
    "extract_docs_per_s_per_core": 100,
    "build_15m_figures_s": 300,
    "incremental_s": 60,
    "nochange_share": 0.05,
}
STAGE_ORDER = (
    "crawl",
    "parse",
    "ingest",
    "extract",
    "jionlp",
    "load",
    "build",
    "quality",
    "publish",
    "alerts",
)
PIPELINE = ("crawl", "extract", "load", "build", "quality", "publish", "alerts")


def machine() -> dict:
    import psutil

    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "code_commit": current_commit(),
    }


def current_commit() -> str:
    """The commit measured (uncommitted edits elsewhere in the tree are not recorded)."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).parent,
                          capture_output=True, text=True, check=False)  # fmt: skip
    return done.stdout.strip() or "unknown"


def _ok(record: dict | None) -> bool:
    return bool(record) and record.get("status") == "ok"


def throughput(name: str, record: dict, size: dict) -> dict:
    """Units per second of the work itself: the stage's own timing, imports excluded."""
    seconds = max(record.get("stage_seconds") or record.get("seconds") or 0, 1e-9)
    counts = record.get("counts", {})
    out: dict = {}
    if name == "crawl":
        out["pages_per_s"] = round(counts.get("requests", 0) / seconds, 1)
    if name in ("parse", "jionlp", "ingest"):
        out["docs_per_s"] = round(counts.get("documents", counts.get("new", 0)) / seconds, 1)
    if name in ("parse", "jionlp"):
        out["mb_per_s"] = round(counts.get("bytes", 0) / 2**20 / seconds, 2)
    if name == "extract":
        out["docs_per_s"] = round(counts.get("documents_extracted", 0) / seconds, 1)
        out["mb_per_s"] = round(size.get("text_bytes_parsed", 0) / 2**20 / seconds, 2)
        out["figures"] = counts.get("figures", 0)
    return out


def _fit(points: list[tuple[float, float]]) -> dict | None:
    """Log-log slope over all points, and the marginal seconds per unit of the two largest."""
    points = sorted((x, y) for x, y in points if x > 0 and y > 0)
    if len(points) < 2:
        return None
    xs, ys = [math.log(x) for x, _ in points], [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True)) / sum(
        (a - mx) ** 2 for a in xs
    )
    (x1, y1), (x2, y2) = points[-2], points[-1]
    marginal = max((y2 - y1) / (x2 - x1), 0.0)
    return {
        "loglog_slope": round(slope, 3),
        "intercept": my - slope * mx,
        "marginal": marginal,
        "last": (x2, y2),
    }


def extrapolate(fit: dict, target: float) -> float:
    x, y = fit["last"]
    linear = y + fit["marginal"] * (target - x)
    power = math.exp(fit["intercept"]) * target ** fit["loglog_slope"]
    return round(max(linear, power), 1)


def growth_word(slope: float) -> str:
    if slope < 0.85:
        return "sub-linear at these sizes (fixed costs dominate)"
    if slope <= 1.15:
        return "linear"
    return "super-linear"


def scaling(results: dict[int, dict]) -> dict:
    out: dict = {}
    for name in STAGE_ORDER:
        points = [
            (n, r["full"][name]["seconds"]) for n, r in results.items() if _ok(r["full"].get(name))
        ]
        mem = [
            (n, r["full"][name].get("peak_rss_mb", 0))
            for n, r in results.items()
            if _ok(r["full"].get(name)) and r["full"][name].get("rss_source") == "VmHWM"
        ]
        fit = _fit(points)
        if fit is None:
            continue
        mem_fit = _fit(mem)
        out[name] = {
            "loglog_slope": fit["loglog_slope"],
            "growth": growth_word(fit["loglog_slope"]),
            "seconds_at_300k": extrapolate(fit, TARGET_DOCS),
            "peak_rss_mb_at_300k": extrapolate(mem_fit, TARGET_DOCS) if mem_fit else None,
        }
    return out


def goals(results: dict[int, dict], fits: dict) -> dict:
    largest = max(results)
    last = results[largest]
    out: dict = {"measured_at": largest}
    extract = last["full"].get("extract")
    if _ok(extract):
        out["extract_docs_per_s_per_core"] = throughput("extract", extract, last)["docs_per_s"]
        peer = last["full"].get("jionlp")
        if _ok(peer):
            peer_rate = throughput("jionlp", peer, last)["docs_per_s"]
            out["jionlp_docs_per_s"] = peer_rate
            out["extract_vs_jionlp"] = round(out["extract_docs_per_s_per_core"] / peer_rate, 2)
    figures = [
        (r["full"]["extract"]["counts"].get("figures", 0), r["full"]["build"]["seconds"])
        for r in results.values()
        if _ok(r["full"].get("extract")) and _ok(r["full"].get("build"))
    ]
    build_fit = _fit(figures)
    if build_fit:
        out["build_figures_measured"] = max(f for f, _ in figures)
        out["build_15m_figures_s"] = extrapolate(build_fit, TARGET_FIGURES)
    if all(_ok(last["incremental"].get(s)) for s in PIPELINE):
        out["incremental_s"] = round(sum(last["incremental"][s]["seconds"] for s in PIPELINE), 1)
        inc_fit = _fit(
            [
                (n, sum(r["incremental"][s]["seconds"] for s in PIPELINE))
                for n, r in results.items()
                if all(_ok(r["incremental"].get(s)) for s in PIPELINE)
            ]
        )
        out["incremental_s_at_300k"] = extrapolate(inc_fit, TARGET_DOCS) if inc_fit else None
    full = _total(last["full"])
    nochange = _total(last["nochange"])
    if full and nochange is not None:
        out["full_run_s"], out["nochange_s"] = full, nochange
        out["nochange_share"] = round(nochange / full, 4)
    ranked = sorted(
        ((v["seconds_at_300k"], k) for k, v in fits.items() if k in PIPELINE), reverse=True
    )
    if ranked:
        out["bottleneck_at_300k"] = {"stage": ranked[0][1], "seconds": ranked[0][0]}
    return out


def _total(stages: dict) -> float | None:
    values = [stages[s]["seconds"] for s in PIPELINE if _ok(stages.get(s))]
    return round(sum(values), 2) if values else None


def _analysis(results: dict[int, dict]) -> dict:
    """What is derived from the size records: fits, goals, throughputs."""
    fits = scaling(results)
    return {
        "sizes_completed": sorted(results),
        "goals_targets": GOALS,
        "goals": goals(results, fits),
        "scaling": fits,
        "throughput": {
            n: {name: throughput(name, rec, r) for name, rec in r["full"].items() if _ok(rec)}
            for n, r in results.items()
        },
    }


def write_results(
    results: dict[int, dict], folder: Path, seed: int, requested: list[int], readme: Path | None
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    summary = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "seed": seed,
        "sizes_requested": requested,
        "results": results,
    }
    (folder / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    render(folder, readme)


def render(folder: Path, readme: Path | None) -> None:
    """Analysis, Markdown, plots and (for the committed results) the README block."""
    from bench.report_render import render_markdown, render_plots, update_readme

    path = folder / "results.json"
    summary = json.loads(path.read_text())
    summary["results"] = {int(n): value for n, value in summary["results"].items()}
    summary |= _analysis(summary["results"])
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    markdown = render_markdown(summary)
    (folder / "results.md").write_text(markdown, encoding="utf-8")
    render_plots(summary, folder)
    if readme is not None:
        update_readme(readme, markdown)


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results"
    render(target, Path(__file__).parent / "README.md" if len(sys.argv) == 1 else None)
