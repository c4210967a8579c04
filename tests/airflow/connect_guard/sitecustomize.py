"""Records every attempt to reach a host that is not this machine, in every Python process
of a test's Airflow (the tests put this folder on PYTHONPATH and name a log file in
EDUFIG_CONNECT_LOG). An audit hook sees name lookups and connects before any library
can catch their failure, so an emitter that fails quietly offline is still caught."""

from __future__ import annotations

import os
import sys

LOCAL_PREFIXES = ("127.", "::1", "localhost", "0.0.0.0", "::")
WATCHED = {"socket.getaddrinfo": 0, "socket.connect": 1}


def _host(event: str, args: tuple) -> str | None:
    target = args[WATCHED[event]]
    if event == "socket.connect":
        target = target[0] if isinstance(target, tuple) else None  # a path: a Unix socket
    if isinstance(target, bytes):
        target = target.decode(errors="replace")
    return str(target) if target else None


def _record_outbound(event: str, args: tuple) -> None:
    if event not in WATCHED:
        return
    host = _host(event, args)
    if host and not host.startswith(LOCAL_PREFIXES) and host != os.uname().nodename:
        with open(os.environ["EDUFIG_CONNECT_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{event} {host} pid={os.getpid()} argv={' '.join(sys.argv[:4])}\n")


if os.environ.get("EDUFIG_CONNECT_LOG"):
    sys.addaudithook(_record_outbound)
