"""Normalisation keeps offsets pointing into the document's own text."""

from edufig.extract.textview import make_view


def test_full_width_digits_and_punctuation_keep_length():
    text = "２０２３年预算６，６９３．５万元，增长５％"
    view = make_view(text)
    assert view.text == "2023年预算6,693.5万元,增长5%"
    assert len(view.text) == len(text)


def test_traditional_mirror_text_becomes_simplified_and_maps_back():
    text = "2021年各學(xué)段學(xué)生資助情況統(tǒng)計(jì)表 國家助學(xué)金 27.1 義務(wù)教育"
    view = make_view(text)
    assert "学段学生资助情况统计表" in view.text
    start = view.text.index("国家助学金")
    end = start + len("国家助学金")
    assert text[view.source_offset(start) : view.source_offset(end)] == "國家助學(xué)金"


def test_plain_simplified_text_is_untouched():
    text = "2020年,全区教育投入10.29亿元(其中,财政性投入8.85亿元)"
    view = make_view(text)
    assert view.text == text
    assert view.source_offset(len(text)) == len(text)
