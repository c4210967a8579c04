"""Bytes → text for pages whose declared charset is often missing or wrong.

Government sites mix UTF-8 and GBK/GB2312, send no charset (requests then assumes
ISO-8859-1) or a header that contradicts `<meta charset>`. A strict UTF-8 decode rarely
succeeds on GBK bytes, so it is tried first unless its result looks like GBK misread;
then the declared labels (GBK-family widened to GB18030, a superset); charset-normalizer
is the last resort.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_UNINFORMATIVE = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_WITHOUT_BOM = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
_TEXT_CHAR = re.compile("[\t\n\r\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1).lower() if match else None


def meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _normalise(label: str | None) -> str | None:
    if not label or label in _UNINFORMATIVE:
        return None
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _plausible_utf8(text: str) -> bool:
    """Chinese UTF-8 is three-byte characters; GBK bytes that happen to be valid UTF-8
    decode mostly to two-byte ones (`学校` → `ѧУ`), which real pages rarely contain."""
    two_byte = sum(1 for ch in text if 0x80 <= ord(ch) < 0x800)
    wide = sum(1 for ch in text if ord(ch) >= 0x800)
    return two_byte <= wide // 10


def _bom_encoding(data: bytes) -> str | None:
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def _reads_as_text(sample: bytes, encoding: str) -> bool:
    """Chinese or ASCII text, not the noise other bytes make when read in this encoding."""
    text = sample.decode(encoding, errors="replace")
    return bool(text) and len(_TEXT_CHAR.findall(text)) >= 0.9 * len(text)


def _utf8_prefix(sample: bytes) -> bool:
    """Whether `sample`, the head of a document, is valid UTF-8 up to a cut character."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32, by its BOM or, without one, by the only reading that gives text.

    Only bytes that are not plain UTF-8 are considered (NULs are valid UTF-8, but ASCII
    written in UTF-16/32 is full of them), so UTF-8 and GBK pages never qualify.
    """
    bom = _bom_encoding(data)
    if bom is not None:
        return None if bom == "utf-8-sig" else bom
    sample = data[:4096]
    if b"\x00" not in sample and _utf8_prefix(sample):
        return None
    return next((e for e in _WIDE_WITHOUT_BOM if _reads_as_text(sample, e)), None)


def decode_bytes(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The text and the encoding that produced it."""
    encoding = _bom_encoding(data) or wide_encoding(data)
    if encoding is not None:
        return data.decode(encoding, errors="replace"), encoding
    declared = [_normalise(header_charset(content_type)), _normalise(meta_charset(data))]
    as_utf8 = _strict(data, "utf-8")
    if as_utf8 is not None and (_plausible_utf8(as_utf8) or not any(declared)):
        return as_utf8, "utf-8"
    for encoding in [d for d in declared if d]:
        text = _strict(data, encoding)
        if text is not None:
            return text, encoding
    if as_utf8 is not None:
        return as_utf8, "utf-8"
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        encoding = _normalise(best.encoding) or best.encoding
        text = _strict(data, encoding)
        if text is not None:
            return text, encoding
    return data.decode("gb18030", errors="replace"), "gb18030"
