"""The publishing government and its GB/T 2260 code."""

from edufig.core.records import ParsedDocument
from edufig.extract import extract_figures
from edufig.extract.publisher_region import document_region

BODY = "2021年,全区在校生5406人。"


def doc(text: str, **meta) -> ParsedDocument:
    return ParsedDocument(doc_id="r", text=text, sha256="", **meta)


def test_registry_region_wins():
    found = doc("太原市杏花岭区人民政府\n" + BODY, region_name="东城区", region_code="110101")
    assert document_region(found) == ("东城区", "110101")


def test_region_from_the_title_line():
    name, code = document_region(doc("太原市杏花岭区人民政府 关于印发规划的通知\n" + BODY))
    assert (name, code) == ("杏花岭区", "140107")


def test_anonymised_district_with_one_candidate_in_the_named_prefecture():
    text = "工作汇报\n***区人民政府\n制定了《定西市***教师培养培训发展规划》。\n" + BODY
    assert document_region(doc(text)) == ("安定区", "621102")


def test_anonymised_county_with_several_candidates_stays_null():
    text = "工作汇报\n***县人民政府\n落实《定西市教育发展规划》。\n" + BODY
    assert document_region(doc(text)) == (None, None)


def test_figures_carry_the_region():
    (figure,) = extract_figures(doc("潜江市履行教育职责自评报告\n2021年,全市在校生5406人。"))
    assert (figure.region, figure.region_code) == ("潜江市", "429005")


def test_the_prefecture_written_before_the_mask_is_the_clue():
    text = (
        "工作汇报\n***区人民政府\n组织教师考察杭州市名校名园。"
        "制定了《定西市***教师培养培训发展规划》。\n" + BODY
    )
    assert document_region(doc(text)) == ("安定区", "621102")


def test_a_figure_whose_clause_names_a_division_under_the_publisher_is_that_divisions():
    text = "全州共有普通高中24所。其中大姚县普通高中2所,武定县3所。"
    figures = extract_figures(doc(text, region_name="楚雄彝族自治州", region_code="532300"))
    assert [(f.value, f.region, f.region_code) for f in figures] == [
        (24.0, "楚雄彝族自治州", "532300"),
        (2.0, "大姚县", "532326"),
        (3.0, "武定县", "532329"),
    ]
