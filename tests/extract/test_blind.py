"""The blind rounds (shared/corpus/blind/): references written before the extractor met them.

Round 1 was the working set: its bar only guards the work done on it against regression (it
measures fit). Round 2 was scored once, at extractor 60979e8 (F1 0.640, edufig/extract/
README.md); it carries no bar here, so that nobody tunes to it. Its references are still
validated with the other gold files (tests/gold/test_gold_files.py).
"""

from edufig.extract import extract_figures
from edufig.scoring import load_gold, score
from scrapers.parse import parse_file
from tests.conftest import GOLD_DIR, TESTS_DIR

ROUND1 = TESTS_DIR / "fixtures" / "corpus" / "blind" / "round1"


def test_round_one_keeps_what_the_work_on_it_reached():
    gold = load_gold(GOLD_DIR / "blind1")
    predictions = [
        f.__dict__ for p in sorted(ROUND1.glob("*.txt")) for f in extract_figures(parse_file(p))
    ]
    report = score(predictions, gold.figures, gold.undecidable, documents=gold.doc_ids)
    assert report.overall.tp >= 38
    assert report.overall.f1 >= 0.90, report.overall
