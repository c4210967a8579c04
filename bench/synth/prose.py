"""Text assembly with ground truth: every figure a sentence states is recorded with its span.

Templates write lines through `DocBuilder`; a line that states figures passes them along,
so the reference figures always point at the exact text that was rendered (offsets into the
.txt body, the text the local-corpus path hands to extraction).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

TABLE_SPLIT = "split"  # a 专栏 table scraped cell by cell, rows separated by lines of `|`
TABLE_ROWS = "rows"  # one line per row, cells joined by " | " (what the HTML parser yields)


@dataclass
class Fact:
    """One figure a sentence states, before doc/region/evidence are attached."""

    metric: str
    level: str
    year: int
    value: float
    unit: str
    kind: str = "actual"
    qualifier: str = "exact"
    yoy_change: float | None = None
    yoy_growth_pct: float | None = None
    period_start: int | None = None


@dataclass
class Line:
    """A rendered line: a paragraph, a heading or a table (rows of cells)."""

    text: str
    rows: list[list[str]] | None = None


class DocBuilder:
    """Collects lines and the reference figures whose evidence they are."""

    def __init__(self, doc_id: str, region: str, region_code: str, table_style: str) -> None:
        self.doc_id, self.region, self.region_code = doc_id, region, region_code
        self.table_style = table_style
        self.lines: list[Line] = []
        self.figures: list[dict] = []
        self._length = 0

    def line(self, text: str, facts: list[Fact] = ()) -> None:
        self._append(Line(text), text, facts)

    def table(self, rows: list[list[str]], facts_by_row: list[list[Fact]]) -> None:
        """A 专栏 table; each row is the evidence of the figures in it."""
        rendered = [self._row_text(row, i == 0) for i, row in enumerate(rows)]
        start = self._length
        for i, (text, facts) in enumerate(zip(rendered, facts_by_row, strict=True)):
            self._record(facts, text, start)
            start += len(text) + (0 if i == len(rows) - 1 else 1)
        self._append(Line("\n".join(rendered), rows), "\n".join(rendered), ())

    def _row_text(self, row: list[str], first: bool) -> str:
        if self.table_style == TABLE_ROWS:
            return " | ".join(row)
        return ("|\n|||\n" if first else "") + "\n|\n".join(row) + "\n|"

    def _append(self, line: Line, text: str, facts: list[Fact]) -> None:
        self._record(facts, text, self._length)
        self.lines.append(line)
        self._length += len(text) + 1

    def _record(self, facts: list[Fact], text: str, start: int) -> None:
        for fact in facts:
            figure = {"doc_id": self.doc_id, **asdict(fact)}
            figure |= {"region": self.region, "region_code": self.region_code}
            figure |= {"text": text, "start": start, "end": start + len(text)}
            self.figures.append(figure)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines) + "\n"


def wan(value: float, rng: random.Random) -> str:
    """A 万元 amount as reports write it: two decimals, sometimes with thousands separators."""
    return f"{value:,.2f}" if rng.random() < 0.3 else f"{value:.2f}"


def count(value: int, rng: random.Random) -> str:
    return f"{value:,}" if value >= 10000 and rng.random() < 0.3 else str(value)


def growth(current: float, previous: float) -> float:
    return round(100 * (current / previous - 1), 2)


def change_words(delta: float, up: str, down: str) -> tuple[str, float]:
    """('增长', 3.2) or ('下降', 1.1): the verb and the magnitude the text states."""
    return (up, delta) if delta >= 0 else (down, -delta)


FILLER = (
    "坚持把教育摆在优先发展的战略位置,切实履行政府教育职责,推动教育事业持续健康发展。",
    "健全教育经费投入保障机制,确保一般公共预算教育支出逐年只增不减,按在校学生人数平均的一般公共预算教育支出逐年只增不减。",
    "深入推进义务教育优质均衡发展,统筹城乡学校布局,着力解决大班额问题。",
    "加强教师队伍建设,落实义务教育教师平均工资收入水平不低于当地公务员平均工资收入水平的要求。",
    "全面落实学生资助政策,做到应助尽助,确保不让一个学生因家庭经济困难而失学。",
    "持续推进学前教育普及普惠发展,扩大公办和普惠性学前教育资源供给。",
    "深化中小学“双减”工作,规范校外培训机构,提升课后服务水平。",
    "扎实开展校园安全专项整治,建立健全学校安全风险防控体系。",
    "推进教育信息化建设,实现中小学宽带网络全覆盖,优质数字教育资源共享水平不断提高。",
    "加快发展现代职业教育,深化产教融合、校企合作,提升技术技能人才培养质量。",
    "强化教育督导,完善督政、督学、评估监测三位一体的教育督导体系。",
    "落实立德树人根本任务,加强学校思想政治工作,促进学生德智体美劳全面发展。",
    "实施农村学校教师生活补助政策,稳定乡村教师队伍。",
    "加强特殊教育资源教室建设,保障适龄残疾儿童少年接受义务教育的权利。",
    "推进县域内城乡义务教育一体化改革发展,缩小城乡、校际办学差距。",
)


_SUBJECTS = (
    "各级党委政府",
    "教育行政部门",
    "各乡镇(街道)",
    "财政、人社、编制等部门",
    "各级各类学校",
    "教育督导部门",
    "县域内教育集团",
    "城区学校",
    "农村学校",
    "民办学校",
)
_ACTIONS = (
    "认真落实教育优先发展战略",
    "统筹推进城乡教育一体化",
    "持续深化教育领域综合改革",
    "坚持问题导向和目标导向",
    "健全工作机制和责任体系",
    "强化过程管理和督导考核",
    "加大资源整合和政策支持力度",
    "积极回应群众关切",
)
_RESULTS = (
    "教育公平和质量得到进一步提升。",
    "办学条件持续改善。",
    "群众满意度稳步提高。",
    "形成了上下联动、齐抓共管的工作格局。",
    "为教育高质量发展提供了有力保障。",
    "各项工作取得明显成效。",
    "学校管理水平不断提升。",
)
_ORDINALS = ("一是", "二是", "三是", "四是", "五是")


def filler(rng: random.Random, sentences: int) -> str:
    return "".join(rng.sample(FILLER, sentences))


def narrative(rng: random.Random, paragraphs: int) -> list[str]:
    """Paragraphs of work-report prose (一是…二是…) with no figures, recombined from phrases."""
    out = []
    for _ in range(paragraphs):
        points = [
            f"{_ORDINALS[i]}{rng.choice(_SUBJECTS)}{rng.choice(_ACTIONS)},{rng.choice(_RESULTS)}"
            for i in range(rng.randint(3, 5))
        ]
        out.append(filler(rng, 1) + "".join(points))
    return out
