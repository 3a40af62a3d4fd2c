"""HCL (``.tf``) into the located :class:`Node` tree, with the exact region of every value.

python-hcl2 parses the text (its lark parse tree keeps line and column of every token); this
module turns the tree into nodes. Blocks become mappings (``resource`` → type → name → body;
nested blocks such as ``environment`` become lists of bodies). Expressions that are not
literals are kept as one-key mappings the Terraform resolver evaluates:

- ``{"TF::Ref": "var.memory"}`` for references (``aws_s3_bucket.uploads.arn``, ``local.x``);
- ``{"TF::Template": [parts]}`` for strings with ``${...}`` interpolations;
- ``{"TF::Call": [name, args...]}`` for function calls;
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

import re
from typing import Any

from lambdalint.parsers.nodes import LoadError, Node
from lambdalint.values import SourceRef

#: top-level block types and how many labels name them
_LABELS = {"resource": 2, "data": 2, "variable": 1, "module": 1, "output": 1, "provider": 1}


class _Builder:
    def __init__(self, path: str, fixed: SourceRef | None = None) -> None:
        self.path = path
        #: every node gets this region (an expression inside a .tf.json string)
        self.fixed = fixed

    def src(self, item: Any) -> SourceRef:
        if self.fixed is not None:
            return self.fixed
        meta = getattr(item, "meta", item)
        line = getattr(meta, "line", 1) or 1
        column = getattr(meta, "column", 1) or 1
        return SourceRef(self.path, line, column, getattr(meta, "end_line", line) or line,
                         getattr(meta, "end_column", column + 1) or column + 1)

    # -- structure ---------------------------------------------------------------------

    def body(self, tree: Any, src: SourceRef) -> Node:
        out: dict[str, Node] = {}
        keys: dict[str, Any] = {}
        for child in tree.children:
            data = getattr(child, "data", None)
            if data == "attribute":
                name = self.name(child.children[0])
                out[name] = self.expr(child.children[-1])
                keys[name] = self.src(child.children[0])
            elif data == "block":
                self.block(child, out, keys)
        return Node(out, src, keys)

    def name(self, item: Any) -> str:
        if getattr(item, "data", None) == "string":
            return "".join(str(t) for part in item.children if getattr(part, "data", None) == "string_part"
                           for t in part.children)
        if hasattr(item, "children"):
            return "".join(str(c) if not hasattr(c, "children") else self.name(c) for c in item.children)
        return str(item)

    def block(self, tree: Any, out: dict[str, Node], keys: dict[str, Any]) -> None:
        parts = [c for c in tree.children if getattr(c, "data", None) in ("identifier", "keyword", "string",
                                                                             "literal_value")]
        body_tree = next(c for c in tree.children if getattr(c, "data", None) == "body")
        btype, labels = self.name(parts[0]), [self.name(p) for p in parts[1:]]
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
        src = self.src(tree)
        data = getattr(tree, "data", None)
        if data == "expr_term":
            kids = [c for c in tree.children if getattr(c, "data", None) != "new_line_or_comment"]
            inner = [c for c in kids if hasattr(c, "data")]
            if len(inner) == 1 and len(kids) == 3:  # ( expression )
                return self.expr(inner[0])
            if len(inner) == 1:
                return self.expr(inner[0])
            return Node({"TF::Expr": Node("term", src)}, src)
        if data == "int_lit":
            return Node(int(str(tree.children[0])), src)
        if data == "float_lit":
            return Node(float(str(tree.children[0])), src)
        if data == "literal_value":
            word = str(tree.children[0])
            return Node({"true": True, "false": False}.get(word), src)
        if data == "string":
            return self.string(tree, src)
        if data in ("heredoc_template", "heredoc_template_trim"):
            raw = str(tree.children[0])
            body = raw.split("\n", 1)[1] if "\n" in raw else ""
            body = body.rsplit("\n", 2)[0] + "\n" if body.count("\n") >= 1 else body
            return Node(body, src) if "${" not in body and "%{" not in body else _template(body, src)
        if data == "tuple":
            return Node([self.expr(c) for c in tree.children if self._is_expr(c)], src)
        if data == "object":
            return self.object(tree, src)
        if data == "identifier":
            return Node({"TF::Ref": Node(str(tree.children[0]), src)}, src, {"TF::Ref": src})
        if data in ("get_attr_expr_term", "index_expr_term"):
            ref = self.reference(tree)
            if ref is not None:
                return Node({"TF::Ref": Node(ref, src)}, src, {"TF::Ref": src})
            base = self.expr(tree.children[0])
            step = tree.children[1]
            if data == "get_attr_expr_term":
                names = [c for c in step.children if hasattr(c, "data")]
                return _form("TF::GetAttr", [base, Node(self.name(names[0]) if names else "", src)], src)
            if getattr(step, "data", None) == "short_index":
                return _form("TF::Index", [base, Node(int(str(step.children[-1])), src)], src)
            inner = [c for c in step.children if self._is_expr(c)]
            key = self.expr(inner[0]) if inner else Node({"TF::Expr": Node("index", src)}, src)
            return _form("TF::Index", [base, key], src)
        if data in ("attr_splat_expr_term", "full_splat_expr_term"):
            return self.splat(tree, src)
        if data in ("for_tuple_expr", "for_object_expr"):
            return self.for_expr(tree, src, data == "for_object_expr")
        if data == "function_call":
            name = self.name(tree.children[0])
            if len([c for c in tree.children if getattr(c, "data", None) == "identifier"]) > 1:
                name = "::".join(self.name(c) for c in tree.children if getattr(c, "data", None) == "identifier")
            args_tree = next((c for c in tree.children if getattr(c, "data", None) == "arguments"), None)
            args = [self.expr(c) for c in args_tree.children if self._is_expr(c)] if args_tree else []
            if args_tree is not None and any(str(c) == "..." for c in args_tree.children if not hasattr(c, "data")):
                name += "..."  # the last argument's elements are the arguments
            return Node({"TF::Call": Node([Node(name, src), *args], src)}, src, {"TF::Call": src})
        if data == "conditional":
            branches = [c for c in tree.children if self._is_expr(c)]
            if len(branches) == 3:
                return Node({"TF::If": Node([self.expr(b) for b in branches], src)}, src, {"TF::If": src})
        if data == "unary_op":
            operand = self.expr(tree.children[1])
            if str(tree.children[0]) == "-" and isinstance(operand.value, (int, float)) and not isinstance(
                    operand.value, bool):
                return Node(-operand.value, src)
            return _form("TF::Op", [Node(str(tree.children[0]), src), operand], src)
        if data == "binary_op":
            term = next((c for c in tree.children[1:] if getattr(c, "data", None) == "binary_term"), None)
            if term is not None:
                op = next(c for c in term.children if getattr(c, "data", None) == "binary_operator")
                rhs = [c for c in term.children if self._is_expr(c) and c is not op]
                return _form("TF::Op", [Node(str(op.children[0]), src), self.expr(tree.children[0]),
                                        self.expr(rhs[0])], src)
        return Node({"TF::Expr": Node(str(data), src)}, src, {"TF::Expr": src})

    def splat(self, tree: Any, src: SourceRef) -> Node:
        """``x[*].a.b`` / ``x.*.a``: the collection and the steps applied to each element."""
        base = self.expr(tree.children[0])
        steps: list[Node] = []
        for step in tree.children[1].children:
            data = getattr(step, "data", None)
            if data == "get_attr":
                names = [c for c in step.children if hasattr(c, "data")]
                steps.append(Node(self.name(names[0]) if names else "", src))
            elif data == "short_index":
                steps.append(Node(int(str(step.children[-1])), src))
            elif data == "braces_index":
                inner = [c for c in step.children if self._is_expr(c)]
                steps.append(self.expr(inner[0]) if inner else Node(None, src))
        return _form("TF::Splat", [base, Node(steps, src)], src)

    def for_expr(self, tree: Any, src: SourceRef, is_object: bool) -> Node:
        intro = next(c for c in tree.children if getattr(c, "data", None) == "for_intro")
        names = [self.name(c) for c in intro.children if getattr(c, "data", None) == "identifier"]
        coll = [c for c in intro.children if self._is_expr(c) and getattr(c, "data", None) != "identifier"]
        body = [c for c in tree.children if self._is_expr(c) and getattr(c, "data", None) not in (
            "for_intro", "for_cond")]
        cond = next((c for c in tree.children if getattr(c, "data", None) == "for_cond"), None)
        cond_expr = [c for c in cond.children if self._is_expr(c)] if cond is not None else []
        key_var, value_var = (names[0], names[1]) if len(names) > 1 else ("", names[0] if names else "")
        none = Node(None, src)
        key_expr, value_expr = (body[0], body[1]) if is_object and len(body) > 1 else (None, body[0] if body else None)
        group = is_object and any(str(c) == "..." for c in tree.children if not hasattr(c, "data"))
        parts = [Node("object" if is_object else "tuple", src), Node(key_var, src), Node(value_var, src),
                 self.expr(coll[0]) if coll else none, self.expr(key_expr) if key_expr is not None else none,
                 self.expr(value_expr) if value_expr is not None else none,
                 self.expr(cond_expr[0]) if cond_expr else none, Node(group, src)]
        return _form("TF::For", parts, src)

    @staticmethod
    def _is_expr(item: Any) -> bool:
        return hasattr(item, "data") and item.data != "new_line_or_comment"

    def reference(self, tree: Any) -> str | None:
        data = getattr(tree, "data", None)
        if data == "expr_term":
            inner = [c for c in tree.children if hasattr(c, "data")]
            return self.reference(inner[0]) if len(inner) == 1 else None
        if data == "identifier":
            return str(tree.children[0])
        if data == "get_attr_expr_term":
            base = self.reference(tree.children[0])
            attr = tree.children[1]
            names = [c for c in attr.children if hasattr(c, "data")]
            return f"{base}.{self.name(names[0])}" if base is not None and names else None
        if data == "index_expr_term":
            base = self.reference(tree.children[0])
            index = tree.children[1]
            inner = [c for c in index.children if hasattr(c, "data") and c.data != "new_line_or_comment"]
            if base is None:
                return None
            if getattr(index, "data", None) == "short_index":
                return f"{base}[{index.children[-1]}]"
            if inner:
                value = self.expr(inner[0]).value
                if isinstance(value, (int, str)) and not isinstance(value, bool):
                    return f"{base}[{value!r}]" if isinstance(value, str) else f"{base}[{value}]"
            return None  # a computed index: a TF::Index form
        return None

    def string(self, tree: Any, src: SourceRef) -> Node:
        parts: list[Node] = []
        text: list[str] = []
        for part in tree.children:
            if getattr(part, "data", None) != "string_part":
                continue
            for piece in part.children:
                if hasattr(piece, "data") and piece.data == "interpolation":
                    if text:
                        parts.append(Node(_unescape("".join(text)), src))
                        text = []
                    inner = [c for c in piece.children if hasattr(c, "data")]
                    parts.append(self.expr(inner[0]) if inner else Node({"TF::Expr": Node("empty", src)}, src))
                elif hasattr(piece, "data"):
                    return Node({"TF::Expr": Node("template directive", src)}, src, {"TF::Expr": src})
                else:
                    token = str(piece)
                    if token.startswith("$${") or token.startswith("%%{"):
                        token = token[1:]
                    text.append(token)
        if text:
            parts.append(Node(_unescape("".join(text)), src))
        if not parts:
            return Node("", src)
        if len(parts) == 1 and isinstance(parts[0].value, str):
            return Node(parts[0].value, src)
        if len(parts) == 1:  # "${expr}" alone is the expression's own value, not a string
            return parts[0]
        return Node({"TF::Template": Node(parts, src)}, src, {"TF::Template": src})

    def object(self, tree: Any, src: SourceRef) -> Node:
        out: dict[str, Node] = {}
        keys: dict[str, Any] = {}
        for elem in tree.children:
            if getattr(elem, "data", None) != "object_elem":
                continue
            key_tree = elem.children[0]
            key_expr = next((c for c in key_tree.children if hasattr(c, "data")), None)
            key_node = self.expr(key_expr) if key_expr is not None else None
            if key_node is None:
                continue
            key: str
            if isinstance(key_node.value, str):
                key = key_node.value
            elif isinstance(key_node.value, dict) and _bare_name(key_node.value.get("TF::Ref")):
                key = key_node.value["TF::Ref"].value  # a bare identifier is the key itself
            else:
                continue  # a computed key: unknown
            out[key] = self.expr(elem.children[-1])
            keys[key] = self.src(key_tree)
        return Node(out, src, keys)


def _form(name: str, parts: list[Node], src: SourceRef) -> Node:
    return Node({name: Node(parts, src)}, src, {name: src})


def _bare_name(ref: Node | None) -> bool:
    return ref is not None and isinstance(ref.value, str) and "." not in ref.value


def _keys(node: Node) -> dict[str, SourceRef]:
    keys = node.key_src
    assert keys is not None
    return keys


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
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
            if nxt == "u" and i + 5 < len(text):
                try:
                    out.append(chr(int(text[i + 2:i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
        out.append(ch)
        i += 1
    return "".join(out)


#: the identifier that opens a heredoc (``<<EOF``, ``<<-EOF``) at the end of its line
_HEREDOC_OPEN = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?$", re.MULTILINE)


def _heredoc_ends(text: str) -> str:
    """``text`` with spaces and tabs removed after a heredoc's closing marker: Terraform ends
    the heredoc there (python-hcl2 does not, and fails on the rest of the file). Only the ends
    of lines change, so every position stays the same."""
    if "<<" not in text:
        return text
    markers = set(_HEREDOC_OPEN.findall(text))
    if not markers:
        return text
    closing = re.compile(rf"^([ \t]*(?:{'|'.join(map(re.escape, markers))}))[ \t]+(\r?)$", re.MULTILINE)
    return closing.sub(r"\1\2", text)


def load_hcl(text: str, path: str) -> Node:
    """Parse one ``.tf`` file. Syntax errors raise :class:`LoadError` with their position."""
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken

    try:
        tree = hcl2.parses_to_tree(_heredoc_ends(text))
    except UnexpectedInput as exc:
        if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
            what = "unexpected end of file"
        elif isinstance(exc, UnexpectedToken):
            what = f"unexpected {str(exc.token.value).strip()[:30]!r}" if str(exc.token.value).strip() else (
                "unexpected end of line")
        else:
            what = "unexpected character"
        raise LoadError(f"HCL syntax error: {what}", exc.line if exc.line > 0 else 1,
                        exc.column if exc.column > 0 else 1) from None
    except (LarkError, ValueError, RecursionError) as exc:
        raise LoadError(f"HCL syntax error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    builder = _Builder(path)
    body = next((c for c in tree.children if getattr(c, "data", None) == "body"), None)
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
    import json

    import hcl2

    try:
        tree = hcl2.parses_to_tree(f"x = {json.dumps(text)}\n")
    except Exception:  # an expression HCL cannot read: unknown, never a guess
        return Node({"TF::Expr": Node("template", src)}, src, {"TF::Expr": src})
    attr = next(tree.find_data("attribute"))
    return _Builder(src.path, fixed=src).expr(attr.children[-1])
