"""The rule API: what a rule declares, what it receives and what it returns.

A rule is one class in one module. Its metadata is checked when the class is defined, so a
malformed rule fails at import. The engine (``lambdalint.engine``) knows no specific rule.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from enum import Enum
from typing import Any, ClassVar

from msgspec import Struct, field

from lambdalint.model import Application, LambdaFunction, Suppression
from lambdalint.values import Located, SourceRef


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


class Related(Struct, frozen=True):
    source: SourceRef
    message: str


class Finding(Struct, frozen=True):
    rule_id: str
    message: str
    source: SourceRef
    severity: Severity
    #: the resource the finding is about (logical id / Terraform address): used by
    #: suppressions, baselines and fingerprints, which must not depend on line numbers
    resource: str | None = None
    #: where that resource is declared (resource-level comment suppressions)
    resource_source: SourceRef | None = None
    related: tuple[Related, ...] = ()
    #: hop-by-hop path for loops (SARIF codeFlows)
    flow: tuple[Related, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        s = self.source
        return (s.path, s.line, s.column, self.rule_id, self.message)


class Context(Struct):
    """What a rule may know besides the model: the date, quota values, data tables."""

    app: Application
    today: date
    quotas: Mapping[str, int]
    data: Any  # lambdalint.data.DataStore; typed loosely to keep this module light
    #: analyses derived from ``app`` that several rules share (the IAM layer's effective
    #: permissions), computed by the first rule that asks; keyed by the analysis' name
    memo: dict[str, Any] = field(default_factory=dict)


class SuppressionReport(Struct, frozen=True):
    """What the suppression stage saw, for rules about suppressions (LL001, LL002)."""

    unused: tuple[Suppression, ...]
    all: tuple[Suppression, ...]
    enabled_rules: frozenset[str] = field(default_factory=frozenset)


_ID = re.compile(r"^[A-Z]{2}\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_AREAS = {
    "QT": "quotas",
    "RT": "runtime",
    "IM": "iam",
    "RC": "recursion",
    "VP": "vpc",
    "AL": "aliases",
    "EV": "events",
    "LL": "meta",
}


class RuleDefinitionError(TypeError):
    pass


class Rule:
    """Base of every rule. Subclass :class:`FunctionRule`, :class:`ApplicationRule` or
    :class:`SuppressionRule`; set the metadata below and write ``check``."""

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    #: authority for the rule: https URLs
    references: ClassVar[tuple[str, ...]]
    #: SAM YAML templates: the bad one must fire the rule, the good one must not
    bad_example: ClassVar[str]
    good_example: ClassVar[str]
    #: "hard": AWS rejects the configuration; "soft": it deploys but misbehaves
    kind: ClassVar[str] = "hard"
    tags: ClassVar[tuple[str, ...]] = ()
    #: SARIF precision: very-high, high, medium, low
    precision: ClassVar[str] = "very-high"
    #: SARIF security-severity for security rules ("0.1".."10.0"), else None
    security_severity: ClassVar[str | None] = None
    #: dialects the rule can see its resources in: "sam", "cfn" (YAML and JSON), "tf" (HCL),
    #: "plan" (``terraform show -json``); a test requires a failing and a clean fixture in each
    dialects: ClassVar[tuple[str, ...]] = ("sam", "cfn", "tf", "plan")

    _abstract: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("_abstract", False):
            return
        cls._abstract = False
        _validate(cls)

    @classmethod
    def title(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0].strip()

    @classmethod
    def docs(cls) -> str:
        """The docstring without its title line, dedented."""
        lines = inspect.cleandoc(cls.__doc__ or "").splitlines()
        return "\n".join(lines[1:]).strip()

    @classmethod
    def area(cls) -> str:
        return _AREAS[cls.id[:2]]

    def finding(
        self,
        source: SourceRef,
        message: str,
        *,
        resource: str | None = None,
        resource_source: SourceRef | None = None,
        related: Iterable[Related] = (),
        flow: Iterable[Related] = (),
    ) -> Finding:
        return Finding(
            rule_id=self.id,
            message=message,
            source=source,
            severity=self.severity,
            resource=resource,
            resource_source=resource_source,
            related=tuple(related),
            flow=tuple(flow),
        )

    def at(self, value: Located[Any], message: str, *, fn: LambdaFunction | None = None,
           related: Iterable[Related] = ()) -> Finding:
        """A finding at ``value``; when the value came from elsewhere (a parameter default,
        SAM Globals via a mapping) the property that holds it is added as related location."""
        rel = list(related)
        if value.origin is not None and value.origin != value.source:
            rel.insert(0, Related(value.origin, "the property that takes this value"))
        return self.finding(
            value.source,
            message,
            resource=fn.id if fn else None,
            resource_source=fn.source if fn else None,
            related=rel,
        )


class FunctionRule(Rule):
    """A rule judged once per function."""

    _abstract = True

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError


class ApplicationRule(Rule):
    """A rule over the whole application (graph rules, cross-resource sums)."""

    _abstract = True

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError


class SuppressionRule(Rule):
    """A rule about the suppressions themselves; run after suppressions are applied."""

    _abstract = True

    def check_suppressions(self, report: SuppressionReport) -> Iterator[Finding]:
        raise NotImplementedError


def _validate(cls: type[Rule]) -> None:
    where = f"{cls.__module__}.{cls.__qualname__}"

    def fail(msg: str) -> None:
        raise RuleDefinitionError(f"rule {where}: {msg}")

    for attr in ("id", "name", "severity", "references", "bad_example", "good_example"):
        if not hasattr(cls, attr):
            fail(f"missing class attribute {attr!r}")
    if not _ID.match(cls.id) or cls.id[:2] not in _AREAS:
        fail(f"id {cls.id!r} is not an area prefix ({', '.join(_AREAS)}) plus three digits")
    if not _NAME.match(cls.name):
        fail(f"name {cls.name!r} is not kebab-case")
    if not isinstance(cls.severity, Severity):
        fail("severity must be a Severity")
    if not cls.references or not all(r.startswith("https://") for r in cls.references):
        fail("references must be a non-empty tuple of https URLs")
    doc = inspect.cleandoc(cls.__doc__ or "")
    if not doc or "## Why is this bad?" not in doc:
        fail("docstring needs a title line and a '## Why is this bad?' section")
    if cls.kind not in ("hard", "soft", "meta"):
        fail("kind must be hard, soft or meta")
    if cls.precision not in ("very-high", "high", "medium", "low"):
        fail("precision must be very-high, high, medium or low")
    if cls.security_severity is not None:
        score = float(cls.security_severity)
        if not 0.0 < score <= 10.0:
            fail("security_severity must be a string score in (0, 10]")
