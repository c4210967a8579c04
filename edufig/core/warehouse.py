"""The one way into the DuckDB warehouse: the writer lock, the write connection, the snapshot.

DuckDB lets one process write a file, and a second writer fails at whichever statement
collides, after it has already changed something. So writing is a mechanism here, not a
convention: a run (or a stage run alone) takes an inter-process lock beside the warehouse
before it touches anything, a second one is refused at once with the holder's PID and start
time, and write connections exist only inside `writer()`. Network I/O must never wait
behind an open write connection (`ensure_no_write_connection`), and readers use the
published snapshot, never the live file. Every connection to the live file opens with the
project's memory ceiling and a spill directory, so a build or check over millions of figures
spills to disk instead of growing with the data (DuckDB's own default is 80 % of the
machine's memory); dbt gets the same two values through profiles.yml (`dbt_environment`).
EDUFIG_DUCKDB_MEMORY_LIMIT and EDUFIG_DUCKDB_TEMP_DIR override them.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import duckdb

from edufig.core.config import Settings

MEMORY_LIMIT_ENV = "EDUFIG_DUCKDB_MEMORY_LIMIT"
TEMP_DIR_ENV = "EDUFIG_DUCKDB_TEMP_DIR"
# DuckDB's share of the 2 GB budget of issue 16; dbt and GX live beside it in the process.
DEFAULT_MEMORY_LIMIT = "1GB"


def memory_limit() -> str:
    return os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT


def temp_directory(settings: Settings) -> Path:
    """Where DuckDB spills: under the data directory, beside the warehouse it belongs to."""
    configured = os.environ.get(TEMP_DIR_ENV)
    return Path(configured) if configured else settings.data_dir / "duckdb_tmp"


def duckdb_config(settings: Settings) -> dict[str, str]:
    spill = temp_directory(settings)
    spill.mkdir(parents=True, exist_ok=True)
    return {"memory_limit": memory_limit(), "temp_directory": str(spill)}


def dbt_environment(settings: Settings) -> dict[str, str]:
    """The values profiles.yml reads, for a dbt invocation on `settings.warehouse`."""
    config = duckdb_config(settings)
    return {MEMORY_LIMIT_ENV: config["memory_limit"], TEMP_DIR_ENV: config["temp_directory"]}


MART_SCHEMA = "marts"
SNAPSHOT_NAME = "warehouse.duckdb"
# The alerts stage's own snapshot: flag state, deliveries, outbox (edufig.alerts.send).
ALERTS_SNAPSHOT_NAME = "alert_outbox.duckdb"
_held: dict[Path, tuple[IO[str], int]] = {}
_open_writers: list[Path] = []


class WarehouseBusy(RuntimeError):
    """Another process holds the writer lock of this warehouse."""


class WriteConnectionOpen(RuntimeError):
    """Network I/O was attempted while this process holds a write connection."""


def lock_path(settings: Settings) -> Path:
    return settings.warehouse.with_name(settings.warehouse.name + ".writer.lock")


def dbt_dir(settings: Settings) -> Path:
    return settings.data_dir / "dbt"


def last_build_file(settings: Settings) -> Path:
    """Written by the build stage, read by publish to refuse a snapshot of a failed build."""
    return dbt_dir(settings) / "last_build.json"


def snapshot_path(settings: Settings, name: str = SNAPSHOT_NAME) -> Path:
    return settings.published_dir / name


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        info = json.loads(handle.read() or "{}")
    except json.JSONDecodeError:
        info = {}
    if not info:
        return "a process that is still starting"
    return f"PID {info.get('pid')} ({info.get('command')}) since {info.get('started_at')}"


def _acquire(path: Path, warehouse: Path, holder: str) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        who = _holder(handle)
        handle.close()
        raise WarehouseBusy(
            f"{warehouse}: the warehouse is being written by {who};"
            " refused before writing anything (wait for it to finish)"
        ) from None
    handle.seek(0)
    handle.truncate()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    handle.write(json.dumps({"pid": os.getpid(), "started_at": started, "command": holder}))
    handle.flush()
    return handle


@contextmanager
def writer_lock(settings: Settings, holder: str | None = None) -> Iterator[None]:
    """Hold the warehouse's writer lock; re-entrant within a process, so a run that holds it
    can call stages that take it too. The kernel drops it if the process dies."""
    path = lock_path(settings)
    if path in _held:
        handle, depth = _held[path]
        _held[path] = (handle, depth + 1)
    else:
        handle = _acquire(path, settings.warehouse, holder or " ".join(sys.argv[:2]) or "python")
        _held[path] = (handle, 1)
    try:
        yield
    finally:
        handle, depth = _held[path]
        if depth > 1:
            _held[path] = (handle, depth - 1)
        else:
            del _held[path]
            handle.seek(0)
            handle.truncate()
            handle.close()


@contextmanager
def writer(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The write connection, under the writer lock, closed on exit."""
    with writer_lock(settings):
        settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(settings.warehouse), config=duckdb_config(settings))
        _open_writers.append(settings.warehouse)
        try:
            yield con
        finally:
            _open_writers.remove(settings.warehouse)
            con.close()


@contextmanager
def reader(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the live warehouse, for stages that hold the writer lock
    (a reader outside the lock would block the writer: use `read_only_connection`)."""
    config = duckdb_config(settings)
    with (
        writer_lock(settings),
        duckdb.connect(str(settings.warehouse), read_only=True, config=config) as con,
    ):
        yield con


def ensure_no_write_connection(action: str) -> None:
    """Called before network I/O: a slow server must never keep the warehouse locked."""
    if _open_writers:
        raise WriteConnectionOpen(
            f"{action} while a write connection to {_open_writers[0]} is open"
        )


def read_only_connection(path: Path) -> duckdb.DuckDBPyConnection:
    """A published snapshot, read-only, without file or network access from SQL."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no published snapshot yet; run `edufig run` first")
    config = {"enable_external_access": False, "lock_configuration": True}
    return duckdb.connect(str(path), read_only=True, config=config)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_tables(
    warehouse: Path, target: Path, tables: list[tuple[str, str]], published_at: datetime
) -> dict[str, int]:
    counts: dict[str, int] = {}
    with duckdb.connect(str(target)) as conn:
        conn.execute(f"attach {_sql_string(str(warehouse))} as src (read_only)")
        present = set(
            conn.execute(
                "select table_schema, table_name from information_schema.tables"
                " where table_catalog = 'src'"
            ).fetchall()
        )
        for schema, table in (t for t in tables if t in present):
            conn.execute(f'create schema if not exists "{schema}"')
            conn.execute(
                f'create table "{schema}"."{table}" as select * from src."{schema}"."{table}"'
            )
            counts[f"rows_{table}"] = conn.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
        conn.execute("detach src")
        conn.execute("create schema meta")
        conn.execute(
            "create table meta.snapshot as select ? as published_at, ? as source_warehouse",
            [published_at, str(warehouse)],
        )
    return counts


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


def remove_stale_partials(folder: Path, name: str) -> int:
    """Delete half-written snapshots (and their WAL) left by a publisher that was killed;
    a partial whose process still runs belongs to a publish under way and is kept."""
    removed = 0
    for path in folder.glob(f".{name}.*.partial*"):
        pid = path.name.removeprefix(f".{name}.").split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def replace_snapshot(
    settings: Settings, name: str, tables: list[tuple[str, str]]
) -> dict[str, int]:
    """Copy `tables` (those present) into published/<name>, swapped in by atomic rename:
    a reader that opened the old file keeps it, the next one gets the new one."""
    target = settings.published_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    stale = remove_stale_partials(target.parent, name)
    partial = target.with_name(f".{name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        with writer_lock(settings):
            published_at = datetime.now(UTC).replace(tzinfo=None)
            counts = _copy_tables(settings.warehouse, partial, tables, published_at)
            if stale:
                counts["stale_partials_removed"] = stale
        partial.chmod(0o444)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def mart_tables(settings: Settings) -> list[tuple[str, str]]:
    with reader(settings) as con:
        return con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
            [MART_SCHEMA],
        ).fetchall()


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    rows = con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return bool(rows)
