"""The expectation suite, derived from the check registry (a copy for reviewers is in
expectations/expectations/edufig_quality.json).

Every check is a dbt model whose rows carry a `measure` and the bounds it must respect
(models/quality/dq_check_*.sql, unioned in dq_check_rows). Each check gets one built-in
expectation per bound column it declares, restricted to its rows: the measure within its
hard bounds (severity error: impossible) and within its soft bounds (warning: implausible).
A null bound is not checked, so each check decides per row which bounds apply.
"""

from __future__ import annotations

import json

import great_expectations as gx
from great_expectations.expectations.row_conditions import Column

from edufig.quality.registry import BOUND_SEVERITY, CHECKS, SUITE_NAME, Check


def _bound_expectation(check: Check, bound: str):
    lower, severity = bound.endswith("_min"), BOUND_SEVERITY[bound]
    column_a, column_b = ("measure", bound) if lower else (bound, "measure")
    return gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=column_a,
        column_B=column_b,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        row_condition=Column("check_name") == check.name,
        meta={"check_name": check.name, "severity": severity, "bound": bound},
        description=f"{check.name}: measure {'≥' if lower else '≤'} {bound} ({severity})",
    )


NOTES = "Generated from edufig/quality/registry.py; edit the registry, not this file."


def expectations() -> list:
    return [_bound_expectation(check, bound) for check in CHECKS for bound in check.bounds]


def build_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations(), meta={"notes": NOTES})


def suite_json() -> str:
    """The suite as reviewers read it in expectations/expectations/ (written by
    generated_files.py; the run builds the suite from the registry, not from this file)."""
    return json.dumps(build_suite().to_json_dict(), indent=2, ensure_ascii=False) + "\n"
