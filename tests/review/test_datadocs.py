"""Data Docs pages rewritten to local assets; no path outside the Data Docs folder."""

from __future__ import annotations

from edufig.review.datadocs import data_docs_file, localize

GX_HEAD = """<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>
<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png">
<link href="./static/styles/data_docs_custom_styles.css" rel="stylesheet">"""


def test_cdn_assets_become_local_or_disappear():
    page = localize(GX_HEAD)
    assert page.splitlines() == [
        '<link rel="stylesheet" href="/static/vendor/bootstrap.min.css">',
        '<script src="/static/vendor/jquery.min.js"></script>',
        "",
        "",
        '<link href="./static/styles/data_docs_custom_styles.css" rel="stylesheet">',
    ]


def test_only_files_inside_the_data_docs_folder_are_served(tmp_path):
    docs = tmp_path / "docs"
    (docs / "validations").mkdir(parents=True)
    (docs / "index.html").write_text("<p>index</p>", encoding="utf-8")
    (tmp_path / "warehouse.duckdb").write_bytes(b"secret")
    assert data_docs_file(docs, "") == (docs / "index.html").resolve()
    assert data_docs_file(docs, "../warehouse.duckdb") is None
    assert data_docs_file(docs, "/etc/passwd") is None
    assert data_docs_file(docs, "validations") is None
