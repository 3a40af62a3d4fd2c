"""Terraform's built-in functions over located values.

Functions that pick values out of their arguments (``lookup``, ``merge``, ``concat``,
``element``, ``coalesce``, ``try``, ``flatten``, ...) keep each value's own region, so that a
finding still points at the line that wrote it. Functions that compute a new value
(``format``, ``join``, ``length``, ...) give it the region of the call. Any argument that is
unknown makes the result unknown (or a candidate per candidate argument); a function
lambdalint does not know, or one whose result depends on the machine or the time
(``timestamp``, ``uuid``, ``abspath``), is unknown. Never an error for valid Terraform.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lambdalint.parsers.intrinsics import _stringify
from lambdalint.parsers.terraform.resolver import (
    MAX_COMBINATIONS,
    MAX_ITEMS,
    MAX_TEXT,
    Failed,
    Unknown,
    number,
    plain,
)
from lambdalint.values import NO_VALUE, Located, SourceRef, Unresolved

if TYPE_CHECKING:
    from lambdalint.parsers.terraform.resolver import TerraformResolver

Picker = Callable[["TerraformResolver", list[Located[Any]], SourceRef], Located[Any]]


def call(r: TerraformResolver, name: str, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    expr = f"{name}()"
    if name.endswith("..."):  # f(a, list...): the list's elements are the last arguments
        name = name[:-3]
        expr = f"{name}()"
        if not args or not isinstance(args[-1].value, tuple):
            return Located(Unresolved(expr), src)
        args = [*args[:-1], *args[-1].value]
    if name in ("try", "can"):
        return _try(args, src) if name == "try" else _can(args, src)
    for a in args:
        if isinstance(a.value, Failed):
            return Located(a.value, src)
    picker = _PICKERS.get(name)
    if picker is not None:
        if all(a.is_known() or a.value is NO_VALUE for a in args):
            return _pick(picker, r, args, src, expr)
        options = [r.choices(a) for a in args]  # candidates: one result per combination
        if any(o is None for o in options):
            return Located(Unresolved(expr), src)
        combos = itertools.islice(itertools.product(*options), MAX_COMBINATIONS)  # type: ignore[arg-type]
        return Located(Unresolved(expr), src, tuple(_pick(picker, r, list(c), src, expr) for c in combos))
    compute = _COMPUTE.get(name)
    if compute is not None:
        return r.lift(args, compute, src, expr)
    if name == "jsonencode" and len(args) == 1:
        return r.encode(args[0], src)
    if name == "file" and len(args) == 1:
        return r.lift(args, lambda p: _read(r, p), src, expr)
    if name == "fileexists" and len(args) == 1:
        return r.lift(args, lambda p: r.read_file(str(p)) is not None, src, expr)
    if name == "templatefile" and len(args) == 2:
        return _templatefile(r, args, src)
    if name == "fileset" and len(args) == 2:
        return r.lift(args, lambda d, pattern: _fileset(r, d, pattern), src, expr)
    return Located(Unresolved(expr), src)


# -- functions that pick values --------------------------------------------------------

def _pick(picker: Picker, r: TerraformResolver, args: list[Located[Any]], src: SourceRef,
          expr: str) -> Located[Any]:
    try:
        return picker(r, args, src)
    except Unknown:
        return Located(Unresolved(expr), src)
    except (TypeError, ValueError, KeyError, IndexError):
        return Located(Failed(expr), src)


def _known(loc: Located[Any]) -> Any:
    if loc.value is NO_VALUE:
        return None
    if not loc.is_known():
        raise Unknown
    return loc.value


def _mapping(loc: Located[Any]) -> dict[str, Located[Any]]:
    value = _known(loc)
    if not isinstance(value, dict):
        raise TypeError
    return value


def _sequence(loc: Located[Any]) -> tuple[Located[Any], ...]:
    value = _known(loc)
    if not isinstance(value, tuple):
        raise TypeError
    return value


def _scalar(loc: Located[Any]) -> Any:
    value = _known(loc)
    if isinstance(value, (dict, tuple)):
        raise TypeError
    return value


def _try(args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    for a in args:
        if isinstance(a.value, Failed):
            continue
        return a  # the first that does not fail (unknown stays unknown)
    return Located(Failed("try()"), src)


def _can(args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    if len(args) != 1:
        return Located(Failed("can()"), src)
    if isinstance(args[0].value, Failed):
        return Located(False, src)
    return Located(True, src) if args[0].is_known() or args[0].value is NO_VALUE else Located(
        Unresolved("can()"), src)


def _lookup(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    table, key = _mapping(args[0]), _scalar(args[1])
    found = table.get(_stringify(key))
    if found is not None:
        return found
    if len(args) > 2:
        return args[2]
    raise KeyError(key)


def _element(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    items, index = _sequence(args[0]), _scalar(args[1])
    if not items or isinstance(index, bool):
        raise IndexError
    return items[int(index) % len(items)]


def _concat(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    out: list[Located[Any]] = []
    for a in args:
        out.extend(_sequence(a))
    return Located(tuple(out), src)


def _merge(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    out: dict[str, Located[Any]] = {}
    for a in args:
        if a.value is NO_VALUE:
            continue  # merge ignores null arguments
        out.update(_mapping(a))
    return Located(out, src)


def _coalesce(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    for a in args:
        value = _known(a)
        if value is None or value == "":
            continue
        return a
    raise ValueError("no non-null argument")


def _coalescelist(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    for a in args:
        if _sequence(a):
            return a
    raise ValueError("no non-empty list")


def _flatten(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    out: list[Located[Any]] = []

    def walk(items: tuple[Located[Any], ...], depth: int) -> None:
        if depth > 32 or len(out) > MAX_ITEMS:
            raise Unknown
        for item in items:
            value = _known(item)
            if isinstance(value, tuple):
                walk(value, depth + 1)
            else:
                out.append(item)

    walk(_sequence(args[0]), 0)
    return Located(tuple(out), src)


def _values(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    table = _mapping(args[0])
    return Located(tuple(table[k] for k in sorted(table)), src)


def _keys(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    table = _mapping(args[0])
    return Located(tuple(Located(k, src) for k in sorted(table)), src)


def _same_value(loc: Located[Any]) -> Located[Any]:
    _known(loc)
    return loc


def _tomap(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    _mapping(args[0])
    return args[0]


def _tolist(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    _sequence(args[0])
    return args[0]


def _toset(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    items = _sequence(args[0])
    seen: dict[str, Located[Any]] = {}
    for item in items:
        value = _known(item)
        if isinstance(value, (dict, tuple)):
            return Located(items, src)
        seen.setdefault(json.dumps(value), item)
    ordered = sorted(seen.values(), key=lambda v: _stringify(v.value)) if all(
        isinstance(v.value, str) for v in seen.values()) else list(seen.values())
    return Located(tuple(ordered), src)


def _distinct(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    seen: dict[str, Located[Any]] = {}
    for item in _sequence(args[0]):
        seen.setdefault(json.dumps(plain(item), sort_keys=True), item)
    return Located(tuple(seen.values()), src)


def _compact(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    return Located(tuple(i for i in _sequence(args[0]) if _known(i) not in (None, "")), src)


def _reverse(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    return Located(tuple(reversed(_sequence(args[0]))), src)


def _slice(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    items, start, end = _sequence(args[0]), int(_scalar(args[1])), int(_scalar(args[2]))
    if not 0 <= start <= end <= len(items):
        raise IndexError
    return Located(items[start:end], src)


def _one(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    items = _sequence(args[0])
    if len(items) > 1:
        raise ValueError("more than one element")
    return items[0] if items else Located(NO_VALUE, src)


def _zipmap(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    keys, values = _sequence(args[0]), _sequence(args[1])
    if len(keys) != len(values):
        raise ValueError
    return Located({_stringify(_scalar(k)): v for k, v in zip(keys, values)}, src)


def _setunion(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    return _toset(r, [_concat(r, args, src)], src)


def _identity(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    if len(args) != 1:
        raise TypeError
    return _same_value(args[0])


_PICKERS: dict[str, Picker] = {
    "lookup": _lookup, "element": _element, "concat": _concat, "merge": _merge, "coalesce": _coalesce,
    "coalescelist": _coalescelist, "flatten": _flatten, "values": _values, "keys": _keys, "tomap": _tomap,
    "tolist": _tolist, "toset": _toset, "distinct": _distinct, "compact": _compact, "reverse": _reverse,
    "slice": _slice, "one": _one, "zipmap": _zipmap, "setunion": _setunion, "sensitive": _identity,
    "nonsensitive": _identity, "type": lambda r, a, s: Located(Unresolved("type()"), s),
}


# -- functions that compute a new value (over plain values) ------------------------------

def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        raise TypeError
    return _stringify(value)


def _format_verb(verb: str, flags: str, value: Any) -> str:
    if verb in ("s", "v"):
        text = _text(value) if verb == "s" or not isinstance(value, (dict, list)) else json.dumps(value)
    elif verb == "q":
        text = json.dumps(_text(value))
    elif verb == "d":
        if isinstance(value, bool):
            raise TypeError
        text = str(int(_num(value)))
    elif verb == "f":
        precision = int(flags.split(".")[1]) if "." in flags and flags.split(".")[1] else 6
        text = f"{float(_num(value)):.{precision}f}"
    elif verb == "t":
        if not isinstance(value, bool):
            raise TypeError
        text = "true" if value else "false"
    else:
        raise Unknown
    width = re.match(r"[-+# 0]*(\d+)", flags)
    if width:
        size = int(width.group(1))
        text = text.ljust(size) if "-" in flags else text.rjust(size, "0" if flags.startswith("0") else " ")
    return text


_VERB = re.compile(r"%([-+# 0]*\d*(?:\.\d*)?)([a-zA-Z%])")


def _format(fmt: Any, *values: Any) -> str:
    items = list(values)

    def repl(m: re.Match[str]) -> str:
        if m.group(2) == "%":
            return "%"
        if not items:
            raise ValueError("too few arguments")
        return _format_verb(m.group(2), m.group(1), items.pop(0))

    return _VERB.sub(repl, _text(fmt))


_num = number


def _length(value: Any) -> int:
    if isinstance(value, (str, list, dict)):
        return len(value)
    raise TypeError


def _join(sep: Any, *lists: Any) -> str:
    parts: list[str] = []
    for items in lists:
        if not isinstance(items, list):
            raise TypeError
        parts.extend(_text(i) for i in items)
    return _text(sep).join(parts)


def _replace(text: Any, old: Any, new: Any) -> str:
    s, before, after = _text(text), _text(old), _text(new)
    if len(before) > 1 and before.startswith("/") and before.endswith("/"):
        try:
            pattern = re.compile(before[1:-1])
        except re.error:
            raise Unknown from None
        return pattern.sub(re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", after), s)
    return s.replace(before, after)


def _substr(text: Any, offset: Any, length: Any) -> str:
    s = _text(text)
    start = int(_num(offset))
    if start < 0:
        start += len(s)
    count = int(_num(length))
    return s[start:] if count < 0 else s[start:start + count]


def _range(*bounds: Any) -> list[int | float]:
    nums = [_num(b) for b in bounds]
    start, stop, step = (0, nums[0], 1) if len(nums) == 1 else (nums[0], nums[1], nums[2] if len(nums) > 2 else (
        1 if nums[1] >= nums[0] else -1))
    if step == 0 or abs((stop - start) / step) > MAX_ITEMS:
        raise Unknown
    out: list[int | float] = []
    value = start
    while (value < stop) if step > 0 else (value > stop):
        out.append(value)
        value += step
    return out


def _tonumber(value: Any) -> int | float | None:
    return None if value is None else _num(value)


def _tobool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise TypeError


def _tostring(value: Any) -> str | None:
    return None if value is None else _text(value)


def _contains(items: Any, value: Any) -> bool:
    if not isinstance(items, list):
        raise TypeError
    return value in items


def _index(items: Any, value: Any) -> int:
    if not isinstance(items, list):
        raise TypeError
    return items.index(value)


def _split(sep: Any, text: Any) -> list[str]:
    s, d = _text(text), _text(sep)
    return s.split(d) if d else list(s)


def _trim(text: Any, chars: Any) -> str:
    return _text(text).strip(_text(chars))


def _digest(name: str) -> Callable[[Any], str]:
    return lambda value: hashlib.new(name, _text(value).encode()).hexdigest()


def _jsondecode(text: Any) -> Any:
    s = _text(text)
    if len(s) > MAX_TEXT:
        raise Unknown
    try:
        return json.loads(s)
    except json.JSONDecodeError:
        raise ValueError("invalid JSON") from None


def _yamldecode(text: Any) -> Any:
    """One YAML document, read with the safe loader (no tags that build objects); its aliases
    are shared, and the conversion that follows stops at MAX_PARTS parts."""
    import yaml

    s = _text(text)
    if len(s) > MAX_TEXT:
        raise Unknown
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(s, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        raise ValueError("invalid YAML") from None


def _regex_bool(name: str) -> Callable[[Any, Any], bool]:
    def check(text: Any, part: Any) -> bool:
        s, p = _text(text), _text(part)
        if name == "startswith":
            return s.startswith(p)
        return s.endswith(p) if name == "endswith" else p in s
    return check


def _max(*values: Any) -> int | float:
    nums = [_num(v) for v in (values[0] if len(values) == 1 and isinstance(values[0], list) else values)]
    return max(nums)


def _min(*values: Any) -> int | float:
    nums = [_num(v) for v in (values[0] if len(values) == 1 and isinstance(values[0], list) else values)]
    return min(nums)


_COMPUTE: dict[str, Callable[..., Any]] = {
    "format": _format,
    "join": _join,
    "split": _split,
    "replace": _replace,
    "lower": lambda s: _text(s).lower(),
    "upper": lambda s: _text(s).upper(),
    "title": lambda s: _text(s).title(),
    "trimspace": lambda s: _text(s).strip(),
    "chomp": lambda s: _text(s).rstrip("\r\n"),
    "trim": _trim,
    "trimprefix": lambda s, p: _text(s).removeprefix(_text(p)),
    "trimsuffix": lambda s, p: _text(s).removesuffix(_text(p)),
    "substr": _substr,
    "strrev": lambda s: _text(s)[::-1],
    "startswith": _regex_bool("startswith"),
    "endswith": _regex_bool("endswith"),
    "strcontains": _regex_bool("strcontains"),
    "length": _length,
    "contains": _contains,
    "index": _index,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "tobool": _tobool,
    "min": _min,
    "max": _max,
    "abs": lambda v: abs(_num(v)),
    "ceil": lambda v: math.ceil(_num(v)),
    "floor": lambda v: math.floor(_num(v)),
    "signum": lambda v: (_num(v) > 0) - (_num(v) < 0),
    "pow": lambda a, b: _num(a) ** _num(b) if abs(_num(b)) <= 64 else _unknown(),
    "parseint": lambda s, base: int(_text(s), int(_num(base))),
    "sum": lambda items: sum(_num(i) for i in items),
    "range": _range,
    "jsondecode": _jsondecode,
    "yamldecode": lambda text: _yamldecode(text),
    "base64encode": lambda s: base64.b64encode(_text(s).encode()).decode(),
    "base64decode": lambda s: base64.b64decode(_text(s), validate=True).decode(),
    "md5": _digest("md5"),
    "sha1": _digest("sha1"),
    "sha256": _digest("sha256"),
    "sha512": _digest("sha512"),
    "basename": lambda p: _text(p).rstrip("/").rsplit("/", 1)[-1],
    "dirname": lambda p: _text(p).rsplit("/", 1)[0] if "/" in _text(p) else ".",
}


def _unknown() -> Any:
    raise Unknown


# -- files ---------------------------------------------------------------------------------

def _read(r: TerraformResolver, path: Any) -> str:
    text = r.read_file(_text(path))
    if text is None:
        raise Unknown  # not in the repository, too large or unreadable: unknown, never read
    return text


def _fileset(r: TerraformResolver, directory: Any, pattern: Any) -> list[str]:
    """The files under ``directory`` (inside the repository) whose path relative to it matches
    ``pattern`` (``*``, ``**``, ``?``, ``[...]``, ``{a,b}``), sorted as Terraform sorts them."""
    names = r.list_files(_text(directory))
    if names is None:
        raise Unknown
    patterns = _braces(_text(pattern))
    return sorted(n for n in names if any(_glob_match(n, p) for p in patterns))


def _braces(pattern: str) -> list[str]:
    found = re.search(r"\{([^{}]*)\}", pattern)
    if found is None:
        return [pattern]
    return [p for alt in found.group(1).split(",") for p in _braces(pattern[:found.start()] + alt +
                                                                     pattern[found.end():])][:64]


def _glob_match(name: str, pattern: str) -> bool:
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        close = pattern.find("]", i + 1) if ch == "[" else -1
        if close > i:  # a character class, [abc] or [!abc]
            inner = pattern[i + 1:close]
            out.append("[" + ("^" + re.escape(inner[1:]) if inner.startswith("!") else re.escape(inner)) + "]")
            i = close + 1
            continue
        out.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch))
        i += 1
    return re.fullmatch("".join(out), name) is not None


def _templatefile(r: TerraformResolver, args: list[Located[Any]], src: SourceRef) -> Located[Any]:
    from lambdalint.parsers.terraform.hcl import template_node

    path = args[0].known()
    variables = args[1].known()
    if not isinstance(path, str) or not isinstance(variables, dict):
        return Located(Unresolved("templatefile()"), src)
    text = r.read_file(path)
    if text is None:
        return Located(Unresolved("templatefile()"), src)
    node = template_node(text, src)
    saved = r.instance, r.scope
    r.instance, r.scope = {}, dict(variables)
    try:
        return r.resolve(node, src.pointer)
    finally:
        r.instance, r.scope = saved


__all__ = ["call"]
