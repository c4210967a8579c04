"""The architecture as checked code: the import contracts in pyproject.toml and the stage
graph in edufig/stages.py, which the CLI, the pipeline, the DAGs and the docs all follow."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from edufig.cli import build_parser
from edufig.core.config import REPO_ROOT
from edufig.stages import EXTERNAL_INPUTS, STAGE_GRAPH, STAGES, markdown_table, mermaid, run_order

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
ARCHITECTURE_DOC = REPO_ROOT / "docs" / "architecture.md"


def test_import_contracts_are_kept() -> None:
    proc = subprocess.run(
        [str(LINT_IMPORTS), "--config", str(REPO_ROOT / "pyproject.toml"), "--no-cache"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 kept, 0 broken" in proc.stdout


def test_reader_commands_load_neither_gx_nor_dbt() -> None:
    """GX takes ~5 s and dbt ~2 s to import: `edufig flags`, `alerts` and `sql` answer
    from the snapshot without them (the stages that run them import them when they do)."""
    probe = (
        "import sys\n"
        "from edufig.quality import list_flags\n"
        "from edufig.alerts import list_alerts\n"
        "import edufig.cli, edufig.dbt_build\n"
        "print(sorted(m for m in ('great_expectations', 'dbt.cli.main') if m in sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("stage", STAGE_GRAPH, ids=lambda s: s.name)
def test_every_stage_names_a_function_that_exists(stage) -> None:
    assert callable(stage.load())


def test_every_stage_reads_only_what_an_earlier_stage_writes() -> None:
    written = set(EXTERNAL_INPUTS)
    for stage in STAGE_GRAPH:
        assert set(stage.reads) <= written, (stage.name, set(stage.reads) - written)
        written |= set(stage.writes)


def test_a_run_is_one_acquisition_then_every_other_stage_in_order() -> None:
    assert [s.name for s in run_order("ingest")] == [
        "ingest",
        "parse",
        "extract",
        "load",
        "build",
        "quality",
        "publish",
        "alerts",
    ]
    assert run_order("scrape")[0].name == "scrape"
    with pytest.raises(ValueError, match="does not start a run"):
        run_order("parse")


def test_only_warehouse_stages_take_the_writer_lock() -> None:
    locking = [s.name for s in STAGE_GRAPH if s.uses_warehouse]
    assert locking == ["load", "build", "quality", "publish", "alerts"]


def test_cli_stage_command_takes_the_stages_of_the_graph(capsys) -> None:
    parser = build_parser()
    assert [parser.parse_args(["stage", name]).name for name in STAGES] == list(STAGES)
    with pytest.raises(SystemExit):
        parser.parse_args(["stage", "crawl"])
    assert "invalid choice: 'crawl'" in capsys.readouterr().err


def test_dags_run_stages_of_the_graph() -> None:
    names = set()
    for path in (REPO_ROOT / "dags").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'(?:run_stage|run_stage_with_event|stage_result)\("(\w+)"', text))
    assert names, "no stage run found in dags/"
    assert names <= set(STAGES), names - set(STAGES)


def test_architecture_doc_shows_the_graph_as_declared() -> None:
    doc = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    assert markdown_table() in doc, "regenerate with: python -m edufig.stages"
    assert mermaid() in doc, "regenerate with: python -m edufig.stages"
