"""The Markdown table and the PNG plots of a results summary (see report.py)."""

from __future__ import annotations

from pathlib import Path

from bench.report import GOALS, PIPELINE, STAGE_ORDER, TARGET_DOCS

UNITS = {"pages_per_s": "pages/s", "docs_per_s": "docs/s", "mb_per_s": "MB/s"}
PHASES = ("full", "incremental", "nochange", "nochange_again")


def _cell(record: dict | None, rate: dict) -> str:
    if not record:
        return "—"
    if record.get("status") != "ok":
        return f"{record.get('status', '?').replace('_', ' ')}"
    parts = [f"{record['seconds']:.1f} s"]
    parts += [f"{v:,.1f} {UNITS[k]}" for k, v in rate.items() if k in UNITS]
    bound = "" if record.get("rss_source") == "VmHWM" else "≤"
    parts.append(f"{bound}{record.get('peak_rss_mb', 0):.0f} MB")
    return " · ".join(parts)


def _stage_table(summary: dict) -> list[str]:
    sizes = summary["sizes_completed"]
    lines = [
        "| stage | "
        + " | ".join(f"N={n:,}" for n in sizes)
        + f" | log-log slope | at {TARGET_DOCS:,} docs | peak RSS at {TARGET_DOCS:,} |",
        "|---|" + "---|" * (len(sizes) + 3),
    ]
    for name in STAGE_ORDER:
        cells = []
        for n in sizes:
            record = summary["results"][n]["full"].get(name)
            cells.append(_cell(record, summary["throughput"][n].get(name, {})))
        fit = summary["scaling"].get(name)
        slope = f"{fit['loglog_slope']:.2f} ({fit['growth']})" if fit else "—"
        at = f"{fit['seconds_at_300k'] / 3600:.2f} h" if fit else "—"
        rss = (
            f"{fit['peak_rss_mb_at_300k'] / 1024:.1f} GB"
            if fit and fit.get("peak_rss_mb_at_300k")
            else "—"
        )
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {slope} | {at} | {rss} |")
    return lines


def _phases(result: dict) -> list[str]:
    """The runs a size's record holds (results from before `nochange_again` lack it)."""
    return [phase for phase in PHASES if phase in result]


def _not_available(summary: dict) -> list[str]:
    lines = []
    for n in summary["sizes_completed"]:
        for phase in _phases(summary["results"][n]):
            for name, record in summary["results"][n][phase].items():
                if record.get("status") != "ok":
                    lines.append(
                        f"- N={n:,} {phase} {name}: {record.get('status')} — "
                        f"{(record.get('reason') or (record.get('errors') or [''])[0])[:200]}"
                    )
    return lines


def _goal_lines(summary: dict) -> list[str]:
    g = summary["goals"]
    verdict = {True: "met", False: "NOT met"}
    lines = [f"Measured at N={g['measured_at']:,} documents."]
    if "extract_docs_per_s_per_core" in g:
        v = g["extract_docs_per_s_per_core"]
        lines.append(
            f"- extraction: {v:,.1f} docs/s on one core "
            f"(goal ≥ {GOALS['extract_docs_per_s_per_core']}) — {verdict[v >= 100]}"
        )
    if "extract_vs_jionlp" in g:
        lines.append(
            f"- against JioNLP `extract_money` on the same texts, same run: "
            f"{g['jionlp_docs_per_s']:,.1f} docs/s, so EduFigures extraction (all metrics, "
            f"not only money) is {g['extract_vs_jionlp']:.2f}× its speed"
        )
    if "build_15m_figures_s" in g:
        v = g["build_15m_figures_s"]
        lines.append(
            f"- dbt build of 15 M figures: extrapolated {v:,.0f} s from "
            f"{g['build_figures_measured']:,} figures measured "
            f"(goal < 300 s) — {verdict[v < 300]}"
        )
    if "incremental_s" in g:
        v = g["incremental_s"]
        at = g.get("incremental_s_at_300k")
        lines.append(
            f"- incremental run (+1 % documents): {v:.1f} s (goal < 60 s) — {verdict[v < 60]}"
            + (f"; extrapolated to 300k documents: {at:,.0f} s" if at else "")
        )
    if "nochange_share" in g:
        v = g["nochange_share"]
        lines.append(
            f"- no-change rerun: {g['nochange_s']:.1f} s of a {g['full_run_s']:.1f} s full run "
            f"= {v:.1%} "
            f"(goal < 5 %) — {verdict[v < 0.05]}"
        )
    if "bottleneck_at_300k" in g:
        b = g["bottleneck_at_300k"]
        lines.append(
            f"- first bottleneck at 300k documents: **{b['stage']}** "
            f"(~{b['seconds'] / 3600:.1f} h extrapolated)"
        )
    return lines


def _note(machine: dict) -> str:
    """Older records carry a note on the machine's load instead of measured averages."""
    return f"; {machine['note']}" if machine.get("note") else ""


def _size_line(record: dict, n: int) -> str:
    load = record.get("load_average_at_start")
    busy = f" (load average {load[0]} / {load[1]} / {load[2]} at its start)" if load else ""
    return f"N={n:,}: {record.get('commit', '?')}{busy}"


def _commits(summary: dict) -> str:
    """Which commit each size measured (sizes rerun later with --keep differ), and how busy
    the machine was when it started (1 / 5 / 15-minute load averages)."""
    parts = [_size_line(summary["results"][n], n) for n in summary["sizes_completed"]]
    return "Code measured per size — " + ", ".join(parts) + "."


def _accuracy_lines(summary: dict) -> list[str]:
    lines = [
        "| N | extraction P | extraction R | planted errors found | flag precision "
        "| recall by kind |",
        "|---|---|---|---|---|---|",
    ]
    after_rerun = False
    for n in summary["sizes_completed"]:
        acc = summary["results"][n]["accuracy"]
        ex, fl = acc["extraction"], acc["flags"]
        later = summary["results"][n].get("accuracy_after_rerun")
        if fl.get("status") == "not_available" and later:
            fl = later["flags"] | {"found": f"{later['flags']['found']}*"}
            after_rerun = True
        if fl.get("status") == "not_available":
            flag_cells = "not available | — | —"
        else:
            flag_cells = (
                f"{fl['found']}/{fl['planted']} | {fl['precision']} (same metric: "
                f"{fl.get('precision_same_metric')}; {fl['flags']} flags) "
                f"| {fl['recall_by_kind']}"
            )
        lines.append(f"| {n:,} | {ex['precision']} | {ex['recall']} | {flag_cells} |")
    if after_rerun:
        lines += [
            "",
            "\\* flags of the warehouse after the no-change rerun (N + 1 % documents): the full "
            "run's quality stage did not produce flags.",
        ]
    return lines


def _phase_lines(summary: dict) -> list[str]:
    lines = ["| N | " + " | ".join(PIPELINE) + " | total |", "|---|" + "---|" * (len(PIPELINE) + 1)]
    for n in summary["sizes_completed"]:
        for phase in _phases(summary["results"][n]):
            stages = summary["results"][n][phase]
            cells = [
                f"{stages[s]['seconds']:.1f}" if stages.get(s, {}).get("status") == "ok" else "n/a"
                for s in PIPELINE
            ]
            total = sum(
                stages[s]["seconds"] for s in PIPELINE if stages.get(s, {}).get("status") == "ok"
            )
            lines.append(f"| {n:,} {phase} | " + " | ".join(cells) + f" | {total:.1f} |")
    return lines


def render_markdown(summary: dict) -> str:
    m = summary["machine"]
    out = [
        "# EduFigures benchmark results",
        "",
        f"Generated {summary['generated_at']} on {m['cpu']} ({m['cores']} cores, "
        f"{m['ram_gb']} GB RAM), {m['os']}, Python {m['python']}{_note(m)}. "
        f"Code at commit {m.get('code_commit')}. Sizes requested {summary['sizes_requested']}, "
        f"completed {summary['sizes_completed']}. Seed {summary['seed']}.",
        "",
        _commits(summary),
        "",
        "## Goals",
        *_goal_lines(summary),
        "",
        "## Stages (full run on a fresh data directory; seconds · throughput · peak RSS)",
        *_stage_table(summary),
        "",
        "Peak RSS is the stage process's own high-water mark (VmHWM); `≤` marks records read "
        "from ru_maxrss, an upper bound that includes the harness's size when it spawned the "
        "stage. Memory is extrapolated from VmHWM records only.",
        "",
        "## Full, incremental (+1 % documents) and no-change runs (seconds per stage)",
        *_phase_lines(summary),
        "",
        "## Accuracy on the synthetic corpus",
        *_accuracy_lines(summary),
    ]
    missing = _not_available(summary)
    if missing:
        out += ["", "## Stages not available or failed", *missing]
    return "\n".join(out) + "\n"


README_START, README_END = "<!-- results:start -->", "<!-- results:end -->"


def update_readme(readme: Path, markdown: str) -> None:
    """Replace the results block of bench/README.md with the latest table."""
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(README_START)
    _, _, tail = rest.partition(README_END)
    body = markdown.split("\n", 1)[1].replace("\n## ", "\n### ")
    readme.write_text(f"{head}{README_START}\n{body.strip()}\n{README_END}{tail}", encoding="utf-8")


def render_plots(summary: dict, folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = summary["sizes_completed"]
    for filename, key, label in (
        ("time_per_stage.png", "seconds", "seconds"),
        ("peak_memory.png", "peak_rss_mb", "peak RSS (MB)"),
    ):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for name in STAGE_ORDER:
            points = [
                (n, summary["results"][n]["full"][name].get(key))
                for n in sizes
                if summary["results"][n]["full"].get(name, {}).get("status") == "ok"
            ]
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("documents (N)")
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, ncol=2)
        fig.tight_layout()
        fig.savefig(folder / filename, dpi=110)
        plt.close(fig)
    _phase_plot(summary, folder, plt)


def _phase_plot(summary: dict, folder: Path, plt) -> None:
    sizes = summary["sizes_completed"]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for phase in ("full", "incremental", "nochange"):
        totals = [
            sum(
                r["seconds"]
                for s, r in summary["results"][n][phase].items()
                if s in PIPELINE and r.get("status") == "ok"
            )
            for n in sizes
        ]
        ax.plot(sizes, totals, marker="o", label=phase)
    ax.set_xscale("log")
    ax.set_xlabel("documents (N)")
    ax.set_ylabel("pipeline seconds")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "runs.png", dpi=110)
    plt.close(fig)
