"""Evaluate Terraform expressions (as built by ``hcl.py``) into :class:`Located` values.

- ``var.x``: the value from ``terraform.tfvars`` / ``*.auto.tfvars`` when set there (known),
  else the variable's ``default`` as a candidate (a ``-var`` can still override it), else
  unresolved;
- ``local.x``: the local's own expression, evaluated;
- ``<type>.<name>...`` of a resource in the module: unresolved, with ``ref`` naming it;
- strings with interpolations: a string when every part is known;
- ``cond ? a : b``: both branches are candidates;
- ``jsonencode``/``tostring``/``tonumber`` of known values; everything else: unresolved.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lambdalint.parsers.intrinsics import Resolver, _stringify
from lambdalint.parsers.nodes import Node
from lambdalint.values import NO_VALUE, Located, SourceRef, Unresolved, UnresolvedEncoding, UnresolvedText

_INDEX = re.compile(r"\[[^\]]*\]")
#: one step of a reference: a name and the index after it, if any (`q["a"]`, `lambda[0]`)
_SEGMENT = re.compile(r"([\w-]+)(?:\[([^\]]*)\])?")


def _normal_index(index: str) -> str:
    """An index as Terraform writes instance addresses: 0, or "key" in double quotes."""
    text = index.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return '"' + text[1:-1] + '"'
    return text


class TerraformResolver(Resolver):
    def __init__(self, path: str, variables: dict[str, Node], tfvars: dict[str, Node], locals_: Node | None,
                 resources: dict[str, Node], *, inputs: dict[str, Located[Any]] | None = None,
                 prefix: str = "") -> None:
        super().__init__(path, {}, None, resources)
        self.variables = variables
        self.tfvars = tfvars
        #: values a calling module passes (already evaluated in the caller)
        self.inputs = inputs or {}
        #: the module address the resources of this module live under ("module.x.")
        self.prefix = prefix
        self.locals = locals_
        self._active: set[str] = set()
        #: ``each.key``/``each.value`` and ``count.index`` of the resource instance being read
        self.instance: dict[str, Located[Any]] = {}

    def resolve(self, node: Node, pointer: str) -> Located[Any]:
        if node.value is None:  # `null` means the argument is not set
            return Located(NO_VALUE, node.src.with_pointer(pointer))
        return super().resolve(node, pointer)

    def _intrinsic(self, fn: str, arg: Node, src: SourceRef, pointer: str) -> Located[Any]:
        if fn == "TF::Ref" and isinstance(arg.value, str):
            return self._reference(arg.value, src, pointer)
        if fn == "TF::Template" and isinstance(arg.value, list):
            texts: list[Any] = []
            ref = None
            known = True
            for part in arg.value:
                loc = self.resolve(part, pointer)
                if not loc.is_known() or isinstance(loc.value, (dict, tuple)):
                    known = False
                    ref = ref or loc.ref
                    texts.append(loc)
                else:
                    texts.append(_stringify(loc.value))
            if not known:
                # the text with each unknown part as ${expr}: "${aws_s3_bucket.b.arn}/out/*"
                shown = "".join(t if isinstance(t, str) else "${" + (
                    t.value.expr if isinstance(t.value, Unresolved) else "...") + "}" for t in texts)
                return Located(UnresolvedText(shown, tuple(texts)), src, ref=ref)
            return Located("".join(texts), src)
        if fn == "TF::If" and isinstance(arg.value, list) and len(arg.value) == 3:
            a = self.resolve(arg.value[1], pointer)
            b = self.resolve(arg.value[2], pointer)
            return Located(Unresolved("conditional"), src, (a, b))
        if fn == "TF::Call" and isinstance(arg.value, list) and arg.value:
            return self._call(str(arg.value[0].value), arg.value[1:], src, pointer)
        return Located(Unresolved(fn), src)

    def _reference(self, ref: str, src: SourceRef, pointer: str) -> Located[Any]:
        parts = _INDEX.sub("", ref).split(".")
        if parts[0] == "var" and len(parts) >= 2:
            return self._navigate(self._variable(parts[1], src, pointer), parts[2:], src)
        if parts[0] == "local" and len(parts) >= 2:
            node = self.locals.get(parts[1]) if self.locals is not None else None
            if node is None or parts[1] in self._active:
                return Located(Unresolved(ref), src)
            self._active.add(parts[1])
            try:
                loc = self.resolve(node, f"/locals/{parts[1]}")
            finally:
                self._active.discard(parts[1])
            return self._navigate(self._moved(loc, src), parts[2:], src)
        if parts[0] in ("each", "count") and len(parts) >= 2:
            found = self.instance.get(f"{parts[0]}.{parts[1]}")
            if found is None:
                return Located(Unresolved(ref), src)
            return self._navigate(self._moved(found, src), parts[2:], src)
        found_address = self._resource(ref)
        if found_address is not None:
            return Located(Unresolved(ref), src, ref=found_address)
        return Located(Unresolved(ref), src)

    def _resource(self, ref: str) -> str | None:
        """The resource a reference names: ``type.name``, an instance of it (``type.name[0]``,
        ``type.name["a"]``), or a resource of a child module (``module.m.type.name``, in plans)."""
        segments = [(m.group(1), m.group(2)) for m in _SEGMENT.finditer(ref)]
        names = [name for name, _ in segments]
        if names[:1] == ["data"] and len(names) >= 3:
            segments = [(f"data.{names[1]}", segments[1][1]), *segments[2:]]
            names = [name for name, _ in segments]
        k = 0
        while len(names) >= k + 2:
            base = self.prefix + ".".join(names[:k + 2])
            index = segments[k + 1][1]
            if index is not None:
                instance = base + "[" + _normal_index(index) + "]"
                if instance in self.resources:
                    return instance
            if base in self.resources or self._instances(base):
                if names[k] != "module" or len(names) < k + 4:
                    return base
            if names[k] != "module":
                return None
            k += 2
        return None

    def _instances(self, address: str) -> bool:
        """A plan lists a for_each/count function by instance (``f["a"]``) only."""
        return bool(address) and any(a.startswith(address + "[") for a in self.resources)

    @staticmethod
    def _moved(loc: Located[Any], origin: SourceRef) -> Located[Any]:
        """A value defined elsewhere (a local, a variable), used at ``origin``."""
        return Located(loc.value, loc.source, loc.candidates, loc.ref, origin)

    def _variable(self, name: str, src: SourceRef, pointer: str) -> Located[Any]:
        if name in self.inputs:
            passed = self.inputs[name]
            if not passed.definitely_absent():  # `null` passed: the default applies
                return passed
        if name in self.tfvars:
            return self._moved(self.resolve(self.tfvars[name], f"/tfvars/{name}"), src)
        body = self.variables.get(name)
        default = body.get("default") if body is not None else None
        if default is None or default.value is None:
            return Located(Unresolved(f"var.{name}"), src)
        loc = self.resolve(default, f"/variable/{name}/default")
        return Located(Unresolved(f"var.{name}"), src, (self._moved(loc, src),))

    def _navigate(self, loc: Located[Any], attrs: list[str], src: SourceRef) -> Located[Any]:
        for attr in attrs:
            if loc.is_known() and isinstance(loc.value, dict) and attr in loc.value:
                loc = loc.value[attr]
            elif loc.is_known() or not loc.candidates:
                return Located(Unresolved(attr), src)
            else:
                cands = tuple(self._navigate(c, [attr], src) for c in loc.candidates)
                return Located(Unresolved(attr), src, cands)
        return loc

    def _call(self, name: str, args: list[Node], src: SourceRef, pointer: str) -> Located[Any]:
        values = [self.resolve(a, pointer) for a in args]
        if not all(v.is_known() for v in values) or len(values) != 1:
            return Located(Unresolved(f"{name}()"), src)
        value = values[0]
        if name == "jsonencode":
            if not _fully_known(value):
                return Located(UnresolvedEncoding(f"{name}()", value), src)
            return Located(json.dumps(_plain(value), separators=(",", ":")), src)
        if name in ("toset", "tolist", "tomap") and isinstance(value.value, (dict, tuple)):
            return Located(value.value, src, value.candidates, value.ref, value.origin)
        if name == "tostring" and not isinstance(value.value, (dict, tuple)):
            return Located(_stringify(value.value), src)
        if name == "tonumber":
            try:
                return Located(int(str(value.value)), src)
            except ValueError:
                return Located(Unresolved(f"{name}()"), src)
        return Located(Unresolved(f"{name}()"), src)


def _plain(loc: Located[Any]) -> Any:
    if isinstance(loc.value, dict):
        return {k: _plain(v) for k, v in loc.value.items()}
    if isinstance(loc.value, tuple):
        return [_plain(v) for v in loc.value]
    return loc.value


def _fully_known(loc: Located[Any]) -> bool:
    if not loc.is_known():
        return False
    if isinstance(loc.value, dict):
        return all(_fully_known(v) for v in loc.value.values())
    if isinstance(loc.value, tuple):
        return all(_fully_known(v) for v in loc.value)
    return True
