"""The quality stage: GX validates the failing check rows, then dq.dq_flags is replaced.

dq_check_rows decides in SQL which rows fail and at which severity (from the bounds the
registry declares); the checkpoint validates those rows only, renders Data Docs, and must
reach the same verdict, so the SQL rule and the expectation suite check each other. The
warehouse is read read-only and opened for writing only to replace the flags table.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from edufig.core import landing_fingerprint
from edufig.core.config import Settings, StageResult, timed
from edufig.core.warehouse import read_only_connection, reader, writer
from edufig.quality.flags import build_flags, failed_rows, labelled, write_flags
from edufig.quality.history import prune_validations
from edufig.quality.registry import CHECKS

DISPLAY_CAP = 80
# Text GX may write into Data Docs (which it does not escape), escaped in SQL like html.escape.
DISPLAYED_TEXT = ("region_name", "metric", "level", "evidence_text")
SQL_ENTITIES = (
    ("'&'", "'&amp;'"), ("'<'", "'&lt;'"), ("'>'", "'&gt;'"), ("'\"'", "'&quot;'"),
    ("''''", "'&#x27;'"),
)  # fmt: skip


def _escaped(column: str) -> str:
    expression = f"left({column}, {DISPLAY_CAP})"
    for char, entity in SQL_ENTITIES:
        expression = f"replace({expression}, {char}, {entity})"
    return f"{expression} AS {column}"


VALIDATED_SQL = f"""
SELECT
    row_number() OVER (ORDER BY check_row_id) - 1 AS row_key, check_row_id, check_name, year,
    measure, hard_min, hard_max, soft_min, soft_max, severity,
    {", ".join(_escaped(c) for c in DISPLAYED_TEXT)}
FROM dq.dq_check_rows
WHERE severity IS NOT NULL {{regions}}
ORDER BY check_row_id
"""
# The regions whose failing rows the last build recomputed (dq_regions_to_recheck).
RECHECKED = "coalesce(region_code, '') IN (SELECT region_key FROM dq.dq_regions_to_recheck)"
FLAGGED_ROWS_SQL = """
WITH flagged AS (
    SELECT r.* FROM dq.dq_check_rows AS r JOIN failed_ids USING (check_row_id)
),
evidence AS (
    SELECT
        r.check_row_id,
        string_agg(DISTINCT f.doc_id, ',' ORDER BY f.doc_id) AS doc_ids,
        CAST(to_json(list(
            {'figure_id': f.figure_id, 'doc_id': f.doc_id, 'url': f.url, 'title': f.title,
             'text': f.evidence_text}
            ORDER BY f.doc_id, f.figure_id
        )[1:10]) AS VARCHAR) AS evidence_json
    FROM flagged AS r, unnest(string_split(r.figure_ids, ',')) AS u (figure_id)
    JOIN dq.dq_figure_facts AS f ON f.figure_id = u.figure_id
    GROUP BY r.check_row_id
)
SELECT r.*, l.name_zh AS level_name_zh, e.doc_ids, e.evidence_json
FROM flagged AS r
JOIN evidence AS e USING (check_row_id)
LEFT JOIN seeds.education_levels AS l ON l.code = r.level
ORDER BY r.check_row_id
"""


@contextmanager
def _read_only(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    if not settings.warehouse.exists():
        raise FileNotFoundError(f"{settings.warehouse}: warehouse not found; run load and build")
    with reader(settings) as con:
        yield con


def read_check_rows(settings: Settings, rechecked_only: bool = False) -> pd.DataFrame:
    """The failing rows the checkpoint validates: measures, bounds, the SQL severity, and
    escaped text for Data Docs; with rechecked_only, those of the re-checked regions.

    GX reports unexpected rows by `row_key`, so no document-derived text is needed to map
    them back; flags are built from the warehouse rows, never from this frame.
    """
    sql = VALIDATED_SQL.format(regions=f"AND {RECHECKED}" if rechecked_only else "")
    with _read_only(settings) as con:
        try:
            return con.execute(sql).df()
        except duckdb.CatalogException as exc:
            raise LookupError(
                f"{settings.warehouse}: dq.dq_check_rows missing; run the build stage ({exc})"
            ) from exc


def read_flagged_rows(settings: Settings, row_ids: list[str]) -> pd.DataFrame:
    """Everything a flag cites, for the rows the checkpoint failed only."""
    failed_ids = pd.DataFrame({"check_row_id": row_ids}, dtype=object)  # noqa: F841 - scanned
    with _read_only(settings) as con:
        return con.execute(FLAGGED_ROWS_SQL).df()


def _count(result: StageResult, flags: list[dict]) -> None:
    result.counts["flags"] = len(flags)
    for severity in ("error", "warning"):
        result.counts[f"flags_{severity}"] = sum(f["severity"] == severity for f in flags)
    for check in CHECKS:
        result.counts[f"check_{check.name}"] = sum(f["check_name"] == check.name for f in flags)


def _agreed(frame: pd.DataFrame, gx_failed: dict[int, str]) -> dict[str, str]:
    """Failed row id → severity, once GX and the SQL rule give every row the same verdict."""
    pairs = zip(frame["row_key"], frame["severity"], strict=True)
    decided = {key: severity for key, severity in pairs if isinstance(severity, str)}
    ids = dict(zip(frame["row_key"], frame["check_row_id"], strict=True))
    keys = decided.keys() | gx_failed.keys()
    differ = sorted(ids[key] for key in keys if decided.get(key) != gx_failed.get(key))
    if differ:
        raise RuntimeError(
            f"GX and dq_check_rows disagree on {len(differ)} rows, e.g. {differ[:3]}: "
            "the bounds rule in SQL and the expectation suite have drifted apart"
        )
    return {ids[key]: severity for key, severity in decided.items()}


def validate(settings: Settings, frame: pd.DataFrame) -> tuple[dict[str, str], str]:
    """Run the checkpoint on the failing rows: (failed row id → severity, Data Docs url)."""
    # GX takes ~5 s to import: readers (`edufig flags`) and skipped runs never load it
    from edufig.quality.context import add_checkpoint, docs_url, quality_context

    settings.data_docs_dir.mkdir(parents=True, exist_ok=True)
    context = quality_context(settings)
    outcome = add_checkpoint(context).run(batch_parameters={"dataframe": labelled(frame)})
    return _agreed(frame, failed_rows(outcome)), docs_url(context, outcome)


def _validates_rechecked_only(known: dict[str, str]) -> bool:
    """Only the re-checked regions need validating when the last build was incremental and
    started from the landing this stage last validated: the other regions' failing rows,
    and so their flags, are the ones already validated."""
    validated = known.get("quality")
    return validated is not None and known.get(landing_fingerprint.BUILD_BASE) == validated


def check_quality(settings: Settings) -> StageResult:
    """Run the edufig_quality checkpoint and replace dq.dq_flags with what it found (the
    flags of the re-checked regions, after an incremental build)."""
    result = StageResult("quality")
    with timed(result):
        known = landing_fingerprint.recorded(settings) if settings.warehouse.exists() else {}
        built_on = known.get("build")
        if built_on is not None and known.get("quality") == built_on:
            result.counts[landing_fingerprint.SKIPPED] = 1
            _count(result, list_flags(settings))
            return result
        rechecked_only = built_on is not None and _validates_rechecked_only(known)
        try:
            frame = read_check_rows(settings, rechecked_only)
        except (FileNotFoundError, LookupError) as exc:
            result.errors.append(str(exc))
            result.failed = True
            return result
        result.counts["validations_removed"] = len(prune_validations(settings))
        try:
            failed, docs_url = validate(settings, frame)
        except Exception as exc:  # a broken checkpoint leaves the previous flags in place
            result.errors.append(f"{settings.warehouse}: checkpoint failed: {exc}")
            result.failed = True
            return result
        run_id = uuid.uuid4().hex
        flagged = read_flagged_rows(settings, sorted(failed))
        flags = build_flags(flagged, failed, docs_url, run_id)
        with writer(settings) as con:
            write_flags(con, flags, run_id, RECHECKED if rechecked_only else None)
        landing_fingerprint.record(settings, {"quality": built_on})
        result.counts["failing_rows"] = len(frame)
        result.counts["validated_rechecked_regions_only"] = int(rechecked_only)
        _count(result, list_flags(settings))
    return result


def list_flags(
    settings: Settings, province: str | None = None, database: Path | None = None
) -> list[dict]:
    """The flags of the latest run, errors first; `province` is a name (山西省, 山西) or a code.
    `database` defaults to the live warehouse; reader commands pass the published snapshot."""
    database = database or settings.warehouse
    if not database.exists():
        return []
    with read_only_connection(database) as con:
        tables = con.execute(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = 'dq' AND table_name = 'dq_flags'"
        ).fetchall()
        if not tables:
            return []
        query = "SELECT * FROM dq.dq_flags"
        params: list[str] = []
        if province and province.isdigit():
            query += " WHERE left(region_code, 2) = left(?, 2)"
            params = [province]
        elif province:
            query += " WHERE province = ? OR starts_with(province, ?)"
            params = [province, province.removesuffix("省").removesuffix("市")]
        query += " ORDER BY severity = 'error' DESC, check_name, region_code, year, flag_id"
        cursor = con.execute(query, params)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
