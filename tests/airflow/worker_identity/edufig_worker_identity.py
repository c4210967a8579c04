"""`[core] hostname_callable` for several Celery workers on one machine.

Airflow records `task_instance.hostname` from this callable in the task process; on one
machine every worker has the same FQDN, so each worker names itself in EDUFIG_WORKER_NAME
(inherited by its task processes) and the test can tell from the metadata database which
worker ran which task instance. Other processes fall back to the FQDN."""

from __future__ import annotations

import os
import socket


def hostname() -> str:
    return os.environ.get("EDUFIG_WORKER_NAME") or socket.getfqdn()
