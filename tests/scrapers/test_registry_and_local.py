"""The sources registry (validation errors name file, entry and field) and local ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edufig.core.config import Settings
from edufig.core.records import ParsedDocument
from scrapers.local import ingest_corpus
from scrapers.mirror import SITES_DIR
from scrapers.parse_stage import parse_archive
from scrapers.registry import PRODUCTION_SOURCES, RegistryError, load_sources
from tests.conftest import SEEDS_DIR

ENTRY = """
sources:
  - name: demo
    publisher: 某县教育局
    region: {{name: 潜江市, code: "{code}", province: 湖北省}}
    start_urls: ["${{base}}/col/index.html"]
    article_pattern: '{pattern}'
    include: [履行教育职责]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_production_registry_covers_the_seed_publishers() -> None:
    sources = {s.name: s for s in load_sources(PRODUCTION_SOURCES)}
    codes = sorted(s.region.code for s in sources.values() if s.region.code)
    assert codes == ["140107", "429005", "530800", "532300"]
    assert sources["fanwen-unknown"].region.code is None
    assert not sources["fanwen-unknown"].enabled
    assert all(s.crawl_delay >= 1 for s in sources.values())


def test_substitution_and_title_filter(tmp_path: Path) -> None:
    path = write(tmp_path, ENTRY.format(code="429005", pattern=r"/t\d+\.html$"))
    (source,) = load_sources(path, {"base": "http://127.0.0.1:9"})
    assert source.start_urls == ["http://127.0.0.1:9/col/index.html"]
    assert source.allowed_hosts == ["127.0.0.1:9"]
    assert source.wants("潜江市履行教育职责自评报告")
    assert not source.wants("潜江市教育局开展校园安全检查")


def test_mirror_registry_resolves_to_loopback() -> None:
    sites = ["chuxiong", "qianjiang", "puer", "wenku", "xinghualing", "kunming"]
    ports = {name: f"http://127.0.0.1:{n + 1}" for n, name in enumerate(sites)}
    sources = load_sources(SITES_DIR / "sources.yaml", ports)
    assert {s.name: s.allowed_hosts for s in sources}["puer-jtj"] == ["127.0.0.1:3"]
    with pytest.raises(RegistryError, match=r"entry 0 \(xinghualing-jyty\): field start_urls"):
        load_sources(SITES_DIR / "sources.yaml", {"chuxiong": "http://127.0.0.1:1"})


@pytest.mark.parametrize(
    ("code", "pattern", "message"),
    [
        (
            "999999",
            "/t",
            "entry 0 (demo): field region.code: '999999' is not a GB/T 2260 division code",
        ),
        (
            "530800",
            "/t",
            "entry 0 (demo): field region.name: '潜江市' does not match code 530800 (普洱市)",
        ),
        ("429005", "/t(", "entry 0 (demo): field article_pattern: Value error, invalid regular"),
    ],
)
def test_invalid_entries_name_file_entry_and_field(
    tmp_path: Path, code: str, pattern: str, message: str
) -> None:
    path = write(tmp_path, ENTRY.format(code=code, pattern=pattern))
    with pytest.raises(RegistryError) as error:
        load_sources(path, {"base": "http://127.0.0.1:9"})
    assert str(error.value).startswith(f"{path}: {message}")


def test_missing_field_and_unsafe_yaml(tmp_path: Path) -> None:
    path = write(
        tmp_path, "sources:\n  - name: demo\n    publisher: x\n    start_urls: [http://a/]\n"
    )
    with pytest.raises(
        RegistryError, match=r"entry 0 \(demo\): field article_pattern: Field required"
    ):
        load_sources(path)
    path = write(tmp_path, "sources: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(RegistryError, match="not valid YAML"):
        load_sources(path)


def test_local_corpus_ingest_reports_corrupt_files_and_lands_the_rest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in SEEDS_DIR.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    shutil.copy(SITES_DIR / "puer/attach/0/7a3c5e9d2b14f08e6c1d.pdf", corpus / "puer_reply.pdf")
    (corpus / "junk.html").write_bytes(bytes(range(256)) * 4)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "cut.pdf").write_bytes((corpus / "puer_reply.pdf").read_bytes()[:900])
    settings = Settings(warehouse=tmp_path / "data" / "warehouse.duckdb")

    archived = ingest_corpus(settings, corpus)
    assert archived.counts == {"fetched": 9, "archived": 9, "files_unchanged": 0, "failed": 0}
    result = parse_archive(settings)
    counts = ("documents", "new", "unchanged", "failed")
    assert {k: result.counts[k] for k in counts} == {
        "documents": 9,
        "new": 6,
        "unchanged": 0,
        "failed": 3,
    }
    failed = sorted(e.split(": ")[0].rsplit("/", 1)[1] for e in result.errors)
    assert failed == ["cut.pdf", "empty.txt", "junk.html"]
    assert any("corrupt PDF" in e for e in result.errors)
    seed = ParsedDocument.load(settings.parsed_dir / "000_8ec6747b4fd94863.json")
    assert "473813.97万元" in seed.text and seed.url.startswith("file://")
    reply = ParsedDocument.load(settings.parsed_dir / "puer_reply.json")
    assert "积极筹措19亿元资金" in reply.text
    junk = ParsedDocument.load(settings.parsed_dir / "junk.json")
    assert junk.parse_status == "failed" and "binary" in junk.parse_error

    assert ingest_corpus(settings, corpus).counts["files_unchanged"] == 9
    again = parse_archive(settings)
    assert (again.counts["new"], again.counts["unchanged"], again.counts["failed"]) == (0, 9, 3)
    assert any(e.endswith("empty content (unchanged since the last run)") for e in again.errors)
    (corpus / "002_314c944275f2f8a4.txt").write_text("改过的报告\n教育经费1万元", encoding="utf-8")
    assert ingest_corpus(settings, corpus).counts["archived"] == 1
    third = parse_archive(settings)
    assert (third.counts["new"], third.counts["unchanged"]) == (1, 8)
    assert len((settings.archive_dir / "fetches.jsonl").read_text().splitlines()) == 27
