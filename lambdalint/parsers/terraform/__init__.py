"""Terraform: a directory of ``.tf`` files (one module) into an :class:`Application`."""

from __future__ import annotations

import re

#: the instance key of an address (``["a"]``, ``[0]``)
INSTANCE = re.compile(r"\[[^\]]*\]")


def resource_type(address: str) -> str:
    """``aws_lambda_function`` of ``module.x.aws_lambda_function.f["a.b"]`` ("" for an address
    that names no resource type, as a damaged plan may hold)."""
    parts = INSTANCE.sub("", address).split(".")
    return parts[-2] if len(parts) > 1 else ""
