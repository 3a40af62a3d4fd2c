"""A small located document tree shared by the YAML and JSON loaders.

Every node knows its exact region. Mapping keys keep their own regions too, so a finding
about a key (an environment variable name) points at the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from lambdalint.values import SourceRef

Scalar = Union[str, int, float, bool, None]


@dataclass(slots=True)
class Node:
    #: ``dict[str, Node]``, ``list[Node]`` or a scalar
    value: Any
    src: SourceRef
    #: for mappings: the region of each key
    key_src: dict[str, SourceRef] | None = None

    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def get(self, key: str) -> Node | None:
        if isinstance(self.value, dict):
            found: Node | None = self.value.get(key)
            return found
        return None

    def key(self, key: str) -> SourceRef:
        if self.key_src and key in self.key_src:
            return self.key_src[key]
        return self.src

    def plain(self) -> Any:
        """The node as plain Python data (dicts, lists, scalars)."""
        v = self.value
        if isinstance(v, dict):
            return {k: n.plain() for k, n in v.items()}
        if isinstance(v, list):
            return [n.plain() for n in v]
        return v


class LoadError(Exception):
    """The document could not be read; ``line``/``column`` are 1-based when known."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
