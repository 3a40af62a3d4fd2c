"""Reporters: turn a :class:`~lambdalint.result.RunResult` into text, JSON, SARIF, GitHub
workflow annotations, JUnit XML or GitLab Code Quality JSON. They see only findings and rule metadata, never the model.

Each format's module is imported only when that format is asked for.
"""

from __future__ import annotations

from lambdalint.result import RunResult

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


def render(fmt: str, result: RunResult, *, color: bool = False, show_suppressed: bool = False,
           sarif_category: str | None = None) -> str:
    """The report of ``result`` in format ``fmt`` (one of :data:`FORMATS`). Text and GitHub
    output are ``""`` when nothing was found; JSON and SARIF are always a full document."""
    if fmt == "text":
        from lambdalint.reporters.text import render as impl
    elif fmt == "json":
        from lambdalint.reporters.json_report import render as impl
    elif fmt == "sarif":
        from lambdalint.reporters.sarif import render as sarif

        return sarif(result, show_suppressed=show_suppressed, category=sarif_category)
    elif fmt == "github":
        from lambdalint.reporters.github import render as impl
    elif fmt == "junit":
        from lambdalint.reporters.junit import render as impl
    elif fmt == "gitlab":
        from lambdalint.reporters.gitlab import render as impl
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return impl(result, color=color, show_suppressed=show_suppressed)


__all__ = ["FORMATS", "render"]
