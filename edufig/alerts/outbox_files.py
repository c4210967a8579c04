"""The local 'channel' of the embedded default: each digest as an .eml and a .json file."""

from __future__ import annotations

import json
from email.headerregistry import Address
from pathlib import Path

from edufig.alerts.smtp import email_message
from edufig.alerts.tables import OutboxMessage

OUTBOX_SENDER = Address("EduFigures", "edufig", "localhost")


def write_outbox_files(message: OutboxMessage, outbox_dir: Path) -> str:
    """The local 'channel': the email as .eml and the digest as .json, written atomically."""
    outbox_dir.mkdir(parents=True, exist_ok=True)
    to = Address(message.recipient, "outbox", "localhost")
    eml = email_message(message, OUTBOX_SENDER, to).as_bytes()
    record = {
        "message_id": message.message_id,
        "recipient": message.recipient,
        "subject": message.subject,
        "flags": message.payload["flags"],
        "text": message.payload["text"],
    }
    base = outbox_dir / message.message_id
    _write_atomic(base.with_suffix(".eml"), eml)
    _write_atomic(base.with_suffix(".json"), json.dumps(record, ensure_ascii=False).encode())
    return str(base.with_suffix(".eml"))


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
