"""Data-quality alerts: subscriptions, Chinese digests, outbox delivery (email, robots, files)."""

from edufig.alerts.send import list_alerts, requeue_alerts, send_alerts, unassigned_flags

__all__ = ["list_alerts", "requeue_alerts", "send_alerts", "unassigned_flags"]
