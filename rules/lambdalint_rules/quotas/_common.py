"""Helpers shared by the quota rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lambdalint.values import Located
from lambdalint_rules._examples import SAM_HEADER

__all__ = ["SAM_HEADER", "least_int", "leaves", "mb", "shortest_text"]


def mb(n: int) -> str:
    return f"{n:,} MB"


def leaves(loc: Located[Any]) -> Iterator[Located[Any]]:
    """Every value ``loc`` may end up as: known values, ``AWS::NoValue`` and unresolved values
    without candidates (an import, a parameter without ``Default``, an attribute)."""
    if loc.is_known() or not loc.candidates:
        yield loc
        return
    for cand in loc.candidates:
        yield from leaves(cand)


def least_int(loc: Located[int]) -> Located[int] | None:
    """The smallest value ``loc`` may take, when every value it may take is known: the value
    for a sum that must stay a certain lower bound. ``None`` when it may be unknown or absent
    (it then counts as nothing)."""
    best: Located[int] | None = None
    for leaf in leaves(loc):
        value = leaf.known()
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        if best is None or value < best.value:  # type: ignore[operator]
            best = leaf
    return best


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def shortest_text(loc: Located[str], size: Callable[[str], int] = _utf8_len) -> str | None:
    """The shortest text (by ``size``) ``loc`` may take, when every value it may take is known;
    ``None`` when it may be unknown (it then counts as the empty string) or absent."""
    best: str | None = None
    for leaf in leaves(loc):
        value = leaf.known()
        if value is None:
            return None
        text = str(value)
        if best is None or size(text) < size(best):
            best = text
    return best
