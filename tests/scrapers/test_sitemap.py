"""Sitemap lastmods: the forms sites write, read as instants."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapers.sitemap import lastmod_seconds, sitemap_lastmods

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://jyj.example.gov.cn/col/t20240501_1.html</loc><lastmod>2024-05-01</lastmod></url>
  <url><loc> /col/t20240502_2.html </loc><lastmod>2024-05-02T10:00:00Z</lastmod></url>
  <url><loc>/col/t20240503_3.html</loc></url>
  <url><loc>/col/t20240504_4.html</loc><lastmod>last week</lastmod></url>
</urlset>"""


def test_entries_with_a_lastmod_by_absolute_url():
    found = sitemap_lastmods(SITEMAP, "https://jyj.example.gov.cn/sitemap.xml")
    assert found == {
        "https://jyj.example.gov.cn/col/t20240501_1.html": datetime(
            2024, 4, 30, 16, tzinfo=UTC
        ).timestamp(),
        "https://jyj.example.gov.cn/col/t20240502_2.html": datetime(
            2024, 5, 2, 10, tzinfo=UTC
        ).timestamp(),
    }


def test_a_lastmod_without_a_zone_is_china_time():
    assert lastmod_seconds("2024-05-01T08:00:00") == datetime(2024, 5, 1, tzinfo=UTC).timestamp()
    assert lastmod_seconds("2024-05-01T08:00:00+00:00") == lastmod_seconds("2024-05-01T16:00:00")
    assert lastmod_seconds("") is None
