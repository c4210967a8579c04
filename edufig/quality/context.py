"""The GX context a quality run validates in, built in memory from the check registry.

Nothing the run needs is read from or written to the repository: the suite comes from the
registry (suites.py), and the datasource, validation definition and checkpoint are created
for the run. Two runs at once therefore cannot corrupt each other's suite or checkpoint,
which a file context shared by every process could. What a run leaves behind goes under
its data directory: validation results (gx_results/) and Data Docs (docs/).
"""

from __future__ import annotations

import logging

import great_expectations as gx
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from edufig.core.config import Settings
from edufig.quality.flags import ROW_LABEL
from edufig.quality.suites import build_suite

DATASOURCE = "edufig_warehouse"
ASSET = "dq_check_rows"
BATCH_DEFINITION = "whole_table"
VALIDATION = "dq_check_rows"
CHECKPOINT = "edufig_quality"
DOCS_SITE = "edufig_docs"
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_LABEL]}


def _filesystem(directory) -> dict:
    return {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(directory)}


def _project_config(settings: Settings) -> DataContextConfig:
    defaults = InMemoryStoreBackendDefaults()
    stores = dict(defaults.stores)
    stores[defaults.validation_results_store_name] = {
        "class_name": "ValidationResultsStore",
        "store_backend": _filesystem(settings.validation_results_dir),
    }
    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": _filesystem(settings.data_docs_dir),
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    return DataContextConfig(
        store_backend_defaults=defaults,
        stores=stores,
        data_docs_sites={DOCS_SITE: site},
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )


def quality_context(settings: Settings):
    """An in-memory context whose results and Data Docs go under the run's data directory."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    return gx.get_context(mode="ephemeral", project_config=_project_config(settings))


def add_checkpoint(context) -> gx.Checkpoint:
    """The checkpoint: validate the failing check rows with the registry's suite, then
    update Data Docs."""
    suite = context.suites.add(build_suite())
    batch = (
        context.data_sources.add_pandas(DATASOURCE)
        .add_dataframe_asset(ASSET)
        .add_batch_definition_whole_dataframe(BATCH_DEFINITION)
    )
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=VALIDATION, data=batch, suite=suite)
    )
    return context.checkpoints.add(
        gx.Checkpoint(
            name=CHECKPOINT,
            validation_definitions=[validation],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE])],
            result_format=RESULT_FORMAT,
        )
    )


def docs_url(context, checkpoint_result) -> str:
    """The Data Docs page of the run's validation, which every flag it raises links to."""
    for identifier in checkpoint_result.run_results:
        sites = context.get_docs_sites_urls(resource_identifier=identifier, site_name=DOCS_SITE)
        for site in sites:
            if site.get("site_url"):
                return site["site_url"]
    return ""
