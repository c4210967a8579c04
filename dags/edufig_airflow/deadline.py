"""The deadline of the daily chain, measured from the run's slot, and only when it can be met.

Airflow's DAGRUN_LOGICAL_DATE reference creates a deadline for every run, even one created
after that deadline had passed: unpausing a DAG (its run for today's already-passed 06:00
slot), a backfill or a catch-up then reports a missed deadline within a second, and the
engineer on call gets a false alarm. This reference gives such a run no deadline at all; a
manual run, which has no logical date, is measured from its `run_after`. The scheduler
finds the class through the plugin below (entry point `airflow.plugins`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from airflow.plugins_manager import AirflowPlugin
from airflow.sdk.definitions.deadline import BaseDeadlineReference

log = logging.getLogger(__name__)


@dataclass
class ChainSlotDeadline(BaseDeadlineReference):
    """The run's slot (logical date, else `run_after`), unless slot + interval had already
    passed when the run was created. `interval_seconds` must equal the DeadlineAlert's
    interval: the reference alone sees the run, not the alert."""

    interval_seconds: float = 0.0
    required_kwargs = frozenset({"dag_id", "run_id"})

    def _evaluate_with(self, *, session: Any, **kwargs: Any) -> datetime | None:
        from airflow.models import DagRun
        from sqlalchemy import select

        run = session.scalar(
            select(DagRun).where(
                DagRun.dag_id == kwargs["dag_id"], DagRun.run_id == kwargs["run_id"]
            )
        )
        slot = run.logical_date or run.run_after
        if slot + timedelta(seconds=self.interval_seconds) <= datetime.now(UTC):
            log.info("%s: deadline of slot %s passed before the run was created", run.run_id, slot)
            return None
        return slot

    def serialize_reference(self) -> dict[str, Any]:
        return {**super().serialize_reference(), "interval_seconds": self.interval_seconds}

    @classmethod
    def deserialize_reference(cls, reference_data: dict[str, Any]) -> ChainSlotDeadline:
        return cls(interval_seconds=float(reference_data["interval_seconds"]))


class EdufigPlugin(AirflowPlugin):
    """Registers the deadline reference with the scheduler, which evaluates it."""

    name = "edufig"
    deadline_references: ClassVar[list[type]] = [ChainSlotDeadline]
