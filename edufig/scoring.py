"""Score extracted figures against a hand-made reference, as shared/spec/README.md defines.

A prediction matches a reference figure when doc_id, metric, level, year and kind are
equal and the value agrees within 0.1 % (relative) or 0.01 (absolute, for percent). Each
reference figure matches at most one prediction; the pairing is a maximum bipartite
matching inside each (doc_id, metric, level, year, kind) group, so the order in which an
extractor emits figures never changes its score. A prediction left unpaired is a false
positive (an exact duplicate of a matched prediction included), a reference figure left
unpaired is a miss.

Figures whose year or level a careful reader could not decide are kept out of the
reference. A gold folder may list them in `undecidable/<doc_id>.jsonl`; a prediction that
pairs with no reference figure but has the doc_id, metric, value and evidence (overlapping
offsets or text) of an undecidable figure is set aside: neither rewarded nor penalised.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from edufig.core.catalog import load_metrics
from edufig.core.figure_files import read_figure_file
from edufig.core.records import KINDS, LEVELS, QUALIFIERS, SCOPES, UNITS, Figure

MATCH_KEYS = ("doc_id", "metric", "level", "year", "kind")
OPTIONAL_KEYS = ("scope", "confidence")
FIGURE_KEYS = tuple(f.name for f in fields(Figure) if f.name not in OPTIONAL_KEYS)
RELATIVE_TOLERANCE = 0.001
PERCENT_ABSOLUTE_TOLERANCE = 0.01
FLOAT_SLACK = 1e-9
UNDECIDABLE_DIR = "undecidable"
UNKNOWN_DOMAIN = "unknown"
YEAR_RANGE = (1949, 2100)

FigureDict = dict[str, Any]


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and misses, with the rates derived from them.

    An empty denominator counts as perfect (nothing claimed, nothing to find), so a domain
    a corpus never mentions does not drag a minimum-per-domain bar down.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass
class DocumentScore:
    doc_id: str
    matches: list[tuple[FigureDict, FigureDict]] = field(default_factory=list)
    misses: list[FigureDict] = field(default_factory=list)
    false_positives: list[FigureDict] = field(default_factory=list)
    set_aside: list[FigureDict] = field(default_factory=list)

    @property
    def counts(self) -> Counts:
        return Counts(len(self.matches), len(self.false_positives), len(self.misses))


@dataclass
class ScoreReport:
    overall: Counts
    by_domain: dict[str, Counts]
    documents: dict[str, DocumentScore]

    @property
    def set_aside(self) -> int:
        return sum(len(d.set_aside) for d in self.documents.values())


def values_agree(predicted: Any, reference: float, unit: str) -> bool:
    """The spec's tolerance: 0.1 % relative, or for percent 0.01 absolute, whichever is looser.

    Inclusive at the boundary; a tiny slack absorbs float error.
    """
    if not _is_number(predicted):
        return False
    gap = abs(predicted - reference)
    slack = FLOAT_SLACK * max(1.0, abs(reference))
    if gap <= RELATIVE_TOLERANCE * abs(reference) + slack:
        return True
    return unit == "percent" and gap <= PERCENT_ABSOLUTE_TOLERANCE + slack


def _hashable(value: Any) -> Any:
    """Malformed predictions (a list where a code belongs) must score as misses, not crash."""
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _key(figure: FigureDict, names: Sequence[str] = MATCH_KEYS) -> tuple:
    return tuple(_hashable(figure.get(k)) for k in names)


def _augment(ref: int, edges: list[list[int]], owner: dict[int, int], seen: set[int]) -> bool:
    for pred in edges[ref]:
        if pred in seen:
            continue
        seen.add(pred)
        if pred not in owner or _augment(owner[pred], edges, owner, seen):
            owner[pred] = ref
            return True
    return False


def maximum_matching(
    predictions: Sequence[FigureDict], references: Sequence[FigureDict]
) -> list[tuple[int, int]]:
    """Pairs (prediction index, reference index) of one match group, as many as possible."""
    edges = [
        [
            i
            for i, p in enumerate(predictions)
            if values_agree(p.get("value"), r["value"], r["unit"])
        ]
        for r in references
    ]
    owner: dict[int, int] = {}
    for ref in range(len(references)):
        _augment(ref, edges, owner, set())
    return sorted(owner.items())


def _grouped(figures: Iterable[FigureDict]) -> dict[tuple, list[FigureDict]]:
    groups: dict[tuple, list[FigureDict]] = defaultdict(list)
    for figure in figures:
        groups[_key(figure)].append(figure)
    return groups


def _same_evidence(prediction: FigureDict, figure: FigureDict) -> bool:
    """Overlapping offsets, or one evidence text inside the other (offsets may be shifted)."""
    start, end = prediction.get("start"), prediction.get("end")
    if _is_int(start) and _is_int(end) and start < figure["end"] and figure["start"] < end:
        return True
    text = prediction.get("text")
    return _is_text(text) and (figure["text"] in text or text in figure["text"])


def _is_undecidable(prediction: FigureDict, undecidable: dict[tuple, list[FigureDict]]) -> bool:
    return any(
        values_agree(prediction.get("value"), u["value"], u["unit"])
        and _same_evidence(prediction, u)
        for u in undecidable.get(_key(prediction, ("doc_id", "metric")), [])
    )


def _score_group(
    preds: list[FigureDict], refs: list[FigureDict], doc: DocumentScore
) -> list[FigureDict]:
    """Record matches and misses of one group; return the predictions left unpaired."""
    pairs = maximum_matching(preds, refs)
    doc.matches.extend((preds[p], refs[r]) for p, r in pairs)
    paired_refs = {r for _, r in pairs}
    paired_preds = {p for p, _ in pairs}
    doc.misses.extend(ref for i, ref in enumerate(refs) if i not in paired_refs)
    return [pred for i, pred in enumerate(preds) if i not in paired_preds]


def _domain_counts(documents: Iterable[DocumentScore]) -> dict[str, Counts]:
    metrics = load_metrics()
    totals: dict[str, Counts] = {m.domain: Counts() for m in metrics.values()}

    def domain(figure: FigureDict) -> str:
        metric = metrics.get(_hashable(figure.get("metric")))
        return metric.domain if metric else UNKNOWN_DOMAIN

    for doc in documents:
        tallies = [(ref, Counts(tp=1)) for _, ref in doc.matches]
        tallies += [(ref, Counts(fn=1)) for ref in doc.misses]
        tallies += [(pred, Counts(fp=1)) for pred in doc.false_positives]
        for figure, tally in tallies:
            totals[domain(figure)] = totals.get(domain(figure), Counts()) + tally
    return totals


def score(
    predictions: Iterable[FigureDict],
    reference: Iterable[FigureDict],
    undecidable: Iterable[FigureDict] = (),
    documents: Iterable[str] | None = None,
) -> ScoreReport:
    """Precision, recall and F1 overall, per domain and per document.

    `documents`, when given, is the corpus: predictions for other doc_ids are ignored (an
    extractor run over a larger folder is still scored on the annotated documents only).
    Figures that carry a `scope`, predicted or referenced, are ignored too, as the spec
    says: a figure about part of a population is neither a match nor a miss of the whole.
    """
    refs = [r for r in reference if not r.get("scope")]
    corpus = set(documents) if documents is not None else None
    preds = [
        p
        for p in predictions
        if (corpus is None or _key(p, ("doc_id",))[0] in corpus) and not p.get("scope")
    ]
    aside: dict[tuple, list[FigureDict]] = defaultdict(list)
    for figure in undecidable:
        aside[_key(figure, ("doc_id", "metric"))].append(figure)
    doc_ids = {_key(f, ("doc_id",))[0] for f in refs + preds} | (corpus or set())
    docs = {d: DocumentScore(str(d)) for d in sorted(doc_ids, key=str)}
    pred_groups, ref_groups = _grouped(preds), _grouped(refs)
    for key in sorted(set(pred_groups) | set(ref_groups), key=repr):
        doc = docs[key[0]]
        for pred in _score_group(pred_groups.get(key, []), ref_groups.get(key, []), doc):
            target = doc.set_aside if _is_undecidable(pred, aside) else doc.false_positives
            target.append(pred)
    overall = sum((d.counts for d in docs.values()), Counts())
    return ScoreReport(overall, _domain_counts(docs.values()), docs)


def _describe(figure: FigureDict, width: int = 40) -> str:
    text = str(figure.get("text", "")).replace("\n", " ")
    text = text if len(text) <= width else text[: width - 1] + "…"
    cells = [str(figure.get(k)) for k in ("metric", "level", "year", "kind", "value")]
    return " ".join(cells) + f"  «{text}»"


def _rate_row(name: str, counts: Counts, width: int) -> str:
    numbers = (counts.tp + counts.fn, counts.tp + counts.fp, counts.tp, counts.fp, counts.fn)
    rates = (counts.precision, counts.recall, counts.f1)
    cells = "".join(f"{n:>6}" for n in numbers) + "".join(f"{r:>8.3f}" for r in rates)
    return f"{name:<{width}}" + cells


def _header(first: str, width: int) -> str:
    rates = "".join(f"{name:>8}" for name in ("prec", "rec", "f1"))
    return (
        f"{first:<{width}}" + "".join(f"{n:>6}" for n in ("ref", "pred", "tp", "fp", "fn")) + rates
    )


def format_report(report: ScoreReport) -> str:
    """The overall/per-domain table, the per-document table, then every miss and FP."""
    width = max([24, *(len(d) + 2 for d in report.documents)])
    lines = [_header("scope", width), _rate_row("overall", report.overall, width)]
    lines += [_rate_row(f"  {d}", c, width) for d, c in sorted(report.by_domain.items())]
    lines += ["", _header("document", width)]
    lines += [_rate_row(d.doc_id, d.counts, width) for d in report.documents.values()]
    if report.set_aside:
        lines.append(f"({report.set_aside} predictions of undecidable figures set aside)")
    for doc in report.documents.values():
        if not (doc.misses or doc.false_positives):
            continue
        lines += ["", f"{doc.doc_id}: {len(doc.misses)} missed, {len(doc.false_positives)} FP"]
        lines += [f"  MISS {_describe(f)}" for f in doc.misses]
        lines += [f"  FP   {_describe(f)}" for f in doc.false_positives]
    return "\n".join(lines)


def load_jsonl(path_or_dir: str | Path) -> list[FigureDict]:
    """Figures from one JSONL file or every *.jsonl directly in a folder; `_meta` lines skipped."""
    path = Path(path_or_dir)
    if path.is_dir():
        return [f for p in sorted(path.glob("*.jsonl")) for f in load_jsonl(p)]
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such JSONL file or folder")
    figures = read_figure_file(path)[1]
    for figure in figures:
        if not isinstance(figure, dict):
            raise ValueError(f"{path}: expected JSON objects, got {type(figure).__name__}")
    return figures


@dataclass
class Gold:
    figures: list[FigureDict]
    undecidable: list[FigureDict]
    doc_ids: set[str]


def load_gold(path: str | Path) -> Gold:
    """A gold folder (`<doc_id>.jsonl` per annotated document, empty = no figures, and
    optional `undecidable/<doc_id>.jsonl`) or one gold file with an optional
    `undecidable/<same name>` beside it."""
    path = Path(path)
    figures = load_jsonl(path)
    if path.is_dir():
        aside, files = path / UNDECIDABLE_DIR, list(path.glob("*.jsonl"))
    else:
        aside, files = path.parent / UNDECIDABLE_DIR / path.name, [] if figures else [path]
    undecidable = load_jsonl(aside) if aside.exists() else []
    doc_ids = {p.stem for p in files} | {str(f.get("doc_id")) for f in figures}
    return Gold(figures, undecidable, doc_ids)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


FIELD_TYPES: dict[str, tuple[Callable[[Any], bool], str, bool]] = {
    "doc_id": (_is_text, "a non-empty string", False),
    "text": (_is_text, "a non-empty string", False),
    "region": (_is_text, "a non-empty string", True),
    "year": (_is_int, "an integer", False),
    "start": (_is_int, "an integer", False),
    "end": (_is_int, "an integer", False),
    "period_start": (_is_int, "an integer", True),
    "value": (_is_number, "a finite number", False),
    "yoy_change": (_is_number, "a finite number", True),
    "yoy_growth_pct": (_is_number, "a finite number", True),
}


def _check_types(obj: FigureDict) -> list[str]:
    errors = []
    for name, (accepts, what, nullable) in FIELD_TYPES.items():
        value = obj.get(name)
        if value is None:
            errors += [] if nullable or name not in obj else [f"{name} is null"]
        elif not accepts(value):
            errors.append(f"{name} must be {what}, got {value!r}")
    return errors


def _check_choices(obj: FigureDict) -> list[str]:
    allowed = {"level": LEVELS, "kind": KINDS, "qualifier": QUALIFIERS, "unit": UNITS}
    return [
        f"{name} {obj.get(name)!r} not one of {', '.join(choices)}"
        for name, choices in allowed.items()
        if obj.get(name) not in choices
    ]


def _check_optional(obj: FigureDict) -> list[str]:
    errors = []
    scope, confidence = obj.get("scope"), obj.get("confidence")
    if scope is not None and scope not in SCOPES:
        errors.append(f"scope {scope!r} not one of {', '.join(SCOPES)}")
    if confidence is not None and not (_is_number(confidence) and 0 <= confidence <= 1):
        errors.append(f"confidence must be a number in [0, 1], got {confidence!r}")
    return errors


def _check_metric(obj: FigureDict) -> list[str]:
    metric = load_metrics().get(_hashable(obj.get("metric")))
    if metric is None:
        return [f"metric {obj.get('metric')!r} not in the catalog"]
    errors = []
    if obj.get("unit") != metric.unit:
        errors.append(f"unit {obj.get('unit')!r} but {metric.code} is in {metric.unit!r}")
    value = obj.get("value")
    if _is_number(value):
        if metric.hard_min is not None and value < metric.hard_min:
            errors.append(f"value {value} below {metric.code}'s bound {metric.hard_min}")
        if metric.hard_max is not None and value > metric.hard_max:
            errors.append(f"value {value} above {metric.code}'s bound {metric.hard_max}")
    return errors


def _check_years(obj: FigureDict) -> list[str]:
    year, start = obj.get("year"), obj.get("period_start")
    if not _is_int(year):
        return []
    errors = []
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        errors.append(f"year {year} outside {YEAR_RANGE[0]}–{YEAR_RANGE[1]}")
    if _is_int(start) and start > year:
        errors.append(f"period_start {start} after year {year}")
    return errors


def _check_offsets(obj: FigureDict) -> list[str]:
    start, end = obj.get("start"), obj.get("end")
    if _is_int(start) and _is_int(end):
        return [] if 0 <= start <= end else [f"offsets start={start} end={end} out of order"]
    return []


def _check_region_code(obj: FigureDict) -> list[str]:
    code = obj.get("region_code")
    if code is None or (isinstance(code, str) and len(code) == 6 and code.isdigit()):
        return []
    return [f"region_code must be a 6-digit string or null, got {code!r}"]


def validate_figure(obj: Any) -> list[str]:
    """Every way `obj` departs from the spec's figure object; empty when it conforms."""
    if not isinstance(obj, dict):
        return [f"expected a JSON object, got {type(obj).__name__}"]
    errors = [f"missing key {k}" for k in FIGURE_KEYS if k not in obj]
    errors += _check_types(obj) + _check_choices(obj) + _check_metric(obj) + _check_years(obj)
    return errors + _check_offsets(obj) + _check_region_code(obj) + _check_optional(obj)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edufig score", description="Score extracted figures against a gold reference."
    )
    parser.add_argument("predictions", nargs="+", help="JSONL files or folders of predictions")
    parser.add_argument(
        "--gold", action="append", required=True, help="gold folder or file (repeatable)"
    )
    parser.add_argument(
        "--fail-under", type=float, default=None, help="exit 1 when overall F1 is below this"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        golds = [load_gold(folder) for folder in args.gold]
        predictions = [f for path in args.predictions for f in load_jsonl(path)]
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = score(
        predictions,
        [f for g in golds for f in g.figures],
        undecidable=[f for g in golds for f in g.undecidable],
        documents=set().union(*(g.doc_ids for g in golds)),
    )
    print(format_report(report))
    if args.fail_under is not None and report.overall.f1 < args.fail_under:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
