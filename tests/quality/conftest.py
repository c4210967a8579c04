"""Helpers shared by the quality tests: look flags up by what they are about."""

from __future__ import annotations

import json

import pandas as pd


def flags_for(flags: list[dict], check: str, region_code: str | None = None, **match) -> list[dict]:
    """Flags of `check` (for `region_code`) whose columns equal every `match` item."""
    return [
        f
        for f in flags
        if f["check_name"] == check
        and (region_code is None or f["region_code"] == region_code)
        and all(f.get(k) == v for k, v in match.items())
    ]


def evidence_texts(flag: dict) -> list[str]:
    return [item["text"] for item in json.loads(flag["evidence_json"])]


def check_rows(severities: list, measures: list[float]) -> pd.DataFrame:
    """Failing rows of the pp_amounts check as the quality stage reads them (soft_max 0)."""
    n = len(severities)
    return pd.DataFrame(
        {
            "row_key": range(n),
            "check_row_id": [f"pp_amounts:row{i}" for i in range(n)],
            "check_name": ["pp_amounts"] * n,
            "year": [2022] * n,
            "measure": measures,
            "hard_min": [None] * n,
            "hard_max": [None] * n,
            "soft_min": [None] * n,
            "soft_max": [0.0] * n,
            "severity": severities,
            "region_name": ["黄浦区"] * n,
            "metric": ["edu_total_investment"] * n,
            "level": ["all"] * n,
            "evidence_text": ["增长3.2个百分点"] * n,
        }
    )
