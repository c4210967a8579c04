"""How long a flag has been open comes from the alerts stage's snapshot, which every alerts
run replaces; the analysts' snapshot holds the marts and flags only, so sending alerts never
makes it worth copying again."""

from __future__ import annotations

from edufig.publish import query_snapshot
from edufig.review import data


def test_flag_ages_are_the_alert_state_of_the_last_run(site):
    seen = data.first_seen(site.settings)
    state = dict(site.query("SELECT flag_id, first_seen FROM alerts.flag_state"))
    flags = {flag_id for (flag_id,) in site.query("SELECT flag_id FROM dq.dq_flags")}
    assert flags and flags <= seen.keys()
    assert seen == state
    _, rows = query_snapshot(
        site.settings,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'alerts'",
    )
    assert rows == [(0,)]
