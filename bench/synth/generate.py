"""Write a synthetic corpus to disk: .txt corpus, mirror-style sites, ground truth.

Layout of `out_dir`:
  txt/<doc_id>.txt               local-corpus rendering (`edufig run --corpus`)
  sites/<pNN>/…, sites/sources.yaml   HTML sites and their registry (`${pNN}` placeholders)
  truth/figures.jsonl            reference figures of every document (spec figure objects)
  truth/planted_errors.jsonl     the errors planted on purpose, one per line
  manifest.jsonl                 one line per document: doc_id, type, region, year, url path
  corpus.json                    seed, sizes and counts
"""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.synth.corpus import DEFAULT_ERROR_RATE, iter_documents, write_jsonl, write_txt
from bench.synth.sites import SiteWriter, site_name


@dataclass
class CorpusInfo:
    root: Path
    documents: int
    figures: int
    planted: int
    text_bytes: int

    @property
    def txt_dir(self) -> Path:
        return self.root / "txt"

    @property
    def sites_dir(self) -> Path:
        return self.root / "sites"

    @property
    def truth_figures(self) -> Path:
        return self.root / "truth" / "figures.jsonl"

    @property
    def truth_errors(self) -> Path:
        return self.root / "truth" / "planted_errors.jsonl"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.jsonl"


def generate(
    out_dir: Path, n_docs: int, seed: int = 0, error_rate: float = DEFAULT_ERROR_RATE
) -> CorpusInfo:
    """Regenerate `out_dir` from scratch (same arguments, same bytes)."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "txt").mkdir(parents=True)
    sites = SiteWriter(out_dir / "sites")
    figures, planted, manifest = [], [], []
    text_bytes = 0
    for doc in iter_documents(n_docs, seed, error_rate):
        url = sites.add(doc)
        write_txt(doc, out_dir / "txt", f"https://{site_name(doc)}.synth.test{doc.path}")
        figures += doc.figures
        planted += doc.planted
        text_bytes += len(doc.text.encode("utf-8"))
        manifest.append(
            {
                "doc_id": doc.doc_id,
                "type": doc.doc_type.key,
                "region_code": doc.region.code,
                "year": doc.year,
                "published": doc.published,
                "url": url,
                "path": doc.path,
                "figures": len(doc.figures),
                "planted": len(doc.planted),
            }
        )
    sites.finish()
    write_jsonl(out_dir / "truth" / "figures.jsonl", figures)
    write_jsonl(out_dir / "truth" / "planted_errors.jsonl", planted)
    write_jsonl(out_dir / "manifest.jsonl", manifest)
    info = CorpusInfo(out_dir, len(manifest), len(figures), len(planted), text_bytes)
    summary = {
        "seed": seed,
        "error_rate": error_rate,
        "documents": info.documents,
        "figures": info.figures,
        "planted_errors": info.planted,
        "text_bytes": text_bytes,
    }
    (out_dir / "corpus.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--error-rate", type=float, default=DEFAULT_ERROR_RATE)
    args = parser.parse_args(argv)
    info = generate(args.out, args.docs, args.seed, args.error_rate)
    print(
        f"{info.documents} documents, {info.figures} figures, "
        f"{info.planted} planted errors → {info.root}"
    )
    return 0
