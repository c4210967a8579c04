"""A throwaway warehouse for the quality tests: landing rows written the way edufig.load
writes them, the real dbt project built over them, and the real checkpoint run on top.

Tests describe documents and figures as small dicts; everything else is the production path.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from edufig.core.config import REPO_ROOT, Settings
from edufig.load import DOCUMENT_COLUMNS, FIGURE_COLUMNS, landing_writer

DBT_PROJECT = REPO_ROOT / "dbt_project"
LOADED_AT = datetime(2026, 1, 1)
FIGURE_DEFAULTS = {
    "level": "all",
    "period_start": None,
    "kind": "actual",
    "qualifier": "exact",
    "yoy_change": None,
    "yoy_growth_pct": None,
    "region": None,
    "region_code": None,
    "start_offset": 0,
    "end_offset": 0,
}


@dataclass
class Doc:
    """One landing document and its figures (dicts with Figure fields; defaults above)."""

    doc_id: str
    region_code: str
    figures: list[dict] = field(default_factory=list)
    title: str = "测试文档"
    url: str = ""

    def document_row(self) -> dict:
        row = dict.fromkeys(DOCUMENT_COLUMNS)
        row.update(
            doc_id=self.doc_id,
            sha256=hashlib.sha256(self.doc_id.encode()).hexdigest(),
            url=self.url or f"http://127.0.0.1/{self.doc_id}.html",
            title=self.title,
            region_code=self.region_code,
            parse_status="ok",
            figure_count=len(self.figures),
            loaded_at=LOADED_AT,
        )
        return row

    def figure_rows(self) -> list[dict]:
        sha = hashlib.sha256(self.doc_id.encode()).hexdigest()
        rows = []
        for ordinal, fig in enumerate(self.figures):
            row = dict.fromkeys(FIGURE_COLUMNS)
            row.update(FIGURE_DEFAULTS)
            row.update(fig)
            row.update(
                figure_id=hashlib.sha1(f"{self.doc_id}|{sha}|{ordinal}".encode()).hexdigest(),
                doc_id=self.doc_id,
                doc_sha256=sha,
                ordinal=ordinal,
                loaded_at=LOADED_AT,
            )
            rows.append(row)
        return rows


def write_landing(settings: Settings, docs: list[Doc]) -> None:
    documents = pd.DataFrame([d.document_row() for d in docs], columns=DOCUMENT_COLUMNS)
    figures = pd.DataFrame(
        [r for d in docs for r in d.figure_rows()], columns=FIGURE_COLUMNS
    ).astype({"year": "Int64", "period_start": "Int64"})
    with landing_writer(settings) as con:
        con.register("documents_frame", documents)
        con.register("figures_frame", figures)
        con.execute("DELETE FROM landing.figures; DELETE FROM landing.documents")
        con.execute("INSERT INTO landing.documents SELECT * FROM documents_frame")
        con.execute("INSERT INTO landing.figures SELECT * FROM figures_frame")


def build_quality_models(settings: Settings, work_dir: Path) -> None:
    """`dbt build` of the quality models and everything upstream, into `settings.warehouse`.

    dbt runs in a subprocess, as the pipeline's build stage would, so its DuckDB connection
    is closed before the quality stage opens the warehouse read-only.
    """
    dbt = Path(sys.executable).with_name("dbt")
    args = [
        str(dbt), "build", "--select", "+dq_check_rows",
        "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(work_dir / "dbt_target"), "--log-path", str(work_dir / "dbt_logs"),
    ]  # fmt: skip
    env = {**os.environ, "EDUFIG_WAREHOUSE": str(settings.warehouse)}
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        errors = [line for line in done.stdout.splitlines() if "rror" in line or "FAIL" in line]
        raise RuntimeError("dbt build failed:\n" + "\n".join(errors[-20:]))
