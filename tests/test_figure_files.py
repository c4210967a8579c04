"""The per-document figure files that hand extraction over to loading."""

import pytest

from edufig.core.figure_files import read_figure_file, read_figure_meta, write_figure_file
from edufig.core.records import Figure


def _figure() -> Figure:
    return Figure(
        "d1", "full_time_teachers", "all", 2021, None, "actual", 2991.0, "person", "exact",
        None, None, "潜江市", "429005", "专任教师2991名", 0, 9,
    )  # fmt: skip


def test_meta_is_read_from_the_first_line_alone(tmp_path):
    path = tmp_path / "d1.jsonl"
    meta = {"doc_id": "d1", "sha256": "abc", "extractor_version": "1"}
    write_figure_file(path, meta, [_figure()])
    assert read_figure_meta(path) == meta
    stored_meta, figures = read_figure_file(path)
    assert stored_meta == meta and figures[0]["value"] == 2991.0


def test_missing_file_has_no_meta_and_a_broken_one_names_itself(tmp_path):
    assert read_figure_meta(tmp_path / "absent.jsonl") == {}
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.jsonl:1"):
        read_figure_meta(broken)
