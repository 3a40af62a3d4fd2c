"""lambdalint's checks as cfn-lint rules: ``cfn-lint --append-rules lambdalint.cfnlint template.yaml``.

For teams that already gate on cfn-lint: every lambdalint rule (except the meta rules, LL*)
becomes a cfn-lint rule, reported in cfn-lint's own formats, filtered by its ``--ignore-checks``
and configured like its other rules. Ids are ``E``/``W``/``I`` (lambdalint's default severity)
+ ``9`` + the area (QT 1, RT 2, IM 3, RC 4, VP 5, AL 6, EV 7) + the rule's two digits:
QT002 is E9102, IM007 (a note) is I9307. ``lambdalint rules`` lists the lambdalint ids; each match's
message ends with the lambdalint id.

The first rule cfn-lint runs on a file lints it once with lambdalint (the file on disk, with
the lambdalint configuration nearest to it); the other rules read the cached findings. The
locations are lambdalint's, exact to the column, also in SAM templates that cfn-lint
transforms. A template given to cfn-lint as a string, without a file, gets no lambdalint
findings. This module imports cfn-lint: it is loaded only by cfn-lint.
"""

from __future__ import annotations

import os
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch  # type: ignore[import-untyped]

from lambdalint.registry import all_rules
from lambdalint.rule import Finding, Rule, Severity

_AREA_DIGIT = {"QT": 1, "RT": 2, "IM": 3, "RC": 4, "VP": 5, "AL": 6, "EV": 7}
_LETTER = {Severity.ERROR: "E", Severity.WARNING: "W", Severity.NOTE: "I"}
#: (real path, size, modification time) -> lambdalint's findings in the file
_CACHE: dict[tuple[str, int, int], list[Finding]] = {}


def cfn_lint_id(rule: type[Rule]) -> str | None:
    """The cfn-lint id of a lambdalint rule, or None for a rule cfn-lint does not get."""
    area = _AREA_DIGIT.get(rule.id[:2])
    return None if area is None else f"{_LETTER[rule.severity]}9{area}{int(rule.id[2:]):02d}"


def _findings(filename: str) -> list[Finding]:
    try:
        info = os.stat(filename)
    except OSError:
        return []
    key = (os.path.realpath(filename), info.st_size, info.st_mtime_ns)
    if key not in _CACHE:
        from lambdalint.runner import run

        done = run([filename], adjust=_no_meta_rules)
        _CACHE.clear()  # one file at a time: cfn-lint runs every rule on a file before the next
        _CACHE[key] = list(done.result.findings)
    return _CACHE[key]


def _no_meta_rules(config: Any) -> None:
    config.ignore = [*config.ignore, "LL"]  # cfn-lint reports parse errors (E0000) itself
    config.jobs = 1


def _match(self: Any, cfn: Any) -> list[RuleMatch]:
    filename = getattr(cfn, "filename", None)
    if not filename or not os.path.isfile(filename):
        return []
    out = []
    for f in _findings(filename):
        if f.rule_id != self.lambdalint_id:
            continue
        src = f.source
        path = [int(p) if p.isdigit() else p.replace("~1", "/").replace("~0", "~")
                for p in src.pointer.split("/")[1:]] if src.pointer else []
        location = (src.line - 1, src.column - 1, src.end_line - 1, src.end_column - 1)
        out.append(RuleMatch(path, f"{f.message} (lambdalint {f.rule_id})", location=location))
    return out


def _define() -> dict[str, type]:
    from lambdalint import __version__
    from lambdalint.reporters.sarif import HELP_URI, first_paragraph

    classes: dict[str, type] = {}
    for rule in all_rules():
        ident = cfn_lint_id(rule)
        if ident is None:
            continue
        name = f"Lambdalint{rule.id}"
        classes[name] = type(name, (CloudFormationLintRule,), {
            "__module__": __name__,
            "__doc__": rule.title(),
            "id": ident,
            "shortdesc": rule.title(),
            "description": first_paragraph(rule.docs()) or rule.title(),
            "source_url": HELP_URI.format(version=__version__, id=rule.id),
            "tags": ["lambdalint", rule.area(), rule.id],
            "lambdalint_id": rule.id,
            "match": _match,
        })
    return classes


globals().update(_define())
