"""The synthetic corpus: which documents exist, their text, reference figures and planted errors.

Everything is derived from (seed, document key) rather than from one running random stream,
so `generate(n)` is a prefix of `generate(n + k)`: the bench's incremental run serves the
larger corpus and every earlier document is byte-identical, as on a real site where only new
reports appear.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bench.synth import funding, plan, selfeval, statistics
from bench.synth.context import Context, Region
from bench.synth.prose import TABLE_ROWS, TABLE_SPLIT, DocBuilder
from bench.synth.series import LAST_YEAR, RegionSeries
from edufig.core.divisions import DIRECT_GROUPS, Division, load_divisions

FIRST_REPORT_YEAR = LAST_YEAR - 9
DEFAULT_ERROR_RATE = 0.05
Template = Callable[[Context], None]


@dataclass(frozen=True)
class DocType:
    key: str
    title: str  # format fields: region, year
    doc_type: str
    template: Template
    plantable: tuple[str, ...]
    months: tuple[int, int]  # publication month range, the year after the one described


DOC_TYPES = {
    "funding": DocType(
        "funding",
        "{region}{year}年教育经费执行情况统计公告",
        "教育经费执行情况统计公告",
        funding.funding_bulletin,
        funding.PLANTABLE,
        (9, 12),
    ),
    "statistics": DocType(
        "statistics",
        "{year}年{region}教育事业发展统计公报",
        "教育统计公报",
        statistics.statistics_bulletin,
        statistics.PLANTABLE,
        (3, 5),
    ),
    "selfeval": DocType(
        "selfeval",
        "{region}人民政府履行教育职责工作情况报告({year}年度)",
        "履行教育职责自评报告",
        selfeval.selfeval_report,
        selfeval.PLANTABLE,
        (2, 4),
    ),
    "plan": DocType(
        "plan",
        "{region}“十四五”教育事业发展规划",
        "教育事业发展规划",
        plan.plan_report,
        plan.PLANTABLE,
        (6, 12),
    ),
}
SCOPES = {"县": "全县", "区": "全区", "市": "全市", "州": "全州", "旗": "全旗", "盟": "全盟"}


@dataclass
class SynthDoc:
    """One generated report with everything the renderers and the scorers need."""

    doc_id: str
    doc_type: DocType
    region: Region
    year: int
    published: str
    title: str
    text: str
    lines: list
    figures: list[dict]
    planted: list[dict]

    @property
    def path(self) -> str:
        """The article's URL path on its province's site (TRS-style t<date>_<serial>.html)."""
        compact = self.published.replace("-", "")
        serial = (
            int(self.region.code) % 100000 * 1000
            + self.year % 100 * 10
            + _ORDINAL[self.doc_type.key]
        )
        return f"/{self.region.code}/zwgk/jyxx/{compact[:6]}/t{compact}_{serial}.html"


_ORDINAL = {key: i for i, key in enumerate(DOC_TYPES)}


@cache
def _regions(seed: int) -> tuple[Division, ...]:
    """Prefecture and county divisions in a seeded order (direct-controlled cities left out)."""
    candidates = [
        d
        for d in load_divisions()
        if d.level in ("county", "prefecture")
        and not d.code.endswith("0000")
        and d.name not in DIRECT_GROUPS
    ]
    candidates.sort(key=lambda d: d.code)
    random.Random(f"{seed}:regions").shuffle(candidates)
    return tuple(candidates)


def region_of(division: Division, rng: random.Random) -> Region:
    prefecture = division.prefecture_name
    if division.level == "prefecture" or prefecture in (
        None,
        division.name,
        division.province_name,
    ):
        full_name = division.name
    else:
        full_name = prefecture + division.name
    return Region(
        code=division.code,
        name=division.name,
        full_name=full_name,
        province=division.province_name,
        prefecture=prefecture if division.level == "county" else None,
        scope=SCOPES.get(division.name[-1], "全市"),
        publisher=full_name + rng.choice(("教育局", "教育体育局")),
    )


def _plan_keys() -> list[tuple[int, str]]:
    """(year, doc type) of one region's reports, in publication order."""
    keys: list[tuple[int, str]] = []
    for year in range(FIRST_REPORT_YEAR, LAST_YEAR + 1):
        keys += [(year, "funding"), (year, "statistics")]
        if year % 2 == 0:
            keys.append((year, "selfeval"))
        if year == 2021:
            keys.append((year, "plan"))
    return keys


def _published(rng: random.Random, doc_type: DocType, year: int) -> str:
    published_year = year if doc_type.key == "plan" else year + 1
    month = rng.randint(*doc_type.months)
    return f"{published_year}-{month:02d}-{rng.randint(1, 28):02d}"


def build_document(
    seed: int, division: Division, year: int, key: str, error_rate: float
) -> SynthDoc:
    doc_type = DOC_TYPES[key]
    doc_id = f"syn-{division.code}-{year}-{key}"
    rng = random.Random(f"{seed}:text:{doc_id}")
    chooser = random.Random(f"{seed}:plant:{doc_id}")
    planted = chooser.choice(doc_type.plantable) if chooser.random() < error_rate else None
    region = region_of(division, random.Random(f"{seed}:region:{division.code}"))
    style = TABLE_SPLIT if rng.random() < 0.5 else TABLE_ROWS
    builder = DocBuilder(doc_id, region.name, region.code, style)
    ctx = Context(
        builder,
        rng,
        region,
        year,
        _series(seed, division.code, division.level),
        _published(rng, doc_type, year),
        planted,
    )
    doc_type.template(ctx)
    title = doc_type.title.format(region=region.full_name, year=year)
    return SynthDoc(
        doc_id,
        doc_type,
        region,
        year,
        ctx.published,
        title,
        builder.text,
        builder.lines,
        builder.figures,
        ctx.planted_records,
    )


@cache
def _series(seed: int, code: str, level: str) -> RegionSeries:
    return RegionSeries(seed, code, level == "prefecture")


def iter_documents(
    n_docs: int, seed: int = 0, error_rate: float = DEFAULT_ERROR_RATE
) -> Iterator[SynthDoc]:
    """The first `n_docs` documents of the corpus, region by region."""
    keys = _plan_keys()
    produced = 0
    for division in _regions(seed):
        for year, key in keys:
            if produced == n_docs:
                return
            yield build_document(seed, division, year, key, error_rate)
            produced += 1
    if produced < n_docs:
        raise ValueError(f"{n_docs} documents asked, the region list allows {produced}")


def write_txt(doc: SynthDoc, folder: Path, source_url: str) -> Path:
    """The local-corpus rendering: the four-line header of the dev corpus, then the text."""
    region = " ".join(p for p in (doc.region.province, doc.region.prefecture, doc.region.name) if p)
    header = (
        f"# source: {source_url}\n# region: {region}\n# doc_type: {doc.doc_type.doc_type}\n"
        f"# published: {doc.published}\n\n"
    )
    path = folder / f"{doc.doc_id}.txt"
    path.write_text(header + doc.text, encoding="utf-8")
    return path


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
