"""Control characters and terminal escape sequences out of scraped text.

A document can carry ESC sequences that recolour or rewrite an engineer's terminal, bell
characters, NULs and bidi overrides that reorder what a reader sees. They are removed
from every parsed text before extraction (so evidence offsets index the stored text) and
again from anything printed or sent, since older rows predate the parse-time cleaning.
"""

from __future__ import annotations

import re

# CSI (ESC [ … final), OSC (ESC ] … BEL or ST) and two-byte ESC sequences.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """`text` without escape sequences and control characters; newline and tab stay,
    carriage returns become newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
