"""A finding's identity, independent of line numbers.

Used by the JSON and SARIF reporters (SARIF ``partialFingerprints["lambdalint/v2"]``) and by
the baseline (``lambdalint.baseline``). The identity is the file, the rule, the resource, the
JSON pointer of the offending property, and the finding's message with every run of digits
written as ``0``: adding or removing unrelated lines above a finding does not change it, nor
does a new value of the same defect (a timeout of 1000 instead of 1200), while two findings on
different properties, resources or of different content (two actions of one policy
statement, two integrations in front of one timeout) get different fingerprints.

v1 hashed the pointer without the message; findings inside one policy document or one
property then shared a fingerprint. Changing what goes into the hash invalidates every stored
baseline and SARIF history: bump :data:`FINGERPRINT_KEY` whenever it changes.
"""

from __future__ import annotations

import posixpath
import re

from lambdalint.rule import Finding

#: the versioned key under which SARIF results carry the fingerprint
FINGERPRINT_KEY = "lambdalint/v2"

_DIGITS = re.compile(r"[0-9]+")

_SEP = "\x1f"  # ASCII unit separator: cannot occur in paths, ids, pointers


def normalize_path(path: str) -> str:
    """``path`` as reported: forward slashes, no ``./`` segments, no trailing slash."""
    if not path:
        return path
    norm = posixpath.normpath(path.replace("\\", "/"))
    return "" if norm == "." else norm


def fingerprint(finding: Finding) -> str:
    """The hex SHA-256 identity of ``finding``: path, rule id, resource, pointer and message
    (digits written as 0)."""
    import hashlib  # lazily: about 2 ms, and the text report never needs it

    src = finding.source
    parts = (normalize_path(src.path), finding.rule_id, finding.resource or "", src.pointer,
             _DIGITS.sub("0", finding.message))
    return hashlib.sha256(_SEP.join(parts).encode("utf-8")).hexdigest()
