"""Parse each document in a worker process with a time and a memory ceiling.

The limits in `scrapers.limits` catch the hostile documents we know of; the worker is for
the ones we do not: a RecursionError deep in a parser, a MemoryError, a C extension that
crashes or a layout that never finishes. Any of these ends that document's parse with an
`UnparseableError` naming what happened, and the stage goes on with a fresh worker.
Workers are forked from the caller (see `_context` for why not a forkserver), so a
replacement starts in milliseconds, and the memory ceiling is set above the size a worker
has when it starts: it counts what the parse allocates, not the heap it inherited.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType

from pebble import ProcessExpired, ProcessFuture, ProcessPool

from scrapers.limits import DEFAULT_LIMITS, MIB, LimitExceeded, Limits, UnparseableError
from scrapers.parse import Parsed, parse_bytes

PARSE_SECONDS = 180.0  # above Limits.pdf_seconds, so a slow PDF names the finer limit
PARSE_MEMORY = 768 * MIB  # address space a worker may add to what it starts with
WORKERS = 2
RECYCLE_AFTER = 200  # tasks per worker: bounds what a fragmented heap can grow to

Job = tuple[bytes, str | None, str, str]  # data, content type, url, suffix


def _virtual_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _limit_memory(extra: int) -> None:
    """Runs in each worker: allocations past `extra` bytes raise MemoryError."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = _virtual_size() + extra
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


def _context() -> multiprocessing.context.BaseContext:
    """Fork: a forkserver or spawned child re-runs the parent's main script first, and an
    Airflow task's main is the `airflow` command, which refuses to start inside a task (its
    database URL is withheld there), so every parse failed under a real scheduler."""
    return multiprocessing.get_context("fork")


def _allow_children() -> None:
    """A Celery worker's prefork pool runs each Airflow task in a process marked daemonic,
    and multiprocessing refuses to start children there ("daemonic processes are not
    allowed to have children"), so every parse failed on Celery. The flag only asks the
    parent to kill this process at exit; the pool is stopped in `close`, so clearing it is
    safe."""
    process = multiprocessing.current_process()
    if process.daemon:
        process._config["daemon"] = False  # the documented setter refuses a running process


class ParseWorkers:
    """A pool of guarded parser processes; `parse` has `parse_bytes`'s signature."""

    def __init__(
        self,
        workers: int = WORKERS,
        seconds: float = PARSE_SECONDS,
        memory: int = PARSE_MEMORY,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.seconds = seconds
        self.memory = memory
        self.limits = limits
        self.workers = workers
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPool:
        _allow_children()
        return ProcessPool(
            max_workers=self.workers,
            max_tasks=RECYCLE_AFTER,
            initializer=_limit_memory,
            initargs=(self.memory,),
            context=_context(),
        )

    def __enter__(self) -> ParseWorkers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.pool.stop()
        self.pool.join()

    def _submit(self, job: Job) -> ProcessFuture:
        return self.pool.schedule(
            parse_bytes, args=job, kwargs={"limits": self.limits}, timeout=self.seconds
        )

    def parse(
        self, data: bytes, content_type: str | None = None, url: str = "", suffix: str = ""
    ) -> Parsed:
        """Like `parse_bytes`, but a crash, runaway or hang raises `UnparseableError`."""
        return self._result(self._submit((data, content_type, url, suffix)))

    def parse_all(self, jobs: Iterable[Job]) -> Iterator[Parsed | UnparseableError]:
        """Every job parsed on all workers at once, results in job order; a failure is
        yielded as its error so one document never stops the others."""
        jobs = list(jobs)
        pool, futures = self.pool, [self._submit(job) for job in jobs]
        for index in range(len(jobs)):
            if self.pool is not pool:  # restarted after a worker died: its queue went too
                pool = self.pool
                futures[index:] = [self._submit(later) for later in jobs[index:]]
            try:
                yield self._result(futures[index])
            except UnparseableError as exc:
                yield exc

    def _restart(self) -> None:
        """A fresh pool: a worker that died mid-message (out of memory while sending its
        result) can leave the pool's channel unreadable, and every later parse would wait
        out its timeout."""
        self.close()
        self.pool = self._new_pool()

    def _result(self, future: ProcessFuture) -> Parsed:
        try:
            return future.result()
        except UnparseableError:
            raise
        except FutureTimeout as exc:
            raise LimitExceeded("parse_seconds", self.seconds, self.seconds, "seconds") from exc
        except MemoryError as exc:
            limit = self.memory // MIB
            raise LimitExceeded("parse_memory", limit, limit, "MiB of parser memory") from exc
        except (ProcessExpired, BrokenProcessPool) as exc:
            self._restart()
            raise UnparseableError(
                f"parser process died ({exc}); memory ceiling {self.memory // MIB} MiB"
            ) from exc
        except Exception as exc:  # whatever a parser library raised on these bytes
            raise UnparseableError(f"parser failed: {type(exc).__name__}: {exc}") from exc
