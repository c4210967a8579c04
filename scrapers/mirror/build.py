"""Build the offline mirror's static sites from the five seed reports.

Run once (`python -m scrapers.mirror.build --seeds ../shared/corpus/seeds`); the output
under `scrapers/mirror/sites/` is committed so the package works without the seeds.
Report texts are the seeds verbatim; page chrome, decoy items and the metadata values of
seeds 000/002/003 (whose pages were not captured) are synthetic but follow the platform
conventions in `shared/spec/gov_sites.md`.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

SITES_DIR = Path(__file__).resolve().parent / "sites"
LAST_MODIFIED = "Mon, 05 Sep 2022 02:00:00 GMT"
PDF_FONT = "STSong-Light"
BUILD_TIME = datetime(2022, 8, 25, 8, 0, 0)  # fixed so rebuilding gives identical bytes


@dataclass
class Site:
    """Files of one mirrored host plus the server behaviour in `site.json`."""

    name: str
    files: dict[str, bytes] = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    expected: dict[str, dict] = field(default_factory=dict)

    def put(self, path: str, content: str | bytes, charset: str = "utf-8") -> None:
        self.files[path] = content if isinstance(content, bytes) else content.encode(charset)

    def content_type(self, path: str, value: str) -> None:
        self.config.setdefault("content_types", {})[path] = value

    def write(self, root: Path) -> None:
        site_dir = root / self.name
        if site_dir.exists():
            shutil.rmtree(site_dir)
        for path, data in self.files.items():
            target = site_dir / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        config = {"last_modified": LAST_MODIFIED, **self.config}
        _write_json(site_dir / "_site.json", config)
        _write_json(site_dir / "_expected.json", self.expected)


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def paragraphs(lines: list[str]) -> str:
    return "\n".join(f"<p>{esc(line) if line.strip() else '&nbsp;'}</p>" for line in lines)


def page(title: str, body: str, charset: str = "utf-8", metas: dict[str, str] | None = None) -> str:
    meta_tags = "".join(
        f'<meta name="{esc(k)}" content="{esc(v)}">\n' for k, v in (metas or {}).items()
    )
    return (
        f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" '
        f'content="text/html; charset={charset}">\n{meta_tags}<title>{esc(title)}</title>\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def nav(site_name: str) -> str:
    return (
        f'<div class="header"><div class="logo">{esc(site_name)}</div><ul class="nav">'
        '<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
        '<li><a href="/hdjl/">互动交流</a></li></ul></div>'
    )


FOOTER = (
    '<div class="tools"><a href="javascript:window.print()">【打印本页】</a>'
    '<a href="javascript:window.close()">【关闭窗口】</a></div>'
)


def footer(owner: str) -> str:
    return (
        f'<div class="footer">主办：{esc(owner)} 网站标识码：5300000001 '
        "ICP备案号：滇ICP备00000000号</div>"
    )


def meta_table(cells: list[str], per_row: int) -> str:
    """A flat 公开要素 table: labels and values as consecutive cells."""
    rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="xxgk-table">{body}</table>'


def list_items(items: list[tuple[str, str, str]]) -> str:
    return "\n".join(
        f'<li><a href="{esc(href)}" title="{esc(title)}" target="_blank">{esc(title)}</a>'
        f"<span>{date}</span></li>"
        for href, title, date in items
    )


def decoy_article(site_title: str, title: str, charset: str = "utf-8") -> str:
    body = (
        f"{nav(site_title)}<div class='article'><h1>{esc(title)}</h1>"
        f"<div id='zoom'><p>{esc(title)}。具体事项详见相关文件。</p></div>{FOOTER}</div>"
    )
    return page(title, body, charset)


# --- seed 004: 太原市杏花岭区, TRS static site, report in a DOCX attachment -------------

XHL_COLUMN = "/zwgk/zfxxgkml/jyty"
XHL_ARTICLE = f"{XHL_COLUMN}/202208/t20220825_1528391.html"
XHL_DOCX = "P020220825613524860391.docx"


def _split_table_block(lines: list[str]) -> list[list[str]]:
    """Seed 004's 专栏 table as scraped: cells separated by lines of '|'."""
    cells: list[str] = []
    current: str | None = None
    for line in lines:
        if set(line.strip()) == {"|"}:
            if line.strip() == "|":
                cells.append(current or "")
            current = None
        else:
            current = line
    if current is not None:
        cells.append(current)
    return [cells[i : i + 4] for i in range(0, len(cells), 4)]


def plan_docx(lines: list[str]) -> bytes:
    start = next(i for i, line in enumerate(lines) if line.startswith("专栏一"))
    end = next(i for i, line in enumerate(lines) if line.startswith("三、“十四五”"))
    table_lines = lines[start + 1 : end]
    while table_lines and table_lines[0].strip() in ("|", "|||"):
        table_lines = table_lines[1:]
    rows = _split_table_block(table_lines)
    document = Document()
    document.core_properties.title = "杏花岭区“十四五”教育事业发展规划"
    document.core_properties.created = document.core_properties.modified = BUILD_TIME
    for line in lines[: start + 1]:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in lines[end:]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip_times(out.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The DOCX zip with fixed entry times, so rebuilding gives identical bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=BUILD_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def xinghualing(seed: list[str]) -> Site:
    site = Site("xinghualing")
    title = "太原市杏花岭区人民政府关于印发《太原市杏花岭区“十四五”教育事业发展规划》的通知"
    meta_cells = [
        "索引号", "012236934/2022-01279", "主题分类", "科技、教育", "公开主体", "",
        "发文字号", "成文日期", "2022-08-25", "发布日期", "2022-08-25", "",
        "公开类型", "主动公开", "公开属性", "全部公开",
        "首次公开", "形成或者变更之日起20个工作日内",
        "公开期限", "长期公开", "公开载体", "政府网站", "来源", "杏花岭区人民政府办公室",
    ]  # fmt: skip
    notice = seed[6:15]
    attachment_js = (
        "<script>var file_appendix='<a href=\"./" + XHL_DOCX + '" title="杏花岭区“十四五”'
        "教育事业发展规划.docx\">附件1</a>';document.write(file_appendix);</script>"
    )
    body = (
        f"{nav('太原市杏花岭区人民政府')}{meta_table(meta_cells, 6)}"
        f"<div class='article'><h1>{esc(seed[0])}</h1><div class='info'>{esc(seed[1])}</div>"
        f"<div class='TRS_Editor'><div class='Custom_UnionStyle'>\n{paragraphs(notice)}\n"
        f"</div></div><div class='fj'>相关附件：{attachment_js}</div>{FOOTER}</div>"
        f"{footer('太原市杏花岭区人民政府办公室')}"
    )
    metas = {
        "ArticleTitle": title,
        "PubDate": "2022-08-25 16:20",
        "ContentSource": "杏花岭区人民政府办公室",
    }
    site.put(XHL_ARTICLE, page(title, body, metas=metas))
    site.put(f"{XHL_COLUMN}/202208/{XHL_DOCX}", plan_docx(seed[15:]))
    site.content_type(
        f"{XHL_COLUMN}/202208/{XHL_DOCX}",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    site.expected[XHL_ARTICLE] = {
        "seed": "004",
        "title": title,
        "index_number": "012236934/2022-01279",
        "doc_number": "杏政发〔2022〕17号",
        "published_date": "2022-08-25",
        "publisher": "杏花岭区人民政府办公室",
        "attachments": [f"{XHL_COLUMN}/202208/{XHL_DOCX}"],
    }
    _xinghualing_lists(site)
    site.put("/robots.txt", "User-agent: *\nDisallow: /zwgk/nbgl/\n")
    site.put(
        "/zwgk/nbgl/202208/t20220801_1527001.html",
        decoy_article("杏花岭区", "杏花岭区教育工作内部通报"),
    )
    return site


def _trs_list(
    title: str, items: list[tuple[str, str, str]], count: int, current: int, prefix: str, ext: str
) -> str:
    script = f'<script>createPageHTML({count}, {current}, "{prefix}", "{ext}");</script>'
    return page(
        title,
        f"{nav(title)}<div class='list'><ul>{list_items(items)}</ul></div>"
        f"<div class='page'>{script}</div>",
    )


def _xinghualing_lists(site: Site) -> None:
    decoys = {
        "202209/t20220901_1529001.html": "杏花岭区2022年秋季学期中小学开学安全检查动态",
        "202207/t20220712_1521002.html": "杏花岭区教育局2022年公开招聘教师拟聘用人员公示",
        "202206/t20220610_1519003.html": "杏花岭区召开2022年安全生产工作会议",
        "201901/t20190110_1100004.html": "杏花岭区政府信息公开指南（置顶）",
    }
    for path, title in decoys.items():
        site.put(f"{XHL_COLUMN}/{path}", decoy_article("杏花岭区", title))
    report = "太原市杏花岭区人民政府关于印发《太原市杏花岭区“十四五”教育事业发展规划》的通知"
    off_site = "http://jyt.shanxi.gov.cn/zwgk/202205/t20220510_6012345.shtml"
    pinned = "【置顶】杏花岭区政府信息公开指南"
    paths = list(decoys)
    pages = [
        [
            (f"./{paths[3]}", pinned, "2019-01-10"),
            (f"./{paths[0]}", decoys[paths[0]], "2022-09-01"),
            ("./202208/t20220825_1528391.html", report, "2022-08-25"),
        ],
        [
            ("/zwgk/nbgl/202208/t20220801_1527001.html", "杏花岭区教育工作内部通报", "2022-08-01"),
            (f"./{paths[1]}", decoys[paths[1]], "2022-07-12"),
            (off_site, "山西省2021年教育事业发展统计公报", "2022-05-10"),
        ],
        [(f"./{paths[2]}", decoys[paths[2]], "2022-06-10")],
    ]  # fmt: skip
    for number, items in enumerate(pages):
        name = "index.html" if number == 0 else f"index_{number}.html"
        html_text = _trs_list("教育体育", items, 5, number, "index", "html")
        site.put(f"{XHL_COLUMN}/{name}", html_text)


# --- seed 001: 潜江市, Hanweb site with XML island and dataproxy ---------------------------

QJ_ARTICLE = "/art/2021/10/18/art_4521_1893221.html"
QJ_ALIAS = "/art/2021/10/18/art_4530_1893300.html"
QJ_PER_PAGE = 10


def _hanweb_record(href: str, title: str, date: str) -> str:
    return (
        f'<li><a href="{esc(href)}" title="{esc(title)}">{esc(title)}</a><span>{date}</span></li>'
    )


def _hanweb_column(site: Site, column: str, records: list[str], declared: int) -> None:
    island_records = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:QJ_PER_PAGE])
    proxy = (
        "/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=27&path=/"
        f"&columnid={column}&unitid=88412&webname=潜江市教育局&permissiontype=0"
    )
    island = (
        f'<div id="88412"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{proxy}">'
        f"</a>]]></nextgroup><recordset>{island_records}</recordset>"
        f"<totalrecord>{declared}</totalrecord></datastore></script>"
        f"<script>var perpage = {QJ_PER_PAGE}; var totalRecord = {declared};</script></div>"
    )
    body = f"{nav('潜江市教育局')}<div class='list'>{island}</div>"
    site.put(f"/col/col{column}/index.html", page("潜江市教育局", body))
    _write_json_bytes(site, f"/_data/col{column}.json", records)


def _write_json_bytes(site: Site, path: str, data: object) -> None:
    site.put(path, json.dumps(data, ensure_ascii=False, indent=1))


def qianjiang(seed: list[str]) -> Site:
    site = Site("qianjiang")
    title = "潜江市履行教育职责自评报告"
    cells = [
        "索 引 号：", "011396186/2021-53338", "主题分类：", "教育",
        "发布机构：", "潜江市教育局", "发文日期：", "2021年10月18日 17:43:47",
        "文&nbsp;&nbsp;号：", "文&nbsp;&nbsp;号:无", "效力状态：", "有效",
        "发布日期：", "2021年10月18日 17:43:47", "名&nbsp;&nbsp;称：", title,
    ]  # fmt: skip
    body = (
        f"{nav('潜江市教育局')}{meta_table(cells, 4)}<div class='bt-content'>"
        f"<div id='zoom'>\n{paragraphs(seed)}\n</div></div>{FOOTER}{footer('潜江市教育局')}"
    )
    metas = {"ArticleTitle": title, "PubDate": "2021-10-18 17:43", "ContentSource": "潜江市教育局"}
    article = page(title, body, metas=metas)
    site.put(QJ_ARTICLE, article)
    site.put(QJ_ALIAS, article)
    site.expected[QJ_ARTICLE] = {
        "seed": "001",
        "title": title,
        "index_number": "011396186/2021-53338",
        "doc_number": None,
        "published_date": "2021-10-18",
        "publisher": "潜江市教育局",
        "attachments": [],
        "aliases": [QJ_ALIAS],
    }
    records = [_hanweb_record(QJ_ARTICLE, title, "2021-10-18")]
    for n in range(1, 22):
        href = f"/art/2021/{1 + n % 9}/{n + 1}/art_4521_18{n:05d}.html"
        kind = (
            "潜江市教育局开展校园安全专项检查",
            "潜江市2021年中小学教师公开招聘公告",
            "潜江市举办青少年科技创新大赛",
        )[n % 3]
        records.append(_hanweb_record(href, f"{kind}（{n}）", f"2021-{1 + n % 9:02d}-{n + 1:02d}"))
        site.put(href, decoy_article("潜江市教育局", f"{kind}（{n}）"))
    records.insert(
        12,
        _hanweb_record(
            "http://jyt.hubei.gov.cn/bmdt/tzgg/202110/t20211020_3812345.shtml",
            "湖北省2021年对市州级人民政府履行教育职责评价结果的通报",
            "2021-10-20",
        ),
    )
    _hanweb_column(site, "4521", records, declared=25)
    alias_records = [
        _hanweb_record(QJ_ALIAS, title, "2021-10-18"),
        _hanweb_record(
            "/art/2021/3/2/art_4530_1801002.html",
            "潜江市教育局2021年政府信息公开工作年度报告",
            "2021-03-02",
        ),
    ]
    site.put("/art/2021/3/2/art_4530_1801002.html", decoy_article("潜江市教育局", alias_records[1]))
    _hanweb_column(site, "4530", alias_records, declared=2)
    site.config["dataproxy"] = {
        "path": "/module/web/jpage/dataproxy.jsp",
        "data": "/_data/col{columnid}.json",
    }
    return site


# --- seed 003: 普洱市, JSON listing, report only as a PDF behind a redirecting download ----

PE_ARTICLE = "/zwgk/tzgg/202307/t20230714_5012.html"
PE_PDF_NAME = "7a3c5e9d2b14f08e6c1d.pdf"


PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN, TEXT_SIZE, LEADING = 72, 10.5, 16


def _centred(pdf: canvas.Canvas, y: float, text: str) -> None:
    pdf.setFont(PDF_FONT, 9)
    pdf.drawCentredString(PAGE_WIDTH / 2, y, text.format(pdf.getPageNumber()))


def _watermark(pdf: canvas.Canvas, text: str) -> None:
    pdf.saveState()
    pdf.setFont(PDF_FONT, 48)
    pdf.setFillGray(0.85)
    pdf.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    pdf.rotate(45)
    pdf.drawCentredString(0, 0, text)
    pdf.restoreState()


@dataclass(frozen=True)
class PdfLayout:
    """How `reply_pdf` sets a page: `indent` characters before each paragraph's first line,
    `page_numbers` (a format such as "— {} —") centred below the text, `header` above it
    from the second page on, as official documents and Word exports set them."""

    indent: int = 0
    page_numbers: str = ""
    header: str = ""
    framed: bool = False  # rules around the text block and under its first line
    fake_bold: bool = False  # each line drawn twice a hair apart, as some tools embolden
    watermark: str = ""  # large, light and turned 45° across each page
    sideways: bool = False  # pages turned a quarter (/Rotate 90), text and all

    def begin_page(self, pdf: canvas.Canvas) -> None:
        if self.sideways:
            pdf.setPageRotation(90)
        if self.header and pdf.getPageNumber() > 1:
            _centred(pdf, PAGE_HEIGHT - 48, self.header)
        if self.framed:
            width, top = PAGE_WIDTH - 2 * MARGIN + 24, PAGE_HEIGHT - MARGIN
            pdf.rect(MARGIN - 12, 60, width, top - 48)
            pdf.line(MARGIN - 12, top - 5, MARGIN - 12 + width, top - 5)
        if self.watermark:
            _watermark(pdf, self.watermark)

    def end_page(self, pdf: canvas.Canvas) -> None:
        if self.page_numbers:
            _centred(pdf, 40, self.page_numbers)
        pdf.showPage()


def reply_pdf(lines: list[str], title: str, layout: PdfLayout = PdfLayout()) -> bytes:
    """Each line a paragraph, wrapped at the margin."""
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    pdf.setTitle(title)
    indent = layout.indent * TEXT_SIZE
    shifts = (0.0, 0.3) if layout.fake_bold else (0.0,)
    layout.begin_page(pdf)
    y = PAGE_HEIGHT - MARGIN
    for line in lines:
        chunks = _wrap(line, PAGE_WIDTH - 2 * MARGIN, TEXT_SIZE, first=indent)
        for n, chunk in enumerate(chunks):
            if y < MARGIN:
                layout.end_page(pdf)
                layout.begin_page(pdf)
                y = PAGE_HEIGHT - MARGIN
            pdf.setFont(PDF_FONT, TEXT_SIZE)
            for shift in shifts:
                pdf.drawString(MARGIN + (indent if n == 0 else 0) + shift, y, chunk)
            y -= LEADING
    layout.end_page(pdf)
    pdf.save()
    return out.getvalue()


RULED = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
)


def _ruled_table(rows: list[list[Paragraph]]) -> Table:
    width = max(len(row) for row in rows)
    table = Table(
        [row + [""] * (width - len(row)) for row in rows],
        colWidths=[(PAGE_WIDTH - 2 * MARGIN) / width] * width,
        splitInRow=1,  # a cell taller than a page breaks across pages
    )
    table.setStyle(RULED)
    return table


def report_pdf(text: str, title: str) -> bytes:
    """A report as an office sets it: each line a paragraph indented two characters, runs
    of ` | ` rows of two cells or more a ruled table (cells wrapped in their column), pages
    numbered — n —."""
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    body = ParagraphStyle(
        "body", fontName=PDF_FONT, fontSize=TEXT_SIZE, leading=LEADING, wordWrap="CJK"
    )
    indented = ParagraphStyle("indented", parent=body, firstLineIndent=2 * TEXT_SIZE)
    flow: list = []
    rows: list[list[Paragraph]] = []
    for line in [*text.split("\n"), ""]:
        cells = [c.strip() for c in line.split("|")]
        while cells and not cells[-1]:
            cells.pop()
        if len([c for c in cells if c]) > 1:  # a lone `|` between flattened cells is text
            rows.append([Paragraph(html.escape(c), body) for c in cells])
            continue
        if rows:
            flow.append(_ruled_table(rows))
            rows = []
        if line.strip():
            flow.append(Paragraph(html.escape(line), indented))

    def number(drawing: canvas.Canvas, _document: SimpleDocTemplate) -> None:
        _centred(drawing, 40, "— {} —")

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, invariant=1).build(
        flow, onFirstPage=number, onLaterPages=number
    )
    return out.getvalue()


def _wrap(line: str, available: float, size: float, first: float = 0) -> list[str]:
    chunks, current, width = [], "", available - first
    for ch in line:
        if pdfmetrics.stringWidth(current + ch, PDF_FONT, size) > width:
            chunks.append(current)
            current, width = "", available
        current += ch
    return [*chunks, current]


def puer(seed: list[str]) -> Site:
    site = Site("puer")
    title = "普洱市教育体育局对政协普洱市五届二次会议第156号提案的答复函"
    download = f"/module/download/downfile.jsp?classid=0&filename={PE_PDF_NAME}"
    info = "".join(
        f"<li><b>{esc(k)}</b><span>{esc(v)}</span></li>"
        for k, v in (
            ("索引号：", "11530800MB1A47215X/2023-00219"),
            ("组配分类：", "建议提案办理"),
            ("发布机构：", "普洱市教育体育局"),
            ("生成日期：", "2023-07-12"),
            ("文件编号：", "普教体提复〔2023〕23号"),
            ("统一编号：", ""),
            ("有效性：", "有效"),
        )
    )
    attachments = (
        f'<div class="fj"><p>附件：</p><p><a href="{esc(download)}" '
        f'title="{esc(title)}.pdf">附件1</a></p><p><a href="/attach/0/missing_20230714.docx" '
        'title="提案办理情况征询意见表.docx">附件2</a></p></div>'
    )
    body = (
        f"{nav('普洱市教育体育局')}<ul class='xxgk-info'>{info}</ul><div class='article'>"
        f"<h1>{esc(title)}</h1><div class='main-txt'><p>林灵委员：</p>"
        f"<p>您提出的提案已办理完毕，答复函全文见附件。</p></div>{attachments}{FOOTER}</div>"
    )
    site.put(PE_ARTICLE, page(title, body, metas={"PubDate": "2023-07-14 09:30"}))
    site.put(f"/attach/0/{PE_PDF_NAME}", reply_pdf(seed, title))
    site.content_type(f"/attach/0/{PE_PDF_NAME}", "application/pdf")
    site.config["redirects"] = {download: f"/attach/0/{PE_PDF_NAME}"}
    site.expected[PE_ARTICLE] = {
        "seed": "003",
        "title": title,
        "index_number": "11530800MB1A47215X/2023-00219",
        "doc_number": "普教体提复〔2023〕23号",
        "published_date": "2023-07-14",
        "publisher": "普洱市教育体育局",
        "attachments": [download],
        "dead_attachments": ["/attach/0/missing_20230714.docx"],
    }
    items = [_hanweb_record(PE_ARTICLE, title, "2023-07-14")]
    for n in range(1, 24):
        kind = (
            "普洱市2023年普通高中招生录取工作通知",
            "普洱市教育体育局关于开展防溺水宣传的通知",
            "普洱市第十届中小学生运动会开幕",
        )[n % 3]
        href = f"/zwgk/tzgg/2023{1 + n % 6:02d}/t2023{1 + n % 6:02d}{n:02d}_{4000 + n}.html"
        items.append(_hanweb_record(href, f"{kind}（{n}）", f"2023-{1 + n % 6:02d}-{n:02d}"))
    items.insert(
        5,
        _hanweb_record(
            "https://www.yn.gov.cn/zwgk/zcwj/202306/t20230601_260001.html",
            "云南省关于推进教育事业发展的若干措施",
            "2023-06-01",
        ),
    )
    _write_json_bytes(site, "/_data/tzgg.json", items)
    site.config["json_list"] = {
        "path": "/api/list",
        "data": "/_data/{channel}.json",
        "page_size": 10,
        "declared_pages": 4,
    }
    site.config["robots"] = "forbidden"
    return site


# --- seed 000: 楚雄州, GBK TRS variant (list_N.shtml, var countPage) -----------------------

CX_COLUMN = "/zwgk/jyj"
CX_ARTICLE = f"{CX_COLUMN}/202207/t20220705_1131877.shtml"


def chuxiong(seed: list[str]) -> Site:
    site = Site("chuxiong")
    title = seed[0]
    pad = "&nbsp;&nbsp;"
    cells = [
        f"索{pad}引{pad}号：", "11532300015182938F/2022-00087", "主题分类：", "教育",
        "发文机关：", "楚雄州人民政府", "成文日期：", "2022年06月28日",
        f"标{pad}{pad}题：", title, "发文字号：", "",
        "发布日期：", "2022年07月05日", f"主{pad}题{pad}词：", "教育督导",
    ]  # fmt: skip
    body = (
        f"{nav('楚雄州人民政府')}{meta_table(cells, 4)}<div class='article'><h1>{esc(title)}</h1>"
        f"<div class='TRS_Editor'>\n{paragraphs(seed)}\n</div>{FOOTER}</div>"
        f"{footer('楚雄州人民政府办公室')}"
    )
    site.put(CX_ARTICLE, page(title, body, charset="gbk"), charset="gbk")
    site.content_type(CX_ARTICLE, "text/html")
    site.expected[CX_ARTICLE] = {
        "seed": "000",
        "title": title,
        "index_number": "11532300015182938F/2022-00087",
        "doc_number": None,
        "published_date": "2022-07-05",
        "publisher": "楚雄州人民政府",
        "attachments": [],
        "encoding": "gb18030",
    }
    decoys = [
        ("202208/t20220810_1135001.shtml", "楚雄州2022年中小学教师资格认定公告"),
        ("202206/t20220601_1129002.shtml", "关于做好2022年森林草原防火工作的通知"),
        ("201812/t20181201_1000003.shtml", "楚雄州教育体育局政务服务事项清单"),
        ("202205/t20220516_1125004.shtml", "楚雄州教育体育局2022年公开招聘编制外聘用人员公告"),
    ]
    for path, decoy_title in decoys:
        site.put(
            f"{CX_COLUMN}/{path}",
            decoy_article("楚雄州人民政府", decoy_title, "gbk"),
            charset="gbk",
        )
    first = [
        (f"./{decoys[2][0]}", "【置顶】" + decoys[2][1], "2018-12-01"),
        (f"./{decoys[0][0]}", decoys[0][1], "2022-08-10"),
        ("./202207/t20220705_1131877.shtml", title, "2022-07-05"),
    ]
    second = [
        (f"./{decoys[1][0]}", decoys[1][1], "2022-06-01"),
        (f"./{decoys[3][0]}", decoys[3][1], "2022-05-16"),
    ]
    for name, items, charset, header in (
        ("list.shtml", first, "gbk", "text/html; charset=GBK"),
        ("list_1.shtml", second, "gb2312", "text/html; charset=utf-8"),
    ):
        script = "<script>var countPage = 3; var currentPage = 0;</script>"
        body = f"{nav('楚雄州人民政府')}<ul class='list'>{list_items(items)}</ul>{script}"
        site.put(
            f"{CX_COLUMN}/{name}", page("楚雄州教育体育局", body, charset=charset), charset="gbk"
        )
        site.content_type(f"{CX_COLUMN}/{name}", header)
    site.put(f"{CX_COLUMN}/list_2.shtml", "<html><body><p>暂无信息</p></body></html>")
    return site


# --- seed 002: an anonymised 范文 on a document-sharing site -------------------------------

WK_ARTICLE = "/p-314c944275f2f8a4.html"


def wenku(seed: list[str]) -> Site:
    site = Site("wenku")
    body = (
        f"<div class='top'><a href='/'>范文网</a></div><h1>{esc(seed[0])}</h1>"
        f"<div class='article-content'>\n{paragraphs(seed)}\n</div>"
        "<div class='related'><ul><li><a href='/p-88aa.html'>2022年个人工作总结范文</a>"
        "</li></ul></div>"
    )
    site.put(WK_ARTICLE, page(seed[0], body))
    site.expected[WK_ARTICLE] = {
        "seed": "002",
        "title": seed[0],
        "index_number": None,
        "doc_number": None,
        "published_date": None,
        "publisher": None,
        "attachments": [],
    }
    items = [
        (WK_ARTICLE, seed[0], "2019-03-20"),
        ("/p-88aa.html", "2022年个人工作总结范文", "2022-01-02"),
        ("/p-77bb.html", "幼儿园教师个人述职报告范文", "2021-06-30"),
    ]
    site.put("/p-88aa.html", decoy_article("范文网", items[1][1]))
    site.put("/p-77bb.html", decoy_article("范文网", items[2][1]))
    site.put("/list/jiaoyu.html", page("教育范文", f"<ul class='list'>{list_items(items)}</ul>"))
    return site


def blocked() -> Site:
    site = Site("kunming")
    site.config["blocked"] = True
    return site


def build(seeds_dir: Path, out_dir: Path = SITES_DIR) -> list[Path]:
    seeds = {
        p.name[:3]: p.read_text(encoding="utf-8").split("\n")
        for p in sorted(seeds_dir.glob("*.txt"))
    }
    sites = [
        chuxiong(seeds["000"]),
        qianjiang(seeds["001"]),
        wenku(seeds["002"]),
        puer(seeds["003"]),
        xinghualing(seeds["004"]),
        blocked(),
    ]
    for site in sites:
        site.write(out_dir)
    return [out_dir / s.name for s in sites]


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Build the offline mirror sites from seed reports."
    )
    parser.add_argument("--seeds", type=Path, default=Path("../shared/corpus/seeds"))
    parser.add_argument("--out", type=Path, default=SITES_DIR)
    args = parser.parse_args()
    for path in build(args.seeds, args.out):
        print(path)


if __name__ == "__main__":
    main()
