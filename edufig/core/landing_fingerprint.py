"""Skip the build, quality and publish stages when nothing they read has changed.

A run that finds nothing new (the daily run, most days) used to rebuild every model and run
every check for the same result. What the build reads is the landing (documents, figures,
review decisions), the dbt project and the quality checks; a fingerprint of all of them is
stored in the warehouse when a stage succeeds, and a later run with the same fingerprint
skips that stage and says so (`landing_unchanged` in its counts). The landing part is a sum
of row hashes (order-free, a quarter of a second for a million figures); the project part
hashes the files of dbt_project/ and expectations/ and the quality code. Publishing
records what the snapshot it copied was made of (edufig/publish.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb

from edufig.core.config import REPO_ROOT, Settings
from edufig.core.warehouse import has_table, reader, writer

# landing.fetches is the crawl log: no model past staging reads it.
LANDING_TABLES = ("documents", "figures", "review_decisions")
PROJECT_SUFFIXES = (".sql", ".yml", ".yaml", ".csv", ".py", ".json", ".md")
QUALITY_CODE = REPO_ROOT / "edufig" / "quality"
STATE_DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.stage_fingerprints (
    stage VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL, recorded_at TIMESTAMP NOT NULL
);
"""
SKIPPED = "landing_unchanged"
# The build fingerprint an incremental build started from (none after a full refresh): the
# quality stage re-validates only the re-checked regions when it had validated exactly that.
BUILD_BASE = "build_base"


def _files(root: Path) -> list[Path]:
    ignored = {"target", "logs", "dbt_packages", "__pycache__", "uncommitted"}
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix in PROJECT_SUFFIXES and not ignored & set(p.parts)
    )


def project_digest(settings: Settings) -> str:
    """The models, macros, seeds, tests and checks that turn the landing into marts and flags."""
    digest = hashlib.sha256()
    for root in (settings.dbt_project_dir, settings.expectations_dir, QUALITY_CODE):
        for path in _files(root):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def rows_digest(con: duckdb.DuckDBPyConnection, relations: Mapping[str, str]) -> str:
    """Row count and order-free sum of row hashes of each relation (name → table or query)."""
    parts = []
    for name, relation in relations.items():
        count, total = con.execute(
            f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {relation} AS t"
        ).fetchone()
        parts.append(f"{name}:{count}:{total}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def tables_digest(con: duckdb.DuckDBPyConnection, tables: Iterable[tuple[str, str]]) -> str:
    """`rows_digest` of those of `tables` (schema, name) that exist."""
    present = {f"{s}.{t}": f"{s}.{t}" for s, t in tables if has_table(con, s, t)}
    return rows_digest(con, present)


def landing_digest(con: duckdb.DuckDBPyConnection) -> str:
    """The digest of each landing table the build reads."""
    present = {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'landing'"
        ).fetchall()
    }
    return rows_digest(con, {t: f"landing.{t}" for t in LANDING_TABLES if t in present})


def current(settings: Settings, project: str | None = None) -> str:
    """The fingerprint of what a build would read now (`project`: its project_digest, when
    the caller has it already)."""
    with reader(settings) as con:
        landing = landing_digest(con)
    project = project or project_digest(settings)
    return hashlib.sha256(f"{project}|{landing}".encode()).hexdigest()


def recorded(settings: Settings) -> dict[str, str]:
    """Stage → the fingerprint it last succeeded on: one read serves all of a stage's
    decisions (skip, rebuild from scratch, re-check only what changed)."""
    with reader(settings) as con:
        return recorded_on(con)


def recorded_on(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """`recorded`, through a connection the caller holds (inside its transaction)."""
    if not has_table(con, "meta", "stage_fingerprints"):
        return {}
    return dict(con.execute("SELECT stage, fingerprint FROM meta.stage_fingerprints").fetchall())


def record(settings: Settings, fingerprints: Mapping[str, str | None]) -> None:
    """Remember what stages succeeded on, together in one transaction; None forgets a stage
    (its next run does the work)."""
    with writer(settings) as con:
        con.execute(STATE_DDL)
        con.execute("BEGIN TRANSACTION")
        record_on(con, fingerprints)
        con.execute("COMMIT")


def record_on(con: duckdb.DuckDBPyConnection, fingerprints: Mapping[str, str | None]) -> None:
    """`record`, inside a transaction the caller holds on a connection with STATE_DDL run."""
    for stage, fingerprint in fingerprints.items():
        con.execute("DELETE FROM meta.stage_fingerprints WHERE stage = ?", [stage])
        if fingerprint is not None:
            con.execute(
                "INSERT INTO meta.stage_fingerprints VALUES (?, ?, now())", [stage, fingerprint]
            )
