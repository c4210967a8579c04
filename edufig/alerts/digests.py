"""From new flags to outbox messages: one digest per recipient and channel, split to fit.

Message ids are derived from the recipient, the channel and the exact set of flag
occurrences, so planning the same digest twice (a crash between runs, a rerun) yields the
same ids and the outbox keeps one copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from edufig.alerts.flag_routing import Flag
from edufig.alerts.render import (
    DINGTALK_MAX_BYTES,
    WECOM_MAX_BYTES,
    Digest,
    render_html,
    render_markdown_parts,
    render_text,
)
from edufig.alerts.subscriptions import (
    Channel,
    DingTalkChannel,
    Fallback,
    Recipient,
    WeComChannel,
)
from edufig.alerts.tables import OutboxMessage
from edufig.review.links import flag_link


def digest_id(recipient: str, channel_key: str, keys: list[tuple[str, int]]) -> str:
    text = "\n".join([recipient, channel_key, *(f"{f}#{n}" for f, n in sorted(keys))])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def flag_summary(flag: Flag) -> dict:
    """The flag as data for the .json outbox file (consumers escape it themselves)."""
    return {
        "flag_id": flag.flag_id,
        "check_name": flag.check_name,
        "severity": flag.severity,
        "region_code": flag.region_code,
        "region_name": flag.region_name,
        "metric": flag.metric,
        "metric_name_zh": flag.metric_name_zh,
        "level": flag.level,
        "year": flag.year,
        "kind": flag.kind,
        "values": flag.values,
        "message_zh": flag.message_zh,
        "evidence": [asdict(e) for e in flag.evidence],
        "data_docs_url": flag.data_docs_url,
    }


def _robot_bodies(channel: DingTalkChannel | WeComChannel, digest: Digest) -> list[dict]:
    if isinstance(channel, DingTalkChannel):
        parts = render_markdown_parts(digest, DINGTALK_MAX_BYTES)
        return [
            {"msgtype": "markdown", "markdown": {"title": digest.title, "text": text}}
            for text in parts
        ]
    parts = render_markdown_parts(digest, WECOM_MAX_BYTES)
    return [{"msgtype": "markdown", "markdown": {"content": text}} for text in parts]


def _payloads(channel: Channel, digest: Digest) -> list[dict]:
    if isinstance(channel, DingTalkChannel | WeComChannel):
        return [{"body": body} for body in _robot_bodies(channel, digest)]
    return [
        {
            "text": render_text(digest),
            "html": render_html(digest),
            "flags": [flag_summary(f) for f in digest.flags],
        }
    ]


def review_links(recipient: Recipient | Fallback, flags: list[Flag]) -> dict[str, str]:
    """The recipient's signed link to each flag's review page (none without a review secret)."""
    links = {
        f.flag_id: flag_link(recipient.name, recipient.province_code, f.flag_id) for f in flags
    }
    return {flag_id: link for flag_id, link in links.items() if link}


def digest_messages(
    recipient: Recipient | Fallback,
    channel: Channel,
    flags: list[Flag],
    times_raised: dict[str, int],
) -> list[OutboxMessage]:
    """The outbox messages carrying `flags` to one of the recipient's channels."""
    keys = [(f.flag_id, times_raised[f.flag_id]) for f in flags]
    ident = digest_id(recipient.name, channel.key(), keys)
    digest = Digest(recipient.name, tuple(flags), review_links(recipient, flags))
    payloads = _payloads(channel, digest)
    total = len(payloads)
    return [
        OutboxMessage(
            message_id=f"{ident[:24]}-{part}",
            digest_id=ident,
            recipient=recipient.name,
            channel=channel.type,
            channel_key=channel.key(),
            channel_spec=channel.model_dump_json(),
            part=part,
            parts=total,
            subject=digest.subject + (f"（{part}/{total}）" if total > 1 else ""),
            flag_count=len(flags),
            payload=payload,
        )
        for part, payload in enumerate(payloads, start=1)
    ]
