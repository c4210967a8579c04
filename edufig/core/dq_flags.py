"""The dq.dq_flags contract (docs/contracts.md), shared by the stage that writes the flags
(edufig.quality) and the one that routes them (edufig.alerts), which may not import each
other: the columns with their DuckDB types, in table order, and the severity ranks."""

from __future__ import annotations

from types import MappingProxyType

FLAG_SCHEMA = (
    ("flag_id", "VARCHAR PRIMARY KEY"), ("check_name", "VARCHAR NOT NULL"),
    ("severity", "VARCHAR NOT NULL"), ("region_code", "VARCHAR"), ("region_name", "VARCHAR"),
    ("province", "VARCHAR"), ("metric", "VARCHAR"), ("metric_name_zh", "VARCHAR"),
    ("level", "VARCHAR"), ("year", "INTEGER"), ("kind", "VARCHAR"), ("doc_ids", "VARCHAR"),
    ("values_json", "VARCHAR"), ("message_zh", "VARCHAR"), ("message_en", "VARCHAR"),
    ("evidence_json", "VARCHAR"), ("data_docs_url", "VARCHAR"), ("raised_at", "TIMESTAMP"),
    ("run_id", "VARCHAR"),
)  # fmt: skip
FLAG_COLUMNS = tuple(name for name, _ in FLAG_SCHEMA)
# Checks raise warnings and errors; "info" is only a subscriber's lowest threshold.
SEVERITY_RANK = MappingProxyType({"info": 0, "warning": 1, "error": 2})
