"""How extraction holds up against the damage real report texts carry.

The same report reaches us clean or damaged: copied out of a PDF line by line (hard-wrapped
at the page's margin), with the spaces PDF-to-text puts around numbers (`累计 8316 万元`), page
footers between the halves of a sentence, full-width digits, thousands grouped with commas,
numbers restated in 万, characters letter-spaced by a justified PDF line, traditional
characters from a mirror site, years in Chinese digits, zero-width spaces, blank lines gone
or doubled, and whole round trips through a PDF, a Word document and a CMS page read back by
the parse stage.
Each damage here
is a transform of a real seed or dev report that keeps every figure's meaning; the extractor
should read the same figures (metric, level, year, kind, scope, value) from the damaged text
as from the clean one. Counted per
transform over the documents: figures lost and figures added. A metamorphic check, so it
needs no reference figures, and it measures the robustness of the text handling, not of
anyone's reading.

Tables rendered one row per line (`学段 | 学校数 | …`) are left unwrapped: a parse renders them
from the table's cells, and a PDF's table never arrives as a wrapped pipe row.

Usage: python -m bench.damage [--out bench/results/damage.json]
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from edufig.core.config import REPO_ROOT
from edufig.core.records import Figure, ParsedDocument
from edufig.extract import extract_figures
from edufig.extract.wraps import page_width
from scrapers.parse import parse_file

CORPORA = (
    REPO_ROOT / "tests" / "fixtures" / "corpus" / "seeds",
    REPO_ROOT / "tests" / "fixtures" / "corpus" / "dev",
)
# Reports the damage handling was not developed on (their figures were tuned to, their
# damage was not): the authored documents and blind round 1.
OTHER_CORPORA = (
    REPO_ROOT / "tests" / "gold" / "authored" / "docs",
    REPO_ROOT / "tests" / "fixtures" / "corpus" / "blind" / "round1",
)
FULL_WIDTH = str.maketrans("0123456789%.()", "０１２３４５６７８９％．（）")
PAGE_EVERY = 800


def hard_wrap(text: str, columns: int) -> str:
    """Every prose line cut where it reaches `columns` (CJK characters two columns wide)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if "|" in paragraph:
            lines.append(paragraph)
            continue
        line, width = "", 0
        for ch in paragraph:
            columns_of_ch = page_width(ch)
            if width + columns_of_ch > columns:
                lines.append(line)
                line, width = "", 0
            line += ch
            width += columns_of_ch
        lines.append(line)
    return "\n".join(lines)


def spaced_numbers(text: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff%])", " ", text)


def page_footers(text: str) -> str:
    """A footer every PAGE_EVERY characters, wherever it falls, with blank lines around."""
    pages = [text[i : i + PAGE_EVERY] for i in range(0, len(text), PAGE_EVERY)]
    return "".join(f"{page}\n\n- {n} -\n\n" for n, page in enumerate(pages, 1))


def thousands_grouped(text: str) -> str:
    return re.sub(r"(?<![\d.])(\d{5,})(?![\d.])", lambda m: f"{int(m.group(1)):,}", text)


def letter_spaced(text: str) -> str:
    """A space between every two CJK characters, as justified PDF lines come out."""
    return re.sub(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", " ", text)


def in_wan(text: str) -> str:
    """Counts and amounts of five or more digits restated in 万 (43120人 → 4.312万人)."""

    def restate(match: re.Match[str]) -> str:
        wan = f"{int(match.group(1)) / 10000:.4f}".rstrip("0").rstrip(".")
        return f"{wan}万{match.group(2)}"

    return re.sub(r"(?<![\d.,])(\d{5,})(人次|人|元|名)", restate, text)


def chinese_years(text: str) -> str:
    """Years in Chinese digits, as formal documents write them (2021年 → 二〇二一年)."""
    digits = "〇一二三四五六七八九"
    return re.sub(
        r"(?<!\d)((?:19|20)\d\d)(?=年)", lambda m: "".join(digits[int(c)] for c in m[1]), text
    )


def zero_width_spaces(text: str) -> str:
    """A zero-width space after every seventh character, as some CMS pages carry them."""
    return "".join(ch + "\u200b" * (i % 7 == 6) for i, ch in enumerate(text))


def without_blank_lines(text: str) -> str:
    return re.sub(r"\n[ \t]*\n+", "\n", text)


def double_spaced(text: str) -> str:
    """A blank line after every line, as some HTML-to-text conversions leave each block."""
    return text.replace("\n", "\n\n")


def _prose_blocks(text: str, render: Callable[[list[str]], str]) -> str:
    """`render` applied to each run of prose lines; table rows (`|`) kept as they are, as a
    parse renders them from a table's cells, never from the page's text."""
    out: list[str] = []
    block: list[str] = []
    for line in [*text.split("\n"), "|"]:
        if "|" not in line:
            block.append(line)
            continue
        if any(part.strip() for part in block):
            out.append(render(block))
        block = []
        out.append(line)
    return "\n".join(out[:-1])


def pdf_round_trip(text: str, **layout: int | str | bool) -> str:
    """Prose laid out on A4 pages (reportlab, as the offline mirror's PDFs are made, with
    the `PdfLayout` given: indents, page numbers, a running header, fake bold, a watermark,
    pages set sideways) and read back by the parse stage (pdfplumber, lines reflowed by
    their layout)."""
    from scrapers.mirror.build import PdfLayout, reply_pdf
    from scrapers.parse import parse_bytes

    def render(lines: list[str]) -> str:
        pdf = reply_pdf(lines, "damage", PdfLayout(**layout))
        return parse_bytes(pdf, suffix=".pdf").text.strip()

    return _prose_blocks(text, render)


def report_round_trip(text: str) -> str:
    """The whole report set as an office sets one (`report_pdf`: paragraphs indented, ` | `
    rows as ruled tables, pages numbered) and read back by the parse stage, tables found by
    their rules."""
    from scrapers.mirror.build import report_pdf
    from scrapers.parse import parse_bytes

    return parse_bytes(report_pdf(text, "damage"), suffix=".pdf").text.strip()


def docx_round_trip(text: str) -> str:
    """Prose as a Word document whose paragraphs are split into runs of a few characters (as
    Word splits them at every edit), read back by the parse stage (python-docx)."""
    from docx import Document

    from scrapers.parse import parse_bytes

    def render(lines: list[str]) -> str:
        document = Document()
        for line in lines:
            paragraph = document.add_paragraph()
            for i in range(0, len(line), 3):
                paragraph.add_run(line[i : i + 3])
        out = io.BytesIO()
        document.save(out)
        return parse_bytes(out.getvalue(), suffix=".docx").text.strip()

    return _prose_blocks(text, render)


def html_page(text: str) -> str:
    """Each line a paragraph of a government CMS page (nav, `TRS_Editor` body, footer, runs
    of spans and &nbsp;), read back by the parse stage."""
    from scrapers.parse import parse_bytes

    body = "".join(
        "<p style='text-indent:2em'>"
        + "".join(f"<span>{html.escape(line[i : i + 4])}</span>" for i in range(0, len(line), 4))
        + "</p>"
        for line in text.split("\n")
    ).replace("</span><span> ", "</span>&nbsp;<span>")
    page = (
        "<html><head><meta charset='utf-8'><title>报告</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; 政务公开</div>"
        f"<div class='TRS_Editor'>{body}</div><div class='footer'>版权所有</div></body></html>"
    )
    return parse_bytes(page.encode("utf-8"), suffix=".html").text


def traditional(text: str) -> str:
    """The text as a mirror site in Hong Kong or Taiwan serves it (JioNLP's sim2tra)."""
    import jionlp

    return jionlp.sim2tra(text, mode="char")


RUNNING_HEADER = "县人民政府办公室文件"
WATERMARK = "某县人民政府"

TRANSFORMS: dict[str, Callable[[str], str]] = {
    "hard-wrapped at 44 columns": lambda text: hard_wrap(text, 44),
    "hard-wrapped at 60 columns": lambda text: hard_wrap(text, 60),
    "hard-wrapped at 80 columns": lambda text: hard_wrap(text, 80),
    "hard-wrapped at 100 columns": lambda text: hard_wrap(text, 100),
    "spaces around numbers": spaced_numbers,
    "page footers mid-sentence": page_footers,
    "full-width digits": lambda text: text.translate(FULL_WIDTH),
    "thousands grouped": thousands_grouped,
    "counts and amounts in 万": in_wan,
    "CJK letter-spaced": letter_spaced,
    "traditional characters": traditional,
    "years in Chinese digits": chinese_years,
    "zero-width spaces": zero_width_spaces,
    "blank lines removed": without_blank_lines,
    "a blank line after every line": double_spaced,
    "PDF round trip": pdf_round_trip,
    "indented paragraphs, PDF round trip": lambda text: pdf_round_trip(text, indent=2),
    # bare, as Word numbers pages by default
    "numbered pages, PDF round trip": lambda text: pdf_round_trip(text, page_numbers="{}"),
    "running header, PDF round trip": lambda text: pdf_round_trip(text, header=RUNNING_HEADER),
    "ruled tables, PDF round trip": report_round_trip,
    "fake bold, PDF round trip": lambda text: pdf_round_trip(text, fake_bold=True),
    "watermark, PDF round trip": lambda text: pdf_round_trip(text, watermark=WATERMARK),
    "pages set sideways, PDF round trip": lambda text: pdf_round_trip(text, sideways=True),
    "Word round trip": docx_round_trip,
    "HTML page round trip": html_page,
}


def figure_keys(figures: Iterable[Figure]) -> set[tuple]:
    return {(f.metric, f.level, f.year, f.kind, f.scope, round(f.value, 4)) for f in figures}


@dataclass
class Damage:
    """What one transform changed in the figures of the documents."""

    figures: int = 0
    lost: int = 0
    added: int = 0
    documents_changed: list[str] = field(default_factory=list)


Corpus = list[tuple[ParsedDocument, set[tuple]]]


def clean_corpus(folders: Iterable[Path] = CORPORA) -> Corpus:
    """Each report with the figures of its clean text, read once for every damage."""
    documents = [parse_file(path) for folder in folders for path in sorted(folder.glob("*.txt"))]
    return [(doc, figure_keys(extract_figures(doc))) for doc in documents]


def damage_of(corpus: Corpus, transform: Callable[[str], str]) -> Damage:
    result = Damage()
    for doc, clean in corpus:
        damaged = figure_keys(extract_figures(replace(doc, text=transform(doc.text))))
        result.figures += len(clean)
        result.lost += len(clean - damaged)
        result.added += len(damaged - clean)
        if clean != damaged:
            result.documents_changed.append(doc.doc_id)
    return result


def render(results: dict[str, Damage]) -> str:
    rows = [
        "| damage | figures | lost | added | documents changed |",
        "|---|---|---|---|---|",
    ]
    for name, damage in results.items():
        changed = ", ".join(damage.documents_changed) or "—"
        rows.append(f"| {name} | {damage.figures} | {damage.lost} | {damage.added} | {changed} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench/results/damage.json")
    args = parser.parse_args()
    report = {}
    for corpus, folders in (
        ("seeds and dev", CORPORA),
        ("authored and blind round 1", OTHER_CORPORA),
    ):
        documents = clean_corpus(folders)
        results = {name: damage_of(documents, damage) for name, damage in TRANSFORMS.items()}
        report[corpus] = {name: asdict(damage) for name, damage in results.items()}
        print(f"{corpus} ({len(documents)} documents)\n{render(results)}\n")
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
