"""What a report template works with: the region, its numbers, the error to plant.

Templates recombine sentence patterns of real reports (seeds, dev corpus, authored gold);
each states numbers from the region's series and, when the document was chosen to carry a
planted error, writes that one sentence wrong and records what it did.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.synth.prose import DocBuilder
from bench.synth.series import RegionSeries, YearValues

LEVEL_ZH = {
    "preschool": "幼儿园",
    "primary": "普通小学",
    "junior_secondary": "普通初中",
    "general_senior_secondary": "普通高中",
    "secondary_vocational": "中等职业学校",
}
WAN = 1e4


@dataclass
class Region:
    code: str
    name: str
    full_name: str
    province: str
    prefecture: str | None
    scope: str  # 全县 / 全市 / 全区 …
    publisher: str


@dataclass
class Context:
    """What a template needs: where to write, the numbers, and the error to plant (if any)."""

    doc: DocBuilder
    rng: random.Random
    region: Region
    year: int
    series: RegionSeries
    published: str = ""  # YYYY-MM-DD
    planted: str | None = None
    planted_records: list[dict] = field(default_factory=list)

    @property
    def now(self) -> YearValues:
        return self.series[self.year]

    @property
    def before(self) -> YearValues:
        return self.series[self.year - 1]

    def plant(self, kind: str, metric: str, level: str, year: int, what: str, **values) -> None:
        record = {"doc_id": self.doc.doc_id, "error": kind, "metric": metric, "level": level}
        record |= {"year": year, "kind": "actual", "region_code": self.region.code, "what": what}
        self.planted_records.append(record | values)


def wrong_growth(rng: random.Random, right: float) -> float:
    return round(right + rng.choice((-1, 1)) * rng.uniform(1.5, 4.0), 2)
