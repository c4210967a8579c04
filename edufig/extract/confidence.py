"""How sure the extractor is of a figure's metric, level and year, from the cues that
decided them.

Each field scores by the kind of cue that decided it: a keyword or a year in the figure's
own sentence is strong evidence, a level or year carried from elsewhere weaker, a default
(`all`, the document's reference year) weakest. The product is the figure's confidence;
analysts filter on it and the checks can hold back weak figures from alerts. The scores
are ordinal judgments, not calibrated probabilities.
"""

from __future__ import annotations

from functools import lru_cache

STRONG = 0.97
GOOD = 0.9
FAIR = 0.8
WEAK = 0.65
CUE_SCORES: dict[str, tuple[tuple[str, float], ...]] = {
    "metric": (
        ("keyword", STRONG),
        ("table", GOOD),
        ("listed before", GOOD),
        ("comparison base", GOOD),
        ("value changed to", GOOD),
        ("noun after", FAIR),
        ("school noun", FAIR),
        ("continues the figure", FAIR),
        ("keyword earlier", FAIR),
        ("what money", WEAK),
        ("topic", WEAK),
    ),
    "level": (
        ("implied", STRONG),
        ("named in the clause", STRONG),
        ("named after the keyword", GOOD),
        ("named after the number", GOOD),
        ("listed before", GOOD),
        ("each level", GOOD),
        ("table", GOOD),
        ("comparison base", GOOD),
        ("value changed to", GOOD),
        ("figure before", FAIR),
        ("named earlier", FAIR),
        ("same metric", FAIR),
        ("numbered heading", FAIR),
        ("named in the clause after", FAIR),
        ("sentence before", WEAK),
        ("no level named", FAIR),
        ("several named", WEAK),
    ),
    "year": (
        ("stated in the sentence", STRONG),
        ("stated in the clause", STRONG),
        ("year column", STRONG),
        ("comparison base", GOOD),
        ("value changed to", GOOD),
        ("stated earlier", GOOD),
        ("section heading", FAIR),
        ("statistical lines", FAIR),
        ("table row", FAIR),
        ("reference year", FAIR),
        ("last year named", WEAK),
    ),
}
UNKNOWN_CUE = WEAK


@lru_cache(maxsize=4096)
def cue_score(name: str, cue: str | None) -> float:
    if not cue:
        return UNKNOWN_CUE
    return next((score for key, score in CUE_SCORES[name] if key in cue), UNKNOWN_CUE)


def confidence(cues: dict[str, str]) -> float:
    """The product of the metric, level and year cue scores, rounded to two places."""
    metric = cue_score("metric", cues.get("metric"))
    level = cue_score("level", cues.get("level"))
    year = cue_score("year", cues.get("year"))
    return round(metric * level * year, 2)
