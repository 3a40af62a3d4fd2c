"""Helpers for testing rules: lint a template given as text."""

from __future__ import annotations

import os
import tempfile
from datetime import date

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.result import RunResult

DEFAULT_TODAY = date(2026, 11, 22)


def lint_text(
    text: str,
    filename: str = "template.yaml",
    *,
    select: list[str] | None = None,
    today: date = DEFAULT_TODAY,
) -> RunResult:
    """Write ``text`` to a temporary ``filename`` and lint it with the given rules."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, filename)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        engine = Engine(Config(select=select or ["ALL"]), today=today, root=tmp)
        result, _ = engine.run([path])
        return result
