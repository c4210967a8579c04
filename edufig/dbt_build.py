"""Builds the dbt marts (staging → intermediate → marts) on the DuckDB warehouse.

dbt runs in-process through its programmatic `dbtRunner`, so the pipeline, the CLI and the
Airflow tasks get structured node results instead of parsing log text. dbt's target/ and
logs/ go under the data directory, so two data directories can build at the same time
without overwriting each other's manifests or partial-parse state.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from edufig.core import landing_fingerprint
from edufig.core.config import Settings, StageResult, timed
from edufig.core.warehouse import (
    dbt_dir,
    dbt_environment,
    last_build_file,
    mart_tables,
    reader,
    writer_lock,
)

# The warehouse's own nodes (seeds, staging, intermediate, marts and their tests), without
# the quality models that build on them.
WAREHOUSE_SELECTION = "+marts staging intermediate"
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})
# The project code the incremental models were last built with (landing_fingerprint).
PROJECT_STAGE = "build_project"


@dataclass(frozen=True)
class NodeOutcome:
    unique_id: str
    resource_type: str
    status: str
    message: str

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES


@dataclass
class DbtRunResult:
    """What one dbt invocation did, node by node."""

    success: bool
    nodes: list[NodeOutcome] = field(default_factory=list)
    exception: str | None = None

    @property
    def failed_nodes(self) -> list[NodeOutcome]:
        return [n for n in self.nodes if n.failed]

    def count(self, resource_type: str, status: str | None = None) -> int:
        return sum(
            1
            for n in self.nodes
            if n.resource_type == resource_type and (status is None or n.status == status)
        )


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """dbt reads paths and profile values from the environment; restore it afterwards."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _node_outcomes(result: object) -> list[NodeOutcome]:
    outcomes = []
    for item in getattr(result, "results", None) or []:
        node = item.node
        outcomes.append(
            NodeOutcome(
                unique_id=node.unique_id,
                resource_type=str(node.resource_type),
                status=str(item.status),
                message=str(item.message or "").strip(),
            )
        )
    return outcomes


def read_run_results(path: Path) -> DbtRunResult:
    """The outcome of a dbt invocation made by another process (Cosmos runs dbt itself),
    read from its run_results.json into the same shape `run_dbt` returns."""
    if not path.is_file():
        return DbtRunResult(success=False, exception=f"dbt wrote no {path}")
    nodes = [
        NodeOutcome(
            unique_id=item["unique_id"],
            resource_type=item["unique_id"].split(".", 1)[0],
            status=str(item["status"]),
            message=str(item.get("message") or "").strip(),
        )
        for item in json.loads(path.read_text(encoding="utf-8"))["results"]
    ]
    return DbtRunResult(success=not any(n.failed for n in nodes), nodes=nodes)


def release_duckdb(collect: bool = True) -> None:
    """dbt-duckdb keeps the database open in-process after an invocation; close it so
    this process can open the file again (read-only readers, the next stage). A cursor
    caught in a reference cycle (a failed node's traceback) keeps the database open until
    a full collection, which costs ~0.3 s among dbt's objects: `collect` says whether to."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:
        return
    environment = DuckDBConnectionManager._ENV
    DuckDBConnectionManager._ENV = None
    if environment is not None:
        environment.close()
    if collect:
        gc.collect()


def run_dbt(settings: Settings, args: list[str]) -> DbtRunResult:
    """Run one dbt command (e.g. ["build", "--select", "marts"]) against settings.warehouse."""
    from dbt.cli.main import dbtRunner

    project = str(settings.dbt_project_dir)
    work = dbt_dir(settings)
    work.mkdir(parents=True, exist_ok=True)
    env = {
        "EDUFIG_WAREHOUSE": str(settings.warehouse),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **dbt_environment(settings),
    }
    command = [*args, "--project-dir", project, "--profiles-dir", project]
    outcome = None
    with writer_lock(settings), _environment(env):
        try:
            outcome = dbtRunner().invoke(command)
        finally:
            release_duckdb(collect=outcome is None or not outcome.success)
    return DbtRunResult(
        success=outcome.success,
        nodes=_node_outcomes(outcome.result),
        exception=str(outcome.exception) if outcome.exception else None,
    )


def mart_row_counts(settings: Settings) -> dict[str, int]:
    """Rows per mart table, read under the writer lock so no other writer is mid-change."""
    tables = mart_tables(settings)
    with reader(settings) as conn:
        return {
            name: conn.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]
            for schema, name in tables
        }


def _brief(message: str) -> str:
    """dbt messages span lines (error, then the SQL); keep the informative start."""
    return " ".join(line.strip() for line in message.splitlines()[:4] if line.strip())[:400]


def error_lines(run: DbtRunResult) -> list[str]:
    lines = [f"{n.unique_id}: {n.status}: {_brief(n.message)}" for n in run.failed_nodes]
    if run.exception:
        lines.append(f"dbt: {_brief(run.exception)}")
    if not run.success and not lines:
        lines.append("dbt build failed without a failing node (see dbt logs under data_dir/dbt)")
    return lines


def record_last_build(settings: Settings, result: StageResult) -> None:
    """Publishing reads this to refuse a snapshot of a failed build."""
    record = {
        "succeeded": not result.failed,
        "finished_at": datetime.now(UTC).isoformat(),
        "warehouse": str(settings.warehouse),
        "errors": result.errors,
    }
    path = last_build_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1))


def _dbt_build(settings: Settings, select: str | None, full_refresh: bool, result: StageResult):
    # the results come back in-process; writing manifest.json and run_results.json took ~1 s
    args = ["build", "--quiet", "--no-write-json"]
    if select:
        args += ["--select", select]
    if full_refresh:
        args.append("--full-refresh")
    run = run_dbt(settings, args)
    result.counts["models"] = run.count("model", "success")
    result.counts["seeds"] = run.count("seed", "success")
    result.counts["tests"] = run.count("test")
    result.counts["tests_passed"] = run.count("test", "pass")
    result.counts["tests_warned"] = run.count("test", "warn")
    result.errors.extend(error_lines(run))
    result.failed = not run.success or bool(run.failed_nodes)
    if result.failed:
        return
    try:
        counts = mart_row_counts(settings)
    except duckdb.Error as exc:  # dbt's own result decides the build; counting is a report
        result.errors.append(f"{settings.warehouse}: built, but rows not counted: {exc}")
        return
    for name, rows in counts.items():
        result.counts[f"rows_{name}"] = rows


def _build_unless_unchanged(
    settings: Settings, select: str | None, full_refresh: bool, result: StageResult
) -> None:
    """The whole project is built only when its landing or code changed since the last
    successful whole build, and from scratch when its code changed (or was never recorded);
    a partial or interrupted build leaves no fingerprint behind."""
    whole = select is None
    project = landing_fingerprint.project_digest(settings) if whole else None
    fingerprint = landing_fingerprint.current(settings, project) if whole else None
    known = landing_fingerprint.recorded(settings)
    if whole and not full_refresh and fingerprint == known.get("build"):
        result.counts[landing_fingerprint.SKIPPED] = 1
        for name, rows in mart_row_counts(settings).items():
            result.counts[f"rows_{name}"] = rows
        return
    if whole and project != known.get(PROJECT_STAGE):
        # incremental models rebuild changed documents only; new code changes every row
        full_refresh = True
        result.counts["full_refresh_for_new_code"] = 1
    base = None if full_refresh else known.get("build")
    landing_fingerprint.record(settings, {"build": None, landing_fingerprint.BUILD_BASE: None})
    _dbt_build(settings, select, full_refresh, result)
    if whole and not result.failed:
        landing_fingerprint.record(
            settings,
            {"build": fingerprint, PROJECT_STAGE: project, landing_fingerprint.BUILD_BASE: base},
        )


def build_marts(
    settings: Settings, select: str | None = None, full_refresh: bool = False
) -> StageResult:
    """`dbt build` (seeds, models, tests) on the warehouse; incremental unless full_refresh."""
    result = StageResult("build")
    with timed(result):
        try:
            if settings.warehouse.exists():
                _build_unless_unchanged(settings, select, full_refresh, result)
            else:
                missing = f"{settings.warehouse}: warehouse not found; run the load stage"
                result.errors.append(missing)
                result.failed = True
        finally:
            record_last_build(settings, result)
    return result
