"""Baselines: accept the findings a legacy repository has today, report only new ones.

``lambdalint check --write-baseline FILE`` writes every finding of the run; ``--baseline FILE``
(or ``baseline`` in the config) suppresses the findings it lists. Each entry names the file
(as reported, relative to the repository), the rule, the resource and the finding's
fingerprint (``lambdalint.fingerprint``: independent of line numbers and of the digits in the
message), and keeps the message for the reviewer. An entry that matches no finding of a file
the run checked is stale: LL001 reports it at the entry's line.

The file is JSON, sorted and indented, one entry per line, so that a change to it reads well
in a review::

    {
      "lambdalint_baseline": 1,
      "findings": [
        {"path": "template.yaml", "rule": "QT002", "resource": "Fn", "fingerprint": "…", "message": "…"}
      ]
    }
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from lambdalint.fingerprint import fingerprint, normalize_path

__all__ = ["BaselineError", "load", "relative", "relative_path", "render"]
from lambdalint.model import Suppression
from lambdalint.rule import Finding
from lambdalint.values import SourceRef

#: the format's version (the value of the ``lambdalint_baseline`` key)
VERSION = 1
#: a baseline file larger than this is refused (a hostile or wrong file)
MAX_BYTES = 64 * 1024 * 1024
_FIELDS = ("path", "rule", "resource", "fingerprint", "message")


class BaselineError(Exception):
    pass


def relative_path(path: str, root: str, base: str) -> str:
    """``path`` (as reported, relative to ``root``) relative to ``base`` instead."""
    import os

    where = os.path.join(root, path)
    try:
        return normalize_path(os.path.relpath(where, base))
    except ValueError:  # another drive
        return normalize_path(os.path.abspath(where))


def relative(finding: Finding, root: str, base: str) -> Finding:
    """``finding`` with its path relative to ``base`` (the baseline file's folder) instead of
    ``root`` (the folder paths are reported from): a baseline matches from any directory."""
    from lambdalint.model import replace

    return replace(finding, source=replace(finding.source, path=relative_path(finding.source.path, root, base)))


def entry(finding: Finding) -> dict[str, Any]:
    return {"path": normalize_path(finding.source.path), "rule": finding.rule_id, "resource": finding.resource,
            "fingerprint": fingerprint(finding), "message": finding.message}


def render(findings: Iterable[Finding]) -> str:
    """The baseline file for ``findings``: sorted by path, rule, resource and fingerprint."""
    entries = sorted({(e["path"], e["rule"], e["resource"] or "", e["fingerprint"]): e
                      for e in map(entry, findings)}.items())
    lines = [json.dumps(e, ensure_ascii=False) for _, e in entries]
    body = ",\n    ".join(lines)
    listed = f"\n    {body}" if lines else ""
    return f'{{\n  "lambdalint_baseline": {VERSION},\n  "findings": [{listed}\n  ]\n}}\n'


def load(path: str, shown: str) -> list[Suppression]:
    """The entries of the baseline file ``path`` as suppressions located at their lines
    (``shown``: the path as reported). Raises :class:`BaselineError` with a one-line reason."""
    from lambdalint.parsers.nodes import LoadError, Node
    from lambdalint.parsers.yaml_loader import load_text

    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {shown}: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise BaselineError(f"baseline {shown} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        root = load_text(raw.decode("utf-8"), shown, json_like=True)
    except (UnicodeDecodeError, LoadError) as exc:
        raise BaselineError(f"baseline {shown} is not JSON: {exc}") from None
    top = root.value if isinstance(root, Node) else None
    if not isinstance(top, dict) or _plain(top.get("lambdalint_baseline")) != VERSION:
        raise BaselineError(f"baseline {shown} is not a lambdalint baseline (version {VERSION}); "
                            "write one with --write-baseline")
    items = top.get("findings")
    if not isinstance(items, Node) or not isinstance(items.value, list):
        raise BaselineError(f"baseline {shown}: 'findings' must be a list")
    out: list[Suppression] = []
    for item in items.value:
        fields = item.value if isinstance(item, Node) else None
        values = {k: _plain(fields.get(k)) for k in _FIELDS} if isinstance(fields, dict) else {}
        if not all(isinstance(values.get(k), str) for k in ("path", "rule", "fingerprint")) or not (
                values.get("resource") is None or isinstance(values.get("resource"), str)):
            raise BaselineError(f"baseline {shown}, line {item.src.line}: an entry needs the strings path, rule "
                                "and fingerprint, and a resource that is a string or null")
        src = item.src
        out.append(Suppression(values["rule"], values.get("message") or "baseline",
                               SourceRef(shown, src.line, src.column, src.end_line, src.end_column),
                               "baseline", values.get("resource"), path=values["path"],
                               fingerprint=values["fingerprint"]))
    return out


def _plain(node: Any) -> Any:
    from lambdalint.parsers.nodes import Node

    return node.value if isinstance(node, Node) else None
