"""Normalisation keeps offsets pointing into the document's own text."""

from edufig.extract.textview import make_view
from tests.extract.support import extract


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
    assert text[view.source_offset(start) : view.source_end(end)] == "國家助學(xué)金"


def test_plain_simplified_text_is_untouched():
    text = "2020年,全区教育投入10.29亿元(其中,财政性投入8.85亿元)"
    view = make_view(text)
    assert view.text == text
    assert view.source_offset(len(text)) == len(text)


def test_lone_spaces_a_pdf_puts_around_numbers_go_and_map_back():
    text = "2021 年,全市普通高中在校生 35621 人,比上年增长 3.2 %,专任教师  2870  人"
    view = make_view(text)
    assert view.text.startswith("2021年,全市普通高中在校生35621人,比上年增长3.2%,")
    assert view.text.endswith("专任教师  2870  人")  # a run of spaces may part columns
    start = view.text.index("35621人")
    end = start + len("35621人")
    assert text[view.source_offset(start) : view.source_end(end)] == "35621 人"
    assert text[view.source_offset(0) : view.source_end(4)] == "2021"


def test_numbers_spaced_by_pdf_conversion_are_read_with_their_year_and_unit():
    (students,) = extract("2019 年末,全县普通高中在校生 12345 人。")
    assert (students.metric, students.level, students.year, students.value) == (
        "students_enrolled",
        "general_senior_secondary",
        2019,
        12345.0,
    )


def test_letter_spaced_characters_of_a_justified_pdf_line_close_up():
    text = "全 县 普 惠 性 幼 儿 园 覆 盖 率 达 到 86.5%"
    assert make_view(text).text == "全县普惠性幼儿园覆盖率达到86.5%"
    words = "专任教师 1230人 小学 在校生 4560人 初中 在校生 3120人"  # a dump's cells stay apart
    assert make_view(words).text == "专任教师1230人 小学 在校生4560人 初中 在校生3120人"
    (share,) = extract(text)
    assert (share.metric, share.value) == ("inclusive_kindergarten_share", 86.5)


def test_traditional_text_keeps_the_characters_simplified_text_uses_too():
    text = "2021年全縣學前教育發展,普惠性幼兒園覆蓋率達到88%,教育經費顯著增長,為歷年最高。"
    view = make_view(text).text
    assert "普惠性幼儿园覆盖率达到88%" in view and "显著增长" in view
    (share,) = extract(text)
    assert (share.metric, share.year, share.value) == ("inclusive_kindergarten_share", 2021, 88.0)


def test_years_in_chinese_digits_read_as_years():
    text = "二〇二二年全县小学在校生10480人,比二〇二一年增加215人,一九九八年建校。"
    view = make_view(text)
    assert view.text == "2022年全县小学在校生10480人,比2021年增加215人,1998年建校。"
    (pupils,) = [f for f in extract(text) if f.value == 10480.0]
    assert (pupils.metric, pupils.level, pupils.year) == ("students_enrolled", "primary", 2022)


def test_invisible_characters_go_before_the_damage_rules_look():
    text = "\ufeff全县教\u200b育经费投入12345\u200b\n万元,学(\u200bxué)校"
    view = make_view(text)
    assert view.text == "全县教育经费投入12345万元,学校"
    start = view.text.index("12345")
    assert text[view.source_offset(start) : view.source_end(start + 7)] == "12345\u200b\n万元"
    assert text[view.source_offset(0) : view.source_end(2)] == "全县"


def test_traditional_yu_reads_as_the_standard_simplified_character():
    text = "全縣學校教職工9800餘人,其中專任教師8653人,國家級骨幹教師二十餘人,會議資料。"
    assert "教职工9800余人" in make_view(text).text
