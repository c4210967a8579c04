"""The GX file context in expectations/ and the objects the quality run needs in it.

The suite comes from suites.py; the pandas datasource, the dataframe asset, the validation
definition and the checkpoint are created the first time and then read from disk, so the
JSON under version control is what runs. Paths that depend on Settings (Data Docs, raw
validation results) are substituted from the environment for the length of a run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

import great_expectations as gx

from edufig.core.config import Settings
from edufig.quality.suites import sync_suite

DATASOURCE = "edufig_warehouse"
ASSET = "dq_check_rows"
BATCH_DEFINITION = "whole_table"
VALIDATION = "dq_check_rows"
CHECKPOINT = "edufig_quality"
DOCS_SITE = "edufig_docs"
# Columns Data Docs show next to each unexpected row (text escaped before validation).
INDEX_COLUMNS = ["row_key", "region_name", "metric", "level", "year", "evidence_text"]
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": INDEX_COLUMNS}


def _path_variables(settings: Settings) -> dict[str, str]:
    return {
        "EDUFIG_DATA_DOCS_DIR": str(settings.data_docs_dir),
        "EDUFIG_GX_RESULTS_DIR": str(settings.data_dir / "gx_results"),
    }


@contextmanager
def quality_context(settings: Settings) -> Iterator:
    """The file context with this run's paths; the environment is restored afterwards."""
    values = _path_variables(settings)
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    try:
        yield gx.get_context(mode="file", context_root_dir=str(settings.expectations_dir))
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _batch_definition(context):
    try:
        source = context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas(DATASOURCE)
    try:
        asset = source.get_asset(ASSET)
    except LookupError:
        asset = source.add_dataframe_asset(ASSET)
    try:
        return asset.get_batch_definition(BATCH_DEFINITION)
    except KeyError:
        return asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)


def _new_checkpoint(context, suite) -> gx.Checkpoint:
    try:
        validation = context.validation_definitions.get(VALIDATION)
    except Exception:  # first run in a fresh project
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=VALIDATION, data=_batch_definition(context), suite=suite)
        )
    return context.checkpoints.add(
        gx.Checkpoint(
            name=CHECKPOINT,
            validation_definitions=[validation],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE])],
            result_format=RESULT_FORMAT,
        )
    )


def ensure_checkpoint(context) -> gx.Checkpoint:
    """The checkpoint (validate dq_check_rows, then Data Docs), created or brought in line."""
    suite = sync_suite(context)
    try:
        checkpoint = context.checkpoints.get(CHECKPOINT)
    except Exception:  # first run in a fresh project
        return _new_checkpoint(context, suite)
    if checkpoint.result_format != RESULT_FORMAT:
        checkpoint.result_format = RESULT_FORMAT
        checkpoint.save()
    return checkpoint
