"""Numbers as reports write them, in base units."""

import pytest

from edufig.extract.numbers import find_quantities
from edufig.extract.textview import make_view


def only(text: str):
    found = find_quantities(make_view(text).text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("完成一般公共预算教育支出473813.97万元", 4738139700.0, "yuan"),
        ("累计投入5,898万元进行教育信息化建设", 58980000.0, "yuan"),
        ("全区公共财政预算教育经费为 73618 万元", 736180000.0, "yuan"),
        ("固定资产实际完成投资16.0546亿元", 1605460000.0, "yuan"),
        ("普通高中生均增长5.17 %", 5.17, "percent"),
        ("资助学生991047人次", 991047.0, "person_time"),
        ("专任教师2991名", 2991.0, "person"),
        ("在园幼儿75.22万人", 752200.0, "person"),
        ("全区在册幼儿园100所", 100.0, "count"),
        ("小学生师比17.2:1", 17.2, "ratio"),
        ("全年总投入２，１８６，４７３万元", 21864730000.0, "yuan"),
        ("每年解决不低于七十人的特岗教师", 70.0, "person"),
        ("累计招聘教师一千二百名", 1200.0, "person"),
        ("新增学位两万余个", 20000.0, "count"),
    ],
)
def test_values_and_units(text, value, unit):
    quantity = only(text)
    assert quantity.value == pytest.approx(value)
    assert quantity.unit == unit


def test_percent_and_points_are_different_units():
    found = find_quantities("增长2.54%,较上年提升29.9个百分点")
    assert [(q.value, q.unit) for q in found] == [(2.54, "percent"), (29.9, "points")]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("发放生源地信用助学贷款约2300万元", "approx"),
        ("新增学位近10000个", "approx"),
        ("新增幼儿入园园位2000多个", "approx"),
        ("毕业生就业率达96%以上", "at_least"),
        ("受训帮扶人数逾5万人次", "at_least"),
        ("培育不低于600名", "at_least"),
        ("班额不超过45人", "at_most"),
        ("专任教师2991名", "exact"),
    ],
)
def test_qualifiers(text, qualifier):
    assert only(text).qualifier == qualifier


@pytest.mark.parametrize(
    "text",
    ["2021年", "第十二批6", "1—2所", "1000元/人·月", "一所学校", "鄂教督室函20216号"],
)
def test_not_quantities(text):
    assert find_quantities(make_view(text).text) == []
