"""Run bench stages as subprocesses and collect their JSON records."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from edufig.core.config import REPO_ROOT

STAGE_TIMEOUT = 3600


@dataclass
class StageRun:
    """Where a pipeline run reads and writes; `record` adds one measured stage."""

    data_dir: Path
    sources: Path | None = None
    sites: Path | None = None
    corpus: Path | None = None
    subscriptions: Path | None = None
    log: list[str] = field(default_factory=list)

    def stage(self, name: str, full_refresh: bool = False) -> dict:
        command = [sys.executable, "-m", "bench.stage", name, "--data-dir", str(self.data_dir)]
        for flag, value in (
            ("--sources", self.sources),
            ("--sites", self.sites),
            ("--corpus", self.corpus),
            ("--subscriptions", self.subscriptions),
        ):
            if value is not None:
                command += [flag, str(value)]
        if full_refresh:
            command.append("--full-refresh")
        start = time.perf_counter()
        try:
            done = subprocess.run(
                command,
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=STAGE_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {
                "stage": name,
                "status": "failed",
                "reason": f"timed out after {STAGE_TIMEOUT}s",
            }
        wall = round(time.perf_counter() - start, 3)
        record = _last_json(done.stdout) or {
            "stage": name,
            "status": "failed",
            "reason": f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}",
        }
        record["process_seconds"] = wall
        self.log.append(
            f"{name}: {record.get('status')} {record.get('seconds', '-')}s "
            f"{record.get('reason', '')}"
        )
        print(f"    {self.log[-1]}", flush=True)
        return record


def _last_json(stdout: str) -> dict | None:
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None
