"""Load YAML and JSON templates into located :class:`Node` trees.

libyaml composes the document (JSON is read by the same composer: every JSON template is a
YAML flow document, and composing keeps exact marks). CloudFormation short tags (``!Ref``,
``!GetAtt``, ``!Sub`` ...) become their long form. Merge keys (``<<``) are applied.

Guards against hostile input: alias bombs (the expanded size is computed on the node graph
before anything is expanded), deep nesting (checked before libyaml's composer, which is
recursive and would overflow the C stack), invalid UTF-8 and binary data.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

import yaml

from lambdalint.parsers.nodes import LoadError, Node
from lambdalint.values import SourceRef

MAX_NODES = 2_000_000
MAX_DEPTH = 900  # libyaml stops at 1000 on its own

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_BOOL_VALUES = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_BRACKETS = re.compile(r"[\[\]{}]")
# a line that starts with a long run of indentation and block indicators: the only way block
# collections nest deeply. libyaml also breaks lines at CR, NEL, LS and PS; a pattern starting
# with a literal character is searched for much faster than one starting with ^ or a class.
_BLOCK_RUN = rf"[ \t?:\ufeff-]{{{MAX_DEPTH // 4}}}"  # and a byte order mark, which libyaml skips
_LONG_FIRST_LINE = re.compile(_BLOCK_RUN)
_LONG_LINES = {brk: re.compile(re.escape(brk) + _BLOCK_RUN) for brk in ("\n", "\r", "\x85", "\u2028", "\u2029")}
# with fewer opening brackets than this (and no long block prefix) libyaml's composer cannot
# nest deep enough to overflow the stack (it does at about 20,000 levels on an 8 MB stack, and
# some platforms give threads far less)
_SAFE_OPENERS = 4_000
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
# JSON that YAML reads differently: surrogate escapes (how JSON writes characters beyond the
# BMP, e.g. Python's json.dumps of an emoji) and raw characters YAML refuses or counts as line
# breaks; escaped backslashes are matched so that `\\ud800` stays literal text
_JSON_NEEDS_FIX = re.compile(r"\\u[dD][89a-fA-F]|[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_JSON_FIX = re.compile(
    r"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
    r"|[\x7f-\x9f\u2028\u2029\ufffe\uffff]"
)
#: per 0-based line: (column in the rewritten text after a rewrite, columns removed so far)
Shifts = dict[int, list[tuple[int, int]]]


def _json_escape(token: str) -> str:
    if token.startswith("\\\\"):  # an escaped backslash
        return token
    if len(token) == 12:  # a surrogate pair
        high, low = int(token[2:6], 16), int(token[8:12], 16)
        return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"
    if len(token) == 6:  # a lone surrogate: not a character
        return "\\ufffd"
    code = ord(token)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_compat(text: str) -> tuple[str, Shifts]:
    """``text`` rewritten so that YAML reads it as JSON does, and where columns moved."""
    if not _JSON_NEEDS_FIX.search(text):
        return text, {}
    out: list[str] = []
    shifts: Shifts = {}
    last = 0
    line, scanned, line_start, removed = 0, 0, 0, 0
    for m in _JSON_FIX.finditer(text):
        old = m.group()
        new = _json_escape(old)
        if new == old:
            continue
        breaks = text.count("\n", scanned, m.start())
        if breaks:
            line += breaks
            line_start = text.rfind("\n", 0, m.start()) + 1
            removed = 0
        scanned = m.start()
        out.append(text[last:m.start()])
        out.append(new)
        last = m.end()
        removed += len(old) - len(new)
        shifts.setdefault(line, []).append((m.end() - line_start - removed, removed))
    out.append(text[last:])
    return "".join(out), shifts


def _column(shifts: Shifts, line: int, column: int) -> int:
    """The 0-based ``column`` of the rewritten text on 0-based ``line`` in the original."""
    entries = shifts.get(line)
    if not entries:
        return column
    i = bisect.bisect_right(entries, column, key=lambda e: e[0]) - 1
    return column + entries[i][1] if i >= 0 else column


def _check_depth(text: str) -> None:
    """Refuse text nesting deeper than :data:`MAX_DEPTH` before libyaml composes it.

    Cheap bounds on the raw text decide whether the exact check (:func:`_scan_depth`) is needed:
    flow collections nest at most once per opening bracket; block collections nest only at a
    greater column (or as one indentless sequence per mapping), and within one line only by
    compact indicators (``- - x``, ``? - x``), which allow nothing else in between, so their depth
    is at most twice the longest run of indentation and indicators that starts a line, plus two.
    Closing brackets inside strings or comments can make a bracket count too low, so with many
    brackets the text must be JSON that Python's parser reads within its recursion limit, or
    the exact check runs."""
    if _LONG_FIRST_LINE.match(text) or any(brk in text and rx.search(text) for brk, rx in _LONG_LINES.items()):
        _scan_depth(text)
        return
    openers = text.count("[") + text.count("{")
    if openers <= MAX_DEPTH // 2:
        return
    if openers > _SAFE_OPENERS:
        if not _shallow_json(text):
            _scan_depth(text)
        return
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH // 2:
                _scan_depth(text)
                return
        else:
            depth = max(0, depth - 1)


def _shallow_json(text: str) -> bool:
    """Whether ``text`` is JSON nesting less deep than the recursion limit (Python's parser is
    fast, and reads JSON as libyaml does; deeper, it raises :class:`RecursionError`)."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _scan_depth(text: str) -> None:
    """The exact check: libyaml's event parser, which is iterative, counts the nesting."""
    loader = _LOADER(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
                    raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", line, column)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except (yaml.YAMLError, UnicodeEncodeError):
        return  # the composer reports it, having nested no deeper than the parser did here
    finally:
        loader.dispose()


def decode(data: bytes, *, utf16: bool = False) -> str:
    """Bytes to text, refusing binary and invalid UTF-8 with a clear message. With ``utf16``,
    UTF-16 and UTF-32 with a byte order mark (YAML allows them; Windows PowerShell writes
    UTF-16) are read too."""
    # UTF-32 first: its little-endian mark begins with UTF-16's
    for marks, codec in (((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"), "utf-32"),
                         ((b"\xff\xfe", b"\xfe\xff"), "utf-16")):
        if not data.startswith(marks):
            continue
        name = codec.upper()
        if not utf16:
            raise LoadError(f"{name} text; save the file as UTF-8")
        try:
            return data.decode(codec)  # the mark says which byte order, and is dropped
        except UnicodeDecodeError as exc:
            raise LoadError(f"invalid {name} at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise LoadError("binary file (contains NUL bytes), not a template")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LoadError(f"invalid UTF-8 at byte {exc.start}", line, 1) from None


class MultipleDocuments(LoadError):
    """The text is a stream of several YAML documents (``---``); a template is one."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__("several YAML documents in one file (a template is a single document)", line, column)


TEMPLATE_KEYS = ("Resources", "AWSTemplateFormatVersion", "Transform")


def any_document_is_template(text: str) -> bool:
    """Whether some document of a multi-document stream has a top-level template key
    (``True`` when the stream cannot be composed: then it is reported, not skipped)."""
    try:
        for doc in yaml.compose_all(text, Loader=_LOADER):
            if isinstance(doc, yaml.MappingNode) and any(
                    isinstance(k, yaml.ScalarNode) and k.value in TEMPLATE_KEYS for k, _ in doc.value):
                return True
    except (yaml.YAMLError, RecursionError):
        return True
    return False


def _in_text(text: str, line: int, column: int) -> tuple[int, int]:
    """``line``/``column`` moved back into the text: at the end of the stream libyaml reports
    the position after a final line break, a line the file does not have."""
    lines = text.split("\n")
    if line < len(lines) or (line == len(lines) and lines[-1].strip()):
        return line, column
    last = min(line, len(lines))
    while last > 1 and not lines[last - 1].strip():
        last -= 1
    return last, len(lines[last - 1]) + 1


def compose(text: str) -> yaml.Node | None:
    _check_depth(text)
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        if exc.context == "expected a single document in the stream" and exc.problem_mark is not None:
            raise MultipleDocuments(exc.problem_mark.line + 1, exc.problem_mark.column + 1) from None
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "invalid YAML"
        if mark is not None:
            line, column = _in_text(text, mark.line + 1, mark.column + 1)
            raise LoadError(reason, line, column) from None
        raise LoadError(reason) from None
    except yaml.reader.ReaderError as exc:
        # a character YAML does not allow; ``position`` is its index in the text
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        raise LoadError(f"character {exc.character!r} is not allowed in YAML", line, column) from None
    except yaml.YAMLError as exc:
        raise LoadError(str(exc).splitlines()[0] if str(exc) else "invalid YAML") from None
    except RecursionError:
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels") from None
    except UnicodeEncodeError as exc:  # a lone surrogate in a str that did not come from a file
        line = text.count("\n", 0, exc.start) + 1
        raise LoadError("text is not valid Unicode (lone surrogate)", line) from None


def _expanded_size(root: yaml.Node) -> int:
    """Nodes the document has once every alias is expanded, without expanding them."""
    memo: dict[int, int] = {}
    #: nodes whose children are being counted: meeting one again is a cycle (an alias inside
    #: the node its anchor names), which expands without end
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in memo:
            continue
        if not done and key in open_nodes:
            return MAX_NODES + 1
        if isinstance(node, yaml.ScalarNode):
            memo[key] = 1
            continue
        children: list[yaml.Node]
        if isinstance(node, yaml.MappingNode):
            children = [c for pair in node.value for c in pair]
        else:
            children = list(node.value)
        if done:
            open_nodes.discard(key)
            total = 1
            for c in children:
                total += memo.get(id(c), 1)
                if total > MAX_NODES:
                    break
            memo[key] = total
        else:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in memo)
    return memo.get(id(root), 1)


class _Converter:
    def __init__(self, path: str, *, json_like: bool = False, shifts: Shifts | None = None) -> None:
        self.path = path
        self.json_like = json_like
        self.shifts = shifts or {}

    def src(self, node: yaml.Node) -> SourceRef:
        s, e = node.start_mark, node.end_mark
        if self.shifts:
            return SourceRef(self.path, s.line + 1, _column(self.shifts, s.line, s.column) + 1,
                             e.line + 1, _column(self.shifts, e.line, e.column) + 1)
        return SourceRef(self.path, s.line + 1, s.column + 1, e.line + 1, e.column + 1)

    def convert(self, node: yaml.Node, depth: int = 0) -> Node:
        """A node converted when first read (scalars at once: they are cheap)."""
        if isinstance(node, yaml.ScalarNode) and not (node.tag or "").startswith("!"):
            return Node.lazy(self, node, depth, self.scalar(node), pending=False)
        return Node.lazy(self, node, depth)

    def build(self, node: yaml.Node, depth: int = 0) -> Node:
        if depth > MAX_DEPTH:
            raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark.line + 1)
        tag = node.tag or ""
        src = self.src(node)
        if tag.startswith("!"):
            return self.intrinsic(tag[1:], node, src, depth)
        if isinstance(node, yaml.ScalarNode):
            return Node(self.scalar(node), src)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.convert(c, depth + 1) for c in node.value], src)
        assert isinstance(node, yaml.MappingNode)
        return self.mapping(node, src, depth)

    def mapping(self, node: yaml.MappingNode, src: SourceRef, depth: int) -> Node:
        out: dict[str, Node] = {}
        keys: dict[str, Any] = {}
        merged: list[Node] = []
        for knode, vnode in node.value:
            if knode.tag == _MERGE:
                value = self.convert(vnode, depth + 1)
                merged.extend(value.value if isinstance(value.value, list) else [value])
                continue
            key = self.scalar(knode) if isinstance(knode, yaml.ScalarNode) else None
            if key is None and not isinstance(knode, yaml.ScalarNode):
                raise LoadError("mapping keys must be scalars", knode.start_mark.line + 1,
                                knode.start_mark.column + 1)
            skey = "null" if key is None else (str(key).lower() if isinstance(key, bool) else str(key))
            if skey in keys:  # CloudFormation refuses it; last-wins would hide what came first
                first = keys[skey][1].start_mark
                raise LoadError(f"duplicate key {skey!r} (first at line {first.line + 1}; a mapping may name a key "
                                f"once)", knode.start_mark.line + 1, knode.start_mark.column + 1)
            out[skey] = self.convert(vnode, depth + 1)
            keys[skey] = (self, knode)  # its region is computed when asked for
        for m in merged:  # explicit keys win over merged ones
            if isinstance(m.value, dict):
                for k, v in m.value.items():
                    if k not in out:
                        out[k] = v
                        keys[k] = m.key(k)
        return Node(out, src, keys)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, raw = node.tag, node.value
        if self.json_like and not node.style and _JSON_NUMBER.fullmatch(raw):
            # JSON numbers, including those YAML 1.1 reads as text (1e5, 1e+16)
            if any(c in raw for c in ".eE"):
                return float(raw)
            try:
                return int(raw)
            except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
                return raw
        if node.style or tag == _STR:
            return raw
        try:
            if tag == _INT:
                text = raw.replace("_", "")
                if ":" in text:
                    return raw
                return int(text, 0) if text.lower().startswith(("0x", "0o", "0b")) else int(text)
            if tag == _FLOAT:
                return float(raw.replace("_", "")) if ":" not in raw else raw
        except ValueError:
            return raw
        if tag == _BOOL:
            return _BOOL_VALUES.get(raw.lower(), raw)
        if tag == _NULL:
            return None
        return raw  # timestamps and other tags stay text, as CloudFormation reads them

    def intrinsic(self, name: str, node: yaml.Node, src: SourceRef, depth: int) -> Node:
        if isinstance(node, yaml.ScalarNode):
            inner = Node(node.value, src)
        else:
            inner = self.convert_untagged(node, depth)
        if name == "Ref":
            key = "Ref"
        elif name == "Condition":
            key = "Condition"
        else:
            key = f"Fn::{name}"
        if key == "Fn::GetAtt" and isinstance(inner.value, str):
            first, _, rest = inner.value.partition(".")
            inner = Node([Node(first, src), Node(rest, src)], src)
        return Node({key: inner}, src, {key: src})

    def convert_untagged(self, node: yaml.Node, depth: int) -> Node:
        src = self.src(node)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.convert(c, depth + 1) for c in node.value], src)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, src, depth)
        return Node(node.value, src)  # pragma: no cover - scalars are handled by the caller


def load_text(text: str, path: str, *, json_like: bool = False) -> Node | None:
    """Parse YAML or JSON text into a located tree (``None`` for an empty document)."""
    shifts: Shifts = {}
    if json_like:
        if "\t" in text:
            # JSON allows tabs between tokens, YAML does not; a raw tab cannot occur inside a
            # valid JSON string, so replacing it keeps every offset and the meaning.
            text = text.replace("\t", " ")
        text, shifts = _json_compat(text)
    try:
        root = compose(text)
    except LoadError as exc:
        if shifts and not isinstance(exc, MultipleDocuments):
            exc.column = _column(shifts, exc.line - 1, exc.column - 1) + 1
        raise
    if root is None:
        return None
    if "&" in text and _expanded_size(root) > MAX_NODES:  # without anchors there are no aliases
        raise LoadError(f"document expands to more than {MAX_NODES:,} nodes (a YAML alias bomb, or an alias "
                        "inside the node its anchor names)")
    try:
        return _Converter(path, json_like=json_like, shifts=shifts).build(root)
    except RecursionError:
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels") from None
