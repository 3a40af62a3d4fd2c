"""HCL (``.tf``) into the located :class:`Node` tree, with the exact region of every value.

tree-sitter's HCL grammar parses the text (a C parser: about 10 ms to load, well under a
millisecond for a module); this module turns its syntax tree into nodes. Blocks become mappings
(``resource`` → type → name → body; nested blocks such as ``environment`` become lists of
bodies). Expressions that are not literals are kept as one-key mappings the Terraform resolver
evaluates:

- ``{"TF::Ref": "var.memory"}`` for references (``aws_s3_bucket.uploads.arn``, ``local.x``,
  ``var.m['k'][0]``: literal indexes stay in the text);
- ``{"TF::Template": [parts]}`` for strings with ``${...}`` interpolations;
- ``{"TF::Call": [name, args...]}`` for function calls (``name...`` when the last argument is
  expanded);
- ``{"TF::If": [condition, then, else]}`` for conditionals;
- ``{"TF::Op": [operator, operand, operand?]}`` for operators (``==``, ``&&``, ``!``, ``+``, ...);
- ``{"TF::Index": [collection, key]}`` and ``{"TF::GetAttr": [value, name]}`` for indexes and
  attributes that are not a plain reference (``local.m[var.k]``, ``f(x).attr``);
- ``{"TF::For": [kind, key var, value var, collection, key expr, value expr, cond, group]}``
  for ``[for ...]`` and ``{for ...}``;
- ``{"TF::Splat": [collection, steps]}`` for ``x[*].attr`` and ``x.*.attr``;
- ``{"TF::Expr": kind}`` for everything else (template directives).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from lambdalint.parsers.nodes import LoadError, Node
from lambdalint.values import SourceRef

_OPERATORS = frozenset({"==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "&&", "||", "!"})
#: syntax nodes that are not part of the value
_EXTRAS = frozenset({"comment"})
#: the deepest expression nesting read (the parser itself has no limit)
MAX_DEPTH = 200


@cache
def _parser() -> Any:
    import tree_sitter
    import tree_sitter_hcl

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))


class _Builder:
    def __init__(self, data: bytes, path: str, fixed: SourceRef | None = None) -> None:
        self.data = data
        self.path = path
        #: every node gets this region (an expression inside a .tf.json string)
        self.fixed = fixed
        self.ascii = data.isascii()
        self._line_starts: list[int] | None = None
        self.depth = 0

    # -- regions -----------------------------------------------------------------------

    def _column(self, row: int, byte_column: int) -> int:
        """A 1-based character column from tree-sitter's 0-based byte column."""
        if self.ascii:
            return byte_column + 1
        if self._line_starts is None:
            starts = [0]
            for i, ch in enumerate(self.data):
                if ch == 10:
                    starts.append(i + 1)
            self._line_starts = starts
        start = self._line_starts[row] if row < len(self._line_starts) else 0
        return len(self.data[start:start + byte_column].decode("utf-8", "replace")) + 1

    def src(self, node: Any) -> SourceRef:
        if self.fixed is not None:
            return self.fixed
        (row, col), (erow, ecol) = node.start_point, node.end_point
        return SourceRef(self.path, row + 1, self._column(row, col), erow + 1, self._column(erow, ecol))

    def text(self, node: Any) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    # -- structure ---------------------------------------------------------------------

    def body(self, tree: Any, src: SourceRef) -> Node:
        out: dict[str, Node] = {}
        keys: dict[str, Any] = {}
        for child in tree.children if tree is not None else ():
            if child.type == "attribute":
                name = self.text(child.children[0])
                value = next((c for c in child.children if c.type == "expression"), None)
                if value is None:
                    continue
                out[name] = self.expr(value)
                keys[name] = self.src(child.children[0])
            elif child.type == "block":
                self.block(child, out, keys)
        return Node(out, src, keys)

    def label(self, node: Any) -> str:
        if node.type == "string_lit":
            return _unescape(self._between_quotes(node))
        return self.text(node)

    def _between_quotes(self, node: Any) -> str:
        start = next((c.end_byte for c in node.children if c.type == "quoted_template_start"), node.start_byte)
        end = next((c.start_byte for c in node.children if c.type == "quoted_template_end"), node.end_byte)
        return self.data[start:end].decode("utf-8", "replace")

    def block(self, tree: Any, out: dict[str, Node], keys: dict[str, Any]) -> None:
        parts = [c for c in tree.children if c.type in ("identifier", "string_lit")]
        body_tree = next((c for c in tree.children if c.type == "body"), None)
        btype, labels = self.text(parts[0]), [self.label(p) for p in parts[1:]]
        label_src = [self.src(p) for p in parts[1:]]
        body = self.body(body_tree, self.src(tree))
        if btype == "locals":  # every locals block of the module is one namespace
            target = out.setdefault("locals", Node({}, self.src(tree), {}))
            target.value.update(body.value)
            assert target.key_src is not None and body.key_src is not None
            target.key_src.update(body.key_src)
            return
        if not labels:  # a nested block: a list of bodies
            existing = out.get(btype)
            if existing is None or not existing.is_list():
                out[btype] = Node([body], self.src(tree))
                keys[btype] = self.src(parts[0])
            else:
                existing.value.append(body)
            return
        # labelled blocks: type -> label1 [-> label2] -> body, keyed regions on the labels
        node = out.setdefault(btype, Node({}, self.src(tree), {}))
        for label, lsrc in zip(labels[:-1], label_src[:-1]):
            child = node.value.get(label)
            if child is None:
                child = node.value[label] = Node({}, lsrc, {})
                _keys(node)[label] = lsrc
            node = child
        node.value[labels[-1]] = body
        _keys(node)[labels[-1]] = label_src[-1]

    # -- expressions -------------------------------------------------------------------

    def expr(self, tree: Any) -> Node:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise RecursionError
            return self._expr(tree)
        finally:
            self.depth -= 1

    def _expr(self, tree: Any) -> Node:
        if tree.type in ("expression", "binary_operation"):
            return self.sequence(tree, [c for c in tree.children if c.type not in _EXTRAS])
        return self.primary(tree)

    def sequence(self, tree: Any, kids: list[Any]) -> Node:
        """Children that form one expression: a binary operation (``a.b == 1``), or a term and
        the attributes, indexes and splats after it."""
        src = self.src(tree)
        depth = 0
        for i, c in enumerate(kids):  # an operator outside parentheses splits the operands
            if c.type == "(":
                depth += 1
            elif c.type == ")":
                depth -= 1
            elif depth == 0 and c.type in _OPERATORS and c.child_count == 0 and i > 0:
                return _form("TF::Op", [Node(c.type, src), self.sequence(tree, kids[:i]),
                                        self.sequence(tree, kids[i + 1:])], src)
        if kids and kids[0].type == "(":
            inner = next((c for c in kids if c.type not in ("(", ")")), None)
            close = next((i for i, c in enumerate(kids) if c.type == ")"), len(kids) - 1)
            base = self.expr(inner) if inner is not None else Node({"TF::Expr": Node("empty", src)}, src)
            return self.postfix(base, None, kids[close + 1:], src)
        if not kids:
            return Node({"TF::Expr": Node("empty", src)}, src)
        head = kids[0]
        ref = self.text(head.children[0]) if head.type == "variable_expr" and head.children else None
        return self.postfix(self.expr(head) if ref is None else None, ref, kids[1:], src)

    def postfix(self, base: Node | None, ref: str | None, steps: list[Any], src: SourceRef) -> Node:
        """``base`` (or the reference ``ref``) followed by ``.attr``, ``[key]`` and splats; a
        reference keeps growing as text while its steps are names and literal keys."""
        for step in steps:
            kind = step.type
            inner = step.children[0] if kind in ("index", "splat") and step.children else step
            if kind == "get_attr":
                name = self.text(step.children[-1]) if step.children else ""
                if ref is not None:
                    ref = f"{ref}.{name}"
                    continue
                base = _form("TF::GetAttr", [_require(base, src), Node(name, src)], src)
            elif inner.type == "legacy_index":
                index = int(self.text(inner).lstrip(".") or 0)
                if ref is not None:
                    ref = f"{ref}[{index}]"
                    continue
                base = _form("TF::Index", [_require(base, src), Node(index, src)], src)
            elif inner.type == "new_index":
                key_tree = next((c for c in inner.children if c.type == "expression"), None)
                key = self.expr(key_tree) if key_tree is not None else Node({"TF::Expr": Node("index", src)}, src)
                literal = key.value
                if ref is not None and isinstance(literal, (int, str)) and not isinstance(literal, bool):
                    ref = f"{ref}[{literal!r}]" if isinstance(literal, str) else f"{ref}[{literal}]"
                    continue
                base = _form("TF::Index", [_require(base, src, ref), key], src)
                ref = None
            elif inner.type in ("attr_splat", "full_splat"):
                base = _form("TF::Splat", [_require(base, src, ref), Node(self.splat_steps(inner, src), src)], src)
                ref = None
            else:
                return Node({"TF::Expr": Node(kind, src)}, src, {"TF::Expr": src})
        if ref is not None:
            return Node({"TF::Ref": Node(ref, src)}, src, {"TF::Ref": src})
        return _require(base, src)

    def splat_steps(self, tree: Any, src: SourceRef) -> list[Node]:
        out: list[Node] = []
        for step in tree.children:
            inner = step.children[0] if step.type == "index" and step.children else step
            if step.type == "get_attr":
                out.append(Node(self.text(step.children[-1]) if step.children else "", src))
            elif inner.type == "legacy_index":
                out.append(Node(int(self.text(inner).lstrip(".") or 0), src))
            elif inner.type == "new_index":
                key_tree = next((c for c in inner.children if c.type == "expression"), None)
                out.append(self.expr(key_tree) if key_tree is not None else Node(None, src))
        return out

    def primary(self, tree: Any) -> Node:
        src = self.src(tree)
        kind = tree.type
        kids = [c for c in tree.children if c.type not in _EXTRAS]
        if kind in ("literal_value", "collection_value", "template_expr", "for_expr", "operation") and kids:
            return self.expr(kids[0])
        if kind == "numeric_lit":
            text = self.text(tree)
            try:
                return Node(int(text), src)
            except ValueError:
                try:
                    return Node(float(text), src)
                except ValueError:
                    return Node({"TF::Expr": Node("number", src)}, src)
        if kind == "bool_lit":
            return Node(self.text(tree) == "true", src)
        if kind == "null_lit":
            return Node(None, src)
        if kind in ("string_lit", "quoted_template"):
            return self.template(kids, src, quoted=True)
        if kind == "heredoc_template":
            return self.heredoc(tree, kids, src)
        if kind == "tuple":
            return Node([self.expr(c) for c in kids if c.type == "expression"], src)
        if kind == "object":
            return self.object(kids, src)
        if kind == "variable_expr":
            return Node({"TF::Ref": Node(self.text(kids[0]) if kids else "", src)}, src, {"TF::Ref": src})
        if kind == "function_call":
            name = self.text(kids[0]) if kids else ""
            args_tree = next((c for c in kids if c.type == "function_arguments"), None)
            args = [self.expr(c) for c in args_tree.children if c.type == "expression"] if args_tree else []
            if args_tree is not None and any(c.type == "ellipsis" for c in args_tree.children):
                name += "..."  # the last argument's elements are the arguments
            return Node({"TF::Call": Node([Node(name, src), *args], src)}, src, {"TF::Call": src})
        if kind == "conditional":
            branches = [c for c in kids if c.type == "expression"]
            if len(branches) == 3:
                return Node({"TF::If": Node([self.expr(b) for b in branches], src)}, src, {"TF::If": src})
        if kind == "unary_operation" and len(kids) >= 2:
            operand = self.sequence(tree, kids[1:])
            if kids[0].type == "-" and isinstance(operand.value, (int, float)) and not isinstance(
                    operand.value, bool):
                return Node(-operand.value, src)
            return _form("TF::Op", [Node(kids[0].type, src), operand], src)
        if kind in ("for_tuple_expr", "for_object_expr"):
            return self.for_expr(kids, src, kind == "for_object_expr")
        return Node({"TF::Expr": Node(kind, src)}, src, {"TF::Expr": src})

    def for_expr(self, kids: list[Any], src: SourceRef, is_object: bool) -> Node:
        intro = next((c for c in kids if c.type == "for_intro"), None)
        names = [self.text(c) for c in intro.children if c.type == "identifier"] if intro is not None else []
        coll = next((c for c in intro.children if c.type == "expression"), None) if intro is not None else None
        body = [c for c in kids if c.type == "expression"]
        cond = next((c for c in kids if c.type == "for_cond"), None)
        cond_expr = [c for c in cond.children if c.type == "expression"] if cond is not None else []
        key_var, value_var = (names[0], names[1]) if len(names) > 1 else ("", names[0] if names else "")
        none = Node(None, src)
        key_expr, value_expr = (body[0], body[1]) if is_object and len(body) > 1 else (None, body[0] if body else None)
        group = is_object and any(c.type == "ellipsis" for c in kids)
        parts = [Node("object" if is_object else "tuple", src), Node(key_var, src), Node(value_var, src),
                 self.expr(coll) if coll is not None else none, self.expr(key_expr) if key_expr is not None else none,
                 self.expr(value_expr) if value_expr is not None else none,
                 self.expr(cond_expr[0]) if cond_expr else none, Node(group, src)]
        return _form("TF::For", parts, src)

    def object(self, kids: list[Any], src: SourceRef) -> Node:
        out: dict[str, Node] = {}
        keys: dict[str, Any] = {}
        for elem in kids:
            if elem.type != "object_elem":
                continue
            exprs = [c for c in elem.children if c.type == "expression"]
            if len(exprs) != 2:
                continue
            key_node = self.expr(exprs[0])
            key: str
            if isinstance(key_node.value, str):
                key = key_node.value
            elif isinstance(key_node.value, dict) and _bare_name(key_node.value.get("TF::Ref")) and \
                    exprs[0].children and exprs[0].children[0].type != "(":
                key = key_node.value["TF::Ref"].value  # a bare identifier is the key itself
            else:
                continue  # a computed key: unknown
            out[key] = self.expr(exprs[1])
            keys[key] = self.src(exprs[0])
        return Node(out, src, keys)

    # -- templates -----------------------------------------------------------------------

    def template(self, kids: list[Any], src: SourceRef, quoted: bool) -> Node:
        """A quoted string: the literal text between its interpolations (whitespace included,
        escapes applied) and the interpolations themselves."""
        start = next((c.end_byte for c in kids if c.type == "quoted_template_start"), None)
        if start is None:
            return Node({"TF::Expr": Node("string", src)}, src)
        parts: list[Node] = []
        for child in kids:
            if child.type in ("template_interpolation", "template_directive", "quoted_template_end"):
                text = self.data[start:child.start_byte].decode("utf-8", "replace")
                if text:
                    parts.append(Node(_unescape(text) if quoted else text, src))
                if child.type == "quoted_template_end":
                    break
                if child.type == "template_directive":
                    return Node({"TF::Expr": Node("template directive", src)}, src, {"TF::Expr": src})
                inner = next((c for c in child.children if c.type == "expression"), None)
                parts.append(self.expr(inner) if inner is not None else Node({"TF::Expr": Node("empty", src)}, src))
                start = child.end_byte
        return _joined(parts, src)

    def heredoc(self, tree: Any, kids: list[Any], src: SourceRef) -> Node:
        """A heredoc's lines as written (``<<-`` included: its indentation is kept, so that the
        columns of what a policy or script in it says stay those of the file)."""
        markers = [c for c in kids if c.type == "heredoc_identifier"]
        if len(markers) < 2:
            return Node({"TF::Expr": Node("heredoc", src)}, src)
        newline = self.data.find(b"\n", markers[0].end_byte)
        start = newline + 1 if newline >= 0 else markers[0].end_byte
        # the closing marker's line starts after the last newline before it
        end = self.data.rfind(b"\n", start, markers[-1].start_byte) + 1
        end = max(end, start)
        pieces: list[Any] = []
        cursor = start
        for child in kids:
            if child.start_byte < start or child.start_byte >= end:
                continue
            if child.type in ("template_interpolation", "template_directive"):
                pieces.append(self.data[cursor:child.start_byte].decode("utf-8", "replace"))
                pieces.append(child)
                cursor = child.end_byte
        pieces.append(self.data[cursor:end].decode("utf-8", "replace"))
        parts: list[Node] = []
        for piece in pieces:
            if isinstance(piece, str):
                if piece:
                    parts.append(Node(piece.replace("$${", "${").replace("%%{", "%{"), src))
            elif piece.type == "template_directive":
                return Node({"TF::Expr": Node("template directive", src)}, src, {"TF::Expr": src})
            else:
                inner = next((c for c in piece.children if c.type == "expression"), None)
                parts.append(self.expr(inner) if inner is not None else Node({"TF::Expr": Node("empty", src)}, src))
        return _joined(parts, src)


def _joined(parts: list[Node], src: SourceRef) -> Node:
    if not parts:
        return Node("", src)
    if len(parts) == 1 and isinstance(parts[0].value, str):
        return Node(parts[0].value, src)
    if len(parts) == 1:  # "${expr}" alone is the expression's own value, not a string
        return parts[0]
    return Node({"TF::Template": Node(parts, src)}, src, {"TF::Template": src})


def _require(base: Node | None, src: SourceRef, ref: str | None = None) -> Node:
    if ref is not None:
        return Node({"TF::Ref": Node(ref, src)}, src, {"TF::Ref": src})
    return base if base is not None else Node({"TF::Expr": Node("empty", src)}, src)


def _form(name: str, parts: list[Node], src: SourceRef) -> Node:
    return Node({name: Node(parts, src)}, src, {name: src})


def _bare_name(ref: Node | None) -> bool:
    return ref is not None and isinstance(ref.value, str) and "." not in ref.value and "[" not in ref.value


def _keys(node: Node) -> dict[str, SourceRef]:
    keys = node.key_src
    assert keys is not None
    return keys


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    """A quoted string's escapes (``\\n``, ``\\"``, ``\\uXXXX``, ``$${``, ``%%{``) applied."""
    if "\\" not in text and "$${" not in text and "%%{" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            width = 4 if nxt == "u" else 8 if nxt == "U" else 0
            if width and i + 2 + width <= len(text):
                try:
                    out.append(chr(int(text[i + 2:i + 2 + width], 16)))
                    i += 2 + width
                    continue
                except ValueError:
                    pass
        if text.startswith(("$${", "%%{"), i):
            out.append(text[i + 1:i + 3])
            i += 3
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _first_error(node: Any) -> Any:
    """The first node tree-sitter could not fit (an ERROR or a MISSING token), depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            return current
        if current.has_error:
            stack.extend(reversed(current.children))
    return None


def _syntax_error(data: bytes, bad: Any) -> LoadError:
    row, col = bad.start_point if bad is not None else (0, 0)
    line = data.split(b"\n")[row] if row < data.count(b"\n") + 1 else b""
    column = len(line[:col].decode("utf-8", "replace")) + 1
    if bad is None:
        what = "unexpected input"
    elif bad.is_missing:
        what = f"missing {bad.type!r}"
    else:
        leaf = bad
        while leaf.child_count:
            leaf = leaf.children[0]
        token = data[leaf.start_byte:leaf.end_byte].decode("utf-8", "replace").strip()[:30]
        what = f"unexpected {token!r}" if token else "unexpected end of input"
    return LoadError(f"HCL syntax error: {what}", row + 1, column)


def load_hcl(text: str, path: str) -> Node:
    """Parse one ``.tf`` file. Syntax errors raise :class:`LoadError` with their position."""
    data = text.encode("utf-8", "surrogatepass")
    tree = _parser().parse(data)
    root = tree.root_node
    if root.has_error:
        raise _syntax_error(data, _first_error(root))
    builder = _Builder(data, path)
    body = next((c for c in root.children if c.type == "body"), None)
    if body is None:
        return Node({}, SourceRef(path, 1, 1, 1, 1), {})
    try:
        return builder.body(body, SourceRef(path, 1, 1, 1, 1))
    except RecursionError:
        raise LoadError("HCL nesting too deep") from None


def load_tf_json(text: str, path: str) -> Node:
    """A ``.tf.json`` file: JSON with the same structure as HCL, whose strings may hold
    ``${...}`` expressions (evaluated as in HCL; their region is the whole string)."""
    from lambdalint.parsers.yaml_loader import load_text

    root = load_text(text, path, json_like=True)
    if root is None or not root.is_map():
        raise LoadError("a .tf.json file must hold a JSON object")
    return _expressions(root)


def _expressions(node: Node) -> Node:
    value = node.value
    if isinstance(value, dict):
        return Node({k: _expressions(v) for k, v in value.items()}, node.src, node.key_src)
    if isinstance(value, list):
        return Node([_expressions(v) for v in value], node.src)
    if isinstance(value, str) and "${" in value:
        return _template(value, node.src)
    return node


def template_node(text: str, src: SourceRef) -> Node:
    """A template's text (a heredoc, a ``templatefile`` file) as an expression; every part has
    the region ``src``."""
    return _template(text, src)


def _template(text: str, src: SourceRef) -> Node:
    """``text`` read as a template with no escapes of its own (a heredoc's body): the strings
    of ``.tf.json`` were unescaped by JSON already, and files ``templatefile`` reads have none."""
    marker = "LAMBDALINT_TEMPLATE_END"
    while marker in text:
        marker += "_"
    data = f"x = <<{marker}\n{text}\n{marker}\n".encode("utf-8", "surrogatepass")
    root = _parser().parse(data).root_node
    attribute = None
    if not root.has_error:
        body = next((c for c in root.children if c.type == "body"), None)
        attribute = next((c for c in body.children if c.type == "attribute"), None) if body is not None else None
    value = next((c for c in attribute.children if c.type == "expression"), None) if attribute is not None else None
    if value is None:  # an expression HCL cannot read: unknown, never a guess
        return Node({"TF::Expr": Node("template", src)}, src, {"TF::Expr": src})
    try:
        node = _Builder(data, src.path, fixed=src).expr(value)
    except RecursionError:
        return Node({"TF::Expr": Node("template", src)}, src, {"TF::Expr": src})
    return _without_final_newline(node)


def _without_final_newline(node: Node) -> Node:
    """A heredoc's body ends with the newline before its marker; the text did not."""
    if isinstance(node.value, str):
        return Node(node.value.removesuffix("\n"), node.src)
    parts = node.value.get("TF::Template") if isinstance(node.value, dict) else None
    if parts is not None and isinstance(parts.value, list) and parts.value:
        last = parts.value[-1]
        if isinstance(last.value, str):
            trimmed = last.value.removesuffix("\n")
            rest = parts.value[:-1] + ([Node(trimmed, last.src)] if trimmed else [])
            return _joined(rest, node.src)
    return node
