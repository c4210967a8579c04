"""How well the pipeline recovers what the generator planted: figures and error flags.

Crawled documents get ids from their URLs (`synth-<code>-<sha1>`), the corpus path uses
file names; both map back to the generator's doc_id through the article's URL path.
A planted error counts as found when a flag names its document, metric and level for its
year. A flag counts as correct when it names a document that carries a planted error: a
clean synthetic document is consistent by construction, and one error rightly raises
several flags (a 万元 slip in the budget also breaks the derived education share and the
2016→2017 comparison). The strict variant also asks for the error's metric and level within
a year of it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from edufig.core.figure_files import read_figure_file
from edufig.core.records import ParsedDocument
from edufig.scoring import score

YEAR_SLACK = 1


def read_jsonl(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def doc_id_map(parsed_dir: Path, manifest: Path) -> dict[str, str]:
    """Pipeline doc_id → generator doc_id, by URL path (or by equal id on the corpus path)."""
    by_path = {m["path"]: m["doc_id"] for m in read_jsonl(manifest)}
    known = set(by_path.values())
    mapping: dict[str, str] = {}
    for path in parsed_dir.glob("*.json"):
        doc = ParsedDocument.load(path)
        synth = doc.doc_id if doc.doc_id in known else by_path.get(urlsplit(doc.url or "").path)
        if synth:
            mapping[doc.doc_id] = synth
    return mapping


def extraction_scores(figures_dir: Path, truth: Path, mapping: dict[str, str]) -> dict:
    predictions = []
    for path in figures_dir.glob("*.jsonl"):
        for figure in read_figure_file(path)[1]:
            if figure.get("doc_id") in mapping:
                predictions.append(figure | {"doc_id": mapping[figure["doc_id"]]})
    documents = set(mapping.values())
    reference = [f for f in read_jsonl(truth) if f["doc_id"] in documents]
    report = score(predictions, reference, documents=documents)
    overall = report.overall
    return {
        "documents": len(documents),
        "reference_figures": len(reference),
        "predicted_figures": len(predictions),
        "tp": overall.tp,
        "fp": overall.fp,
        "fn": overall.fn,
        "precision": round(overall.precision, 4),
        "recall": round(overall.recall, 4),
        "f1": round(overall.f1, 4),
    }


def read_flags(warehouse: Path) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select check_name, severity, region_code, metric, level, year, doc_ids"
            " from dq.dq_flags"
        ).fetchall()
    keys = ("check_name", "severity", "region_code", "metric", "level", "year", "doc_ids")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _flag_docs(flag: dict, mapping: dict[str, str]) -> set[str]:
    return {
        mapping.get(d.strip(), d.strip()) for d in (flag["doc_ids"] or "").split(",") if d.strip()
    }


def _names(flag: dict, docs: set[str], error: dict, slack: int) -> bool:
    same_doc = error["doc_id"] in docs if docs else flag["region_code"] == error["region_code"]
    same_level = flag["level"] in (None, error["level"])
    year_ok = flag["year"] is not None and abs(flag["year"] - error["year"]) <= slack
    return same_doc and flag["metric"] == error["metric"] and same_level and year_ok


def flag_scores(flags: list[dict], planted: list[dict], mapping: dict[str, str]) -> dict:
    """Precision of the flags and recall of the planted errors, overall and per kind/check."""
    documents = set(mapping.values())
    planted = [e for e in planted if e["doc_id"] in documents]
    flag_docs = [_flag_docs(f, mapping) for f in flags]
    found = [
        any(_names(f, d, e, 0) for f, d in zip(flags, flag_docs, strict=True)) for e in planted
    ]
    strict = [
        any(_names(f, d, e, YEAR_SLACK) for e in planted)
        for f, d in zip(flags, flag_docs, strict=True)
    ]
    erroneous = {e["doc_id"] for e in planted}
    correct = [bool(d & erroneous) or ok for d, ok in zip(flag_docs, strict, strict=True)]
    by_kind: dict[str, list[int]] = {}
    for error, hit in zip(planted, found, strict=True):
        by_kind.setdefault(error["error"], [0, 0])
        by_kind[error["error"]][0] += hit
        by_kind[error["error"]][1] += 1
    checks = Counter(f["check_name"] for f in flags)
    checks_correct = Counter(f["check_name"] for f, ok in zip(flags, correct, strict=True) if ok)
    return {
        "planted": len(planted),
        "found": sum(found),
        "flags": len(flags),
        "flags_on_planted": sum(correct),
        "recall": round(sum(found) / len(planted), 4) if planted else None,
        "precision": round(sum(correct) / len(flags), 4) if flags else None,
        "precision_same_metric": round(sum(strict) / len(flags), 4) if flags else None,
        "recall_by_kind": {k: f"{hit}/{total}" for k, (hit, total) in sorted(by_kind.items())},
        "flags_by_check": {
            k: f"{checks_correct[k]}/{n} on planted" for k, n in checks.most_common()
        },
    }
