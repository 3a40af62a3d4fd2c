"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).

One run; every enabled rule in ``tool.driver.rules`` in the order of ``RunResult.rules``;
each result with ``ruleId``/``ruleIndex``, an explicit ``level``, one repo-relative location
(``uriBaseId: %SRCROOT%``) with a tight region, and a line-independent fingerprint under
``partialFingerprints["lambdalint/v2"]``. ``primaryLocationLineHash`` is deliberately left to
``github/codeql-action/upload-sarif``, which computes it from the checked-out file.

Parse errors (LL000) are both results and error-level tool execution notifications. An empty
run (``"results": []``) is written when nothing is found, since that is what closes fixed
alerts. Suppressed findings are left out (GitHub ignores ``suppressions`` and would open them
as alerts) unless ``show_suppressed`` is given; then every result carries ``suppressions``.
The output is deterministic: no timestamps, no absolute paths of the machine.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from lambdalint import __version__
from lambdalint.fingerprint import FINGERPRINT_KEY, fingerprint, normalize_path
from lambdalint.model import Suppression
from lambdalint.reporters._common import entries, in_repository
from lambdalint.result import RunResult
from lambdalint.rule import Finding, Related, Rule, Severity
from lambdalint.values import SourceRef

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "lambdalint"  # never change: GitHub keys alerts on it
INFORMATION_URI = "https://github.com/lambdalint/lambdalint"
#: the rule's page at the tag of the installed version (release tags are ``v`` + the version)
HELP_URI = INFORMATION_URI + "/blob/v{version}/docs/rules/{id}.md"
SRCROOT = "%SRCROOT%"
#: results per run that GitHub code scanning accepts (it refuses the upload above)
MAX_RESULTS = 25_000
#: the reserved rule whose findings are also tool execution notifications
PARSE_ERROR_RULE = "LL000"

MAX_DESCRIPTION = 1024  # GitHub: shortDescription / fullDescription
MAX_TAGS = 20  # GitHub: tags per rule
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}
_ABSOLUTE_WINDOWS = re.compile(r"^[A-Za-z]:/")
#: RFC 3986 ``pchar`` characters besides unreserved ones and ``:`` (kept readable in URIs)
_URI_SAFE = "/!$&'()*+,;=@"


# -- rules ------------------------------------------------------------------------------


def _clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def first_paragraph(markdown: str) -> str:
    """The prose before the first heading or blank line, on one line."""
    lines: list[str] = []
    for line in markdown.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            break
        lines.append(line.strip())
    return " ".join(lines)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.rstrip().splitlines())


def help_markdown(rule: type[Rule]) -> str:
    refs = "\n".join(f"- <{r}>" for r in rule.references)
    return (
        f"{rule.docs()}\n\n"
        f"## Example that fires\n\n```yaml\n{rule.bad_example.rstrip()}\n```\n\n"
        f"## Example that passes\n\n```yaml\n{rule.good_example.rstrip()}\n```\n\n"
        f"## References\n\n{refs}\n"
    )


def help_text(rule: type[Rule]) -> str:
    refs = "\n".join(f"- {r}" for r in rule.references)
    return (
        f"{rule.title()}\n\n{rule.docs()}\n\n"
        f"Example that fires:\n\n{_indent(rule.bad_example)}\n\n"
        f"Example that passes:\n\n{_indent(rule.good_example)}\n\n"
        f"References:\n{refs}\n"
    )


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    title = rule.title()
    tags = list(dict.fromkeys(rule.tags))
    properties: dict[str, Any] = {}
    if rule.security_severity is not None:
        if "security" not in tags:
            tags.insert(0, "security")
    properties["tags"] = tags[:MAX_TAGS]
    properties["precision"] = rule.precision
    if rule.security_severity is not None:
        properties["security-severity"] = str(rule.security_severity)
    else:
        properties["problem.severity"] = _PROBLEM_SEVERITY[rule.severity]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": _clip(title)},
        "fullDescription": {"text": _clip(first_paragraph(rule.docs()) or title)},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "helpUri": HELP_URI.format(version=__version__, id=rule.id),
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": properties,
    }


def _unknown_rule_descriptor(rule_id: str, level: Severity) -> dict[str, Any]:
    """A placeholder for a finding whose rule is not among the enabled rules (should not
    happen; keeps ``ruleIndex`` valid if it does)."""
    text = f"Rule {rule_id}."
    return {
        "id": rule_id,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": level.value},
        "properties": {"tags": [], "precision": "low", "problem.severity": _PROBLEM_SEVERITY[level]},
    }


# -- locations --------------------------------------------------------------------------


def artifact_location(path: str) -> dict[str, Any]:
    """A repo-relative POSIX URI under ``%SRCROOT%``; a ``file:`` URI for a path outside
    the root (display paths are absolute only then)."""
    norm = normalize_path(path)
    if norm.startswith("/"):
        return {"uri": "file://" + quote(norm, safe=_URI_SAFE)}
    if _ABSOLUTE_WINDOWS.match(norm):
        return {"uri": "file:///" + norm[:2] + quote(norm[2:], safe=_URI_SAFE)}
    return {"uri": quote(norm, safe=_URI_SAFE), "uriBaseId": SRCROOT}


def region(src: SourceRef) -> dict[str, int]:
    """1-based, end column exclusive (as in :class:`SourceRef`); never empty or inverted."""
    line = max(1, src.line)
    column = max(1, src.column)
    end_line = max(line, src.end_line)
    end_column = max(1, src.end_column)
    if end_line == line and end_column <= column:
        end_column = column + 1
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def physical_location(src: SourceRef) -> dict[str, Any]:
    return {"artifactLocation": artifact_location(src.path), "region": region(src)}


def _location(f: Finding) -> dict[str, Any]:
    loc: dict[str, Any] = {"physicalLocation": physical_location(f.source)}
    logical = f.resource or f.source.pointer
    if logical:
        loc["logicalLocations"] = [{"fullyQualifiedName": logical}]
    return loc


def _related_location(index: int, rel: Related) -> dict[str, Any]:
    return {"id": index, "physicalLocation": physical_location(rel.source), "message": {"text": rel.message}}


def _code_flow(flow: tuple[Related, ...]) -> dict[str, Any]:
    hops = [
        {"location": {"physicalLocation": physical_location(hop.source), "message": {"text": hop.message}}}
        for hop in flow
    ]
    return {"threadFlows": [{"locations": hops}]}


# -- the log ----------------------------------------------------------------------------


def _suppression(by: Suppression | None) -> dict[str, Any]:
    """A SARIF suppression: ``inSource`` for a comment or template ``Metadata`` (with its
    reason as justification), ``external`` for the baseline and the config's ignores."""
    if by is None:
        return {"kind": "external", "justification": "per-file-ignores in the lambdalint configuration"}
    if by.scope == "baseline":
        return {"kind": "external", "justification": f"listed in the baseline {by.source.path}"}
    out: dict[str, Any] = {"kind": "inSource"}
    if by.reason:
        out["justification"] = by.reason
    return out


def document(result: RunResult, *, show_suppressed: bool = False, category: str | None = None) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    descriptors = [rule_descriptor(r) for r in result.rules]
    index = {r.id: i for i, r in enumerate(result.rules)}

    def rule_index(f: Finding) -> int:
        if f.rule_id not in index:
            index[f.rule_id] = len(descriptors)
            descriptors.append(_unknown_rule_descriptor(f.rule_id, f.severity))
        return index[f.rule_id]

    results: list[dict[str, Any]] = []
    by = {id(f): s for f, s in zip(result.suppressed, result.suppressed_by)}
    chosen = entries(result, show_suppressed)
    left_out = max(0, len(chosen) - MAX_RESULTS)
    if left_out:  # code scanning refuses more: keep the most severe, in report order
        kept = {id(f) for f, _ in sorted(chosen, key=lambda e: -e[0].severity.rank)[:MAX_RESULTS]}
        chosen = [e for e in chosen if id(e[0]) in kept]
    move = in_repository(result)
    for original, suppressed in chosen:
        f = move(original)
        res: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": rule_index(f),
            "level": f.severity.value,
            "message": {"text": f.message},
            "locations": [_location(f)],
        }
        if f.related:
            res["relatedLocations"] = [_related_location(i, r) for i, r in enumerate(f.related, start=1)]
        if f.flow:
            res["codeFlows"] = [_code_flow(f.flow)]
        res["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(f)}
        if show_suppressed:
            known = _suppression(by[id(original)]) if id(original) in by else {"kind": "external"}
            res["suppressions"] = [known] if suppressed else []
        results.append(res)

    invocation: dict[str, Any] = {"executionSuccessful": True}
    notifications = [
        {
            "level": "error",
            "message": {"text": f.message},
            "locations": [{"physicalLocation": physical_location(f.source)}],
            "associatedRule": {"id": f.rule_id, "index": rule_index(f)},
        }
        for f in map(move, result.findings)
        if f.rule_id == PARSE_ERROR_RULE
    ]
    if left_out:
        notifications.append({"level": "warning", "message": {"text": (
            f"{left_out:,} of {left_out + MAX_RESULTS:,} results were left out: code scanning accepts at most "
            f"{MAX_RESULTS:,} per run; the most severe are kept. Fix or baseline findings to see the rest.")}})
    if result.errors:  # an input lambdalint failed on: the run did not succeed
        invocation["executionSuccessful"] = False
        notifications.extend({"level": "error", "message": {"text": error}} for error in result.errors)
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The repository root (the git top level above the directory "
                                              "lambdalint ran in, else that directory); result paths are "
                                              "relative to it."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if category:
        run["automationDetails"] = {"id": category if category.endswith("/") else category + "/"}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(result: RunResult, *, color: bool = False, show_suppressed: bool = False,
           category: str | None = None) -> str:
    import json

    log = document(result, show_suppressed=show_suppressed, category=category)
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
