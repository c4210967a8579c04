"""How the warehouse DAG renders the dbt project with Cosmos.

Rendering reads a manifest built ahead of time (`dbt parse`, in CI and in the image build)
so parsing the DAG never starts dbt. Every dbt task runs `dbt build` of one node (model
plus the tests on it alone: TestBehavior.BUILD with cautious indirect selection) in the
single-slot `duckdb_writer` pool. Tests spanning several models (relationships, cross-mart
checks) cannot run with one parent, whose siblings may not be built yet; they run in one
`dbt test` of the whole project once every model is built. Each task is
its own dbt invocation opening the DuckDB file, and DuckDB allows one writer at a time.
dbt-duckdb keeps the file open in the invoking process afterwards, so a callback closes it
(tasks sharing a process, as under `airflow dags test`, would otherwise lock each other out).

EDUFIG_DBT_TASKS=single renders one task running the whole `dbt build` instead: for small
machines, where starting a task per node costs more than the models themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from edufig_airflow.assets import DUCKDB_POOL
from edufig_airflow.runtime import REPO_ROOT, run_stage, stage_settings, warehouse_path

# Cosmos reports every task run to a telemetry endpoint unless told not to; it reads the
# setting when first imported, which is below, so an operator's explicit value still wins.
os.environ.setdefault("AIRFLOW__COSMOS__ENABLE_TELEMETRY", "False")

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
FAILED = ("fail", "error", "runtime error")


class ManifestMissing(FileNotFoundError):
    """The DAG cannot render without a manifest; say how to build one."""


def manifest_path() -> Path:
    value = os.environ.get("EDUFIG_DBT_MANIFEST")
    return Path(value) if value else DBT_PROJECT_DIR / "target" / "manifest.json"


def dbt_executable() -> str:
    """The dbt next to this interpreter (the project venv), else the one on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else (shutil.which("dbt") or "dbt")


def dbt_tasks() -> Any:
    """The dbt project as Airflow tasks: a Cosmos group with one task per node, or one task."""
    if os.environ.get("EDUFIG_DBT_TASKS", "per_node") == "single":
        return _dbt_build_task()
    from cosmos import DbtTaskGroup
    from cosmos.operators.local import DbtTestLocalOperator

    kwargs = _task_group_kwargs()
    models = DbtTaskGroup(group_id="dbt", **kwargs)
    cross_model_tests = DbtTestLocalOperator(
        task_id="dbt_test",
        project_dir=str(DBT_PROJECT_DIR),
        profile_config=kwargs["profile_config"],
        manifest_filepath=str(manifest_path()),
        dbt_executable_path=dbt_executable(),
        install_deps=False,
        **{**kwargs["operator_args"], "callback": [release_duckdb, record_build_outcome]},
    )
    models >> cross_model_tests
    return cross_model_tests


def release_duckdb(project_dir: str, **_: Any) -> None:
    """Cosmos callback after each dbt invocation: let go of the warehouse file."""
    from edufig.dbt_build import release_duckdb as release

    release()


def record_build_outcome(project_dir: str, **_: Any) -> None:
    """Cosmos callback of the final `dbt test`, which runs only once every node's build
    passed: record whether the tests passed too, as `build_marts` would, because `publish`
    reads that record before it replaces the analysts' snapshot."""
    from edufig.core.config import StageResult
    from edufig.dbt_build import record_last_build

    run_results = Path(project_dir) / "target" / "run_results.json"
    if run_results.is_file():
        results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
        errors = [f"{r['unique_id']}: {r['status']}" for r in results if r["status"] in FAILED]
    else:
        errors = [f"dbt test wrote no {run_results.name}"]
    record_last_build(stage_settings(), StageResult("build", errors=errors, failed=bool(errors)))


def _dbt_build_task() -> Any:
    from airflow.sdk import task

    @task(task_id="dbt_build", pool=DUCKDB_POOL)
    def dbt_build() -> dict[str, int]:
        return run_stage("build")

    return dbt_build()


def _task_group_kwargs() -> dict[str, Any]:
    from cosmos import ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, LoadMode, TestBehavior, TestIndirectSelection

    manifest = manifest_path()
    if not manifest.is_file():
        raise ManifestMissing(
            f"dbt manifest not found at {manifest}: run `dbt parse --project-dir {DBT_PROJECT_DIR}"
            f" --profiles-dir {DBT_PROJECT_DIR}` (or set EDUFIG_DBT_MANIFEST)"
        )
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return {
        "project_config": ProjectConfig(
            dbt_project_path=DBT_PROJECT_DIR,
            manifest_path=manifest,
            install_dbt_deps=False,
        ),
        "profile_config": ProfileConfig(
            profile_name=project["profile"],
            target_name=os.environ.get("EDUFIG_DBT_TARGET", "duckdb"),
            profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml",
        ),
        "execution_config": ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            test_indirect_selection=TestIndirectSelection.CAUTIOUS,
            dbt_executable_path=dbt_executable(),
        ),
        "render_config": RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.BUILD,
            emit_datasets=False,
        ),
        "operator_args": {
            "pool": DUCKDB_POOL,
            "env": {"EDUFIG_WAREHOUSE": str(warehouse_path())},
            "append_env": True,
            "callback": release_duckdb,
        },
    }
