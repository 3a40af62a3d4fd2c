"""A small located document tree shared by the YAML and JSON loaders.

Every node knows its exact region. Mapping keys keep their own regions too, so a finding
about a key (an environment variable name) points at the key.
"""

from __future__ import annotations

from typing import Any, Union

from lambdalint.values import SourceRef

Scalar = Union[str, int, float, bool, None]


class Node:
    """A document node: ``value`` is ``dict[str, Node]``, ``list[Node]`` or a scalar.

    Nodes read from a file are converted lazily: a node keeps the composed libyaml node and
    converts it (one level) the first time its value is read, so the parts of a template no
    rule looks at (Outputs, other services' properties) cost nothing beyond composing."""

    __slots__ = ("_key_src", "_origin", "_pending", "_src", "_value")

    def __init__(self, value: Any, src: SourceRef | None, key_src: dict[str, Any] | None = None) -> None:
        self._value = value
        self._src = src
        #: key -> SourceRef, or (converter, raw key node) until the key's region is asked for
        self._key_src = key_src
        #: (converter, raw node, depth) the node was read from, for its region and its value
        self._origin: tuple[Any, Any, int] | None = None
        self._pending = False

    @classmethod
    def lazy(cls, converter: Any, raw: Any, depth: int, value: Any = None, pending: bool = True) -> Node:
        """A node read from ``raw``: its region is computed when asked for, and, when
        ``pending``, its value is converted when first read."""
        node = cls(value, None)
        node._origin = (converter, raw, depth)
        node._pending = pending
        return node

    def _force(self) -> None:
        origin = self._origin
        self._pending = False
        if origin is not None:
            converter, raw, depth = origin
            built = converter.build(raw, depth)
            self._value, self._key_src = built._value, built._key_src
            if self._src is None:
                self._src = built._src

    @property
    def value(self) -> Any:
        if self._pending:
            self._force()
        return self._value

    @property
    def src(self) -> SourceRef:
        if self._src is None:
            origin = self._origin
            if origin is None:  # pragma: no cover - every node has a region
                raise ValueError("node without a region")
            self._src = origin[0].src(origin[1])
        return self._src

    @property
    def key_src(self) -> dict[str, SourceRef] | None:
        if self._pending:
            self._force()
        if self._key_src is not None:
            for k in self._key_src:
                self.key(k)
        return self._key_src

    # the three below are the parsers' most frequent calls: they read the slots directly
    def is_map(self) -> bool:
        if self._pending:
            self._force()
        return type(self._value) is dict

    def is_list(self) -> bool:
        if self._pending:
            self._force()
        return type(self._value) is list

    def get(self, key: str) -> Node | None:
        if self._pending:
            self._force()
        value = self._value
        if type(value) is dict:
            found: Node | None = value.get(key)
            return found
        return None

    def key(self, key: str) -> SourceRef:
        """The region of ``key`` in this mapping (the mapping's own region if it has none)."""
        if self._pending:
            self._force()
        keys = self._key_src
        if keys is None or key not in keys:
            return self.src
        found = keys[key]
        if isinstance(found, tuple):
            found = keys[key] = found[0].src(found[1])
        ref: SourceRef = found
        return ref

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
