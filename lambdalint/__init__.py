"""lambdalint: a linter and policy checker for AWS Lambda configurations.

Command line: ``lambdalint check``. Python: ``from lambdalint import lint`` (see
:func:`lambdalint.api.lint`); importing the package itself stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "lint"]

if TYPE_CHECKING:
    from lambdalint.api import lint


def __getattr__(name: str) -> Any:
    if name == "lint":  # imported on first use: `lambdalint --version` needs none of it
        from lambdalint.api import lint

        return lint
    raise AttributeError(f"module 'lambdalint' has no attribute {name!r}")
