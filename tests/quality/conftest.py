"""Helpers shared by the quality tests: look flags up by what they are about."""

from __future__ import annotations

import json


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
