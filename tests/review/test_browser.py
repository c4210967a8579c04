"""The review loop in a real browser: from a digest's link to the warehouse's next run.

The tests run in file order on one site: reviewers act first, then the pipeline reruns and
the last tests check what the run learnt from them.
"""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from playwright.sync_api import expect

from edufig.review.store import DecisionStore, decisions_path
from tests.review.conftest import SCREENSHOTS, SECRET

pytestmark = pytest.mark.slow

SHANXI = "山西省教育厅"
FALLBACK = "数据质量值班"
PRESCHOOL = "学前三年毛入园率"
RETENTION = "九年义务教育巩固率"


def flag_id_of(link_page_url: str) -> str:
    return link_page_url.rstrip("/").rsplit("/flags/", 1)[1].split("?")[0]


def screenshot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def test_digest_link_lands_on_the_flag_with_its_evidence_highlighted_in_the_document(site, page):
    page.goto(site.link_to(SHANXI, "杏花岭区", PRESCHOOL))
    assert "/flags/" in page.url and "/r/" not in page.url  # the token leaves the address bar
    assert page.locator("h1").first.inner_text() == f"太原市杏花岭区 · {PRESCHOOL}"
    assert "出现了两个或更多互不相同的数值" in page.locator(".explain").inner_text()
    assert page.locator(".computation").inner_text() == "98.5%、98.91%"
    marks = page.locator(".evidence mark.current")
    texts = [" ".join(t.split()) for t in marks.all_inner_texts()]
    assert len(texts) == 2
    assert "学前三年毛入园率达98.5%" in texts[0] + texts[1]
    assert "98.91" in texts[0] + texts[1]
    for n in range(marks.count()):  # each box is scrolled so its sentence is in view
        box = page.locator(".evidence .doctext").nth(n)
        assert box.evaluate("b => b.scrollTop") > 0
        inner, outer = marks.nth(n).bounding_box(), box.bounding_box()
        assert outer["y"] <= inner["y"] < outer["y"] + outer["height"]
    archive = page.get_by_role("link", name="归档副本").first.get_attribute("href")
    response = page.request.get(site.base_url + archive)
    assert response.status == 200 and "sandbox" in response.headers["content-security-policy"]
    assert "学前三年毛入园率达98.5%" in response.text()
    screenshot(page, "flag.png")


def test_a_script_in_scraped_evidence_renders_as_text(site, page):
    page.goto(site.link_to(SHANXI, "小店区", PRESCHOOL))
    assert "<script>document.title='pwned'</script>" in page.locator(".evidence").first.inner_text()
    assert "pwned" not in page.title()
    original = page.get_by_role("link", name="原文网址").first.get_attribute("href")
    assert original == "http://www.xiaodian.gov.cn/zwgk/jyj/202303/t20230301_1.html"
    sources = page.eval_on_selector_all("script", "all => all.map(s => s.src || s.textContent)")
    assert sources == [site.base_url + "/static/review.js"]


def test_tampered_expired_and_foreign_links_are_refused(site, page):
    link = site.link_to(SHANXI, "杏花岭区", RETENTION)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    response = page.goto(tampered)
    assert response.status == 403 and "签名不符" in page.locator("#error").inner_text()

    class SixteenDaysAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 16 * 86400

    old = URLSafeTimedSerializer(SECRET, salt="edufig-review-link", signer=SixteenDaysAgo)
    token = old.dumps({"r": SHANXI, "p": "140000", "f": None})
    response = page.goto(f"{site.base_url}/r/{token}")
    assert response.status == 403 and "已过期" in page.locator("#error").inner_text()

    response = page.goto(f"{site.base_url}/inbox")  # no session: nothing readable
    assert response.status == 403
    page.goto(link)  # a 山西 reviewer cannot open a 河南 flag
    ((henan,),) = site.query("SELECT min(flag_id) FROM dq.dq_flags WHERE province = '河南省'")
    response = page.goto(f"{site.base_url}/flags/{henan}")
    assert response.status == 403 and "本省" in page.locator("#error").inner_text()


def test_state_changes_need_the_session_csrf_token(site, page):
    page.goto(site.link_to(SHANXI, "杏花岭区", RETENTION))
    action = page.locator("#confirm form").get_attribute("action")
    store = DecisionStore(decisions_path(site.settings))
    before = len(store.all())
    forged = page.request.post(
        site.base_url + action, form={"action": "confirm", "csrf_token": "guessed"}
    )
    assert forged.status == 403
    anonymous = page.context.browser.new_context().request.post(
        site.base_url + action, form={"action": "confirm"}
    )
    assert anonymous.status == 403
    assert len(store.all()) == before


def test_inbox_at_phone_width_lists_the_province_flags_with_counts(site, phone):
    phone.goto(site.link_to(SHANXI, "杏花岭区", RETENTION))
    phone.goto(site.base_url + "/inbox")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shanxi = site.query(
        "SELECT count(*), count(*) FILTER (WHERE severity = 'error') FROM dq.dq_flags"
        " WHERE province = '山西省'"
    )
    (n_flags, n_errors) = shanxi[0]
    titles = phone.locator(".flags .flag strong").all_inner_texts()
    assert len(titles) == n_flags
    assert {
        f"太原市杏花岭区 · {PRESCHOOL}",
        f"太原市杏花岭区 · {RETENTION}",
        f"太原市小店区 · {PRESCHOOL}",
    } <= set(titles)
    assert phone.locator("#counts").inner_text().startswith(f"{n_flags} 待处理")
    phone.select_option("select[name=severity]", "error")
    phone.click("button[type=submit]")
    assert phone.locator(".flags .flag").count() == n_errors
    assert "severity=error" in phone.url
    screenshot(phone, "inbox.png")


def test_region_page_charts_each_series_with_points_linked_to_evidence(site, page):
    page.goto(site.link_to(SHANXI, "杏花岭区", RETENTION))
    page.goto(site.base_url + "/regions/140107")
    assert (
        page.locator("h1").inner_text() == "太原市杏花岭区 历年数据"
        or "杏花岭区" in page.locator("h1").inner_text()
    )
    charts = page.locator("figure.chart")
    assert charts.count() >= 5
    conflict = page.locator("circle.pt.conflict.flagged")
    assert conflict.count() >= 1  # the open 2020 preschool conflict is marked
    href = page.locator("svg a").first.get_attribute("href")
    page.goto(site.base_url + href)
    fragment = href.split("#", 1)[1]
    linked = page.locator(f"#{fragment} ~ mark.current")
    assert linked.count() == 1 and linked.is_visible()
    page.go_back()
    screenshot(page, "region.png", full_page=False)


def test_document_page_highlights_every_extracted_figure(site, page):
    page.goto(site.link_to(SHANXI, "小店区", PRESCHOOL))
    page.get_by_role("link", name="全文及全部数值").first.click()
    assert page.locator("#figure-count").inner_text() == "2"
    marks = page.locator(".doctext mark")
    assert marks.count() == 2
    hover = marks.first.get_attribute("title")
    assert re.search(
        r"学前三年毛入园率 · 学前教育 · 2022年 · 实际值 · 95\.5% · 置信度 [01]\.\d\d", hover
    )


def decide(page, link: str, section: str, fill) -> str:
    page.goto(link)
    flag_id = flag_id_of(page.url)
    page.click(f"#{section} summary")
    fill(page.locator(f"#{section} form"))
    page.locator(f"#{section} form button[type=submit]").click()
    expect(page.locator("#saved")).to_be_visible()  # click returns before the redirect lands
    return flag_id


def test_reviewer_dismisses_marks_misread_and_corrects(site, page):
    store = DecisionStore(decisions_path(site.settings))

    def dismiss(form):
        form.locator("input[value=expected]").check()

    def misread(form):
        form.locator("input[value=misread]").check()
        form.locator("label.choice", has_text="98.91%").locator("input").check()  # the table's

    def correct(form):
        form.locator("input[name=corrected_value]").fill("99.64")
        form.locator("input[name=correction_source]").fill("杏花岭区2020年教育统计公报")

    dismissed = decide(page, site.link_to(SHANXI, "小店区", PRESCHOOL), "dismiss", dismiss)
    misread_flag = decide(page, site.link_to(SHANXI, "杏花岭区", PRESCHOOL), "dismiss", misread)
    corrected = decide(page, site.link_to(SHANXI, "杏花岭区", RETENTION), "correct", correct)
    latest = store.latest()
    assert latest[dismissed].reason == "expected" and latest[dismissed].reviewer == SHANXI
    assert latest[misread_flag].reason == "misread" and latest[misread_flag].figure_id
    assert latest[corrected].corrected_value == 99.64
    assert "已驳回" in page.goto(site.base_url + "/inbox?status=all").text()


def test_next_run_learns_from_the_reviewers(site):
    sent_before = len(site.digests()[SHANXI])
    proc = site.run_pipeline()
    assert len(site.digests()[SHANXI]) == sent_before  # no second alert
    # the dismissed and the corrected flag are still raised; the misread one is gone
    assert "not re-sent after review: 2" in proc.stdout, proc.stdout

    misread = site.query(
        "SELECT figure_id, value_as_read, reviewer FROM marts.fct_extraction_corrections"
    )
    assert [(v, r) for _, v, r in misread] == [(98.91, SHANXI)]
    in_marts = site.query(
        "SELECT count(*) FROM marts.fct_attainment WHERE figure_id = ?", [misread[0][0]]
    )
    assert in_marts == [(0,)]
    best = site.query(
        "SELECT value, value_source, document_value, reviewed_by, reviewed_on, correction_source"
        " FROM marts.fct_best_value WHERE region_code = '140107' AND year = 2025"
        " AND metric = 'compulsory_retention_rate' AND kind = 'target'"
    )
    assert best == [(99.64, "review", 99.7, SHANXI, date.today(), "杏花岭区2020年教育统计公报")]


def test_unassigned_flags_reach_the_fallback_and_its_view(site, page):
    subscribed = ("山西省", "云南省", "湖北省")  # edufig/alerts/default_subscriptions.yaml
    unassigned = site.query(
        "SELECT region_name, metric_name_zh FROM dq.dq_flags WHERE province NOT IN (?, ?, ?)",
        list(subscribed),
    )
    assert ("金水区", PRESCHOOL) in unassigned
    assert f"flags without a subscriber: {len(unassigned)}" in site.runs[0].stdout
    page.goto(site.link_to(FALLBACK, "金水区", PRESCHOOL))
    assert page.locator("h1").first.inner_text() == f"郑州市金水区 · {PRESCHOOL}"
    page.goto(site.base_url + "/inbox")
    assert page.locator("#counts a.warn").inner_text() == f"{len(unassigned)} 无人订阅"
    page.click("#counts a.warn")
    titles = page.locator(".flags .flag strong").all_inner_texts()
    assert f"郑州市金水区 · {PRESCHOOL}" in titles and len(titles) == len(unassigned)


def test_data_docs_are_served_to_engineers_with_local_assets_only(site, page):
    external = []
    page.on(
        "request", lambda r: None if r.url.startswith(site.base_url) else external.append(r.url)
    )
    page.goto(site.link_to(FALLBACK, "金水区", PRESCHOOL))
    page.goto(site.base_url + "/inbox")
    page.get_by_role("link", name="Data Docs").click()
    page.wait_for_url(site.base_url + "/datadocs/index.html")
    page.wait_for_load_state("networkidle")
    assert external == []
    assert page.evaluate("typeof window.jQuery") == "function"  # the bundled copy loaded
    assert "https://" not in "".join(
        page.eval_on_selector_all("script[src], link[href]", "all => all.map(e => e.src || e.href)")
    )
    shanxi = page.context.browser.new_page()
    shanxi.goto(site.link_to(SHANXI, "小店区", PRESCHOOL))
    assert shanxi.goto(site.base_url + "/datadocs/index.html").status == 403
