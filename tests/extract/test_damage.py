"""The damage real report texts carry (bench.damage) leaves the figures of every seed and
dev report as they are in the clean text: hard wraps at a page's margin, spaces around
numbers, page footers mid-sentence, full-width digits, thousands grouped with commas,
numbers restated in 万, letter-spaced characters, traditional characters, years in Chinese
digits, zero-width spaces, blank lines removed or doubled, round trips through a PDF of
indented paragraphs, a Word document and a CMS page."""

from __future__ import annotations

import pytest

from bench.damage import TRANSFORMS, clean_corpus, damage_of

INVARIANT = (
    "hard-wrapped at 60 columns",
    "hard-wrapped at 80 columns",
    "spaces around numbers",
    "page footers mid-sentence",
    "full-width digits",
    "thousands grouped",
    "counts and amounts in 万",
    "CJK letter-spaced",
    "traditional characters",
    "years in Chinese digits",
    "zero-width spaces",
    "blank lines removed",
    "a blank line after every line",
    "indented paragraphs, PDF round trip",
    "Word round trip",
    "HTML page round trip",
)


@pytest.fixture(scope="module")
def documents():
    return clean_corpus()


@pytest.mark.parametrize("name", INVARIANT)
def test_damage_changes_no_figure(documents, name):
    damage = damage_of(documents, TRANSFORMS[name])
    assert damage.figures > 250
    assert (damage.lost, damage.added, damage.documents_changed) == (0, 0, [])


def test_each_damage_reaches_the_documents_it_can(documents):
    """So an unchanged figure count means robustness, not a transform that did nothing: two
    documents hold only tables and short lines to wrap; 14 state a number of five or more
    digits, 8 one in 人, 人次, 名 or 元; 11 have blank lines to remove."""
    changed = {
        name: sum(transform(doc.text) != doc.text for doc, _ in documents)
        for name, transform in TRANSFORMS.items()
        if not name.endswith("round trip")  # a parse may give back the very text: no damage
    }
    assert len(documents) == 25
    assert changed.pop("thousands grouped") == 14
    assert changed.pop("counts and amounts in 万") == 8
    assert changed.pop("blank lines removed") == 11
    assert all(count >= 23 for count in changed.values()), changed
