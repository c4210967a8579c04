"""The expectation suite, derived from the check registry (a copy for reviewers is in
expectations/expectations/edufig_quality.json).

Every check is a dbt model whose rows carry a `measure` and the bounds it must respect
(models/quality/dq_check_*.sql, unioned in dq_check_rows; a bound the check does not
declare is null there). The suite has one built-in expectation per bound column, over the
failing rows of every check: the measure within its hard bounds (severity error:
impossible) and within its soft bounds (warning: implausible). A null bound is not checked,
so each check decides per row which bounds apply. One expectation per check and bound,
each restricted to the check's rows, gave the same verdicts at 33 expectations' fixed cost
(the checkpoint took 1.4-1.7 s against 0.7-0.9 s on 1,986 failing rows of a million
figures). Data Docs name each row's check in its label.
"""

from __future__ import annotations

import json

import great_expectations as gx

from edufig.quality.registry import BOUND_SEVERITY, SUITE_NAME


def _bound_expectation(bound: str, severity: str):
    lower = bound.endswith("_min")
    column_a, column_b = ("measure", bound) if lower else (bound, "measure")
    return gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=column_a,
        column_B=column_b,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        meta={"severity": severity, "bound": bound},
        description=f"measure {'≥' if lower else '≤'} {bound} ({severity})",
    )


NOTES = "Generated from edufig/quality/registry.py; edit the registry, not this file."


def expectations() -> list:
    return [_bound_expectation(bound, severity) for bound, severity in BOUND_SEVERITY.items()]


def build_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations(), meta={"notes": NOTES})


def suite_json() -> str:
    """The suite as reviewers read it in expectations/expectations/ (written by
    generated_files.py; the run builds the suite from the registry, not from this file)."""
    return json.dumps(build_suite().to_json_dict(), indent=2, ensure_ascii=False) + "\n"
