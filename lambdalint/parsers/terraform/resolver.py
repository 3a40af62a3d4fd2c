"""Evaluate Terraform expressions (as built by ``hcl.py``) into :class:`Located` values, the
way Terraform evaluates them, as far as the files determine them.

- ``var.x``: the value a calling module passes; else the value from ``terraform.tfvars`` /
  ``*.auto.tfvars`` / ``--var-file``; else the ``default``. In a called module the default is
  the value (nothing else can set it); in the root module it is a candidate, because a
  ``-var`` can still override it. A variable with neither is unknown.
- ``null`` means "not set" (:data:`NO_VALUE`), wherever it comes from.
- ``local.x``: the local's expression, evaluated once per module.
- references to resources: unknown, with ``ref`` naming the resource or the instance
  (``aws_iam_role.fn["a"]``); ``module.m.out``: the module's output, evaluated in the module.
- indexes and attributes (``var.m["k"].attr``, ``local.l[count.index]``), operators,
  ``cond ? a : b`` (only the branch the condition selects; both when it is unknown), ``for``
  expressions, splats and Terraform's functions (``functions.py``).

An expression that would fail in Terraform (a missing key, an index out of range) is
:class:`Failed`: unknown to the rules, and what ``try``/``can`` skip. Unknown values with
known candidates combine candidate by candidate, up to :data:`MAX_COMBINATIONS`.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Callable
from typing import Any

from lambdalint.containment import inside
from lambdalint.parsers.intrinsics import Resolver, _stringify
from lambdalint.parsers.nodes import Node
from lambdalint.values import NO_VALUE, Located, SourceRef, Unresolved, UnresolvedEncoding, UnresolvedText

#: one step of a reference: a name and the index after it, if any (`q["a"]`, `lambda[0]`)
_SEGMENT = re.compile(r"([\w-]+)(?:\[([^\]]*)\])?")
#: ``module.<name>[<index>]?.<output><rest>`` (an output of a module call, or of one instance)
_MODULE_OUTPUT = re.compile(r"""module\.([\w-]+)(?:\[\s*("[^"]*"|'[^']*'|\d+)\s*\])?\.([\w-]+)(.*)$""")
#: the address of a module call or of one of its instances (``module.a[0].module.b["x"]``)
_MODULE_CALL = re.compile(r"""(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*module\.[\w-]+(?:\[[^\]]*\])?""")
#: the steps of a reference's text: names and indexes (`var.m["k"][0].x`)
_STEP = re.compile(r"""\.?([A-Za-z_][\w-]*)|\[\s*("(?:[^"\\]|\\.)*"|'[^']*'|-?\d+)\s*\]""")
#: candidate combinations an operator or a function judges before it gives up (unknown)
MAX_COMBINATIONS = 16
#: elements a ``for`` expression, ``range`` or ``flatten`` may produce before it is unknown
MAX_ITEMS = 1024
#: characters a computed string may hold before it is unknown
MAX_TEXT = 1 << 20
#: locals that refer to each other in one chain before the next is unknown
MAX_LOCAL_DEPTH = 48


class Failed(Unresolved):
    """An expression Terraform would reject (a missing attribute, an index out of range, a
    wrong type): unknown to the rules, skipped by ``try`` and false for ``can``."""


class Overridable(Unresolved):
    """What a root module's variable is when a ``-var`` replaces its default: anything. It
    stands beside the default among the candidates, so that a default of ``null`` or ``""``
    never makes an argument certainly absent, while conditions on the default still decide."""


class Unknown(Exception):
    """Raised inside evaluation when a value needed is not known."""


def _normal_index(index: str) -> str:
    """An index as Terraform writes instance addresses: 0, or "key" in double quotes."""
    text = index.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return '"' + text[1:-1] + '"'
    return text


def _steps(ref: str) -> list[str | int]:
    out: list[str | int] = []
    for m in _STEP.finditer(ref):
        if m.group(1) is not None:
            out.append(m.group(1))
        else:
            text = m.group(2)
            out.append(text[1:-1] if text[0] in "'\"" else int(text))
    return out


def instance_key(value: Any) -> str:
    """``[0]`` or ``["a"]``, as Terraform writes an instance's address."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"[{value}]"
    return '["' + _stringify(value) + '"]'


def plain(loc: Located[Any]) -> Any:
    """The value as plain data (``None`` for null); :class:`Unknown` if any part is unknown."""
    value = loc.value
    if value is NO_VALUE:
        return None
    if isinstance(value, Unresolved):
        raise Unknown
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


#: parts a computed structure may have (``jsondecode``, ``yamldecode``) before it is unknown
MAX_PARTS = 100_000


def located(value: Any, src: SourceRef, budget: list[int] | None = None) -> Located[Any]:
    """Plain data as a located value, every part at ``src``; :class:`Unknown` past
    :data:`MAX_PARTS` parts (a YAML document whose aliases repeat one part a million times)."""
    budget = budget if budget is not None else [MAX_PARTS]
    budget[0] -= 1
    if budget[0] < 0:
        raise Unknown
    if value is None:
        return Located(NO_VALUE, src)
    if isinstance(value, dict):
        return Located({str(k): located(v, src, budget) for k, v in value.items()}, src)
    if isinstance(value, (list, tuple)):
        return Located(tuple(located(v, src, budget) for v in value), src)
    return Located(value, src)


def truth(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    return None


def _common_ref(values: tuple[Located[Any], ...] | list[Located[Any]]) -> str | None:
    refs = {v.ref for v in values}
    return refs.pop() if len(refs) == 1 else None


class TerraformResolver(Resolver):
    def __init__(self, path: str, variables: dict[str, Node], tfvars: dict[str, Node], locals_: Node | None,
                 resources: dict[str, Node], *, inputs: dict[str, Located[Any]] | None = None,
                 prefix: str = "", called: bool = False, module_path: str = ".", cwd: str | None = None,
                 repo_root: str | None = None) -> None:
        super().__init__(path, {}, None, resources)
        self.variables = variables
        self.tfvars = tfvars
        #: values a calling module passes (already evaluated in the caller)
        self.inputs = inputs or {}
        #: a called module: a variable's default is its value, not a candidate
        self.called = called
        #: the module address the resources of this module live under ("module.x.")
        self.prefix = prefix
        self.locals = locals_
        self._active: set[str] = set()
        self._local_values: dict[str, Located[Any]] = {}
        #: ``each.key``/``each.value`` and ``count.index`` of the resource instance being read
        self.instance: dict[str, Located[Any]] = {}
        #: names bound by ``for`` expressions, dynamic blocks and ``templatefile`` variables
        self.scope: dict[str, Located[Any]] = {}
        #: ``path.module`` (relative to the root module, as Terraform gives it)
        self.module_path = module_path
        #: the root module's directory (relative paths of ``file()`` start there) and the
        #: directory no file outside of which is read
        self.cwd = cwd
        self.repo_root = repo_root
        #: (module call address, output name) -> the output's value (set by the module parser)
        self.module_output: Callable[[str, str, SourceRef], Located[Any] | None] | None = None

    def resolve(self, node: Node, pointer: str) -> Located[Any]:
        if node.value is None:  # `null` means the argument is not set
            return Located(NO_VALUE, node.src.with_pointer(pointer))
        return super().resolve(node, pointer)

    def _intrinsic(self, fn: str, arg: Node, src: SourceRef, pointer: str) -> Located[Any]:
        parts = arg.value if isinstance(arg.value, list) else None
        if fn == "TF::Ref" and isinstance(arg.value, str):
            return self._reference(arg.value, src, pointer)
        if fn == "TF::Value":  # a value evaluated already (a dynamic block's content)
            found: Located[Any] = arg.value
            return found
        if parts is None:
            return Located(Unresolved(fn), src)
        if fn == "TF::Template":
            return self._template(parts, src, pointer)
        if fn == "TF::If" and len(parts) == 3:
            return self._conditional(parts, src, pointer)
        if fn == "TF::Call" and parts:
            from lambdalint.parsers.terraform.functions import call

            return call(self, str(parts[0].value), [self.resolve(a, pointer) for a in parts[1:]], src)
        if fn == "TF::Op" and len(parts) >= 2:
            operands = [self.resolve(p, pointer) for p in parts[1:]]
            return self._operator(str(parts[0].value), operands, src)
        if fn == "TF::Index" and len(parts) == 2:
            return self._index(self.resolve(parts[0], pointer), self.resolve(parts[1], pointer), src)
        if fn == "TF::GetAttr" and len(parts) == 2:
            base = self.resolve(parts[0], pointer)
            name = str(parts[1].value)
            if isinstance(base.value, Unresolved) and base.ref is not None and _MODULE_CALL.fullmatch(base.ref):
                output = self._output(base.ref, name, src)  # module.m[each.key].out
                if output is not None:
                    return output
            return self.navigate(base, [name], src, name)
        if fn == "TF::Splat" and len(parts) == 2:
            return self._splat(parts, src, pointer)
        if fn == "TF::For" and len(parts) == 8:
            return self._for(parts, src, pointer)
        return Located(Unresolved(fn), src)

    # -- strings and conditionals ------------------------------------------------------

    def _template(self, parts: list[Node], src: SourceRef, pointer: str) -> Located[Any]:
        texts: list[Any] = []
        ref = None
        known = True
        size = 0
        for part in parts:
            loc = self.resolve(part, pointer)
            if isinstance(loc.value, UnresolvedText):
                texts.extend(loc.value.parts)  # a template inside a template: its own parts
                known = False
                ref = ref or loc.ref
                continue
            if not loc.is_known() or isinstance(loc.value, (dict, tuple)):
                known = False
                ref = ref or loc.ref
                texts.append(loc)
            else:
                text = _stringify(loc.value)
                size += len(text)
                texts.append(text)
        if size > MAX_TEXT or len(texts) > MAX_ITEMS:
            return Located(Unresolved("template too long"), src)
        if not known:
            # the text with each unknown part as ${expr}: "${aws_s3_bucket.b.arn}/out/*"
            shown = "".join(t if isinstance(t, str) else "${" + (
                t.value.expr if isinstance(t.value, Unresolved) else "...") + "}" for t in texts)
            if len(shown) > MAX_TEXT:
                return Located(Unresolved("template too long"), src)
            if any(not isinstance(t, str) and t.candidates for t in texts):
                combined = self.lift([t if not isinstance(t, str) else Located(t, src) for t in texts],
                                     lambda *vs: "".join("" if v is None else _stringify(v) for v in vs), src,
                                     shown)
                if combined.candidates:
                    return Located(UnresolvedText(shown, tuple(texts)), src, combined.candidates, ref)
            return Located(UnresolvedText(shown, tuple(texts)), src, ref=ref)
        return Located("".join(texts), src)

    def _conditional(self, parts: list[Node], src: SourceRef, pointer: str) -> Located[Any]:
        cond = self.resolve(parts[0], pointer)
        if cond.is_known() or cond.value is NO_VALUE:
            chosen = truth(cond.value)
            if chosen is None:
                return Located(Failed("condition is not a bool"), src)
            return self.resolve(parts[1] if chosen else parts[2], pointer)
        choices = self.choices(cond)
        outcomes = [] if choices is None else list(dict.fromkeys(truth(c.value) for c in choices))
        if choices is None or None in outcomes:  # unknown: both branches may be taken
            outcomes = [True, False]
        branches = tuple(self.resolve(parts[1] if t else parts[2], pointer) for t in outcomes)
        return Located(Unresolved("conditional"), src, branches, _common_ref(branches))

    # -- combining known values --------------------------------------------------------

    def choices(self, loc: Located[Any]) -> list[Located[Any]] | None:
        """The values ``loc`` may take (itself when known or null), or ``None`` when any is
        unknown."""
        if loc.is_known() or loc.value is NO_VALUE:
            return [loc]
        if not loc.candidates:
            return None
        out: list[Located[Any]] = []
        for cand in loc.candidates:
            if isinstance(cand.value, Overridable):
                continue  # the configuration is judged as its defaults make it
            inner = self.choices(cand)
            if inner is None:
                return None
            out.extend(inner)
        return out[:MAX_COMBINATIONS]

    def lift(self, args: list[Located[Any]], fn: Callable[..., Any], src: SourceRef, expr: str) -> Located[Any]:
        """``fn`` over the plain values of ``args``; over every combination of candidates when
        some are only candidates. A :class:`Failed` argument fails; an unknown one is unknown."""
        for a in args:
            if isinstance(a.value, Failed):
                return Located(a.value, src)
        if all(a.is_known() or a.value is NO_VALUE for a in args):
            return self._apply(fn, args, src, expr)
        options = [self.choices(a) for a in args]
        if any(o is None for o in options):
            return Located(Unresolved(expr), src)
        results: list[Located[Any]] = []
        for combo in itertools.islice(itertools.product(*options), MAX_COMBINATIONS):  # type: ignore[arg-type]
            results.append(self._apply(fn, list(combo), src, expr))
        return Located(Unresolved(expr), src, tuple(results))

    @staticmethod
    def _apply(fn: Callable[..., Any], args: list[Located[Any]], src: SourceRef, expr: str) -> Located[Any]:
        try:
            value = fn(*[plain(a) for a in args])
            if isinstance(value, str) and len(value) > MAX_TEXT:
                return Located(Unresolved(expr), src)
            return located(value, src)
        except (Unknown, RecursionError):
            return Located(Unresolved(expr), src)
        except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError, OverflowError, ArithmeticError):
            return Located(Failed(expr), src)

    def _operator(self, op: str, operands: list[Located[Any]], src: SourceRef) -> Located[Any]:
        if op in ("&&", "||") and len(operands) == 2:  # a known deciding side decides
            decide = op == "||"
            for o in operands:
                if o.is_known() and truth(o.value) is decide:
                    return Located(decide, src)
        return self.lift(operands, lambda *vs: _operate(op, vs), src, f"operator {op}")

    # -- references --------------------------------------------------------------------

    def _reference(self, ref: str, src: SourceRef, pointer: str) -> Located[Any]:
        steps = _steps(ref)
        if not steps or not isinstance(steps[0], str):
            return Located(Unresolved(ref), src)
        head = steps[0]
        if head in self.scope:
            return self.navigate(self._moved(self.scope[head], src), steps[1:], src, ref)
        if head == "var" and len(steps) >= 2 and isinstance(steps[1], str):
            return self.navigate(self._variable(steps[1], src, pointer), steps[2:], src, ref)
        if head == "local" and len(steps) >= 2 and isinstance(steps[1], str):
            return self.navigate(self._moved(self._local(steps[1], src), src), steps[2:], src, ref)
        if len(steps) >= 2 and f"{head}.{steps[1]}" in self.instance:  # each.key, count.index, iterators
            return self.navigate(self._moved(self.instance[f"{head}.{steps[1]}"], src), steps[2:], src, ref)
        if head in ("each", "count"):
            return Located(Unresolved(ref), src)
        if head == "path" and len(steps) >= 2:
            # path.cwd is an absolute path of the machine that runs Terraform: unknown
            where = {"module": self.module_path, "root": "."}.get(str(steps[1]))
            return Located(where, src) if where is not None else Located(Unresolved(ref), src)
        if head == "module" and self.module_output is not None:
            call = _MODULE_OUTPUT.match(ref)
            if call is not None:  # module.m.out, module.m[0].out, module.m["a"].out
                address = f"{self.prefix}module.{call.group(1)}"
                if call.group(2) is not None:
                    address += "[" + _normal_index(call.group(2)) + "]"
                output = self._output(address, call.group(3), src)
                if output is not None:
                    return self.navigate(output, _steps(call.group(4)), src, ref)
        found_address = self._resource(ref)
        if found_address is not None:  # the text names it from the root (module.m.aws_x.y.arn)
            text = ref if ref.startswith(self.prefix) else self.prefix + ref
            return Located(Unresolved(text), src, ref=found_address)
        return Located(Unresolved(ref), src)

    def _output(self, call: str, name: str, src: SourceRef) -> Located[Any] | None:
        """Output ``name`` of the module call ``call``, found where it is used (the output's
        own expression is the related location)."""
        if self.module_output is None:
            return None
        output = self.module_output(call, name, src)
        if output is None:
            return None
        return Located(output.value, src, output.candidates, output.ref, output.source)

    def _local(self, name: str, src: SourceRef) -> Located[Any]:
        """A local's value, evaluated once (locals cannot use ``each``, ``count`` or ``for``
        variables, so no binding of the expression being read applies)."""
        found = self._local_values.get(name)
        if found is not None:
            return found
        node = self.locals.get(name) if self.locals is not None else None
        if node is None or name in self._active or len(self._active) >= MAX_LOCAL_DEPTH:
            # missing, a cycle, or a chain of locals deeper than any real module: unknown
            if node is not None and name not in self._active:
                note = (f"{src.path}: locals refer to each other more than {MAX_LOCAL_DEPTH} levels deep "
                        f"(at local.{name}); their values are not evaluated")
                if note not in self.notes:
                    self.notes.append(note)
            return Located(Failed(f"local.{name}") if node is None else Unresolved(f"local.{name}"), src)
        self._active.add(name)
        saved = self.instance, self.scope
        self.instance, self.scope = {}, {}
        try:
            loc = self.resolve(node, f"/locals/{name}")
        finally:
            self._active.discard(name)
            self.instance, self.scope = saved
        self._local_values[name] = loc
        return loc

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
        body = self.variables.get(name)
        kind = body.get("type") if body is not None else None
        if name in self.inputs:
            passed = self.inputs[name]
            nullable = body.get("nullable") if body is not None else None
            if not (passed.definitely_absent() and nullable is not None and nullable.value is False):
                return self.convert(passed, kind)  # `null` passed is null, unless the variable is not nullable
        if name in self.tfvars:
            return self._moved(self.convert(self.resolve(self.tfvars[name], f"/tfvars/{name}"), kind), src)
        default = body.get("default") if body is not None else None
        if default is None:
            return Located(Unresolved(f"var.{name}"), src)
        loc = self._moved(self.convert(self.resolve(default, f"/variable/{name}/default"), kind), src)
        if self.called:
            return loc
        return Located(Unresolved(f"var.{name}"), src, (loc, Located(Overridable(f"var.{name}"), src)))

    def convert(self, loc: Located[Any], kind: Node | None, depth: int = 0) -> Located[Any]:
        """``loc`` converted to a variable's ``type`` as Terraform converts it: ``"true"`` to a
        bool, ``"5"`` to a number, numbers and bools to strings, and missing attributes of an
        object filled in from ``optional(type, default)`` (or null)."""
        if kind is None or depth > 16:
            return loc
        if not loc.is_known():
            if not loc.candidates:
                return loc
            return Located(loc.value, loc.source, tuple(self.convert(c, kind, depth) for c in loc.candidates),
                           loc.ref, loc.origin)
        value = loc.value
        name, args = _type_parts(kind)
        if name in ("string", "number", "bool"):
            converted = _primitive(name, value)
            return loc if converted is None else Located(converted, loc.source, (), loc.ref, loc.origin)
        if name in ("list", "set") and args and isinstance(value, tuple):
            return Located(tuple(self.convert(v, args[0], depth + 1) for v in value), loc.source, (), loc.ref,
                           loc.origin)
        if name == "map" and args and isinstance(value, dict):
            return Located({k: self.convert(v, args[0], depth + 1) for k, v in value.items()}, loc.source, (),
                           loc.ref, loc.origin)
        if name == "object" and args and isinstance(value, dict) and args[0].is_map():
            out = dict(value)
            for attr, attr_kind in args[0].value.items():
                inner, inner_args = _type_parts(attr_kind)
                if attr in out:
                    out[attr] = self.convert(out[attr], inner_args[0] if inner == "optional" and inner_args else
                                             attr_kind, depth + 1)
                elif inner == "optional":
                    fallback = (self.resolve(inner_args[1], loc.source.pointer) if len(inner_args) > 1 else
                                Located(NO_VALUE, attr_kind.src))
                    out[attr] = self.convert(fallback, inner_args[0] if inner_args else None, depth + 1)
            return Located(out, loc.source, (), loc.ref, loc.origin)
        return loc

    def navigate(self, loc: Located[Any], steps: list[str | int], src: SourceRef, expr: str) -> Located[Any]:
        """``loc`` followed through attributes and indexes."""
        for i, step in enumerate(steps):
            value = loc.value
            if isinstance(value, dict):
                key = str(step)
                if key not in value:
                    return Located(Failed(expr), src)
                loc = value[key]
            elif isinstance(value, tuple):
                index = _as_index(step)
                if index is None or not 0 <= index < len(value):
                    return Located(Failed(expr), src)
                loc = value[index]
            elif value is NO_VALUE or isinstance(value, Failed) or loc.is_known():
                return Located(Failed(expr), src)  # an attribute of null or of a plain value
            else:
                text = (value.expr if isinstance(value, Unresolved) else expr) + _render(steps[i:])
                if not loc.candidates:
                    kind = Overridable if isinstance(value, Overridable) else Unresolved
                    return Located(kind(text), src, ref=loc.ref)
                cands = tuple(self.navigate(c, steps[i:], src, expr) for c in loc.candidates)
                return Located(Unresolved(text), src, cands, _common_ref(cands))
        return loc

    def _index(self, base: Located[Any], key: Located[Any], src: SourceRef) -> Located[Any]:
        expr = "index"
        if isinstance(base.value, Unresolved) and base.ref is not None and not base.candidates:
            # a resource block indexed by instance: aws_iam_role.fn[each.key]
            if key.is_known() and not isinstance(key.value, (dict, tuple)):
                instance = base.ref + instance_key(key.value)
                if instance in self.resources:
                    return Located(Unresolved(f"{instance}"), src, ref=instance)
            return Located(Unresolved(f"{base.ref}[...]"), src, ref=base.ref)
        if key.is_known():
            return self.navigate(base, [key.value if isinstance(key.value, int) else _stringify(key.value)],
                                 src, expr)
        options = self.choices(key)
        if options is None:
            return Located(Unresolved(expr), src)
        cands = tuple(self._index(base, k, src) for k in options)
        return Located(Unresolved(expr), src, cands, _common_ref(cands))

    def _splat(self, parts: list[Node], src: SourceRef, pointer: str) -> Located[Any]:
        base = self.resolve(parts[0], pointer)
        steps = [s.value for s in parts[1].value] if isinstance(parts[1].value, list) else []
        if not all(isinstance(s, (str, int)) for s in steps):
            return Located(Unresolved("splat"), src)
        if isinstance(base.value, Unresolved) and base.ref is not None:
            instances = sorted(a for a in self.resources if a.startswith(base.ref + "["))
            if instances:  # every instance of a counted resource
                return Located(tuple(Located(Unresolved(i), src, ref=i) for i in instances), src)
            return Located(Unresolved("splat"), src)
        if base.value is NO_VALUE:
            return Located((), src)
        if not base.is_known():
            return Located(Unresolved("splat"), src)
        items = base.value if isinstance(base.value, tuple) else (base,)
        return Located(tuple(self.navigate(item, steps, src, "splat") for item in items), src)

    def _for(self, parts: list[Node], src: SourceRef, pointer: str) -> Located[Any]:
        kind, key_var, value_var = (str(p.value) for p in parts[:3])
        coll = self.resolve(parts[3], pointer)
        if not coll.is_known():
            options = self.choices(coll)
            if options is None:
                return Located(Unresolved("for"), src)
            cands = tuple(self._for_items(kind, key_var, value_var, o, parts, src, pointer) for o in options)
            return Located(Unresolved("for"), src, cands)
        return self._for_items(kind, key_var, value_var, coll, parts, src, pointer)

    def _for_items(self, kind: str, key_var: str, value_var: str, coll: Located[Any], parts: list[Node],
                   src: SourceRef, pointer: str) -> Located[Any]:
        if isinstance(coll.value, dict):
            items = [(Located(k, coll.value[k].source), coll.value[k]) for k in sorted(coll.value)]
        elif isinstance(coll.value, tuple):
            items = [(Located(i, v.source), v) for i, v in enumerate(coll.value)]
        else:
            return Located(Failed("for"), src)
        if len(items) > MAX_ITEMS:
            return Located(Unresolved("for"), src)
        saved = self.scope
        tuple_out: list[Located[Any]] = []
        object_out: dict[str, Located[Any]] = {}
        groups: dict[str, list[Located[Any]]] = {}
        try:
            for key, value in items:
                self.scope = {**saved, value_var: value}
                if key_var:
                    self.scope[key_var] = key
                if parts[6].value is not None:
                    cond = self.resolve(parts[6], pointer)
                    keep = truth(cond.value) if cond.is_known() else None
                    if keep is None:
                        return Located(Unresolved("for"), src)
                    if not keep:
                        continue
                if kind == "tuple":
                    tuple_out.append(self.resolve(parts[5], pointer))
                    continue
                name = self.resolve(parts[4], pointer)
                if not name.is_known() or isinstance(name.value, (dict, tuple)):
                    return Located(Unresolved("for"), src)
                text = _stringify(name.value)
                item = self.resolve(parts[5], pointer)
                if parts[7].value:
                    groups.setdefault(text, []).append(item)
                elif text in object_out:
                    return Located(Failed("duplicate key in for"), src)
                else:
                    object_out[text] = item
        finally:
            self.scope = saved
        if kind == "tuple":
            return Located(tuple(tuple_out), src)
        if parts[7].value:
            return Located({k: Located(tuple(v), src) for k, v in groups.items()}, src)
        return Located(object_out, src)

    # -- files ---------------------------------------------------------------------------

    def read_file(self, path: str) -> str | None:
        """The text of a file of the configuration (``file()``, ``templatefile()``): relative
        to the root module; never a file outside the repository, nor one over 1 MB."""
        if self.cwd is None:
            return None
        full = os.path.realpath(os.path.join(self.cwd, path))
        if not inside(full, self.repo_root or self.cwd) or not os.path.isfile(full):
            return None
        try:
            if os.path.getsize(full) > MAX_TEXT:
                return None
            with open(full, encoding="utf-8") as fh:
                return fh.read()
        except (OSError, UnicodeDecodeError):
            return None

    def list_files(self, directory: str) -> list[str] | None:
        """The files below ``directory`` (relative to the root module), as paths relative to
        it with ``/``; ``None`` outside the repository. At most :data:`MAX_ITEMS` are listed."""
        if self.cwd is None:
            return None
        base = os.path.realpath(os.path.join(self.cwd, directory))
        if not inside(base, self.repo_root or self.cwd) or not os.path.isdir(base):
            return None
        out: list[str] = []
        for folder, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                out.append(os.path.relpath(os.path.join(folder, name), base).replace(os.sep, "/"))
                if len(out) > MAX_ITEMS:
                    return None
        return out

    def encode(self, value: Located[Any], src: SourceRef) -> Located[Any]:
        """``jsonencode``: JSON text when every part is known, else the structure itself."""
        if not _fully_known(value):
            return Located(UnresolvedEncoding("jsonencode()", value), src)
        return Located(json.dumps(plain(value), separators=(",", ":")), src)


def _type_parts(kind: Node) -> tuple[str, list[Node]]:
    """A type constraint's name and arguments: ``string``; ``list`` and ``[T]``; ``object`` and
    ``[{attr: T}]``; ``optional`` and ``[T, default]``."""
    value = kind.value
    if isinstance(value, dict):
        ref = value.get("TF::Ref")
        if ref is not None:
            return str(ref.value), []
        call = value.get("TF::Call")
        if call is not None and isinstance(call.value, list) and call.value:
            return str(call.value[0].value), list(call.value[1:])
    return "", []


def _primitive(name: str, value: Any) -> Any:
    """A value converted to ``string``, ``number`` or ``bool``; None when it stays as it is."""
    if isinstance(value, (dict, tuple)):
        return None
    if name == "string" and not isinstance(value, str):
        return _stringify(value)
    if name == "bool" and value in ("true", "false"):
        return value == "true"
    if name == "number" and isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
        text = value.strip()
        return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
    return None


def _render(steps: list[str | int]) -> str:
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps)


def _as_index(step: Any) -> int | None:
    if isinstance(step, bool):
        return None
    if isinstance(step, int):
        return step
    if isinstance(step, str) and re.fullmatch(r"\d+", step):
        return int(step)
    if isinstance(step, float) and step.is_integer():
        return int(step)
    return None


def number(value: Any) -> int | float:
    """A number, or a string that holds one (Terraform converts it)."""
    if isinstance(value, bool) or value is None:
        raise TypeError
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else float(text)


def _same(a: Any, b: Any) -> bool:
    """Terraform's ``==``: same type and value (a number and its text are not equal)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if type(a) is not type(b) and not (isinstance(a, list) and isinstance(b, list)):
        return False
    return bool(a == b)


def _operate(op: str, values: tuple[Any, ...]) -> Any:
    if len(values) == 1:
        (a,) = values
        if op == "!":
            flag = truth(a)
            if flag is None:
                raise TypeError
            return not flag
        if op == "-":
            return -number(a)
        raise TypeError
    a, b = values
    if op == "==":
        return _same(a, b)
    if op == "!=":
        return not _same(a, b)
    if op in ("&&", "||"):
        p, q = truth(a), truth(b)
        if p is None or q is None:
            raise TypeError
        return (p and q) if op == "&&" else (p or q)
    x, y = number(a), number(b)
    if op == "<":
        return x < y
    if op == ">":
        return x > y
    if op == "<=":
        return x <= y
    if op == ">=":
        return x >= y
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "/":
        result = x / y
        return int(result) if result.is_integer() else result
    if op == "%":
        return x % y
    raise TypeError


def _fully_known(loc: Located[Any]) -> bool:
    if not loc.is_known():
        return loc.value is NO_VALUE
    if isinstance(loc.value, dict):
        return all(_fully_known(v) for v in loc.value.values())
    if isinstance(loc.value, tuple):
        return all(_fully_known(v) for v in loc.value)
    return True
