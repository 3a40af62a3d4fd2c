"""What the CloudFormation/SAM helper modules (``cfn_iam``, ``cfn_network``, ``cfn_resources``,
``versions``, ``statemachines``, ``apigateway``) use of the template parser, as a protocol.

The helpers take a :class:`TemplateView` instead of the parser itself so that they never import
``cloudformation.py``, which imports them. :class:`~lambdalint.parsers.cloudformation.TemplateParser`
satisfies it (mypy checks this where the parser passes itself in); a member a helper starts to
use is declared here first. Everything is read-only: the helpers never change the parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lambdalint.parsers.intrinsics import Resolver
    from lambdalint.parsers.nodes import Node
    from lambdalint.parsers.targets import Targets
    from lambdalint.values import Located, SourceRef


class TemplateView(Protocol):
    """A CloudFormation/SAM template being parsed."""

    @property
    def r(self) -> Resolver:
        """Resolves nodes of the template (intrinsics, parameters, mappings) to located values."""

    @property
    def resources(self) -> Mapping[str, Node]:
        """Logical id -> resource node (the ones written in the template, mappings only)."""

    @property
    def resource_types(self) -> Mapping[str, str]:
        """Logical id -> resource type."""

    @property
    def declarations(self) -> Mapping[str, SourceRef]:
        """Logical id -> where the resource is declared."""

    @property
    def targets(self) -> Targets:
        """The functions, aliases and versions a reference to a function names."""

    def prop(self, props: Node | None, key: str, ptr: str) -> Located[Any] | None:
        """Property ``key`` of ``props`` resolved (``None``: absent); ``ptr`` is the pointer of ``props``."""

    def sub(self, props: Node | None, key: str) -> Node | None:
        """Property ``key`` of ``props`` when it is a mapping (the node itself, not resolved)."""

    def int_prop(self, props: Node | None, key: str, ptr: str) -> Located[int] | None:
        """Property ``key`` as an integer."""

    def nested_int(self, props: Node | None, key: str, inner: str, ptr: str) -> Located[int] | None:
        """``key.inner`` as an integer."""

    def str_prop(self, props: Node | None, key: str, ptr: str) -> Located[str] | None:
        """Property ``key`` as a string."""

    def list_prop(self, props: Node | None, key: str, ptr: str) -> Located[tuple[Located[str], ...]] | None:
        """Property ``key`` as a list of strings (a single string is a one-entry list)."""
