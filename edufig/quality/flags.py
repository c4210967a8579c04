"""Unexpected rows of the checkpoint turned into dq_flags rows, and the flags table itself.

SQL decides which check rows fail and at which severity, and GX confirms it (the severity
of each expectation is in its meta); the flag takes everything else from the row as the
warehouse computed it, not from what GX displayed, so escaping for Data Docs never leaks
into messages or evidence.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime

import duckdb
import pandas as pd

from edufig.core.dq_flags import FLAG_COLUMNS, FLAG_SCHEMA, SEVERITY_RANK
from edufig.quality.messages import messages

FLAGS_DDL = (
    "CREATE SCHEMA IF NOT EXISTS dq; CREATE TABLE IF NOT EXISTS dq.dq_flags ("
    + ", ".join(f"{name} {kind}" for name, kind in FLAG_SCHEMA)
    + ");"
)


# What Data Docs show for each unexpected row: its key, then the columns a reader needs to
# find it (text escaped before validation). One column, as GX looks each index column up
# row by row (a quarter of the stage in a profile at a million figures, six columns).
ROW_LABEL = "row"
LABELLED_COLUMNS = ("check_name", "region_name", "metric", "level", "year", "evidence_text")


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its row label, `<row_key> · check · region · metric · level · year · text`."""
    label = frame["row_key"].astype(str)
    for column in LABELLED_COLUMNS:
        label = label + " · " + frame[column].map(_shown)
    return frame.assign(**{ROW_LABEL: label})


def _shown(value: object) -> str:
    """A year read back as 2021.0 (a column with nulls is float) shows as 2021."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_key(label: str) -> int:
    return int(label.split(" ", 1)[0])


def _raise_if_errored(outcome) -> None:
    """An expectation that could not run must fail the stage, not pass as "no flags"."""
    info = outcome.exception_info or {}
    reports = [info, *(v for v in info.values() if isinstance(v, dict))]
    for report in reports:
        if report.get("raised_exception"):
            message = report.get("exception_message") or "unknown error"
            bound = outcome.expectation_config.meta.get("bound")
            raise RuntimeError(f"expectation on bound {bound} could not run: {message}")


def failed_rows(checkpoint_result) -> dict[int, str]:
    """row_key → the highest severity of the expectations the row failed."""
    failed: dict[int, str] = {}
    for validation in checkpoint_result.run_results.values():
        for outcome in validation.results:
            if outcome.success:
                continue
            _raise_if_errored(outcome)
            severity = outcome.expectation_config.meta["severity"]
            for index in outcome.result.get("unexpected_index_list") or []:
                row_id = row_key(index[ROW_LABEL])
                if SEVERITY_RANK[severity] > SEVERITY_RANK.get(failed.get(row_id, ""), 0):
                    failed[row_id] = severity
    return failed


def _significant(value: object) -> object:
    if isinstance(value, float) and math.isfinite(value) and value != 0:
        return round(value, 5 - math.floor(math.log10(abs(value))))
    if isinstance(value, list):
        return [_significant(v) for v in value]
    return value


def flag_id(row: dict, values: dict) -> str:
    """Stable across runs: the same problem in the same documents keeps its id."""
    doc_ids = ",".join(sorted((row.get("doc_ids") or "").split(",")))
    rounded = json.dumps({k: _significant(v) for k, v in values.items()}, sort_keys=True)
    key = "|".join(
        str(row.get(k) if row.get(k) is not None else "")
        for k in ("check_name", "region_code", "metric", "level", "year", "kind")
    )
    return hashlib.sha1(f"{key}|{doc_ids}|{rounded}".encode()).hexdigest()


def _clean(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def build_flags(
    frame: pd.DataFrame, failed: dict[str, str], docs_url: str, run_id: str
) -> list[dict]:
    raised_at = datetime.now(UTC).replace(tzinfo=None)
    flags = {}
    rows = frame[frame["check_row_id"].isin(failed)].sort_values("check_row_id")
    for record in rows.to_dict("records"):
        row = {k: _clean(v) for k, v in record.items()}
        row["severity"] = failed[row["check_row_id"]]
        values = json.loads(row["values_json"])
        message_zh, message_en = messages(row, values)
        flag = {name: row.get(name) for name in FLAG_COLUMNS}
        flag.update(
            flag_id=flag_id(row, values),
            year=int(row["year"]) if row.get("year") is not None else None,
            message_zh=message_zh,
            message_en=message_en,
            data_docs_url=docs_url,
            raised_at=raised_at,
            run_id=run_id,
        )
        # Check rows that are one problem (the same value stated in the text and a table)
        # share a flag id; the first row by id speaks for them, in every run.
        flags.setdefault(flag["flag_id"], flag)
    return sorted(flags.values(), key=lambda f: (-SEVERITY_RANK[f["severity"]], f["flag_id"]))


def write_flags(
    con: duckdb.DuckDBPyConnection, flags: list[dict], run_id: str, replaced: str | None = None
) -> None:
    """Replace the flags of the previous run in one transaction: all of them, or those
    matching the SQL condition `replaced`, the others joining this run."""
    frame = pd.DataFrame(flags, columns=list(FLAG_COLUMNS)).astype({"year": "Int64"})
    con.execute(FLAGS_DDL)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM dq.dq_flags WHERE {replaced or 'true'}")
        if replaced:
            con.execute("UPDATE dq.dq_flags SET run_id = ?", [run_id])
        con.register("flags_frame", frame)
        con.execute(f"INSERT INTO dq.dq_flags SELECT {', '.join(FLAG_COLUMNS)} FROM flags_frame")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
