"""Write seeds/gbt2260_divisions.csv, the dim_region seed, from `edufig.core.divisions`.

The seed is committed so dbt builds without JioNLP; rerun this script when JioNLP's
division tree changes (a test compares the committed file with a fresh export).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from edufig.core.divisions import Division, load_divisions

SEED_PATH = Path(__file__).resolve().parent.parent / "seeds" / "gbt2260_divisions.csv"
COLUMNS = (
    "code",
    "name",
    "level",
    "province_code",
    "province_name",
    "prefecture_code",
    "prefecture_name",
)


def division_rows(divisions: tuple[Division, ...]) -> list[tuple[str, ...]]:
    """One row per division code; JioNLP lists a few codes twice under old and new names."""
    seen: dict[str, tuple[str, ...]] = {}
    for d in divisions:
        row = (
            d.code,
            d.name,
            d.level,
            d.province_code,
            d.province_name,
            d.prefecture_code or "",
            d.prefecture_name or "",
        )
        seen.setdefault(d.code, row)
    return sorted(seen.values())


def render_seed(divisions: tuple[Division, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(division_rows(divisions))
    return buffer.getvalue()


def main() -> int:
    SEED_PATH.write_text(render_seed(load_divisions()), encoding="utf-8")
    print(f"wrote {SEED_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
