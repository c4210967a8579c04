"""The quality stage: validate the check rows with the GX checkpoint, write dq.dq_flags.

Reads the warehouse read-only (the dbt models did the joins), validates with GX on a
DataFrame, then opens the warehouse for writing only to replace the flags table.
"""

from __future__ import annotations

import html
import json
import uuid

import duckdb
import pandas as pd

from edufig.config import Settings, StageResult, timed
from edufig.quality.context import (
    CHECKPOINT,
    DOCS_SITE,
    INDEX_COLUMNS,
    ensure_checkpoint,
    quality_context,
)
from edufig.quality.flags import FLAGS_DDL, build_flags, failed_rows, write_flags
from edufig.quality.suites import CHECKS

CHECK_ROWS_SQL = """
SELECT r.*, l.name_zh AS level_name_zh
FROM dq.dq_check_rows AS r
LEFT JOIN seeds.education_levels AS l ON l.code = r.level
"""
DISPLAY_CAP = 200


def read_check_rows(settings: Settings) -> pd.DataFrame:
    if not settings.warehouse.exists():
        raise FileNotFoundError(f"{settings.warehouse}: warehouse not found; run load and build")
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        try:
            return con.execute(CHECK_ROWS_SQL).df()
        except duckdb.CatalogException as exc:
            raise LookupError(
                f"{settings.warehouse}: dq.dq_check_rows missing; run the build stage ({exc})"
            ) from exc


def _first_evidence(evidence_json: str | None) -> str:
    items = json.loads(evidence_json) if evidence_json else []
    return (items[0].get("text") or "") if items else ""


def for_data_docs(frame: pd.DataFrame) -> pd.DataFrame:
    """What GX sees: the measures and bounds, plus escaped, capped text for display.

    GX 1.24 writes unexpected values into Data Docs HTML unescaped, so every text column it
    can show is escaped here; flags are built from the unescaped frame.
    """
    shown = frame[[*INDEX_COLUMNS[:-1], "check_name", "measure"]].copy()
    for bound in ("hard_min", "hard_max", "soft_min", "soft_max"):
        shown[bound] = frame[bound]
    shown["evidence_text"] = frame["evidence_json"].map(_first_evidence)
    for column in ("check_row_id", "region_name", "metric", "level", "evidence_text"):
        shown[column] = shown[column].map(
            lambda text: html.escape(str(text)[:DISPLAY_CAP]) if text is not None else None
        )
    return shown


def _docs_url(context, checkpoint_result) -> str:
    for identifier in checkpoint_result.run_results:
        sites = context.get_docs_sites_urls(resource_identifier=identifier, site_name=DOCS_SITE)
        for site in sites:
            if site.get("site_url"):
                return site["site_url"]
    return ""


def _count(result: StageResult, flags: list[dict]) -> None:
    result.counts["flags"] = len(flags)
    for severity in ("error", "warning"):
        result.counts[f"flags_{severity}"] = sum(f["severity"] == severity for f in flags)
    for check in CHECKS:
        result.counts[f"check_{check.name}"] = sum(f["check_name"] == check.name for f in flags)


def check_quality(settings: Settings) -> StageResult:
    """Run the edufig_quality checkpoint and replace dq.dq_flags with what it found."""
    result = StageResult("quality")
    with timed(result):
        try:
            frame = read_check_rows(settings)
        except (FileNotFoundError, LookupError) as exc:
            result.errors.append(str(exc))
            result.failed = True
            return result
        run_id = uuid.uuid4().hex
        settings.data_docs_dir.mkdir(parents=True, exist_ok=True)
        with quality_context(settings) as context:
            checkpoint = ensure_checkpoint(context)
            outcome = checkpoint.run(
                batch_parameters={"dataframe": for_data_docs(frame)},
                run_id=None,
            )
            docs_url = _docs_url(context, outcome)
        flags = build_flags(frame, failed_rows(outcome), docs_url, run_id)
        with duckdb.connect(str(settings.warehouse)) as con:
            write_flags(con, flags)
        result.counts["check_rows"] = len(frame)
        _count(result, flags)
    return result


def list_flags(settings: Settings, province: str | None = None) -> list[dict]:
    """The flags of the latest run, errors first; `province` matches the name or its prefix."""
    if not settings.warehouse.exists():
        return []
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = 'dq' AND table_name = 'dq_flags'"
        ).fetchall()
        if not tables:
            return []
        query = "SELECT * FROM dq.dq_flags"
        params: list[str] = []
        if province:
            query += " WHERE province = ? OR starts_with(province, ?)"
            params = [province, province.removesuffix("省").removesuffix("市")]
        query += " ORDER BY severity = 'error' DESC, check_name, region_code, year, flag_id"
        cursor = con.execute(query, params)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


__all__ = ["CHECKPOINT", "FLAGS_DDL", "check_quality", "list_flags"]
