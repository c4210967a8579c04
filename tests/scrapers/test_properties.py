"""Properties over generated input: parsing untrusted bytes fails only in the documented way."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.parse import UnparseableError, parse_bytes
from scrapers.registry import canonical_url

MAGIC = st.sampled_from(
    [b"", b"%PDF-", b"PK\x03\x04", b"<html><body><div id='zoom'>", b"\xef\xbb\xbf"]
)
HTMLISH = st.text(
    alphabet=st.sampled_from(list("<>/=\"' &;#abcdpt教育经费万元\n\t|")), max_size=300
)


@settings(max_examples=80, deadline=None)
@given(MAGIC, st.binary(max_size=2000))
def test_arbitrary_bytes_parse_or_raise_unparseable(magic: bytes, tail: bytes) -> None:
    try:
        parsed = parse_bytes(magic + tail, "text/html")
    except UnparseableError as exc:
        assert str(exc)
    else:
        assert parsed.text.strip()
        assert parsed.kind in ("html", "text", "pdf", "docx")


@settings(max_examples=80, deadline=None)
@given(HTMLISH)
def test_tag_soup_never_crashes_and_keeps_the_digits(soup: str) -> None:
    try:
        parsed = parse_bytes(
            f"<html><body><div id='zoom'>{soup}<p>473813.97万元</p></div>".encode()
        )
    except UnparseableError:
        return
    assert "473813.97万元" in parsed.text


@given(
    st.sampled_from(["http", "https"]),
    st.sampled_from(["WWW.CXZ.gov.cn", "127.0.0.1:8080", "jyj.example.cn:80"]),
    st.lists(st.sampled_from(["a", "b", "utm_source", "spm", "page"]), max_size=4),
    st.text(alphabet="abc/_-.", max_size=20),
)
def test_canonical_url_is_idempotent_and_drops_tracking(
    scheme: str, host: str, keys: list[str], path: str
) -> None:
    url = f"{scheme}://{host}/{path}?" + "&".join(f"{k}=1" for k in keys) + "#frag"
    once = canonical_url(url, {"127.0.0.1:8080": "site.mirror"})
    assert canonical_url(once) == once
    assert "#" not in once and "utm_source" not in once and "spm=" not in once
    assert "127.0.0.1" not in once


def test_a_page_of_control_characters_only_is_unparseable_not_empty() -> None:
    with pytest.raises(UnparseableError, match="no readable text in this html"):
        parse_bytes(b"<html><body><div id='zoom'>\x01", "text/html")
