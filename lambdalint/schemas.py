"""The typed definitions of what lambdalint reads and writes for other tools: the
``[tool.lambdalint]`` configuration, the JSON report and the baseline file.

Each is defined once, here, as msgspec Structs (the project's library for typed records, see
``docs/architecture.md``). The configuration is validated with them (``lambdalint.config``),
the JSON report is built from them (``lambdalint.reporters.json_report``), and the published
JSON Schemas in ``schemas/`` are generated from them::

    python -m lambdalint.schemas        # writes schemas/*.schema.json

A test keeps the files current. The schemas use JSON Schema draft-07, which editors (taplo,
VS Code) and SchemaStore read.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

Severity = Literal["error", "warning", "note"]
FailOn = Literal["error", "warning", "note", "never"]
Rules = Annotated[list[str] | str, Meta(description="Rule ids (QT001), prefixes (QT), names or ALL.")]
Count = Annotated[int, Meta(ge=0)]
Line = Annotated[int, Meta(ge=1)]


class ConfigFile(Struct, forbid_unknown_fields=True, rename="kebab", omit_defaults=True):
    """lambdalint settings: [tool.lambdalint] in pyproject.toml, or the top level of lambdalint.toml."""

    # a key the file does not set is UNSET: no key is required, and none may be null (TOML has no null)
    select: Rules | UnsetType = UNSET
    ignore: Rules | UnsetType = UNSET
    exclude: Annotated[list[str] | str, Meta(description=(
        "Files and folders not to lint: a bare name matches at any depth, a pattern with a slash from the "
        "config file's folder."))] | UnsetType = UNSET
    per_file_ignores: Annotated[dict[str, Rules], Meta(description=(
        "Glob pattern (relative to the config file) = the rules not reported in matching files."))] | UnsetType = UNSET
    severity: Annotated[dict[str, Severity], Meta(description=(
        "Rule id, prefix or name = the severity its findings get."))] | UnsetType = UNSET
    quotas: Annotated[dict[str, Count], Meta(description=(
        "Adjustable AWS quotas of your account, e.g. account-concurrency = 3000."))] | UnsetType = UNSET
    today: Annotated[datetime.date, Meta(description=(
        "The date runtime lifecycle rules judge by (default: today)."))] | UnsetType = UNSET
    fail_on: Annotated[FailOn, Meta(description="Lowest severity that makes the exit status 1.")] | UnsetType = UNSET
    var_files: Annotated[list[str] | str, Meta(description=(
        "Terraform variable files: one beside a module is that module's, others go to every "
        "module."))] | UnsetType = UNSET
    jobs: Annotated[int, Meta(ge=0, description="Processes for large runs; 0: one per usable CPU.")] | UnsetType = UNSET
    baseline: Annotated[str, Meta(min_length=1, description=(
        "A baseline file of accepted findings (lambdalint check --write-baseline)."))] | UnsetType = UNSET
    respect_gitignore: Annotated[bool, Meta(description=(
        "Leave out what .gitignore files ignore when walking folders (default true)."))] | UnsetType = UNSET


class Place(Struct):
    """A related place: a parameter default, the policy a role uses, one hop of a loop."""

    path: str
    line: Line
    column: Line
    message: str


class ReportFinding(Struct):
    rule: str
    name: str | None
    severity: Severity
    message: str
    path: str
    line: Line
    column: Line
    end_line: Line
    end_column: Line
    pointer: str
    resource: str | None
    related: list[Place]
    flow: list[Place]
    fingerprint: Annotated[str, Meta(pattern="^[0-9a-f]{64}$")]
    suppressed: bool


class ReportTool(Struct):
    name: Literal["lambdalint"]
    version: str


class Summary(Struct):
    errors: Count
    warnings: Count
    notes: Count
    files: Count
    files_checked: Count
    suppressed: Count


class Report(Struct):
    """lambdalint check --format json (docs/json-output.md)."""

    version: Literal[1]
    tool: ReportTool
    findings: list[ReportFinding]
    summary: Summary
    errors: list[str]


class BaselineEntry(Struct):
    path: str
    rule: str
    resource: str | None
    fingerprint: Annotated[str, Meta(pattern="^[0-9a-f]{64}$")]
    message: str


class BaselineFile(Struct):
    """lambdalint check --write-baseline FILE."""

    lambdalint_baseline: Literal[1]
    findings: list[BaselineEntry]


SCHEMAS = {
    "lambdalint-config.schema.json": (ConfigFile, "lambdalint configuration ([tool.lambdalint])"),
    "report.schema.json": (Report, "lambdalint JSON report"),
    "baseline.schema.json": (BaselineFile, "lambdalint baseline"),
}


def schema(kind: Any, title: str) -> dict[str, Any]:
    """The draft-07 JSON Schema of ``kind``: msgspec's, with ``$defs`` renamed to the
    ``definitions`` draft-07 readers know."""
    import json

    import msgspec

    generated = msgspec.json.schema(kind)
    text = json.dumps(generated).replace('"#/$defs/', '"#/definitions/')
    doc: dict[str, Any] = json.loads(text)
    definitions = doc.pop("$defs", {})
    root = definitions.pop(kind.__name__) if doc.get("$ref") == f"#/definitions/{kind.__name__}" else doc
    root.pop("$ref", None)
    out: dict[str, Any] = {"$schema": "http://json-schema.org/draft-07/schema#",
                           "$id": f"https://github.com/lambdalint/lambdalint/blob/main/schemas/{_file(kind)}",
                           "title": title, **{k: v for k, v in root.items() if k != "title"}}
    if definitions:
        out["definitions"] = definitions
    return out


def _file(kind: Any) -> str:
    return next(name for name, (k, _) in SCHEMAS.items() if k is kind)


def render_all() -> dict[str, str]:
    import json

    return {name: json.dumps(schema(kind, title), indent=2, sort_keys=True) + "\n"
            for name, (kind, title) in SCHEMAS.items()}


def main() -> None:
    import os

    folder = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "schemas")
    os.makedirs(folder, exist_ok=True)
    for name, text in render_all().items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    print(f"wrote {len(SCHEMAS)} schemas to {folder}")


if __name__ == "__main__":
    main()
