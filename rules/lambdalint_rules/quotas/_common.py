"""Helpers shared by the quota rules."""

from __future__ import annotations

from lambdalint_rules._examples import SAM_HEADER

__all__ = ["SAM_HEADER", "mb"]


def mb(n: int) -> str:
    return f"{n:,} MB"
