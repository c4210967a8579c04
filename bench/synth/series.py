"""One region's education statistics as smooth yearly series.

Every document about a region reads its numbers from the same series, so a clean
synthetic corpus is internally consistent across documents and years: last year's value
quoted in this year's bulletin is last year's value, parts add up to totals, ratios follow
from counts. Only planted errors break that, which is what makes them ground truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

FIRST_YEAR = 2013
LAST_YEAR = 2023
SCHOOL_LEVELS = (
    "preschool",
    "primary",
    "junior_secondary",
    "general_senior_secondary",
    "secondary_vocational",
    "special",
)
FUNDED_LEVELS = (
    "preschool",
    "primary",
    "junior_secondary",
    "general_senior_secondary",
    "secondary_vocational",
)
# (students per school, students per teacher) ranges by level
_SIZES = {
    "preschool": ((150, 260), (11.0, 15.5)),
    "primary": ((700, 1300), (13.0, 17.5)),
    "junior_secondary": ((900, 1600), (10.5, 13.5)),
    "general_senior_secondary": ((1800, 3000), (11.0, 14.0)),
    "secondary_vocational": ((1200, 2400), (13.0, 19.0)),
    "special": ((90, 220), (3.0, 5.5)),
}
_STUDENT_SHARE = {  # of primary enrolment
    "preschool": (0.45, 0.6),
    "primary": (1.0, 1.0),
    "junior_secondary": (0.42, 0.5),
    "general_senior_secondary": (0.25, 0.35),
    "secondary_vocational": (0.08, 0.16),
    "special": (0.004, 0.008),
}
_PER_STUDENT_BASE = {
    "preschool": (4500, 9000),
    "primary": (7000, 11500),
    "junior_secondary": (9500, 15000),
    "general_senior_secondary": (9500, 16000),
    "secondary_vocational": (9000, 15000),
}
_PUBLIC_FUNDS_BASE = {"primary": (1500, 2600), "junior_secondary": (2100, 3500)}


@dataclass
class YearValues:
    """What a region reports for one year; money in 元 rounded as reports state it."""

    year: int
    budget_wan: float
    total_investment_wan: float
    fiscal_investment_wan: float
    fiscal_expenditure_wan: float
    per_student: dict[str, float] = field(default_factory=dict)
    operating: dict[str, float] = field(default_factory=dict)
    public_funds: dict[str, float] = field(default_factory=dict)
    schools: dict[str, int] = field(default_factory=dict)
    students: dict[str, int] = field(default_factory=dict)
    teachers: dict[str, int] = field(default_factory=dict)
    preschool_ger: float = 0.0
    retention: float = 0.0
    senior_ger: float = 0.0
    aid_wan: float = 0.0
    aided: int = 0
    recruited: int = 0

    @property
    def share(self) -> float:
        return round(100 * self.budget_wan / self.fiscal_expenditure_wan, 2)


def _grow(rng: random.Random, value: float, low: float, high: float) -> float:
    return value * (1 + rng.uniform(low, high) / 100)


def _rate(rng: random.Random, value: float, step: tuple[float, float], cap: float) -> float:
    return round(min(cap - rng.uniform(0, 0.4), value + rng.uniform(*step)), 2)


@dataclass
class _State:
    """The evolving quantities of one region, drawn once and advanced a year at a time."""

    primary: float
    shares: dict[str, float]
    sizes: dict[str, float]
    ratios: dict[str, float]
    per_student: dict[str, float]
    public: dict[str, float]
    budget: float  # 万元
    invest_ratio: float
    fiscal_ratio: float
    share: float
    ger: float
    retention: float
    senior: float

    @classmethod
    def draw(cls, rng: random.Random, prefecture_level: bool) -> _State:
        scale = rng.uniform(3.0, 8.0) if prefecture_level else 1.0
        primary = rng.uniform(15000, 60000) * scale
        return cls(
            primary=primary,
            shares={lv: rng.uniform(*_STUDENT_SHARE[lv]) for lv in SCHOOL_LEVELS},
            sizes={lv: rng.uniform(*_SIZES[lv][0]) for lv in SCHOOL_LEVELS},
            ratios={lv: rng.uniform(*_SIZES[lv][1]) for lv in SCHOOL_LEVELS},
            per_student={lv: rng.uniform(*_PER_STUDENT_BASE[lv]) for lv in FUNDED_LEVELS},
            public={lv: rng.uniform(*_PUBLIC_FUNDS_BASE[lv]) for lv in _PUBLIC_FUNDS_BASE},
            budget=primary * rng.uniform(1.4, 2.2),
            invest_ratio=rng.uniform(1.22, 1.4),
            fiscal_ratio=rng.uniform(1.06, 1.16),
            share=rng.uniform(14.0, 21.0),
            ger=rng.uniform(72, 86),
            retention=rng.uniform(90, 94),
            senior=rng.uniform(80, 89),
        )

    def values(self, rng: random.Random, year: int) -> YearValues:
        """This year's figures, rounded as reports state them."""
        students = {lv: max(20, round(self.primary * self.shares[lv])) for lv in SCHOOL_LEVELS}
        return YearValues(
            year=year,
            budget_wan=round(self.budget, 2),
            total_investment_wan=round(self.budget * self.invest_ratio, 2),
            fiscal_investment_wan=round(self.budget * self.fiscal_ratio, 2),
            fiscal_expenditure_wan=round(self.budget * 100 / self.share, 2),
            per_student={lv: round(v, 2) for lv, v in self.per_student.items()},
            operating={lv: round(v * 0.87, 2) for lv, v in self.per_student.items()},
            public_funds={lv: round(v, 2) for lv, v in self.public.items()},
            schools={lv: max(1, round(students[lv] / self.sizes[lv])) for lv in SCHOOL_LEVELS},
            students=students,
            teachers={lv: max(5, round(students[lv] / self.ratios[lv])) for lv in SCHOOL_LEVELS},
            preschool_ger=round(self.ger, 2),
            retention=round(self.retention, 2),
            senior_ger=round(self.senior, 2),
            aid_wan=round(self.primary * rng.uniform(0.05, 0.09), 2),
            aided=round(self.primary * rng.uniform(0.25, 0.4)),
            recruited=round(self.primary / rng.uniform(150, 300)),
        )

    def advance(self, rng: random.Random) -> None:
        self.primary = _grow(rng, self.primary, -2.0, 2.5)
        self.per_student = {lv: _grow(rng, v, 1.0, 8.5) for lv, v in self.per_student.items()}
        self.public = {lv: _grow(rng, v, 0.5, 6.0) for lv, v in self.public.items()}
        self.budget = _grow(rng, self.budget, 1.0, 9.0)
        self.invest_ratio *= rng.uniform(0.985, 1.015)
        self.fiscal_ratio *= rng.uniform(0.99, 1.01)
        self.share = min(24.0, max(12.0, self.share + rng.uniform(-0.6, 0.6)))
        self.ger = _rate(rng, self.ger, (0.5, 2.2), 99.0)
        self.retention = _rate(rng, self.retention, (0.2, 0.8), 99.7)
        self.senior = _rate(rng, self.senior, (0.4, 1.6), 98.8)


class RegionSeries:
    """Deterministic yearly values for one region (seeded by corpus seed and region code)."""

    def __init__(self, seed: int, code: str, prefecture_level: bool) -> None:
        rng = random.Random(f"{seed}:series:{code}")
        state = _State.draw(rng, prefecture_level)
        self.years: dict[int, YearValues] = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            self.years[year] = state.values(rng, year)
            state.advance(rng)

    def __getitem__(self, year: int) -> YearValues:
        return self.years[year]
