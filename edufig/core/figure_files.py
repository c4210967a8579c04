"""Per-document figure files: the hand-off from extraction to loading.

The first line records which document version and extractor version produced the
figures, so loading and re-extraction can tell stale files from current ones.
"""

from __future__ import annotations

import json
from pathlib import Path

from edufig.core.records import Figure


def write_figure_file(path: Path, meta: dict, figures: list[Figure]) -> None:
    lines = [json.dumps({"_meta": meta}, ensure_ascii=False)]
    lines.extend(f.to_json() for f in figures)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def read_figure_meta(path: Path) -> dict:
    """Only the first line: enough to tell whether a file is current without reading it all."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    try:
        record = json.loads(first) if first.strip() else {}
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:1: not JSON ({exc.msg})") from exc
    return record.get("_meta", {})


def read_figure_file(path: Path) -> tuple[dict, list[dict]]:
    """(meta, figures); a missing file is a document not extracted yet."""
    if not path.exists():
        return {}, []
    meta: dict = {}
    figures: list[dict] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if "_meta" in record:
            meta = record["_meta"]
        else:
            figures.append(record)
    return meta, figures
