"""What the Terraform helper modules (``resources``, ``community``, ``iam``, ``network``, and the
shared ``versions``, ``statemachines``, ``apigateway``) use of the module parser, as a protocol.

The helpers take a :class:`ModuleView` instead of the parser itself so that they never import
``terraform/module.py``, which imports them. :class:`~lambdalint.parsers.terraform.module.ModuleParser`
satisfies it (mypy checks this where the parser passes itself in); a member a helper starts to
use is declared here first. Everything is read-only: the helpers never change the parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lambdalint.model import CodeArtifact, Environment
    from lambdalint.parsers.nodes import Node
    from lambdalint.parsers.targets import Targets
    from lambdalint.parsers.terraform.resolver import TerraformResolver
    from lambdalint.values import Located, SourceRef


class ModuleView(Protocol):
    """A Terraform module (a directory of ``.tf`` files, or a plan) being parsed."""

    @property
    def r(self) -> TerraformResolver:
        """Resolves expressions of the module to located values."""

    @property
    def resources(self) -> Mapping[str, Node]:
        """Resource address -> its body (``aws_iam_policy_document`` data sources included)."""

    @property
    def decl(self) -> Mapping[str, SourceRef]:
        """Resource address -> where the resource is declared."""

    @property
    def parent(self) -> ModuleView | None:
        """The module that calls this one (``None`` for a root module)."""

    @property
    def function_targets(self) -> Targets:
        """The functions and aliases references name."""

    def resolve(self, node: Node, pointer: str, address: str) -> Located[Any]:
        """``node`` evaluated in the instance ``address`` belongs to (its ``each``/``count``)."""

    def attr(self, body: Node | None, key: str, address: str) -> Located[Any] | None:
        """Argument ``key`` of ``body`` resolved (``None``: absent or null)."""

    def block(self, body: Node | None, key: str, address: str = "") -> Node | None:
        """The first nested block ``key``, if any."""

    def blocks(self, body: Node | None, key: str, address: str) -> list[Node]:
        """Every nested block ``key``, those ``dynamic "key"`` generates included."""

    def dynamic_unknown(self, body: Node, key: str, address: str) -> bool:
        """A ``dynamic "key"`` block whose ``for_each`` is not known."""

    def integer(self, body: Node | None, key: str, address: str) -> Located[int] | None:
        """Argument ``key`` as an integer."""

    def string(self, body: Node | None, key: str, address: str) -> Located[str] | None:
        """Argument ``key`` as a string."""

    def strings(self, body: Node | None, key: str, address: str) -> Located[tuple[Located[str], ...]] | None:
        """Argument ``key`` as a list of strings."""

    def local(self, loc: Located[str] | None, src: SourceRef, direct: bool) -> CodeArtifact | None:
        """The code artifact a local path names, relative to the module's directory."""

    def latest(self, loc: Located[Any] | None) -> bool:
        """The qualifier ``loc`` is certainly ``$LATEST``."""

    def variables(self, holder: Node, key: str, pointer: str) -> Environment | None:
        """Environment variables written as the map ``key`` of ``holder``."""
