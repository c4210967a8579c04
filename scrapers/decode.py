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
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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


def decode_bytes(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The text and the encoding that produced it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
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
