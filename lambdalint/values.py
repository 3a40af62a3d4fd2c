"""Values that know where they came from.

Every configurable value in the model is a :class:`Located`: the value itself (or
:class:`Unresolved` when the input does not determine it), the exact place in the source
it was read from, and the candidates it may take when several are known (both branches of
``Fn::If``, a parameter's ``Default`` and ``AllowedValues``, a Terraform variable default).

Rules call :meth:`Located.possible` and judge each known candidate; an unresolved value
with no known candidates yields nothing, so rules stay silent on what they cannot know.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


# SourceRef and Located are created for every value read, so they are plain slotted classes
# (a frozen dataclass costs four times as much to create); treat them as immutable.
@dataclass(slots=True, unsafe_hash=True)
class SourceRef:
    """An exact region of an input file. Lines and columns are 1-based; the end is exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    pointer: str = ""

    def with_pointer(self, pointer: str) -> SourceRef:
        return SourceRef(self.path, self.line, self.column, self.end_line, self.end_column, pointer)


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A value the input does not determine: a parameter without default, an import, ..."""

    expr: str

    def __str__(self) -> str:
        return f"<unresolved {self.expr}>"


@dataclass(frozen=True, slots=True)
class UnresolvedText(Unresolved):
    """A string built from parts some of which are unknown (a Terraform template or heredoc
    with interpolations): ``parts`` are literal strings and located unknown values, in order.
    A reader that understands the string's structure (a JSON policy) can still use the rest."""

    parts: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class UnresolvedEncoding(Unresolved):
    """``jsonencode`` of a structure with unknown parts: ``structure`` is the located value."""

    structure: Any = None


class _NoValue:
    """CloudFormation's ``AWS::NoValue``: the property may be absent."""

    _instance: _NoValue | None = None

    def __new__(cls) -> _NoValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NoValue"


NO_VALUE = _NoValue()


@dataclass(slots=True, unsafe_hash=True)
class Located(Generic[T]):
    """A value, or :class:`Unresolved`, with its source and its known candidates."""

    value: T | Unresolved | _NoValue
    source: SourceRef
    candidates: tuple[Located[T], ...] = ()
    #: the id of a model resource this value refers to (``Ref``/``GetAtt``/Terraform reference)
    ref: str | None = None
    #: the source of the property that holds this value, when ``source`` is elsewhere
    #: (a parameter default, a mapping entry): reported as a related location
    origin: SourceRef | None = field(default=None, compare=False)

    def is_known(self) -> bool:
        return not isinstance(self.value, (Unresolved, _NoValue))

    def known(self) -> T | None:
        """The value when it is known, else ``None``."""
        if isinstance(self.value, (Unresolved, _NoValue)):
            return None
        return self.value

    def possible(self) -> Iterator[Located[T]]:
        """Every known value this may take: itself when known, else its known candidates."""
        if self.is_known():
            yield self
            return
        for cand in self.candidates:
            yield from cand.possible()

    def may_be_absent(self) -> bool:
        """True when the value may be ``AWS::NoValue`` (the property then does not exist)."""
        if isinstance(self.value, _NoValue):
            return True
        return any(c.may_be_absent() for c in self.candidates)

    def definitely_absent(self) -> bool:
        if isinstance(self.value, _NoValue):
            return True
        return bool(self.candidates) and all(c.definitely_absent() for c in self.candidates)


def unresolved(expr: str, source: SourceRef, ref: str | None = None) -> Located[T]:
    return Located(Unresolved(expr), source, (), ref)
