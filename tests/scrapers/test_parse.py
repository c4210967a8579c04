"""Parsing real bytes: metadata dialects, charsets, PDF/DOCX/TXT files, corrupt input."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from scrapers.decode import decode_bytes
from scrapers.html import parse_html
from scrapers.listing import hanweb_records, json_listing, trs_pages, with_page
from scrapers.metadata import normalise_date, pairs_from_tokens
from scrapers.mirror.build import PdfLayout, reply_pdf, report_pdf
from scrapers.parse import parse_file
from tests.conftest import DEV_DIR, SEEDS_DIR

HUBEI_FLAT = (
    "索 引 号: 011396186/2021-53338 主题分类: 教育 发布机构: 潜江市教育局 发文日期: "
    "2021年10月18日 17:43:47 文  号: 文  号:无 效力状态: 有效 发布日期: 2021年10月18日 17:43:47 "
    "名  称: 潜江市履行教育职责自评报告"
)


def test_hubei_flat_row_with_a_value_repeating_its_label() -> None:
    pairs = pairs_from_tokens([HUBEI_FLAT])
    assert pairs["index_number"] == "011396186/2021-53338"
    assert pairs["publisher"] == "潜江市教育局"
    assert pairs["doc_number"] == "无"
    assert pairs["name"] == "潜江市履行教育职责自评报告"
    assert normalise_date(pairs["released"]) == "2021-10-18"


def test_shanxi_table_where_an_empty_cell_shifts_columns() -> None:
    cells = (
        "索引号|012236934/2022-01279|主题分类|科技、教育|公开主体|"
        "|发文字号|成文日期|2022-08-25|发布日期|2022-08-26"
    )
    pairs = pairs_from_tokens(cells.split("|"))
    assert pairs["doc_number"] == ""
    assert pairs["issued"] == "2022-08-25"
    assert pairs["released"] == "2022-08-26"


def test_padded_labels_in_a_gov_cn_table_and_bare_index_number() -> None:
    html = (
        "<table><tr><td>索&nbsp;&nbsp;引&nbsp;&nbsp;号：</td><td>2026-02-00018</td>"
        "<td>发文机关：</td><td>某县人民政府</td></tr><tr><td>标\u3000\u3000题：</td>"
        "<td>某县教育事业发展统计公报</td><td>发文字号：</td><td>某政发〔2026〕3号</td></tr>"
        "<tr><td>成文日期：</td><td>2026/02/03</td></tr></table><div id='zoom'><p>正文</p></div>"
    )
    meta = parse_html(html).meta
    assert meta["index_number"] == "2026-02-00018"
    assert meta["title"] == "某县教育事业发展统计公报"
    assert meta["doc_number"] == "某政发〔2026〕3号"
    assert meta["publisher"] == "某县人民政府"
    assert meta["published_date"] == "2026-02-03"


def test_meta_tags_win_over_the_table() -> None:
    html = (
        "<html><head><meta name='ArticleTitle' content='甲报告'><meta name='PubDate' "
        "content='2022-08-25 16:20'><title>乙_网站</title></head><body><ul><li><b>名称：</b>丙</li>"
        "<li><b>发布日期：</b>2022年9月1日</li></ul><div class='TRS_Editor'><p>正文一</p>"
        "<p>【打印本页】</p></div></body></html>"
    )
    page = parse_html(html)
    assert (page.title, page.meta["published_date"], page.text) == (
        "甲报告",
        "2022-08-25",
        "正文一",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021年10月18日 17:43:47", "2021-10-18"),
        ("2022/08/25", "2022-08-25"),
        ("2022-8-5", "2022-08-05"),
        ("2026-02-00018", None),
        ("无", None),
    ],
)
def test_dates(value: str, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_charset_header_against_meta_and_gb18030_only_characters() -> None:
    text = (
        "<html><head><meta charset='gb2312'></head><body>教育经费473813.97万元，䶮字</body></html>"
    )
    data = text.encode("gb18030")
    decoded, encoding = decode_bytes(data, "text/html; charset=utf-8")
    assert encoding == "gb18030" and "473813.97万元，䶮字" in decoded
    assert decode_bytes("教育".encode(), "text/html; charset=ISO-8859-1") == ("教育", "utf-8")


def test_short_gbk_text_that_is_also_valid_utf8_follows_its_label() -> None:
    data = "<meta charset='gbk'><p>学校</p>".encode("gbk")
    assert data.decode("utf-8") == "<meta charset='gbk'><p>ѧУ</p>"
    assert decode_bytes(data) == ("<meta charset='gbk'><p>学校</p>", "gb18030")
    assert decode_bytes("<p>Ʊ café</p>".encode()) == ("<p>Ʊ café</p>", "utf-8")


def test_txt_header_gives_url_region_type_and_date(tmp_path: Path) -> None:
    source = DEV_DIR / "01_suizhou_jyjf2022.txt"
    doc = parse_file(source)
    assert doc.doc_id == "01_suizhou_jyjf2022"
    assert doc.url.startswith("http://jyj.suizhou.gov.cn/")
    assert (doc.region_name, doc.region_code, doc.province) == ("随州市", "421300", "湖北省")
    assert doc.published_date == "2024-02-22"
    assert doc.text.startswith("一、全市教育经费情况\n2022年,全市教育经费总投入为387859万元")
    assert not doc.text.startswith("#")


def test_seed_txt_without_header_is_the_file_text() -> None:
    path = next(SEEDS_DIR.glob("000_*.txt"))
    doc = parse_file(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.title == "楚雄州人民政府履行教育职责工作情况报告"


def test_gbk_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("某县教育事业发展统计公报\n全县共有学校120所，在校学生86000人。".encode("gbk"))
    doc = parse_file(path)
    assert doc.encoding == "gb18030" and "在校学生86000人" in doc.text


def test_pdf_paragraphs_reflow_to_the_source_lines(tmp_path: Path) -> None:
    lines = next(SEEDS_DIR.glob("003_*.txt")).read_text(encoding="utf-8").split("\n")
    path = tmp_path / "reply.pdf"
    path.write_bytes(reply_pdf(lines, "答复函"))
    doc = parse_file(path)
    assert doc.text.split("\n") == lines
    assert doc.content_type == "application/pdf"


def pdf_lines(tmp_path: Path, pdf: bytes) -> list[str]:
    """The lines the parse stage reads from `pdf`, as a file."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return parse_file(path).text.split("\n")


NEXT_PARAGRAPH = "全县共有专任教师五千二百三十人，比上年增加一百一十人。"


def ending_at_the_margin(indent: int) -> str:
    """Full-width characters only (10.5 pt each): two lines of 42 less the indent end the
    paragraph exactly at the right margin, where a wrapped line ends too."""
    return ("二〇二二年全县教育经费总投入持续增长，" + "各项保障政策落实到位，" * 7)[: 84 - indent]


def _line_ends(pdf: bytes) -> list[float]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [line["x1"] for line in document.pages[0].extract_text_lines()]


@pytest.mark.parametrize(
    ("blank_line", "indent"),
    [(False, 2), (True, 0)],  # a first-line indent starts it; an empty line's space above it
)
def test_pdf_paragraph_ending_at_the_margin_is_not_joined_to_the_next(
    tmp_path: Path, blank_line: bool, indent: int
) -> None:
    paragraph = ending_at_the_margin(indent)
    pdf = reply_pdf([paragraph, *[""] * blank_line, NEXT_PARAGRAPH], "报告", PdfLayout(indent))
    ends = _line_ends(pdf)
    assert len(ends) == 3 and ends[1] == max(ends)  # the paragraph's last line is a full one
    assert pdf_lines(tmp_path, pdf) == [paragraph, NEXT_PARAGRAPH]


FILLER = "全县坚持把教育摆在优先发展的战略位置，持续加大投入，改善办学条件。"
STRADDLING = FILLER * 2 + "2022年全县教育经费总投入达到473813.97万元，比上年增长5.2%。" + FILLER


@pytest.mark.parametrize("style", ["— {} —", "- {} -", "{}", "第{}页", "{}/2", "Page {}"])
def test_pdf_page_number_between_the_halves_of_a_number_is_dropped(
    tmp_path: Path, style: str
) -> None:
    lines = [FILLER * 3] * 14 + [STRADDLING]
    pdf = reply_pdf(lines, "报告", PdfLayout(indent=2, page_numbers=style))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        first_page = [line["text"] for line in document.pages[0].extract_text_lines()]
    assert first_page[-2].endswith("473813.") and first_page[-1] == style.format(1)
    assert pdf_lines(tmp_path, pdf) == lines


@pytest.mark.parametrize(
    "layout",
    [
        PdfLayout(indent=2, header="县人民政府办公室文件"),  # from the second page on
        PdfLayout(indent=2, page_numbers="杏花岭区教育局印发 {}"),  # a footer with the number
        PdfLayout(indent=2, header="教育工作报告", page_numbers="— {} —"),
    ],
)
def test_pdf_running_header_and_footer_are_dropped(tmp_path: Path, layout: PdfLayout) -> None:
    """Pages two and three also end in the same line of text, in the text's own spacing:
    that repeats but is not furniture."""
    lines = [FILLER * 3] * 14 + [STRADDLING] + [FILLER * 3] * 16
    pdf = reply_pdf(lines, "报告", layout)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [[line["text"] for line in page.extract_text_lines()] for page in document.pages]
    assert len(pages) == 3 and pages[0][-2 if layout.page_numbers else -1].endswith("473813.")
    assert pdf_lines(tmp_path, pdf) == lines


def test_pdf_number_ending_a_page_in_the_texts_own_spacing_is_text(tmp_path: Path) -> None:
    lines = [FILLER * 3] * 14 + ["全县各级各类学校数(所):", "128", FILLER]
    pdf = reply_pdf(lines, "报告", PdfLayout(indent=2))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert document.pages[0].extract_text_lines()[-1]["text"] == "128"
    assert pdf_lines(tmp_path, pdf) == lines


PLAN_EXCERPT = """一、基本情况
2022年全县教育经费总投入473813.97万元，比上年增长5.2%。
表1 主要指标
指标 | 2020年 | 2025年 | 属性
学前教育毛入园率(%) | 98.91 | 99 | 预期性
九年义务教育巩固率(%) | 96.5 | 97 | 约束性
二、主要问题
全县共有专任教师5230人。"""


def test_pdf_ruled_table_comes_as_rows_of_cells_in_its_place(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(report_pdf(PLAN_EXCERPT, "规划"))
    doc = parse_file(path)
    assert doc.text == PLAN_EXCERPT  # one long line is no margin: nothing runs on
    assert doc.tables == [[row.split(" | ") for row in PLAN_EXCERPT.split("\n")[3:6]]]


def test_pdf_frame_around_the_text_is_no_table(tmp_path: Path) -> None:
    lines = [FILLER * 3] * 14 + [STRADDLING] + [FILLER * 3] * 4
    path = tmp_path / "framed.pdf"
    path.write_bytes(reply_pdf(lines, "报告", PdfLayout(indent=2, framed=True)))
    with pdfplumber.open(path) as document:
        frame = document.pages[0].find_tables()
        assert [len(row.cells) for row in frame[0].rows] == [1, 1]  # one column, two cells
    doc = parse_file(path)
    assert doc.text.split("\n") == lines and doc.tables == []


def test_pdf_fake_bold_reads_each_character_once(tmp_path: Path) -> None:
    lines = [STRADDLING, "普通小学生均13421.51元。"]
    pdf = reply_pdf(lines, "报告", PdfLayout(indent=2, fake_bold=True))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert "447733881133" in document.pages[0].extract_text()  # as pdfminer reads it
    assert pdf_lines(tmp_path, pdf) == lines


def test_pdf_watermark_turned_across_the_page_is_no_text(tmp_path: Path) -> None:
    """Nor are its glyphs' widths the text's: a paragraph ending two characters and more
    short of the margin stays apart from the next."""
    heading = "二、经费投入保障机制不断健全，教育优先发展地位进一步巩固和加强"  # 33 characters
    lines = ["一、基本情况", *[FILLER * 3] * 13, heading, STRADDLING, *[FILLER * 3] * 2]
    pdf = reply_pdf(lines, "报告", PdfLayout(indent=2, watermark="某县人民政府"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert "府" in [line["text"] for line in document.pages[0].extract_text_lines()]
    assert pdf_lines(tmp_path, pdf) == lines


def test_pdf_page_set_sideways_reads_turned_back_level(tmp_path: Path) -> None:
    """Its glyphs run a quarter turn off level, not at a watermark's slant: its text stays,
    its lines in order (pdfplumber alone reads them as the words of one line, last first)."""
    lines = [STRADDLING, "普通小学生均13421.51元。"]
    assert pdf_lines(tmp_path, reply_pdf(lines, "表", PdfLayout(indent=2, sideways=True))) == lines


def test_pdf_indented_paragraphs_reflow_to_the_source_lines(tmp_path: Path) -> None:
    lines = next(SEEDS_DIR.glob("003_*.txt")).read_text(encoding="utf-8").split("\n")
    assert pdf_lines(
        tmp_path, reply_pdf([line for line in lines if line], "答复函", PdfLayout(indent=2))
    ) == [line for line in lines if line]


def test_pdf_without_text_is_unparseable_naming_the_file(tmp_path: Path) -> None:
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=A4)
    drawing.rect(72, 72, 200, 100)  # a scan's page holds an image or shapes, no text
    drawing.showPage()
    drawing.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(out.getvalue())
    with pytest.raises(ValueError, match=r"scan\.pdf.*no extractable text"):
        parse_file(path)


def unmapped_font_pdf(runs: list[tuple[str, str]]) -> bytes:
    """One page showing each run on a line of its own: ("F1", hex glyph ids) in a font that
    maps its glyphs to no character (Identity-H without a ToUnicode map, as a subset font
    embedded without one), ("F2", text) in Helvetica."""
    shown = " ".join(
        f"/{font} 12 Tf {'<' + run + '>' if font == 'F1' else '(' + run + ')'} Tj 0 -16 Td"
        for font, run in runs
    )
    content = f"BT 72 720 Td {shown} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H"
        " /DescendantFonts [6 0 R] >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /DW 1000"
        " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO(b"%PDF-1.4\n")
    out.seek(0, io.SEEK_END)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_of_unmapped_glyphs_is_unparseable_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "unmapped.pdf"
    path.write_bytes(unmapped_font_pdf([("F1", "0A1B0C2D3E4F"), ("F1", "1234567890AB")]))
    with pytest.raises(ValueError, match=r"unmapped\.pdf.*6 of 6 glyphs .*needs OCR"):
        parse_file(path)


def test_pdf_unmapped_glyphs_among_text_read_as_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "partly.pdf"
    path.write_bytes(
        unmapped_font_pdf(
            [("F2", "Total 473813.97 in 2021"), ("F1", "0A1B"), ("F2", "Schools 120")]
        )
    )
    assert parse_file(path).text == "Total 473813.97 in 2021\n\ufffd\nSchools 120"


def test_docx_tables_render_as_pipe_rows(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("专栏一 主要目标")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "2020年", "2025年"], ["学前教育毛入园率(%)", "98.91", "99"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("二、重点任务")
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "plan.docx"
    path.write_bytes(out.getvalue())
    doc = parse_file(path)
    assert (
        doc.text
        == "专栏一 主要目标\n指标 | 2020年 | 2025年\n学前教育毛入园率(%) | 98.91 | 99\n二、重点任务"
    )
    assert doc.tables == [[["指标", "2020年", "2025年"], ["学前教育毛入园率(%)", "98.91", "99"]]]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty content"),
        ("junk.txt", bytes(range(256)) * 4, "binary content"),
        ("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "corrupt PDF"),
        ("bad.docx", b"PK\x03\x04not really a zip", "corrupt DOCX"),
    ],
)
def test_unreadable_file_raises_naming_the_file(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValueError, match=reason) as error:
        parse_file(path)
    assert str(path) in str(error.value)


def test_missing_file_raises_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read file"):
        parse_file(tmp_path / "nope.html")


@pytest.mark.parametrize(
    ("start", "script", "pages"),
    [
        (
            "http://a/col/index.html",
            'createPageHTML(3, 0, "index", "html");',
            ["index_1.html", "index_2.html"],
        ),
        ("http://a/col/list.shtml", "createPageHTML(2,0,'list','shtml')", ["list_1.shtml"]),
        (
            "http://a/col/list.shtml",
            "var countPage = 3;//共多少页",
            ["list_1.shtml", "list_2.shtml"],
        ),
        ("http://a/col/index.html", "", []),
    ],
)
def test_trs_pagination_variants(start: str, script: str, pages: list[str]) -> None:
    html = f"<html><body><script>{script}</script></body></html>"
    assert trs_pages(start, html) == [f"http://a/col/{p}" for p in pages]


def test_hanweb_island_records_total_and_dataproxy() -> None:
    island = (
        '<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
        'dataproxy.jsp?page=1&columnid=7&unitid=9"></a>]]></nextgroup><recordset>'
        "<record><![CDATA[<li><a href='/art/2021/1/2/art_7_1.html' title='某县教育工作总结'>"
        "某县…</a></li>]]></record></recordset><totalrecord>31</totalrecord></datastore></script>"
    )
    links, total, proxy = hanweb_records(island, "http://h/col/col7/index.html")
    assert links == [("http://h/art/2021/1/2/art_7_1.html", "某县教育工作总结")]
    assert total == 31
    assert proxy == "http://h/module/web/jpage/dataproxy.jsp?page=1&columnid=7&unitid=9"


def test_json_listing_with_html_string_or_data_array() -> None:
    html_form = '{"totalPage": 4, "html": "<li><a href=\\"/a/t20230101_1.html\\">甲</a></li>"}'
    assert json_listing(html_form, "http://j/api/list?page=1") == (
        [("http://j/a/t20230101_1.html", "甲")],
        4,
    )
    data_form = '{"pages": 2, "data": [{"title": "乙", "url": "/b/t20230102_2.html"}]}'
    assert json_listing(data_form, "http://j/api/") == ([("http://j/b/t20230102_2.html", "乙")], 2)
    assert json_listing("<html>not json</html>", "http://j/") == ([], 0)


def test_json_page_parameter_is_set_or_added() -> None:
    assert (
        with_page("http://j/api/list?channel=a&page=1", 3) == "http://j/api/list?channel=a&page=3"
    )
    assert with_page("http://j/api/list?channel=a", 2) == "http://j/api/list?channel=a&page=2"
    assert with_page("http://j/api/list", 2) == "http://j/api/list?page=2"
