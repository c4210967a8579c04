"""Review decisions into the warehouse: the load stage copies the decisions store into
`landing.review_decisions`, where dbt reads them as a source.

A new decision re-stamps its documents' `loaded_at`, so the per-document incremental marts
rebuild exactly those documents on the next `dbt build` (a misread figure leaves the facts,
a correction reaches its `fct_best_value` key) without a full refresh.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

import duckdb

from edufig.core.config import Settings, StageResult
from edufig.review.store import DECISION_COLUMNS, Decision, DecisionStore, decisions_path

REVIEW_DECISIONS_DDL = """
CREATE SCHEMA IF NOT EXISTS landing;
CREATE TABLE IF NOT EXISTS landing.review_decisions (
    flag_id VARCHAR NOT NULL, action VARCHAR NOT NULL, reviewer VARCHAR NOT NULL,
    reason VARCHAR, note VARCHAR, figure_id VARCHAR, doc_id VARCHAR, corrected_value DOUBLE,
    correction_source VARCHAR, province_code VARCHAR, region_code VARCHAR, metric VARCHAR,
    level VARCHAR, year INTEGER, kind VARCHAR, unit VARCHAR, flag_doc_ids VARCHAR,
    values_json VARCHAR, decided_at TIMESTAMP NOT NULL, decision_id BIGINT PRIMARY KEY,
    loaded_at TIMESTAMP NOT NULL
);
"""


def _documents_of(decisions: list[Decision]) -> list[str]:
    doc_ids: set[str] = set()
    for decision in decisions:
        doc_ids.update(d for d in (decision.flag_doc_ids or "").split(",") if d)
        if decision.doc_id:
            doc_ids.add(decision.doc_id)
    return sorted(doc_ids)


def _new_decisions(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Decision]:
    path = decisions_path(settings)
    if not path.exists():
        return []
    loaded = con.execute("SELECT max(decision_id) FROM landing.review_decisions").fetchone()[0]
    return [d for d in DecisionStore(path).all() if d.decision_id > (loaded or 0)]


def copy_decisions(con: duckdb.DuckDBPyConnection, settings: Settings, result: StageResult) -> None:
    """Append decisions not yet landed, in the caller's transaction, and re-stamp their
    documents. The store is append-only, so decision_id order is landing order."""
    con.execute(REVIEW_DECISIONS_DDL)
    decisions = _new_decisions(con, settings)
    if not decisions:
        return
    # here, not at the top: the alerts stage imports this module for reviewed_flag_ids only
    import pandas as pd

    now = datetime.now(UTC).replace(tzinfo=None)
    frame = pd.DataFrame(  # noqa: F841 - read by DuckDB's replacement scan
        [asdict(d) | {"loaded_at": now} for d in decisions],
        columns=[*DECISION_COLUMNS, "loaded_at"],
    )
    con.execute(
        f"INSERT INTO landing.review_decisions ({', '.join(DECISION_COLUMNS)}, loaded_at)"
        f" SELECT {', '.join(DECISION_COLUMNS)}, loaded_at FROM frame"
    )
    doc_ids = _documents_of(decisions)
    con.execute(
        "UPDATE landing.documents SET loaded_at = ? WHERE list_contains(?::VARCHAR[], doc_id)",
        [now, doc_ids],
    )
    result.add("review_decisions_loaded", len(decisions))
    result.add("documents_reviewed", len(doc_ids))


def reviewed_flag_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Flags with a decision landed by the load stage: not to be alerted again."""
    con.execute(REVIEW_DECISIONS_DDL)
    return {
        row[0]
        for row in con.execute("SELECT DISTINCT flag_id FROM landing.review_decisions").fetchall()
    }
