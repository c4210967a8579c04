"""The flags raised by the latest quality run, as read from `dq.dq_flags`, and their routing.

Every text field here comes from scraped documents or from checks over them: renderers must
treat it as untrusted. Routing uses the GB/T 2260 code, which is trustworthy after load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import cached_property

import duckdb

from edufig.alerts.subscriptions import Recipient, find_province
from edufig.core.catalog import load_metrics
from edufig.core.divisions import divisions_by_code
from edufig.core.dq_flags import SEVERITY_RANK


@dataclass(frozen=True)
class Evidence:
    doc_id: str
    url: str
    title: str
    text: str


@dataclass(frozen=True)
class Flag:
    """One dq.dq_flags row; the fields are the table's columns, in order (docs/contracts.md)."""

    flag_id: str
    check_name: str
    severity: str
    region_code: str | None
    region_name: str | None
    province: str | None
    metric: str | None
    metric_name_zh: str | None
    level: str | None
    year: int | None
    kind: str | None
    doc_ids: str | None
    values_json: str | None
    message_zh: str | None
    message_en: str | None
    evidence_json: str | None
    data_docs_url: str | None
    raised_at: object = None
    run_id: str | None = None

    @cached_property
    def evidence(self) -> tuple[Evidence, ...]:
        items = _json_or(self.evidence_json, [])
        if not isinstance(items, list):
            return ()
        return tuple(
            Evidence(*(str(item.get(k) or "") for k in ("doc_id", "url", "title", "text")))
            for item in items
            if isinstance(item, dict)
        )

    @cached_property
    def values(self) -> object:
        return _json_or(self.values_json, self.values_json)

    @cached_property
    def province_code(self) -> str | None:
        division = divisions_by_code().get(self.region_code or "")
        if division:
            return division.province_code
        province = find_province(self.province or "")
        return province.code if province else None

    @cached_property
    def prefecture_code(self) -> str | None:
        division = divisions_by_code().get(self.region_code or "")
        return division.prefecture_code if division else None

    @property
    def domain(self) -> str | None:
        metric = load_metrics().get(self.metric or "")
        return metric.domain if metric else None


def _json_or(text: str | None, default: object) -> object:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def in_scope(recipient: Recipient, flag: Flag) -> bool:
    """Whether the recipient subscribed to this flag's province, area, domain and severity."""
    if flag.province_code != recipient.province_code:
        return False
    narrowed = recipient.region_codes
    if narrowed and not {flag.region_code, flag.prefecture_code} & narrowed:
        return False
    if recipient.domains and flag.domain not in recipient.domains:
        return False
    return SEVERITY_RANK.get(flag.severity, 1) >= SEVERITY_RANK[recipient.min_severity]


def uncovered(recipients: list[Recipient], flags: list[Flag]) -> list[Flag]:
    """The flags no recipient's scope covers: they go to the fallback recipient."""
    return [f for f in flags if not any(in_scope(r, f) for r in recipients)]


def flags_table_exists(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables"
        " WHERE table_schema = 'dq' AND table_name = 'dq_flags'"
    ).fetchone()
    return bool(row and row[0])


def read_flags(con: duckdb.DuckDBPyConnection) -> list[Flag]:
    """The flags currently raised, ordered so digests list errors first, then by region."""
    columns = ", ".join(f.name for f in fields(Flag))
    rows = con.execute(
        f"SELECT {columns} FROM dq.dq_flags"
        " ORDER BY CASE severity WHEN 'error' THEN 0 ELSE 1 END, region_code, metric, year,"
        " flag_id"
    ).fetchall()
    seen: dict[str, Flag] = {}
    for row in rows:
        flag = Flag(*row)
        seen.setdefault(flag.flag_id, flag)
    return list(seen.values())
