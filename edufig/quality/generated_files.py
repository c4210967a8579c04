"""The files derived from the check registry, for dbt and for reviewers.

dbt cannot read Python, so the registry is written out where dbt looks: a macro listing the
check models and their bounds (a macro is available while dbt parses, so refs built from it
are known), one model per check keeping its failing rows (models/quality/failing, which
dq_check_rows unions) and the YAML docs of every check model and of the union. Reviewers
get the expectation suite as JSON and the check table of expectations/README.md.
`python -m edufig.quality.generated_files` rewrites them; `--check` exits 1 naming the stale
files, and a test does the same.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from edufig.core.config import REPO_ROOT
from edufig.quality.registry import BOUND_SEVERITY, CHECKS, Check
from edufig.quality.suites import suite_json

DBT_PROJECT = REPO_ROOT / "dbt_project"
MACRO = DBT_PROJECT / "macros" / "dq_checks.sql"
PROPERTIES = DBT_PROJECT / "models" / "quality" / "_dq_checks.yml"
FAILING_MODELS = DBT_PROJECT / "models" / "quality" / "failing"
README = REPO_ROOT / "expectations" / "README.md"
SUITE = REPO_ROOT / "expectations" / "expectations" / "edufig_quality.json"
TABLE_START, TABLE_END = "<!-- checks:start -->", "<!-- checks:end -->"
COMMAND = "python -m edufig.quality.generated_files"
GENERATED = f"Generated from edufig/quality/registry.py by `{COMMAND}`"


def render_macro() -> str:
    entries = ",\n".join(
        f"    {{'name': {c.name!r}, 'model': {c.model!r}, 'bounds': {dict(c.bounds)!r}}}"
        for c in CHECKS
    )
    return (
        f"{{#- {GENERATED};\n"
        "    do not edit. The checks dq_check_rows unions, with the bound columns each sets\n"
        "    (None: per row, from its model; a number: fixed). -#}\n"
        "{% macro dq_checks() %}\n"
        f"{{{{ return([\n{entries}\n]) }}}}\n"
        "{% endmacro %}\n"
    )


def render_failing_model(check: Check) -> str:
    return f"{{#- {GENERATED}; do not edit. -#}}\n{{{{ failing_check_rows({check.name!r}) }}}}\n"


def failing_model_path(check: Check) -> Path:
    return FAILING_MODELS / f"dq_failing_{check.name}.sql"


def _bound_text(check: Check) -> str:
    return ", ".join(
        bound if fixed is None else f"{bound}={fixed:g}" for bound, fixed in check.bounds.items()
    )


def _check_model(check: Check) -> dict:
    return {
        "name": check.model,
        "description": (
            f"{check.description_zh} / {check.description_en} "
            f"Bounds: {_bound_text(check)} ({', '.join(check.severities)})."
        ),
        "config": {
            "meta": {
                "check_name": check.name,
                "title_zh": check.title_zh,
                "title_en": check.title_en,
                "bounds": {b: BOUND_SEVERITY[b] for b in check.bounds},
            }
        },
    }


def _failing_model(check: Check) -> dict:
    return {
        "name": f"dq_failing_{check.name}",
        "description": (
            f"检查 {check.name} 的越界行 / The failing rows of check {check.name} "
            f"({check.model}), with their severity; incremental by region."
        ),
    }


def _union_model() -> dict:
    return {
        "name": "dq_check_rows",
        "description": (
            "全部检查的越界行,SQL 判定 / The failing rows of every registered check in one "
            "shape: a measure, its hard (error) and soft (warning) bounds, and the severity "
            "decided in SQL; rows that pass are not stored. The quality stage has the "
            "edufig_quality expectation suite validate them."
        ),
        "columns": [
            {"name": "check_row_id", "data_tests": ["primary_key"]},
            {
                "name": "check_name",
                "data_tests": [
                    "not_null",
                    {"accepted_values": {"arguments": {"values": [c.name for c in CHECKS]}}},
                ],
            },
            {
                "name": "severity",
                "data_tests": [
                    {
                        "accepted_values": {
                            "arguments": {"values": sorted(set(BOUND_SEVERITY.values()))}
                        }
                    }
                ],
            },
        ],
    }


def render_properties() -> str:
    models = (
        [_check_model(c) for c in CHECKS] + [_failing_model(c) for c in CHECKS] + [_union_model()]
    )
    body = yaml.safe_dump(
        {"version": 2, "models": models}, allow_unicode=True, sort_keys=False, width=100
    )
    return f"# {GENERATED}; do not edit.\n{body}"


def render_table() -> str:
    rows = [
        "| check | what it compares | bounds | severity |",
        "|---|---|---|---|",
        *(
            f"| {c.name} | {c.description_zh} / {c.description_en} | {_bound_text(c)} "
            f"| {' / '.join(c.severities)} |"
            for c in CHECKS
        ),
    ]
    suite = (
        f"The suite: {len(BOUND_SEVERITY)} expectations, one per bound column, each over the "
        "failing rows of every check."
    )
    return "\n".join([TABLE_START, f"<!-- {GENERATED}. -->", *rows, "", suite, TABLE_END])


def render_readme(current: str) -> str:
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.DOTALL)
    if not pattern.search(current):
        raise ValueError(f"{README}: no {TABLE_START} … {TABLE_END} block to fill")
    return pattern.sub(lambda _: render_table(), current)


def rendered() -> dict[Path, str]:
    """Each derived file with the text the registry gives it."""
    return {
        MACRO: render_macro(),
        PROPERTIES: render_properties(),
        README: render_readme(README.read_text(encoding="utf-8")),
        SUITE: suite_json(),
        **{failing_model_path(c): render_failing_model(c) for c in CHECKS},
    }


def retired_files() -> list[Path]:
    """Failing-row models of checks no longer registered."""
    expected = {failing_model_path(c) for c in CHECKS}
    return sorted(p for p in FAILING_MODELS.glob("*.sql") if p not in expected)


def stale_files() -> list[Path]:
    return [
        path
        for path, text in rendered().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ] + retired_files()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the files derived from the registry.")
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"{path}: stale; run {COMMAND}", file=sys.stderr)
        return 1 if stale else 0
    for path, text in rendered().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for path in retired_files():
        path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
