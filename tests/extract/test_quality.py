"""Extraction quality on the annotated corpora, scored by `edufig.scoring` as the spec says.

Bars: the issue's on the seeds; on dev and authored, just under what was measured when the
bars were set (1.000 on all three, overall and per domain). Dev was read
while the extractor was developed, so its bar says "no regression", not "generalises";
the authored documents were annotated by someone else from provinces the extractor was not
tuned on.
"""

from pathlib import Path

import pytest

from edufig.extract import extract_figures
from edufig.extract.baseline import baseline_figures
from edufig.scoring import ScoreReport, load_gold, score
from scrapers.parse import parse_file
from tests.conftest import DEV_DIR, GOLD_DIR, SEEDS_DIR

CORPORA = {
    "seeds": (SEEDS_DIR, GOLD_DIR / "seeds", 0.95, 0.90),
    "dev": (DEV_DIR, GOLD_DIR / "dev", 0.97, 0.93),
    "authored": (GOLD_DIR / "authored" / "docs", GOLD_DIR / "authored", 0.97, 0.93),
}


def scored(docs_dir: Path, gold_dir: Path, extractor=extract_figures) -> ScoreReport:
    gold = load_gold(gold_dir)
    predictions = [
        figure.__dict__
        for path in sorted(docs_dir.glob("*.txt"))
        for figure in extractor(parse_file(path))
    ]
    return score(predictions, gold.figures, gold.undecidable, documents=gold.doc_ids)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_f1_overall_and_per_domain(corpus):
    docs_dir, gold_dir, overall_bar, domain_bar = CORPORA[corpus]
    report = scored(docs_dir, gold_dir)
    assert report.overall.tp > 100
    assert report.overall.f1 >= overall_bar, report.overall
    for domain, counts in report.by_domain.items():
        assert counts.f1 >= domain_bar, (domain, counts)


def test_the_extractor_beats_the_nearest_keyword_baseline():
    docs_dir, gold_dir, _, _ = CORPORA["seeds"]
    ours = scored(docs_dir, gold_dir)
    peer = scored(docs_dir, gold_dir, baseline_figures)
    assert peer.overall.tp > 20
    assert ours.overall.f1 > peer.overall.f1 + 0.3
