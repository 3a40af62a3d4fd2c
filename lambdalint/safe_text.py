"""Text from the input made safe to print: what a finding says about a file must not be able
to move a terminal's cursor, break an encoder, or grow without bound.

- control characters (C0 but the tab, DEL, C1; a newline too) become escapes such as ``\\x1b``;
- lone surrogates (``"\\ud800"`` in a ``.tf`` string, undecodable file names) become ``\\ud800``;
- a message is cut at :data:`MAX_MESSAGE` characters, with an ellipsis.
"""

from __future__ import annotations

import re

#: the longest message kept (a 50 MB function name must not become 100 MB of JSON)
MAX_MESSAGE = 2000

#: every control character but the tab, and lone surrogates
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, limit: int | None = MAX_MESSAGE) -> str:
    """``text`` with unsafe characters escaped and, when ``limit`` is given, cut to it."""
    if limit is not None and len(text) > limit:
        text = text[:limit - 1] + "…"
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)
