"""Any input: no crash, valid records, no figures without numbers, linear growth."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edufig.core.catalog import load_metrics
from edufig.core.records import KINDS, LEVELS, QUALIFIERS
from tests.conftest import SEEDS_DIR
from tests.extract.support import extract

CHINESE_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
NUMERALS = re.compile(rf"[\d{CHINESE_NUMERALS}]")
REPORT_ALPHABET = list(
    "0123456789０１２.,，;；:：、。%％() |\n年月日万亿元人次名所个以上约近余多同比增长下降百分点"
    "十三五四期间以来到至底学前幼儿园小学初中高中义务教育生均一般公共预算经费专任教师在校生"
    "毛入园率巩固率资助资金学位其中分别为较上年的达"
)


def assert_valid(text: str) -> None:
    for figure in extract(text):
        assert figure.metric in load_metrics()
        assert figure.level in LEVELS and figure.kind in KINDS and figure.qualifier in QUALIFIERS
        assert 0 <= figure.start <= figure.end <= len(text)
        assert text[figure.start : figure.end].strip() in figure.text
        assert figure.text in text
        assert figure.value == figure.value  # not NaN


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_unicode_is_safe(text):
    assert_valid(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=REPORT_ALPHABET, max_size=300))
def test_report_like_noise_is_safe(text):
    assert_valid(text)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Nd", "Nl", "No"), blacklist_characters=CHINESE_NUMERALS
        )
    )
)
def test_no_numbers_no_figures(text):
    assert not NUMERALS.search(text)
    assert extract(text) == []


def test_empty_and_whitespace_documents():
    assert extract("") == []
    assert extract(" \n\t\u3000") == []


def test_large_text_grows_linearly():
    """A ~5 MB text completes, and four times the text gives four times the figures."""
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt")))
    base = seeds * 10
    small = extract(base)
    large = extract(base * 4)
    assert len(base.encode()) * 4 > 4_500_000
    assert len(small) > 100
    assert len(large) == 4 * len(small)


@pytest.mark.slow
def test_text_without_punctuation_stays_linear():
    """A table dump or noise with no sentence or clause marks: every figure, nothing else."""
    unit = "专任教师123人 小学在校生456人 近三年新增学位300个 "
    small = extract(unit * 1500)
    large = extract(unit * 6000)
    assert {(f.metric, f.value) for f in small} == {
        ("full_time_teachers", 123.0),
        ("students_enrolled", 456.0),
        ("new_school_places", 300.0),
    }
    assert len(small) == 3 * 1500
    assert len(large) == 4 * len(small)
