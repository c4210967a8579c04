"""Figures in tables: indicator tables split cell-by-cell across lines by `|` after
scraping, and tables rendered one row per line with cells joined by " | ".

A header row with year cells (`2020年 | 2025年`) makes each year column a figure of the row's
metric (a year after the document's date is a target); without year cells, header cells
that name metrics (`在校生(人)`) make each column a metric and row labels give the level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from edufig.core.catalog import load_metrics
from edufig.extract.levels import find_levels
from edufig.extract.lexicon import IMPLIED_LEVEL, accepts, find_keywords, rate_for_level
from edufig.extract.numbers import Quantity
from edufig.extract.prose import Draft
from edufig.extract.timeline import Timeline, When

PIPE_LINE = re.compile(r"^[ \t]*\|+[ \t]*$")
YEAR_CELL = re.compile(
    r"^(?:(?P<to>到|至)?(?P<y>(?:19|20)\d{2}) ?年?(?:底|末|度)?(?:基数|现状|实际)?"
    r"(?P<goal>目标|目标值|规划)?)$"
)
NUMBER_CELL = re.compile(
    r"^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?) ?"
    r"(?P<unit>%|万元|亿元|万人|万|亿|元|人次|人|名|所|个|: ?1)?"
    r"(?P<hedge>以上|以下|左右)?$"
)
UNIT_HINT = re.compile(
    r"\((?P<unit>%|万元|亿元|元|万人|人次|人|名|所|个)\)|单位:? ?(?P<table>万元|亿元|元|人|所)"
)
UNIT_FACTORS = {
    "%": ("percent", 1.0),
    "万元": ("yuan", 1e4),
    "亿元": ("yuan", 1e8),
    "元": ("yuan", 1.0),
    "万人": ("person", 1e4),
    "人次": ("person_time", 1.0),
    "人": ("person", 1.0),
    "名": ("person", 1.0),
    "所": ("count", 1.0),
    "个": ("count", 1.0),
}
CELL_SCALES = {"万": 1e4, "亿": 1e8}
HEDGES = {"以上": "at_least", "以下": "at_most", "左右": "approx"}
MIN_PIPE_LINES = 4
GROUP_LABEL_CHARS = 20
MAX_ROW_WIDTH = 8


class Cell(NamedTuple):
    text: str
    start: int
    end: int


def _split_cell_runs(text: str) -> list[tuple[list[Cell], int, int]]:
    """Runs of lines where `|` lines separate one-cell lines: (cells, run start, run end)."""
    runs: list[tuple[list[Cell], int, int]] = []
    cells: list[Cell] = []
    pending: Cell | None = None
    pipes = 0
    run_start = offset = 0
    for line in [*text.split("\n"), ""]:
        line_end = offset + len(line)
        if PIPE_LINE.match(line):
            if not cells and pending is None:
                run_start = offset
            for _ in range(line.count("|")):
                cells.append(pending or Cell("", offset, offset))
                pending = None
            pipes += 1
        elif pending is None and cells and len(line) <= 40:
            stripped = line.strip()
            pending = Cell(stripped, offset + line.find(stripped), line_end)
        else:
            if pipes >= MIN_PIPE_LINES:
                runs.append((cells, run_start, offset))
            cells, pending, pipes = [], None, 0
            if len(line) <= 40 and line.strip():
                stripped = line.strip()
                pending = Cell(stripped, offset + line.find(stripped), line_end)
                run_start = offset
        offset = line_end + 1
    return runs


FLAT_HEADER = re.compile(r"^(?:主要)?(?:指标|项目)(?:名称)?$")
FLAT_CELL_CHARS = 30
MIN_FLAT_CELLS = 6


def _flat_runs(text: str) -> list[tuple[list[Cell], int, int]]:
    """Indicator tables whose cells were flattened into one per line, pipes lost
    (`指标\n2020年\n2025年\n属性\n学前教育毛入园率(%)\n88.5\n92\n预期性`): a header cell
    followed by year cells starts a run that lasts while lines stay cell-sized."""
    if "指标" not in text and "项目" not in text:
        return []
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    runs: list[tuple[list[Cell], int, int]] = []
    index = 0
    while index < len(lines) - 1:
        if not (_is_flat_header(lines[index]) and _flat_years_follow(lines, index)):
            index += 1
            continue
        cells: list[Cell] = []
        first = index
        while index < len(lines) and _is_flat_cell(lines[index]):
            stripped = lines[index].strip()
            begin = starts[index] + lines[index].find(stripped)
            cells.append(Cell(stripped, begin, begin + len(stripped)))
            index += 1
        if len(cells) >= MIN_FLAT_CELLS:
            runs.append((cells, starts[first], starts[index - 1] + len(lines[index - 1])))
    return runs


def _is_flat_header(line: str) -> bool:
    """`指标`, `主要指标`, `项目名称` alone on a line (the substring test spares the others)."""
    return ("指标" in line or "项目" in line) and bool(FLAT_HEADER.match(line.strip()))


def _flat_years_follow(lines: list[str], index: int) -> bool:
    following = [line.strip() for line in lines[index + 1 : index + 3]]
    return any(YEAR_CELL.match(line) for line in following)


def _is_flat_cell(line: str) -> bool:
    stripped = line.strip()
    return 0 < len(stripped) <= FLAT_CELL_CHARS and not re.search(r"[。;,]", stripped)


def _is_number(text: str) -> bool:
    return bool(NUMBER_CELL.match(text.strip()))


def _row_width(cells: list[Cell], header: int, years: list[int]) -> int:
    best, best_rows = 0, 0
    for width in range(max(years) + 1, MAX_ROW_WIDTH + 1):
        rows = [cells[i : i + width] for i in range(header + width, len(cells), width)]
        good = sum(
            1 for row in rows if len(row) == width and all(_is_number(row[y].text) for y in years)
        )
        if good > best_rows:
            best, best_rows = width, good
    return best


def _rows_from_run(cells: list[Cell]) -> list[list[Cell]]:
    first_year = next((i for i, c in enumerate(cells) if YEAR_CELL.match(c.text)), None)
    if first_year is None or first_year == 0:
        return []
    header = first_year - 1
    years = [
        i - header
        for i in range(header, min(len(cells), header + MAX_ROW_WIDTH))
        if YEAR_CELL.match(cells[i].text)
    ]
    width = _row_width(cells, header, years)
    if not width:
        return []
    return [cells[i : i + width] for i in range(header, len(cells), width)]


def _is_row(cells: list[Cell]) -> bool:
    return len([c for c in cells if c.text]) >= 2


def _joined_rows(text: str) -> list[tuple[list[list[Cell]], int, int]]:
    """Consecutive lines holding ' | '-joined cells, grouped into tables; a short line
    between two rows (`基础教育`, a merged group cell) stays in the table as a group row."""
    tables: list[tuple[list[list[Cell]], int, int]] = []
    rows: list[list[Cell]] = []
    start = offset = 0
    lines = [*text.split("\n"), ""]
    for index, line in enumerate(lines):
        cells = _line_cells(line, offset)
        if _is_row(cells):
            start = start if rows else offset
            rows.append(cells)
        elif rows and _is_group_line(line, lines, index, offset + len(line) + 1):
            stripped = line.strip()
            rows.append([Cell(stripped, offset + line.find(stripped), offset + len(line))])
        elif rows:
            tables.append((rows, start, offset))
            rows = []
        offset += len(line) + 1
    return tables


def _is_group_line(line: str, lines: list[str], index: int, next_offset: int) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > GROUP_LABEL_CHARS or "。" in stripped:
        return False
    return index + 1 < len(lines) and _is_row(_line_cells(lines[index + 1], next_offset))


SPACED_CELL = re.compile(r"(?:(?! {2,}|\t).)+")
MIN_SPACED_CELLS = 3
SPACED_CELL_CHARS = 24
# A cell holding one of these is prose, and so is a line holding one (an indented paragraph).
PROSE_MARK = re.compile(r"[,。;]")


def _spaced_cells(line: str, offset: int) -> list[Cell]:
    """Cells of a row whose columns were kept apart by tabs or runs of spaces (yearbook
    tables pasted as text): at least three short cells, or it is prose."""
    if PROSE_MARK.search(line):
        return []
    cells = []
    for match in SPACED_CELL.finditer(line):
        stripped = match.group().strip()
        if stripped:
            begin = offset + match.start() + match.group().find(stripped)
            cells.append(Cell(stripped, begin, begin + len(stripped)))
    if len(cells) < MIN_SPACED_CELLS or any(_is_prose(c.text) for c in cells):
        return []
    return cells


def _is_prose(cell: str) -> bool:
    return len(cell) > SPACED_CELL_CHARS or bool(PROSE_MARK.search(cell))


def _line_cells(line: str, offset: int) -> list[Cell]:
    if "|" not in line:
        return _spaced_cells(line, offset) if ("\t" in line or "  " in line) else []
    if PIPE_LINE.match(line):
        return []
    cells = []
    position = 0
    for part in line.split("|"):
        stripped = part.strip()
        begin = offset + position + (part.find(stripped) if stripped else 0)
        cells.append(Cell(stripped, begin, begin + len(stripped)))
        position += len(part) + 1
    return cells


def _unit_of(label: str, table_unit: str | None) -> tuple[str | None, float]:
    hint = UNIT_HINT.search(label)
    word = (hint["unit"] or hint["table"]) if hint else table_unit
    if word is None:
        return None, 1.0
    return UNIT_FACTORS[word]


def _row_metric(label: str, unit: str | None) -> str | None:
    levels = {h.level for h in find_levels(label)}
    for hit in reversed(find_keywords(label)):
        if hit.by_level and len(levels) == 1:
            rate = rate_for_level(label[hit.start : hit.end], next(iter(levels)))
            candidates: tuple[str, ...] = (rate,) if rate else ()
        else:
            candidates = () if hit.partial else hit.metrics
        for metric in candidates:
            if unit is None or accepts(metric, unit):
                return metric
    return None


def _row_level(label: str, metric: str, group: str) -> str:
    if metric in IMPLIED_LEVEL:
        return IMPLIED_LEVEL[metric]
    levels = list(dict.fromkeys(h.level for h in find_levels(label))) or list(
        dict.fromkeys(h.level for h in find_levels(group))
    )
    return levels[0] if len(levels) == 1 else "all"


@dataclass(frozen=True)
class TableContext:
    timeline: Timeline
    start: int
    table_unit: str | None
    caption: str = ""


def _year_columns(header: list[Cell], doc_year: int | None) -> dict[int, When]:
    columns = {}
    for index, cell in enumerate(header):
        found = YEAR_CELL.match(cell.text)
        if found:
            year = int(found["y"])
            target = bool(found["goal"]) or (doc_year is not None and year > doc_year)
            columns[index] = When(year, None, target)
    return columns


def _value(cell: Cell, factor: float) -> tuple[float, str] | None:
    """A cell's number in base units; a unit written in the cell (`387859万元`) wins over the
    one the row label or the table states."""
    found = NUMBER_CELL.match(cell.text.strip())
    if not found:
        return None
    written = found["unit"] or ""
    scale = CELL_SCALES.get(written[:1], 1.0) if written and written[0] in "万亿" else factor
    if written and written[0] not in "万亿%:":
        scale = 1.0
    value = float(found["num"].replace(",", "")) * scale
    return value, HEDGES.get(found["hedge"] or "", "exact")


def _row_drafts(
    row: list[Cell], columns: dict[int, When], context: TableContext, group: str
) -> list[Draft]:
    label = row[0].text
    unit_cell = next((c.text for c in row[1:] if c.text in UNIT_FACTORS), None)
    if unit_cell and not UNIT_HINT.search(label):
        unit, factor = UNIT_FACTORS[unit_cell]
    else:
        unit, factor = _unit_of(label, context.table_unit)
    metric = _row_metric(label, unit)
    if metric is None:
        return []
    unit = unit or load_metrics()[metric].unit
    level = _row_level(label, metric, group)
    drafts = []
    for index, when in columns.items():
        parsed = _value(row[index], factor) if index < len(row) else None
        if parsed is None:
            continue
        quantity = Quantity(row[index].start, row[index].end, parsed[0], unit, parsed[1])
        cues = {"metric": "table row label", "level": "table row label", "year": "year column"}
        drafts.append(Draft(metric, level, when, quantity, row[0].start, row[-1].end, cues=cues))
    return drafts


def _final_group(labels: list[Cell]) -> list[Cell]:
    """The last column group of a header (`…2021年秋… | 全年: 资助人数 | 资助金额`): the longest
    suffix with no repeated label, so earlier part-year groups are left alone."""
    seen: set[str] = set()
    suffix: list[Cell] = []
    for cell in reversed(labels):
        if cell.text in seen:
            break
        seen.add(cell.text)
        suffix.insert(0, cell)
    return suffix


def _column_unit(label: str, table_unit: str | None) -> tuple[str | None, float]:
    if UNIT_HINT.search(label):
        return _unit_of(label, None)
    if "人数" in label or "人次" in label:
        return ("person_time" if "人次" in label else "person"), 1.0
    return _unit_of(label, table_unit)


def _labelled_cell(
    row_label: str, column: Cell, cell: Cell, when: When, level: str, table_unit: str | None
) -> Draft | None:
    unit, factor = _column_unit(column.text, table_unit)
    named = _row_metric(column.text, unit)
    parsed = _value(cell, factor)
    if named is None or parsed is None or parsed[0] == 0:
        return None
    metric = _row_metric(row_label, unit) or named
    unit = unit or load_metrics()[metric].unit
    quantity = Quantity(cell.start, cell.end, parsed[0], unit, parsed[1])
    cues = {
        "metric": "table column header",
        "level": "table row label",
        "year": "table row or caption",
    }
    level = IMPLIED_LEVEL.get(metric, level)
    return Draft(metric, level, when, quantity, cell.start, cell.end, cues=cues)


def _row_when(labels: list[Cell], context: TableContext) -> When:
    """A row labelled with a year (`2020年 | 98.5 | 92.1`) is that year's; else the table's."""
    doc_year = context.timeline.doc_year
    for cell in labels:
        found = YEAR_CELL.match(cell.text)
        if found:
            year = int(found["y"])
            return When(year, None, bool(found["goal"]) or bool(doc_year and year > doc_year))
    return context.timeline.when(context.start, context.start, context.start)


def _labelled_row(
    row: list[Cell], columns: list[Cell], context: TableContext, level: str
) -> list[Draft]:
    labels = [c for c in row if c.text and not _is_number(c.text)]
    numbers = [c for c in row if _is_number(c.text)]
    row_label = " ".join(c.text for c in labels)
    when = _row_when(labels, context)
    drafts = []
    for column, cell in zip(reversed(columns), reversed(numbers), strict=False):
        draft = _labelled_cell(row_label, column, cell, when, level, context.table_unit)
        if draft is not None:
            draft.start, draft.end = row[0].start, row[-1].end
            drafts.append(draft)
    return drafts[::-1]


def _labelled_table(rows: list[list[Cell]], context: TableContext) -> list[Draft]:
    """Columns named by a header row (`资助人数 | 资助金额`, `在校生(人)`), levels by row
    labels; numbers align from the right, where merged cells leave rows short."""
    first_data = next(
        (i for i, row in enumerate(rows) if any(_is_number(c.text) for c in row)), None
    )
    headers = [row for row in rows[:first_data] if len([c for c in row if c.text]) >= 2]
    if first_data is None or not headers:
        return []
    fullest = max(reversed(headers), key=lambda row: len([c for c in row if c.text]))
    columns = _final_group([c for c in fullest if c.text])
    drafts: list[Draft] = []
    level = _row_level(context.caption, "", "") if context.caption else "all"
    for row in rows[first_data:]:
        named = find_levels(" ".join(c.text for c in row if not _is_number(c.text)))
        level = named[0].level if named else level
        drafts.extend(_labelled_row(row, columns, context, level))
    return drafts


def _table_drafts(rows: list[list[Cell]], context: TableContext) -> list[Draft]:
    header_index = next(
        (i for i, row in enumerate(rows) if any(YEAR_CELL.match(c.text) for c in row[1:])), None
    )
    if header_index is None:
        return _labelled_table(rows, context)
    columns = _year_columns(rows[header_index], context.timeline.doc_year)
    drafts: list[Draft] = []
    group = context.caption
    for row in rows[header_index + 1 :]:
        if row and row[0].text and not any(_is_number(c.text) for c in row[1:]):
            group = row[0].text
            continue
        if row and row[0].text:
            drafts.extend(_row_drafts(row, columns, context, group))
    return drafts


CAPTION_CHARS = 40


def _caption(text: str, start: int) -> str:
    """The line right above a table (`表2 普通小学基本情况`): its level is every row's
    unless a row names its own."""
    before = text[max(0, start - CAPTION_CHARS * 2) : start].rstrip("\n ").rsplit("\n", 1)[-1]
    stripped = before.strip()
    return stripped if 0 < len(stripped) <= CAPTION_CHARS and "。" not in stripped else ""


def _table_unit(text: str, start: int) -> str | None:
    found = UNIT_HINT.search(text[max(0, start - 200) : start + 200])
    return found["table"] if found and found["table"] else None


def read_tables(text: str, timeline: Timeline) -> tuple[list[Draft], list[tuple[int, int]]]:
    """Figures from every table in `text`, and the spans the tables cover."""
    runs = _flat_runs(text)
    if "|" in text:
        runs += _split_cell_runs(text)
    drafts: list[Draft] = []
    spans: list[tuple[int, int]] = []
    found = [(_rows_from_run(cells), a, b) for cells, a, b in runs]
    if "|" in text or "\t" in text or "  " in text:
        found += _joined_rows(text)
    for rows, start, end in found:
        context = TableContext(timeline, start, _table_unit(text, start), _caption(text, start))
        table = _table_drafts(rows, context)
        drafts.extend(table)
        if rows:
            spans.append((start, end))
    return drafts, spans
