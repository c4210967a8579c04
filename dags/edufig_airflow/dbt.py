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

Which rendering is configuration (`EDUFIG_DBT_TASKS`), defaulted by `dbt_rendering`: one
task running the whole `dbt build` unless the nodes can actually run side by side.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from edufig_airflow.assets import DUCKDB_POOL
from edufig_airflow.runtime import REPO_ROOT, run_stage, stage_settings, warehouse_path

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


class ManifestMissing(FileNotFoundError):
    """The DAG cannot render without a manifest; say how to build one."""


def manifest_path() -> Path:
    value = os.environ.get("EDUFIG_DBT_MANIFEST")
    return Path(value) if value else DBT_PROJECT_DIR / "target" / "manifest.json"


def dbt_executable() -> str:
    """The dbt next to this interpreter (the project venv), else the one on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else (shutil.which("dbt") or "dbt")


PER_NODE, SINGLE = "per_node", "single"
PARALLEL_SLOTS_FOR_PER_NODE = 4


def dbt_rendering() -> str:
    """EDUFIG_DBT_TASKS when set, else per node only where nodes can run side by side.

    A task per node costs seconds of start-up each (about three minutes for this project)
    and buys a per-model view and retry. On DuckDB, the one writer, the nodes queue one by
    one anyway, and on a small executor they wait for slots; there one `dbt build` task
    costs what dbt costs. A warehouse taking concurrent writers (EDUFIG_DBT_TARGET other
    than duckdb) on an executor with slots to spare gets the per-node view.
    """
    chosen = os.environ.get("EDUFIG_DBT_TASKS")
    if chosen:
        if chosen not in (PER_NODE, SINGLE):
            raise ValueError(f"EDUFIG_DBT_TASKS={chosen!r}: use {PER_NODE} or {SINGLE}")
        return chosen
    from airflow.configuration import conf

    concurrent_writers = os.environ.get("EDUFIG_DBT_TARGET", "duckdb") != "duckdb"
    slots = conf.getint("core", "parallelism")
    return PER_NODE if concurrent_writers and slots >= PARALLEL_SLOTS_FOR_PER_NODE else SINGLE


def dbt_tasks() -> Any:
    """The dbt project as Airflow tasks: a Cosmos group with one task per node, or one task."""
    if dbt_rendering() == SINGLE:
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
    from edufig.dbt_build import error_lines, read_run_results, record_last_build

    run = read_run_results(Path(project_dir) / "target" / "run_results.json")
    errors = error_lines(run)
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
            # Exposures document consumers; they have no task to become (Cosmos would warn).
            exclude=["resource_type:exposure"],
        ),
        "operator_args": {
            "pool": DUCKDB_POOL,
            "env": {"EDUFIG_WAREHOUSE": str(warehouse_path())},
            "append_env": True,
            "callback": release_duckdb,
        },
    }
