"""Years, periods, targets and the document's own year."""

from edufig.extract.periods import document_year, find_year_marks, subject_year


def marks(text: str, doc_year: int | None = 2022):
    return [(m.year, m.period_start, m.target) for m in find_year_marks(text, doc_year)]


def test_plain_year_and_end_of_year():
    assert marks("2021年完成") == [(2021, None, False)]
    assert marks("至2020年底,全区") == [(2020, None, False)]


def test_target_year_after_the_document():
    assert marks("到2025年,培育600名以上") == [(2025, None, True)]


def test_school_year_and_ranges():
    assert marks("2018-2019学年,全区") == [(2019, 2018, False)]


def test_plan_periods():
    assert marks("“十三五”期间累计") == [(2020, 2016, False)]
    assert marks("“十四五”时期") == [(2025, 2021, True)]
    since = find_year_marks("“十三五”以来,累计", 2019)[0]
    assert (since.year, since.period_start) == (None, 2016)


def test_relative_periods():
    near = find_year_marks("近三年来,已招聘229人", 2020)[0]
    assert (near.relative, near.lasting) == (3, 0)
    lasting = find_year_marks("5年间,全区招聘教师234名", 2022)[0]
    assert (lasting.relative, lasting.lasting) == (0, 5)


def test_dates_and_citations_are_not_context():
    assert marks("2022年8月17日") == []
    assert marks("《规划(2021—2025年)》") == []
    assert marks("(鄂办文〔2020〕25号)") == []


def test_comparison_bases_do_not_carry():
    (mark,) = find_year_marks("较2015年教育投入的6.86亿元", 2022)
    assert mark.compared and not mark.carries


def test_document_year_prefers_the_year_a_report_is_about():
    assert document_year("关于2022年全市教育经费执行情况的统计公告\n…", "2024-02-22") == 2022
    assert document_year("某县“十四五”教育发展规划\n…", "2022-12-13") == 2022
    assert document_year("正文……\n普洱市教育体育局 2023年7月12日 (联系人)", None) == 2023
    assert subject_year("三台县人民政府关于2020年度履行教育职责情况的自评报告", 2021) == 2020
    assert subject_year("2023年规划", 2022) is None
