"""Subscriptions: the embedded default, the example file, routing, and errors people can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from edufig.alerts.flag_routing import Flag, in_scope
from edufig.alerts.subscriptions import SubscriptionsError, load_subscriptions
from tests.alerts.conftest import flag, write_subscriptions
from tests.conftest import REPO_ROOT


def as_flag(**fields: object) -> Flag:
    return Flag(**flag("f", **fields))


def recipient(tmp_path: Path, body: str):
    path = write_subscriptions(
        tmp_path, f"recipients:\n  - name: R\n{body}    channels: [{{type: outbox}}]\n"
    )
    return load_subscriptions(path).recipients[0]


def test_embedded_default_routes_shanxi_and_yunnan_to_the_outbox() -> None:
    subs = load_subscriptions(None)
    by_province = {r.province_code: r for r in subs.recipients}
    assert {"140000", "530000"} <= set(by_province)
    assert all(c.type == "outbox" for r in subs.recipients for c in r.channels)
    xinghualing = as_flag()
    assert in_scope(by_province["140000"], xinghualing)
    assert not in_scope(by_province["530000"], xinghualing)


def test_example_file_is_valid_and_holds_no_secret_values() -> None:
    path = REPO_ROOT / "config" / "subscriptions.example.yaml"
    subs = load_subscriptions(path)
    taiyuan = next(r for r in subs.recipients if r.name == "太原市教育局")
    assert taiyuan.region_codes == {"140100", "140107"}
    assert "access_token=" not in path.read_text(encoding="utf-8")


def test_narrowing_by_county_prefecture_domain_and_severity(tmp_path: Path) -> None:
    county = recipient(tmp_path, "    province: 140000\n    counties: ['140107']\n")
    assert in_scope(county, as_flag())
    assert not in_scope(county, as_flag(region_code="140105", region_name="小店区"))
    prefecture = recipient(tmp_path, "    province: 山西\n    prefectures: [大同市]\n")
    assert not in_scope(prefecture, as_flag())
    assert in_scope(prefecture, as_flag(region_code="140213", region_name="平城区"))
    staffing = recipient(tmp_path, "    province: 山西省\n    domains: [staffing]\n")
    assert not in_scope(staffing, as_flag())
    assert in_scope(staffing, as_flag(metric="full_time_teachers"))
    errors_only = recipient(tmp_path, "    province: 山西\n    min_severity: error\n")
    assert in_scope(errors_only, as_flag(severity="error"))
    assert not in_scope(errors_only, as_flag(severity="warning"))


def test_flag_without_region_code_routes_by_province_name(tmp_path: Path) -> None:
    shanxi = recipient(tmp_path, "    province: 山西\n")
    assert in_scope(shanxi, as_flag(region_code=None, province="山西省"))
    assert not in_scope(shanxi, as_flag(region_code=None, province="云南省"))
    assert not in_scope(shanxi, as_flag(region_code=None, province=None))


BAD = """\
recipients:
  - name: 山西
    province: 山西
    counties: [城区]
    channels: [{type: email, address: not-an-address}]
  - name: 火星
    province: 火星
    domains: [sports]
    channels:
      - {type: dingtalk, webhook: "https://oapi.dingtalk.com/robot/send?access_token=abc"}
      - {type: sms}
"""


def test_errors_name_the_file_the_entry_and_the_field(tmp_path: Path) -> None:
    path = write_subscriptions(tmp_path, BAD)
    with pytest.raises(SubscriptionsError) as info:
        load_subscriptions(path)
    lines = str(info.value).splitlines()
    assert lines[0] == f"{path}: invalid subscriptions"
    text = "\n".join(lines)
    assert "recipients[0] (山西).counties: Value error, county '城区' is ambiguous" in text
    assert "(140502, 140302)" in text
    assert "recipients[0] (山西).channels[0].address: value is not a valid email" in text
    assert "recipients[1] (火星).province: Value error, unknown province '火星'" in text
    assert "recipients[1] (火星).domains: Value error, unknown metric domain(s) ['sports']" in text
    assert "recipients[1] (火星).channels[0].webhook: Value error, a webhook URL carries" in text
    assert "recipients[1] (火星).channels[1]: Input tag 'sms'" in text


def test_secret_reference_needs_exactly_one_source(tmp_path: Path) -> None:
    path = write_subscriptions(
        tmp_path,
        "recipients:\n  - name: R\n    province: 云南\n    channels:\n"
        "      - {type: wecom, webhook: {secret_env: A_B, airflow_conn: c}}\n",
    )
    with pytest.raises(SubscriptionsError, match=r"channels\[0\].webhook: .*exactly one"):
        load_subscriptions(path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("recipients: [", "not valid YAML"),
        ("- just a list\n", "expected a mapping"),
        (
            "recipients:\n  - name: A\n    province: 云南\n    channels: [{type: outbox}]\n"
            "  - name: A\n    province: 山西\n    channels: [{type: outbox}]\n",
            "repeated: ['A']",
        ),
        ("recipients: []\nextra: 1\n", "extra: Extra inputs are not permitted"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, problem: str) -> None:
    path = write_subscriptions(tmp_path, text)
    with pytest.raises(SubscriptionsError, match=str(path)) as info:
        load_subscriptions(path)
    assert problem in str(info.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SubscriptionsError, match=r"nope\.yaml: cannot read"):
        load_subscriptions(tmp_path / "nope.yaml")
