"""Hostile documents, generated: what the open web sends a crawler on a bad day.

Shared by the chaos tests (`tests/scrapers/test_hostile_documents.py`) and the memory
bench (`bench/bench_hostile.py`), so the number in the README is measured on the same
bytes the tests refuse.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

REPORT = "某县人民政府履行教育职责自评报告。全县教育经费总投入为473813.97万元,比上年增长2.54%。"
_DOCUMENT_XML = "word/document.xml"


def nested_html(depth: int = 100_000, text: str = REPORT) -> bytes:
    """`text` inside `depth` nested <div>s, then a paragraph after them."""
    body = "<div>" * depth + f"<p>{text}</p>" + "</div>" * depth + "<p>嵌套之后的段落。</p>"
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()


def flat_html(elements: int) -> bytes:
    """A page of `elements` empty spans: no nesting, just too many nodes."""
    return ("<html><body><p>" + REPORT + "</p>" + "<span></span>" * elements).encode()


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rewrite_docx(original: bytes, write_document: object) -> bytes:
    """`original` with word/document.xml produced by write_document(stream)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for item in source.infolist():
            if item.filename == _DOCUMENT_XML:
                with target.open(_DOCUMENT_XML, "w", force_zip64=True) as stream:
                    write_document(stream)  # type: ignore[operator]
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


def docx_bomb(unpacked_bytes: int) -> bytes:
    """A DOCX whose document.xml is `unpacked_bytes` of one-letter paragraphs: a few
    hundred KB on the wire, millions of XML elements once unzipped."""
    original = docx_bytes([REPORT])
    head, tail = _document_xml(original).split(b"</w:body>", 1)
    paragraph = b"<w:p><w:r><w:t>A</w:t></w:r></w:p>"
    chunk = paragraph * (1_048_576 // len(paragraph))

    def write(stream: io.BufferedIOBase) -> None:
        stream.write(head)
        for _ in range(unpacked_bytes // len(chunk)):
            stream.write(chunk)
        stream.write(b"</w:body>" + tail)

    return _rewrite_docx(original, write)


def docx_many_entries(entries: int) -> bytes:
    """A valid DOCX with `entries` extra tiny parts."""
    out = io.BytesIO(docx_bytes([REPORT]))
    with zipfile.ZipFile(out, "a") as archive:
        for n in range(entries):
            archive.writestr(f"customXml/extra{n}.xml", "<a/>")
    return out.getvalue()


def docx_entity_bomb(levels: int = 9) -> bytes:
    """A DOCX whose document.xml declares the 'billion laughs' entities and uses them."""
    original = docx_bytes([REPORT])
    xml = _document_xml(original)
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1)
    ]
    doctype = f"<!DOCTYPE w:document [{''.join(entities)}]>".encode()
    declaration, rest = xml.split(b"?>", 1)
    laughs = f"<w:p><w:r><w:t>&lol{levels};</w:t></w:r></w:p></w:body>".encode()
    bomb = declaration + b"?>" + doctype + rest.replace(b"</w:body>", laughs, 1)
    return _rewrite_docx(original, lambda stream: stream.write(bomb))


def _document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read(_DOCUMENT_XML)


def pdf_pages(pages: int, line: str = "Education report page") -> bytes:
    """A PDF of `pages` pages, one line of text each (reportlab, Helvetica)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for n in range(1, pages + 1):
        pdf.drawString(72, 720, f"{line} {n}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()
