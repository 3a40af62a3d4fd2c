"""A finding's identity, independent of line numbers.

Used by the JSON and SARIF reporters (SARIF ``partialFingerprints["lambdalint/v1"]``) and by
the baseline. The identity is the file, the rule, the resource and the JSON pointer of the
offending property: adding or removing unrelated lines above a finding does not change it,
and two findings on different properties or resources get different fingerprints. A finding
without a pointer (a parse error) is identified by its message instead.

Changing what goes into the hash invalidates every stored baseline and SARIF history: bump
:data:`FINGERPRINT_KEY` (``lambdalint/v2``) when it is ever changed.
"""

from __future__ import annotations

import posixpath

from lambdalint.rule import Finding

#: the versioned key under which SARIF results carry the fingerprint
FINGERPRINT_KEY = "lambdalint/v1"

_SEP = "\x1f"  # ASCII unit separator: cannot occur in paths, ids, pointers


def normalize_path(path: str) -> str:
    """``path`` as reported: forward slashes, no ``./`` segments, no trailing slash."""
    if not path:
        return path
    norm = posixpath.normpath(path.replace("\\", "/"))
    return "" if norm == "." else norm


def fingerprint(finding: Finding) -> str:
    """The hex SHA-256 identity of ``finding``: path, rule id, resource, and the pointer
    (the message when there is no pointer)."""
    import hashlib  # lazily: about 2 ms, and the text report never needs it

    src = finding.source
    anchor = f"pointer:{src.pointer}" if src.pointer else f"message:{finding.message}"
    parts = (normalize_path(src.path), finding.rule_id, finding.resource or "", anchor)
    return hashlib.sha256(_SEP.join(parts).encode("utf-8")).hexdigest()
