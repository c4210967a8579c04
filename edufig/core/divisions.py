"""China's administrative divisions (GB/T 2260) from JioNLP, and name → code resolution.

JioNLP ships the division tree with codes and aliases, so `dim_region` and region
resolution are built on it rather than on codes typed by hand. Loading JioNLP's tree takes
~0.5 s, paid by every stage process that validates a registry or subscriptions or renders
an alert; its export is package data (`catalog/divisions.csv`, read in milliseconds), and
a test fails when it differs from a fresh export. `python -m edufig.core.divisions`
rewrites it after a JioNLP upgrade.
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import astuple, dataclass, fields
from functools import cache
from pathlib import Path

DIRECT_GROUPS = ("省直辖行政区划", "自治区直辖县级行政区划", "市辖区")
DIVISIONS_CSV = Path(__file__).resolve().parent / "catalog" / "divisions.csv"
ALIAS_SEPARATOR = "|"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province / prefecture / county
    province_code: str
    province_name: str
    prefecture_code: str | None
    prefecture_name: str | None
    aliases: tuple[str, ...] = ()


def _quiet_jionlp():
    """JioNLP prints a banner on import; keep it out of CLI output and logs."""
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

    return jionlp


def _aliases(node: dict) -> tuple[str, ...]:
    alias = node.get("_alias") or []
    return (alias,) if isinstance(alias, str) else tuple(alias)


def _children(node: dict) -> list[tuple[str, object]]:
    return [(k, v) for k, v in node.items() if not k.startswith("_")]


def _counties(node: dict, province: Division, prefecture: Division | None) -> list[Division]:
    out = []
    for name, child in _children(node):
        code = child.get("_admin_code") if isinstance(child, dict) else child
        if not isinstance(code, str):
            continue
        aliases = _aliases(child) if isinstance(child, dict) else ()
        out.append(
            Division(
                code=code,
                name=name,
                level="county",
                province_code=province.code,
                province_name=province.name,
                prefecture_code=prefecture.code if prefecture else None,
                prefecture_name=prefecture.name if prefecture else None,
                aliases=aliases,
            )
        )
    return out


def _prefectures(node: dict, province: Division) -> list[Division]:
    out: list[Division] = []
    for name, child in _children(node):
        if not isinstance(child, dict):
            continue
        if name in DIRECT_GROUPS:
            out.extend(_counties(child, province, None))
            continue
        prefecture = Division(
            code=child["_admin_code"],
            name=name,
            level="prefecture",
            province_code=province.code,
            province_name=province.name,
            prefecture_code=child["_admin_code"],
            prefecture_name=name,
            aliases=_aliases(child),
        )
        out.append(prefecture)
        out.extend(_counties(child, province, prefecture))
    return out


def divisions_from_jionlp() -> tuple[Division, ...]:
    """Every province, prefecture and county with its code, in JioNLP's tree order (its
    three-level tree: the towns and villages of `detail=True` took ~0.5 s more to load, and
    nothing here reads them)."""
    tree = _quiet_jionlp().china_location_loader(detail=False)
    out: list[Division] = []
    for name, node in tree.items():
        code = node["_admin_code"]
        province = Division(code, name, "province", code, name, None, None, _aliases(node))
        out.append(province)
        out.extend(_prefectures(node, province))
    return tuple(out)


def render_divisions(divisions: tuple[Division, ...]) -> str:
    """The package-data export: one CSV row per division in tree order, aliases joined."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(f.name for f in fields(Division))
    for division in divisions:
        *columns, aliases = astuple(division)
        writer.writerow([*("" if c is None else c for c in columns), ALIAS_SEPARATOR.join(aliases)])
    return buffer.getvalue()


def _division(row: dict[str, str]) -> Division:
    aliases = tuple(a for a in row.pop("aliases").split(ALIAS_SEPARATOR) if a)
    return Division(**{k: v or None for k, v in row.items()}, aliases=aliases)


@cache
def load_divisions() -> tuple[Division, ...]:
    """`divisions_from_jionlp`, as exported into the package."""
    with DIVISIONS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(_division(row) for row in csv.DictReader(handle))


@cache
def divisions_by_code() -> dict[str, Division]:
    return {d.code: d for d in load_divisions()}


def _match(division: Division, names: list[str | None]) -> bool:
    wanted = [n for n in names if n]
    return bool(wanted) and division.name == wanted[-1]


def resolve_region(text: str) -> Division | None:
    """The most specific division named at the start of `text` (a publisher or title).

    Returns None when JioNLP finds no province, or when a county name is ambiguous
    without its prefecture, so an unknown region stays null rather than wrong.
    """
    if not text or not text.strip():
        return None
    parsed = _quiet_jionlp().parse_location(text[:60], town_village=False, change2new=True)
    province, city, county = parsed.get("province"), parsed.get("city"), parsed.get("county")
    if not province:
        return None
    candidates = [
        d
        for d in load_divisions()
        if d.province_name == province
        and _match(d, [province, city, county])
        and (d.level != "county" or city is None or d.prefecture_name in (city, None))
    ]
    by_code = {d.code: d for d in candidates}
    if len(by_code) != 1:
        return None
    return candidates[0]


if __name__ == "__main__":
    DIVISIONS_CSV.write_text(render_divisions(divisions_from_jionlp()), encoding="utf-8")
    print(f"wrote {DIVISIONS_CSV}")
