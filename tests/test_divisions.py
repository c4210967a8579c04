"""The division catalog is JioNLP's tree exported as package data: the same divisions,
without loading JioNLP in every stage process."""

from __future__ import annotations

from edufig.core.divisions import (
    DIVISIONS_CSV,
    Division,
    divisions_by_code,
    divisions_from_jionlp,
    load_divisions,
    render_divisions,
)


def test_the_packaged_catalog_is_a_fresh_export_of_jionlp() -> None:
    fresh = divisions_from_jionlp()
    assert DIVISIONS_CSV.read_text(encoding="utf-8") == render_divisions(fresh)
    assert load_divisions() == fresh


def test_divisions_read_back_with_their_hierarchy_and_aliases() -> None:
    by_code = divisions_by_code()
    assert by_code["140107"] == Division(
        "140107", "杏花岭区", "county", "140000", "山西省", "140100", "太原市", ("杏花岭",)
    )
    # a county-level city under its province directly: no prefecture
    assert by_code["429005"] == Division(
        "429005", "潜江市", "county", "420000", "湖北省", None, None, ("潜江",)
    )
    assert by_code["140000"].level == "province" and "山西" in by_code["140000"].aliases
