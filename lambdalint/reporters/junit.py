"""JUnit XML, as CI systems read test reports (GitLab, Jenkins, Azure Pipelines, CircleCI).

One ``<testsuite>`` per checked file, one ``<testcase>`` per enabled rule in it: it passes
when the rule found nothing there, else it has one ``<failure>`` whose message is the first
finding and whose text lists every finding of that rule in that file as
``path:line:col: severity: message``. The shape follows the common JUnit schema (Jenkins'
``junit-10.xsd``, the one GitLab and Azure document): ``testsuites > testsuite > testcase >
failure`` with ``name``, ``classname``, ``tests``, ``failures``, ``errors``, ``skipped`` and
``time`` attributes. Suppressed findings are not reported.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lambdalint.fingerprint import normalize_path
from lambdalint.reporters._common import one_line, rule_map
from lambdalint.result import RunResult
from lambdalint.rule import Finding

# characters XML 1.0 cannot hold at all, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text(value: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        value)


def render(result: RunResult, *, color: bool = False, show_suppressed: bool = False) -> str:
    import xml.etree.ElementTree as ET  # imported only for this format

    rules = rule_map(result)
    enabled = [r.id for r in result.rules]
    found: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in result.findings:
        found[normalize_path(f.source.path)][f.rule_id].append(f)
    files = list(dict.fromkeys([*(normalize_path(p) for p in result.files), *found]))
    root = ET.Element("testsuites", name="lambdalint")
    total = failed = 0
    for path in sorted(files):
        by_rule = found.get(path, {})
        ids = list(dict.fromkeys([*enabled, *sorted(by_rule)]))  # a rule outside the selection (LL000)
        suite = ET.SubElement(root, "testsuite", name=_text(path), tests=str(len(ids)),
                              failures=str(sum(1 for i in ids if by_rule.get(i))), errors="0", skipped="0", time="0")
        for rule_id in ids:
            rule = rules.get(rule_id)
            name = f"{rule_id} {rule.name}" if rule is not None else rule_id
            case = ET.SubElement(suite, "testcase", name=name, classname=_text(path), file=_text(path), time="0")
            hits = by_rule.get(rule_id)
            if hits:
                first = hits[0]
                body = "\n".join(f"{path}:{f.source.line}:{f.source.column}: {f.severity.value}: "
                                 f"{one_line(f.message)}" for f in hits)
                ET.SubElement(case, "failure", message=_text(one_line(first.message)),
                              type=first.severity.value).text = _text(body)
        total += len(ids)
        failed += int(suite.get("failures", "0"))
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
