"""The metric catalog: the project's copy of shared/spec/metrics.csv, extended.

It is package data so the extractor, the scorer and the checks read one file; the dbt
project loads the same file as a seed (see `seed-paths` in dbt_project.yml).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parent
METRICS_CSV = CATALOG_DIR / "metrics.csv"


@dataclass(frozen=True)
class Metric:
    code: str
    domain: str
    name_zh: str
    name_en: str
    unit: str
    direction: str
    hard_min: float | None
    hard_max: float | None
    example_phrasings: str


def _bound(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def load_metrics() -> dict[str, Metric]:
    with METRICS_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Metric(
                code=row["code"],
                domain=row["domain"],
                name_zh=row["name_zh"],
                name_en=row["name_en"],
                unit=row["unit"],
                direction=row["direction"],
                hard_min=_bound(row["hard_min"]),
                hard_max=_bound(row["hard_max"]),
                example_phrasings=row["example_phrasings"],
            )
            for row in csv.DictReader(handle)
        }
