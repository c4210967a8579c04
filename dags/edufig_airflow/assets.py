"""Assets that chain the DAGs, and the pools that serialise shared resources.

Each DAG outlets one asset and the next DAG is scheduled on it, so the chain is
data-aware: extract/load only runs when new documents landed.
"""

from __future__ import annotations

from airflow.sdk import Asset, AssetAlias

CRAWL_LOG = Asset("edufig://crawl")
PARSED = Asset("edufig://parsed")
NEW_DOCUMENTS = AssetAlias("edufig-new-documents")
LANDING = Asset("edufig://landing")
MARTS = Asset("edufig://marts")
ALERTS = Asset("edufig://alerts")

SCRAPE_POOL = "edufig_scrape"
DUCKDB_POOL = "duckdb_writer"
