"""Resolve CloudFormation values into :class:`Located` values.

``Resolver.resolve`` turns a document node into a located value whose scalars are known
or :class:`Unresolved`: lists become tuples of located items, plain mappings become dicts of
located values, and intrinsic functions are evaluated as far as the template determines them:

- ``Ref`` to a parameter: candidates are its ``Default`` and ``AllowedValues`` (none for an
  ``AWS::SSM::Parameter::Value<...>`` parameter, whose default names an SSM parameter);
- dynamic references (``{{resolve:ssm:...}}``, ``{{resolve:secretsmanager:...}}``) are unknown;
  to ``AWS::NoValue``: absent; to a resource: unresolved, with ``ref`` naming the resource;
- ``Fn::GetAtt``: unresolved, with ``ref``;
- ``Fn::If``: both branches are candidates;
- ``Fn::FindInMap``: the mapping entry, or every entry the keys may select;
- ``Fn::Sub`` / ``Fn::Join``: a string when every part is known;
- anything else: unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lambdalint.model import Problem
from lambdalint.parsers.nodes import Node
from lambdalint.values import NO_VALUE, Located, SourceRef, Unresolved

_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")
_MAX_CANDIDATES = 64


def is_intrinsic(node: Node) -> bool:
    v = node.value
    if isinstance(v, dict) and len(v) == 1:
        (k,) = v
        return bool(k == "Ref" or k.startswith(("Fn::", "TF::")) or k == "Condition")
    return False


class Resolver:
    def __init__(
        self,
        path: str,
        parameters: dict[str, Node],
        mappings: Node | None,
        resources: dict[str, Node],
    ) -> None:
        self.path = path
        self.parameters = parameters
        self.mappings = mappings
        self.resources = resources
        self.problems: list[Problem] = []
        #: what could not be judged and the user should know (printed once per file)
        self.notes: list[str] = []
        #: the branches of each Fn::If read, by the document node they were read from
        self._if_memo: dict[int, tuple[Located[Any], Located[Any]]] = {}

    # -- generic resolution -------------------------------------------------------------

    def resolve(self, node: Node, pointer: str) -> Located[Any]:
        src = node.src.with_pointer(pointer)
        v = node.value
        if isinstance(v, dict):
            if is_intrinsic(node):
                (fn,) = v
                return self._intrinsic(fn, v[fn], src, pointer)
            out: dict[str, Located[Any]] = {}
            for k, child in v.items():
                loc = self.resolve(child, f"{pointer}/{_esc(k)}")
                if not loc.definitely_absent():
                    out[k] = loc
            return Located(out, src)
        if isinstance(v, list):
            items = []
            for i, child in enumerate(v):
                loc = self.resolve(child, f"{pointer}/{i}")
                if not loc.definitely_absent():
                    items.append(loc)
            return Located(tuple(items), src)
        if isinstance(v, str) and "{{resolve:" in v:
            # a dynamic reference ({{resolve:ssm:...}}, {{resolve:secretsmanager:...}}): CloudFormation
            # puts the parameter's or secret's value there at deploy time; the template holds its name
            return Located(Unresolved(v), src)
        return Located(v, src)

    def _intrinsic(self, fn: str, arg: Node, src: SourceRef, pointer: str) -> Located[Any]:
        if fn == "Ref":
            return self._ref(arg, src)
        if fn == "Fn::GetAtt":
            target = None
            text = "Fn::GetAtt"
            if isinstance(arg.value, list) and arg.value and isinstance(arg.value[0].value, str):
                target = arg.value[0].value
                attr = arg.value[1].value if len(arg.value) > 1 else None
                text = "${" + target + (f".{attr}" if isinstance(attr, str) else "") + "}"
            elif isinstance(arg.value, str):
                target = arg.value.split(".", 1)[0]
                text = "${" + arg.value + "}"
            # the expression as Fn::Sub would write it: ${Queue.Arn}
            return Located(Unresolved(text), src, ref=target if target in self.resources else None)
        if fn == "Fn::If":
            if isinstance(arg.value, list) and len(arg.value) == 3:
                raw = _raw(arg)
                if raw is not None and raw in self._if_memo:  # the same branches again (a YAML alias)
                    a, b = self._if_memo[raw]
                else:
                    a = self.resolve(arg.value[1], f"{pointer}/Fn::If/1")
                    b = self.resolve(arg.value[2], f"{pointer}/Fn::If/2")
                    if raw is not None:
                        self._if_memo[raw] = (a, b)
                if _leaves(a) + _leaves(b) > _MAX_CANDIDATES:
                    # branches of branches (Fn::If over Fn::If, often through aliases): their
                    # distinct values, or unknown when there are more than can be judged
                    distinct = _distinct_leaves((a, b), _MAX_CANDIDATES)
                    return Located(Unresolved("Fn::If"), src, distinct or ())
                return Located(Unresolved("Fn::If"), src, (a, b))
            return Located(Unresolved("Fn::If"), src)
        if fn == "Fn::FindInMap":
            return self._find_in_map(arg, src, pointer)
        if fn == "Fn::Sub":
            return self._sub(arg, src, pointer)
        if fn == "Fn::Join":
            return self._join(arg, src, pointer)
        return Located(Unresolved(fn), src)

    def _ref(self, arg: Node, src: SourceRef) -> Located[Any]:
        name = arg.value
        if not isinstance(name, str):
            return Located(Unresolved("Ref"), src)
        if name == "AWS::NoValue":
            return Located(NO_VALUE, src)
        if name in self.parameters:
            return self._parameter(name, src)
        if name in self.resources:
            return Located(Unresolved(f"Ref {name}"), src, ref=name)
        return Located(Unresolved(f"Ref {name}"), src)

    def _parameter(self, name: str, src: SourceRef) -> Located[Any]:
        param = self.parameters[name]
        ptype = param.get("Type")
        if ptype is not None and isinstance(ptype.value, str) and ptype.value.startswith("AWS::SSM::Parameter::Value<"):
            # its Default (and AllowedValues) are names of SSM parameters, not the value
            return Located(Unresolved(f"Ref {name}"), src)
        is_list = isinstance(ptype.value, str) and (
            ptype.value.startswith("List<") or ptype.value == "CommaDelimitedList"
        ) if ptype else False
        cands: list[Located[Any]] = []
        seen: set[Any] = set()

        def add(node: Node) -> None:
            if isinstance(node.value, (dict, list)):
                return
            value = node.value
            key = str(value)
            if key in seen:
                return
            seen.add(key)
            vsrc = node.src.with_pointer(f"/Parameters/{_esc(name)}")
            if is_list:
                parts = [] if value in (None, "") else [p.strip() for p in str(value).split(",")]
                value = tuple(Located(p, vsrc, origin=src) for p in parts)
            cands.append(Located(value, vsrc, origin=src))

        default = param.get("Default")
        if default is not None:
            add(default)
        allowed = param.get("AllowedValues")
        if allowed is not None and isinstance(allowed.value, list):
            for item in allowed.value[:_MAX_CANDIDATES]:
                add(item)
        return Located(Unresolved(f"Ref {name}"), src, tuple(cands))

    def _find_in_map(self, arg: Node, src: SourceRef, pointer: str) -> Located[Any]:
        unresolved: Located[Any] = Located(Unresolved("Fn::FindInMap"), src)
        if self.mappings is None or not isinstance(arg.value, list) or len(arg.value) < 3:
            return unresolved
        name = self.resolve(arg.value[0], f"{pointer}/Fn::FindInMap/0").known()
        if not isinstance(name, str):
            return unresolved
        table = self.mappings.get(name)
        if table is None or not table.is_map():
            return unresolved
        levels = [self.resolve(arg.value[i], f"{pointer}/Fn::FindInMap/{i}") for i in (1, 2)]
        found: list[Located[Any]] = []
        for top in self._keys(levels[0], table):
            second_map = table.get(top)
            if second_map is None or not second_map.is_map():
                continue
            for second in self._keys(levels[1], second_map):
                entry = second_map.get(second)
                if entry is None:
                    continue
                if len(found) >= _MAX_CANDIDATES:  # more entries than can be judged: unknown
                    self.notes.append(f"Fn::FindInMap over {name!r} may select more than {_MAX_CANDIDATES} "
                                      "entries: the values it selects are not judged")
                    return unresolved
                loc = self.resolve(entry, f"/Mappings/{_esc(name)}/{_esc(top)}/{_esc(second)}")
                found.append(Located(loc.value, loc.source, loc.candidates, loc.ref, origin=src))
        if len(found) == 1 and levels[0].is_known() and levels[1].is_known():
            return found[0]
        return Located(Unresolved("Fn::FindInMap"), src, tuple(found))

    @staticmethod
    def _keys(level: Located[Any], table: Node) -> list[str]:
        if level.is_known():
            return [str(level.value)]
        cands = [str(c.value) for c in level.possible()]
        if cands:
            return cands
        return list(table.value)

    def _sub(self, arg: Node, src: SourceRef, pointer: str) -> Located[Any]:
        template: Any = arg.value
        variables: dict[str, Located[Any]] = {}
        if isinstance(template, list) and template:
            if len(template) > 1 and template[1].is_map():
                for k, vnode in template[1].value.items():
                    variables[k] = self.resolve(vnode, f"{pointer}/Fn::Sub/1/{_esc(k)}")
            template = template[0].value
        if not isinstance(template, str):
            return Located(Unresolved("Fn::Sub"), src)
        refs: list[str] = []
        unknown = False
        # the values a template parameter's default and AllowedValues offer, per ${name}
        offered: dict[str, list[str]] = {}

        def repl(m: re.Match[str]) -> str:
            nonlocal unknown
            var = m.group(1).strip()
            loc = variables.get(var)
            if loc is None and var in self.parameters:
                loc = self._parameter(var, src)
            if loc is not None and loc.is_known() and isinstance(loc.value, (str, int, float)):
                return str(loc.value)
            unknown = True
            target = var.split(".", 1)[0]
            if loc is not None and loc.ref is not None:
                refs.append(loc.ref)
            elif target in self.resources:
                refs.append(target)
            if loc is not None and loc.candidates and all(
                    isinstance(c.value, (str, int, float)) and not isinstance(c.value, bool) for c in loc.candidates):
                offered["${" + var + "}"] = [str(c.value) for c in loc.candidates]
            return "${" + var + "}"

        text = _SUB_VAR.sub(repl, template)
        if unknown:
            # the text with each unknown part as ${name}: "arn:${AWS::Partition}:s3:::${Bucket}/*";
            # when every unknown part is a parameter with values on offer, those texts as candidates
            return Located(Unresolved(text), src, _offered_texts(text, offered, src),
                           ref=refs[0] if len(set(refs)) == 1 else None)
        text = text.replace("${!", "${")
        if "{{resolve:" in text:
            return Located(Unresolved(text), src)
        return Located(text, src)

    def _join(self, arg: Node, src: SourceRef, pointer: str) -> Located[Any]:
        if not isinstance(arg.value, list) or len(arg.value) != 2:
            return Located(Unresolved("Fn::Join"), src)
        sep = self.resolve(arg.value[0], f"{pointer}/Fn::Join/0").known()
        parts = self.resolve(arg.value[1], f"{pointer}/Fn::Join/1").known()
        if not isinstance(sep, str) or not isinstance(parts, tuple):
            return Located(Unresolved("Fn::Join"), src)
        texts = []
        refs = []
        unknown = False
        for p in parts:
            if not p.is_known() or isinstance(p.value, (dict, tuple)):
                unknown = True
                expr = p.value.expr if isinstance(p.value, Unresolved) else "..."
                texts.append("${" + expr.removeprefix("Ref ") + "}")
                if p.ref is not None:
                    refs.append(p.ref)
                continue
            texts.append(_stringify(p.value))
        if unknown:
            return Located(Unresolved(sep.join(texts)), src, ref=refs[0] if len(set(refs)) == 1 else None)
        return Located(sep.join(texts), src)

    # -- typed views -------------------------------------------------------------------

    def problem(self, message: str, source: SourceRef) -> None:
        self.problems.append(Problem(message, source))

    def typed(self, loc: Located[Any], conv: Callable[[Any], Any], what: str, prop: str) -> Located[Any]:
        """Convert a located value (and its candidates) with ``conv``; a value of the wrong
        type is reported once and becomes unresolved."""
        if loc.is_known():
            try:
                return Located(conv(loc.value), loc.source, (), loc.ref, loc.origin)
            except (TypeError, ValueError):
                self.problem(f"{prop} must be {what}, got {_show(loc.value)}", loc.source)
                return Located(Unresolved(f"invalid {prop}"), loc.source)
        if not loc.candidates:
            return loc
        cands = tuple(self.typed(c, conv, what, prop) for c in loc.candidates)
        return Located(loc.value, loc.source, cands, loc.ref, loc.origin)

    def integer(self, loc: Located[Any], prop: str) -> Located[int]:
        if type(loc.value) is int:  # the common case, without a copy
            return loc
        return self.typed(loc, to_int, "an integer", prop)

    def string(self, loc: Located[Any], prop: str) -> Located[str]:
        if type(loc.value) is str:  # the common case, without a copy
            return loc
        return self.typed(loc, to_str, "a string", prop)

    def string_list(self, loc: Located[Any], prop: str) -> Located[tuple[Located[str], ...]]:
        def conv(v: Any) -> tuple[Located[str], ...]:
            if not isinstance(v, tuple):
                raise TypeError
            return tuple(self.string(item, f"{prop} item") for item in v)

        return self.typed(loc, conv, "a list", prop)


class _Unknown(Exception):
    pass


def _offered_texts(text: str, offered: dict[str, list[str]], src: SourceRef) -> tuple[Located[Any], ...]:
    """The texts ``text`` may be when each of its ``${name}`` parts takes one of the values on
    offer; none when a part has none (a pseudo parameter, an attribute) or past the cap."""
    names = set(_SUB_VAR.findall(text))
    if not offered or any("${" + n.strip() + "}" not in offered for n in names):
        return ()
    texts = [text]
    for token, values in offered.items():
        texts = [t.replace(token, v) for t in texts for v in values]
        if len(texts) > _MAX_CANDIDATES:
            return ()
    return tuple(Located(t.replace("${!", "${"), src) for t in dict.fromkeys(texts))


def _raw(node: Node) -> int | None:
    """The identity of the document node ``node`` was read from (shared by YAML aliases)."""
    origin = getattr(node, "_origin", None)
    return id(origin[1]) if origin is not None else None


def _leaves(loc: Located[Any]) -> int:
    """How many values ``loc`` stands for (itself, or its candidates' values)."""
    if not loc.candidates:
        return 1
    return sum(_leaves(c) for c in loc.candidates)


def _distinct_leaves(roots: tuple[Located[Any], ...], limit: int) -> tuple[Located[Any], ...] | None:
    """The distinct values (by value and place) the candidate trees stand for, or ``None`` past
    ``limit``; a subtree met again is skipped, so shared branches cost nothing more."""
    seen_nodes: set[int] = set()
    found: dict[tuple[str, tuple[str, int, int]], Located[Any]] = {}
    stack = list(reversed(roots))
    while stack:
        loc = stack.pop()
        if id(loc) in seen_nodes:
            continue
        seen_nodes.add(id(loc))
        if loc.candidates:
            stack.extend(reversed(loc.candidates))
            continue
        src = loc.source  # the place, whatever path of branches led to it
        key = (repr(loc.value)[:200], (src.path, src.line, src.column))
        if key not in found:
            found[key] = loc
            if len(found) > limit:
                return None
    return tuple(found.values())


def to_int(value: Any) -> int:
    if isinstance(value, bool) or value is None:
        raise TypeError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise ValueError


def to_str(value: Any) -> str:
    if isinstance(value, (dict, tuple, list)) or value is None:
        raise TypeError
    return _stringify(value)


def _stringify(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _esc(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")
