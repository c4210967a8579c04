"""A pipeline run during a burst of review actions: no decision lost, no error on either side.

The reviewers post through the real site (session cookie, CSRF token) from four threads for
as long as `edufig run` takes; the run reads the decisions store while they write.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pytest
import requests

from edufig.load import load
from edufig.review.links import Signer
from edufig.review.store import DecisionStore, decisions_path
from tests.review.conftest import SECRET

pytestmark = pytest.mark.slow

REVIEWERS = 4


def reviewer_session(site) -> tuple[requests.Session, str, list[str]]:
    """A 山西 reviewer's session, its CSRF token and the flags it may decide."""
    session = requests.Session()
    token = Signer(SECRET).link_token("山西省教育厅", "140000")
    session.get(f"{site.base_url}/r/{token}", timeout=30)
    inbox = session.get(f"{site.base_url}/inbox?status=all", timeout=30)
    flag_ids = sorted(set(re.findall(r'href="/flags/([0-9a-f]{40})"', inbox.text)))
    page = session.get(f"{site.base_url}/flags/{flag_ids[0]}", timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return session, csrf, flag_ids


def burst(site, stop: threading.Event, worker: int) -> list[tuple[int, str, float]]:
    """Confirm flags until told to stop; (status, note, seconds) of every post."""
    session, csrf, flag_ids = reviewer_session(site)
    outcomes = []
    n = 0
    while not stop.is_set() or n < 5:
        note = f"burst-{worker}-{n}"
        started = time.perf_counter()
        response = session.post(
            f"{site.base_url}/flags/{flag_ids[n % len(flag_ids)]}/decision",
            data={"action": "confirm", "note": note, "csrf_token": csrf},
            allow_redirects=False,
            timeout=30,
        )
        outcomes.append((response.status_code, note, time.perf_counter() - started))
        n += 1
    return outcomes


def test_a_pipeline_run_during_a_burst_of_decisions_loses_none(site):
    store = DecisionStore(decisions_path(site.settings))
    before = len(store.all())
    stop = threading.Event()
    with ThreadPoolExecutor(REVIEWERS) as pool:
        bursts = [pool.submit(burst, site, stop, w) for w in range(REVIEWERS)]
        try:
            site.run_pipeline()  # asserts the run succeeded
        finally:
            stop.set()
        outcomes = [o for b in bursts for o in b.result()]

    assert {status for status, _, _ in outcomes} == {303}
    stored = store.all()[before:]
    assert sorted(d.note for d in stored) == sorted(note for _, note, _ in outcomes)
    assert len(outcomes) >= REVIEWERS * 5
    print(f"{len(outcomes)} decisions during the run, slowest answer"
          f" {max(s for _, _, s in outcomes):.3f}s")  # fmt: skip

    load(site.settings)  # what the next run's load stage does
    with duckdb.connect(str(site.settings.warehouse), read_only=True) as con:
        rows = con.execute("SELECT decision_id FROM landing.review_decisions").fetchall()
    landed = {row[0] for row in rows}
    assert {d.decision_id for d in store.all()} == landed
