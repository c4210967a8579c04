"""`edufig`: run the pipeline or one stage, extract figures from files, query the marts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from edufig.core.config import Settings, StageResult
from edufig.stages import STAGES

if TYPE_CHECKING:
    from edufig.core.records import ParsedDocument

EX_TEMPFAIL = 75  # another run holds the warehouse: try again later


def _progress(quiet: bool) -> Callable[[str], None]:
    if quiet:
        return lambda _: None
    return lambda line: print(line, file=sys.stderr, flush=True)


def _settings(args: argparse.Namespace) -> Settings:
    kwargs = {}
    if args.warehouse:
        kwargs["warehouse"] = Path(args.warehouse)
    for name in ("data_dir", "sources_file", "subscriptions_file"):
        value = getattr(args, name, None)
        if value:
            kwargs[name] = Path(value)
    return Settings(**kwargs)


def _counts(results: list[StageResult], stage: str) -> dict[str, int]:
    return next((r.counts for r in results if r.name == stage), {})


def _document_counts(results: list[StageResult]) -> dict[str, int]:
    """Documents fetched (by the crawl or the local ingest), and what parsing made of them."""
    acquired = _counts(results, "scrape") or _counts(results, "ingest")
    parsed = _counts(results, "parse")
    return {
        "fetched": acquired.get("fetched", 0),
        "new": parsed.get("new", 0),
        "unchanged": parsed.get("unchanged", 0),
        "failed": acquired.get("failed", 0) + parsed.get("failed", 0),
    }


def format_summary(results: list[StageResult]) -> str:
    """The closing summary of `edufig run`: what came in, what landed, what was flagged."""
    documents = _document_counts(results)
    extracted = _counts(results, "extract")
    built = _counts(results, "build")
    quality = _counts(results, "quality")
    alerts = _counts(results, "alerts")
    lines = [
        "── summary ──",
        "documents: " + ", ".join(f"{k} {v}" for k, v in documents.items()),
        f"figures extracted: {extracted.get('figures', 0)}"
        f" (documents re-extracted {extracted.get('documents_extracted', 0)})",
    ]
    marts = {k.removeprefix("rows_"): v for k, v in built.items() if k.startswith("rows_")}
    if marts:
        lines.append("rows per mart: " + ", ".join(f"{k} {v}" for k, v in sorted(marts.items())))
    lines.append(
        f"flags raised: {quality.get('flags', 0)} (error {quality.get('flags_error', 0)},"
        f" warning {quality.get('flags_warning', 0)})"
    )
    checks = {k.removeprefix("check_"): v for k, v in quality.items() if k.startswith("check_")}
    if checks:
        lines.append("flags by check: " + ", ".join(f"{k} {v}" for k, v in sorted(checks.items())))
    lines.append(
        f"alerts written: {alerts.get('messages_written', 0)}"
        f" (sent {alerts.get('messages_sent', 0)}, failed {alerts.get('messages_failed', 0)},"
        f" dead letters {alerts.get('messages_dead', 0)})"
    )
    lines.append(
        f"flags without a subscriber: {alerts.get('flags_unassigned', 0)} (sent to the fallback"
        f" if configured); not re-sent after review: {alerts.get('flags_reviewed', 0)}"
    )
    lines.append("seconds: " + ", ".join(f"{r.name} {r.seconds:.1f}" for r in results))
    from edufig.core.folder_stamps import SCAN_SKIPPED
    from edufig.core.landing_fingerprint import SKIPPED

    skipped = [r.name for r in results if r.counts.get(SKIPPED)]
    if skipped:
        lines.append(f"skipped, landing unchanged since the last good build: {', '.join(skipped)}")
    unscanned = [r.name for r in results if r.counts.get(SCAN_SKIPPED)]
    if unscanned:
        names = ", ".join(unscanned)
        lines.append(f"no document read, folders as the last scan left them: {names}")
    failed = [r.name for r in results if r.failed]
    errors = sum(len(r.errors) for r in results)
    lines.append(f"failed stages: {', '.join(failed) or 'none'}; item errors: {errors}")
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    from edufig.core.warehouse import WarehouseBusy
    from edufig.pipeline import run

    settings = _settings(args)
    try:
        results = run(settings, corpus_dir=args.corpus, progress=_progress(args.quiet))
    except WarehouseBusy as exc:
        print(f"edufig run: {exc}", file=sys.stderr)
        return EX_TEMPFAIL
    print(format_summary(results))
    return 1 if any(r.failed for r in results) else 0


def _stage_options(args: argparse.Namespace) -> dict:
    """The options of `edufig stage` that the named stage declares."""
    given = {
        "source_names": args.source or None,
        "corpus_dir": args.corpus,
        "select": args.select,
        "full_refresh": args.full_refresh or None,
    }
    declared = STAGES[args.name].options
    return {k: v for k, v in given.items() if k in declared and v is not None}


def cmd_stage(args: argparse.Namespace) -> int:
    from edufig.core.warehouse import WarehouseBusy
    from edufig.pipeline import run_stage

    if args.name == "ingest" and not args.corpus:
        print("edufig stage ingest: --corpus DIR is required", file=sys.stderr)
        return 2
    try:
        result = run_stage(
            args.name, _settings(args), _progress(args.quiet), **_stage_options(args)
        )
    except WarehouseBusy as exc:
        print(f"edufig stage {args.name}: {exc}", file=sys.stderr)
        return EX_TEMPFAIL
    for line in result.errors:
        print(f"! {line}", file=sys.stderr)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items()))
    print(f"{result.name}: {counts or 'nothing to do'} ({result.seconds:.1f}s)")
    return 1 if result.failed else 0


def explanation(explained, path: str) -> str:
    """Per figure, which cues decided metric, level, year and kind; the document's context
    first, since a wrong reference year turns every figure without a stated year wrong."""
    context = explained.context
    lines = [f"== {path}"]
    if context is not None:
        lines.append(
            f"   document: {context.doc_type}, reference year {context.reference_year} "
            f"({context.basis}), speaks from {context.now_year}"
        )
    for figure, cues in explained.figures:
        scope = f" [{figure.scope}]" if figure.scope else ""
        lines.append(
            f"-- {figure.metric} {figure.level} {figure.year} {figure.kind} {figure.value:g}"
            f" {figure.unit}{scope} confidence {figure.confidence}  «{figure.text[:60]}»"
        )
        lines += [f"     {name}: {cue}" for name, cue in cues.items()]
    return "\n".join(lines)


def _parsed(path: Path, parse: Callable) -> ParsedDocument | str:
    """The parsed document, or why it could not be read or parsed."""
    from scrapers.parse import parse_file

    try:
        doc = parse_file(path, parse)
    except (OSError, ValueError) as exc:
        return str(exc)
    return doc if doc.parse_status == "ok" else doc.parse_error or "not parsed"


def cmd_extract(args: argparse.Namespace) -> int:
    from edufig.extract import explain_figures, extract_figures
    from scrapers.worker import ParseWorkers

    status = 0
    rows = []
    with ParseWorkers() as workers:  # a hostile file fails alone, named
        docs = [(raw, _parsed(Path(raw), workers.parse)) for raw in args.paths]
    for raw, doc in docs:
        if isinstance(doc, str):
            print(f"edufig extract: {raw}: {doc}", file=sys.stderr)
            status = 1
            continue
        if args.explain:
            print(explanation(explain_figures(doc), raw))
            continue
        for figure in extract_figures(doc):
            if args.format == "jsonl":
                print(figure.to_json())
            else:
                rows.append(figure)
    if args.format == "table":
        from edufig.cli_tables import format_table

        columns = ["doc_id", "metric", "level", "year", "kind", "value", "unit", "scope"]
        columns += ["confidence"]
        print(format_table(columns, [[getattr(f, c) for c in columns] for f in rows]))
    return status


def cmd_sql(args: argparse.Namespace) -> int:
    from edufig.cli_tables import format_csv, format_table
    from edufig.publish import query_snapshot

    try:
        columns, rows = query_snapshot(_settings(args), args.query)
    except Exception as exc:
        print(f"edufig sql: {exc}", file=sys.stderr)
        return 1
    print(format_csv(columns, rows) if args.csv else format_table(columns, rows))
    return 0


def cmd_flags(args: argparse.Namespace) -> int:
    from edufig.cli_tables import format_table
    from edufig.core.warehouse import snapshot_path
    from edufig.quality import list_flags

    settings = _settings(args)
    flags = list_flags(settings, province=args.province, database=snapshot_path(settings))
    columns = ["severity", "check_name", "region_name", "metric", "level", "year", "message_zh"]
    print(format_table(columns, [[f.get(c) for c in columns] for f in flags]))
    print(f"{len(flags)} open flag(s)")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from edufig.alerts import list_alerts, requeue_alerts, unassigned_flags
    from edufig.cli_tables import format_table

    settings = _settings(args)
    if args.requeue:
        count = requeue_alerts(settings, args.requeue)
        print(f"{count} message(s) requeued; the next alerts stage sends them")
        return 0 if count else 1
    status = next((s for s in ("pending", "sent", "failed") if getattr(args, s)), None)
    messages = list_alerts(settings, status=status)
    columns = ["status", "channel", "recipient", "subject", "attempts", "created_at", "sent_at"]
    if args.failed:
        columns = ["message_id", "status", "channel", "recipient", "failed_runs", "last_error"]
    print(format_table(columns, [[m.get(c) for c in columns] for m in messages]))
    unassigned, fallback = unassigned_flags(settings)
    receiver = f"sent to {fallback.name}" if fallback else "no fallback configured: nobody"
    print(f"{len(unassigned)} current flag(s) without a subscriber ({receiver})")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from edufig.review.cli import serve

    return serve(_settings(args), args.host, args.port)


def cmd_review_link(args: argparse.Namespace) -> int:
    from edufig.review.cli import review_link

    return review_link(args)


def cmd_score(args: argparse.Namespace) -> int:
    from edufig.scoring import main as score_main

    return score_main(["--gold", args.gold, *args.predictions])


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", help="DuckDB file (default data/warehouse.duckdb)")
    parser.add_argument(
        "--data-dir", help="archive, parsed, figures, outbox (default: warehouse's folder)"
    )


def _pipeline_options(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument(
        "--sources", dest="sources_file", help="sources registry YAML (default: the offline mirror)"
    )
    parser.add_argument(
        "--subscriptions", dest="subscriptions_file", help="alert subscriptions YAML"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edufig", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="the whole pipeline, scrape to alerts")
    _pipeline_options(p)
    p.add_argument(
        "--corpus",
        type=Path,
        help="ingest a local folder of .txt/.html/.pdf/.docx instead of crawling",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("stage", help="run one stage alone (what an Airflow task runs)")
    p.add_argument("name", choices=list(STAGES))
    _pipeline_options(p)
    p.add_argument("--corpus", type=Path, help="for ingest: the local folder")
    p.add_argument("--source", action="append", help="for scrape: only this source (repeatable)")
    p.add_argument("--select", help="for build: a dbt selector")
    p.add_argument(
        "--full-refresh", action="store_true", help="for build: rebuild incremental models"
    )
    p.set_defaults(func=cmd_stage)

    p = sub.add_parser("extract", help="figures of documents, one JSON object per line")
    p.add_argument("paths", nargs="+", help=".txt/.html/.pdf/.docx files")
    p.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    p.add_argument(
        "--explain", action="store_true", help="per figure, the cues that decided each field"
    )
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("sql", help="SQL on the published read-only snapshot")
    p.add_argument("query")
    p.add_argument("--csv", action="store_true", help="CSV instead of a table")
    _common(p)
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("flags", help="open data-quality flags, as last published")
    p.add_argument("--province", help="province name or code")
    _common(p)
    p.set_defaults(func=cmd_flags)

    p = sub.add_parser("alerts", help="alert messages and their delivery state, as last published")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--pending", action="store_true")
    group.add_argument("--sent", action="store_true")
    group.add_argument(
        "--failed", action="store_true", help="failed messages, dead letters included, with ids"
    )
    group.add_argument(
        "--requeue",
        action="append",
        metavar="MESSAGE_ID",
        help="give a dead or failed message a fresh retry budget (repeatable; 'all': every"
        " dead letter)",
    )
    p.add_argument("--subscriptions", dest="subscriptions_file", help="alert subscriptions YAML")
    _common(p)
    p.set_defaults(func=cmd_alerts)

    p = sub.add_parser("serve", help="the review web site (flags, documents, regions)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--subscriptions", dest="subscriptions_file", help="alert subscriptions YAML")
    _common(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("review-link", help="print a signed review link for one recipient")
    p.add_argument("recipient", help="the reviewer's name, as recorded with decisions")
    p.add_argument("province", help="province name or code, or * for every province")
    p.add_argument("--flag", help="land on this flag instead of the inbox")
    p.set_defaults(func=cmd_review_link)

    p = sub.add_parser("score", help="precision/recall/F1 of predicted figures against a reference")
    p.add_argument("--gold", required=True, help="reference JSONL file or folder")
    p.add_argument("predictions", nargs="+", help="predicted figures (JSONL)")
    p.set_defaults(func=cmd_score)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
