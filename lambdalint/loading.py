"""Read one input file into an :class:`Application`, whatever is wrong with it.

A file that is not a template is skipped quietly (``None``). A file that looks like a
template but cannot be read or parsed becomes an application holding one problem (LL000),
so it is reported and the other files are still linted.
"""

from __future__ import annotations

import os
import re
import stat

from lambdalint.discover import TEMPLATE_SUFFIXES
from lambdalint.model import Application, Problem
from lambdalint.parsers.nodes import LoadError
from lambdalint.values import SourceRef

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_TEMPLATE_HINT = re.compile(
    r"AWSTemplateFormatVersion|\bResources\b|\bTransform\b|\"(?:format_version|planned_values|resource_changes)\"")
# a template key where a top-level key can be: at the start of a YAML line, quoted as in
# JSON, or in a flow mapping; decides whether a file that fails to parse is reported or skipped
_KEYS = "(?:AWSTemplateFormatVersion|Resources|Transform)"
_TEMPLATE_KEY = re.compile(rf"""^['"]?{_KEYS}['"]?[ \t]*:|"{_KEYS}"\s*:|[{{,]\s*['"]?{_KEYS}['"]?\s*:""", re.MULTILINE)
# a quoted mapping key with an escape (JSON \u, YAML \x \u \U): "\u0052esources" is Resources
_ESCAPED_KEY = re.compile(r'"((?:[^"\\\n]|\\.){1,64})"[ \t]*:')
_KEY_NAMES = frozenset({"AWSTemplateFormatVersion", "Resources", "Transform", "format_version"})
#: a YAML/JSON file that looks like a template (or a plan) and is larger than this is LL000,
#: not read: composing 4 MB of YAML took 11 s and 2 GB
MAX_TEMPLATE_BYTES = 2 << 20
MAX_PLAN_BYTES = 64 << 20


_TOP_KEY = re.compile(r"""^['"]?(?:AWSTemplateFormatVersion|Resources|Transform)['"]?[ \t]*:""", re.MULTILINE)


def _big_template(text: str, json_like: bool) -> bool:
    """Whether a file too large to compose is a template: JSON is decoded by the standard
    library's C decoder (fast) and judged by its top-level keys; YAML by a top-level key."""
    if json_like:
        import json

        try:
            doc = json.loads(text)
        except (ValueError, RecursionError):
            return _TEMPLATE_KEY.search(text) is not None  # broken: reported when it looks like one
        return isinstance(doc, dict) and any(k in doc for k in ("AWSTemplateFormatVersion", "Resources", "Transform"))
    return _TOP_KEY.search(text) is not None or _escaped_key(text)


def _escaped_key(text: str) -> bool:
    """A template or plan key spelled with escapes (JSON and YAML decode them before any
    CloudFormation sees the key)."""
    if "\\" not in text:
        return False
    for n, match in enumerate(_ESCAPED_KEY.finditer(text)):
        if n >= 10_000:
            return True  # that many escaped keys: read it rather than guess
        raw = match.group(1)
        if "\\" in raw:
            try:
                key = raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
            except UnicodeDecodeError:
                continue
            if key in _KEY_NAMES:
                return True
    return False
# the keys of a `terraform show -json` plan: a file with them that does not parse is reported
_PLAN_KEY = re.compile(r'"(terraform_version|planned_values|resource_changes|prior_state)"')


def _problem_app(path: str, message: str, line: int = 1, column: int = 1) -> Application:
    src = SourceRef(path, line, column, line, column + 1)
    return Application(path=path, dialect="cloudformation", problems=(Problem(message, src),))


def load_file(path: str, display: str) -> tuple[Application | None, str]:
    """The application in ``path`` (or ``None`` when it is no template), and its text.

    Locations in the model use ``display``, the path as reported to the user."""
    from lambdalint.parsers.yaml_loader import MultipleDocuments, any_document_is_template, decode, load_text

    try:
        # not blocking: a FIFO named like a template would otherwise wait for a writer forever
        with open(os.open(path, _OPEN_FLAGS), "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None, ""  # a FIFO, socket or device: no template
            data = fh.read()
    except OSError as exc:
        return _problem_app(display, f"cannot read file: {exc.strerror or exc}"), ""
    try:
        text = decode(data, utf16=True)
    except LoadError as exc:
        if not path.lower().endswith(TEMPLATE_SUFFIXES):
            return None, ""  # no template: an image named on the command line
        if _TEMPLATE_HINT.search(data.decode("latin-1")):
            # a file named like YAML/JSON that may be a template but is binary or not UTF-8 is
            # reported, never skipped
            return _problem_app(display, exc.message, exc.line, exc.column), ""
        if b"\x00" in data[:4096] and _TEMPLATE_HINT.search(data.replace(b"\x00", b"").decode("latin-1")):
            return _problem_app(display, "UTF-16 or UTF-32 text without a byte order mark; save the file as "
                                         "UTF-8"), ""
        return None, ""  # a Latin-1 playbook, a binary file
    if not _TEMPLATE_HINT.search(text) and not _escaped_key(text):
        return None, text
    json_like = path.lower().endswith(".json") or text.lstrip().startswith("{")
    if len(data) > MAX_TEMPLATE_BYTES:
        plan_like = '"format_version"' in text and _PLAN_KEY.search(text) is not None
        if not plan_like and not _big_template(text, json_like):
            return None, text  # a large file with the word Resources in it, but no template
        limit = MAX_PLAN_BYTES if plan_like else MAX_TEMPLATE_BYTES
        if len(data) > limit:
            what = "a Terraform plan" if plan_like else "a template"
            why = "" if plan_like else "; CloudFormation accepts templates of at most 1 MB"
            return _problem_app(display, f"{what} of {len(data) / (1 << 20):.1f} MB: larger than the "
                                         f"{limit >> 20} MB lambdalint reads{why}"), text
    try:
        root = load_text(text, display, json_like=json_like)
    except MultipleDocuments as exc:
        if not any_document_is_template(text):
            return None, text  # e.g. a Kubernetes manifest with several documents
        return _problem_app(display, f"YAML parse error: {exc.message}", exc.line, exc.column), text
    except LoadError as exc:
        # a plan key: planned_values or resource_changes alone (only plans have them), the
        # others with format_version or a second key
        plan_keys = set(_PLAN_KEY.findall(text)) if json_like else set()
        plan = bool(plan_keys & {"planned_values", "resource_changes"}) or (
            bool(plan_keys) and ('"format_version"' in text or len(plan_keys) > 1))
        if not _TEMPLATE_KEY.search(text) and not plan:
            return None, text  # unparsable, and no template or plan key: not a template (e.g. a Helm chart)
        kind = "JSON" if json_like else "YAML"
        return _problem_app(display, f"{kind} parse error: {exc.message}", exc.line, exc.column), text
    from lambdalint.parsers.cloudformation import is_template, parse_template

    if not is_template(root):
        from lambdalint.parsers.terraform.module import is_plan, parse_plan

        if is_plan(root):
            assert root is not None
            try:
                return parse_plan(root, display, os.path.dirname(os.path.abspath(path))), text
            except LoadError as exc:
                return _problem_app(display, exc.message, exc.line, exc.column), text
            except RecursionError:
                return _problem_app(display, "nesting too deep to read"), text
        return None, text
    assert root is not None
    try:
        return parse_template(root, display, path), text
    except LoadError as exc:  # found while converting a part of the document the parser reads
        return _problem_app(display, exc.message, exc.line, exc.column), text
    except RecursionError:
        return _problem_app(display, "nesting too deep to read"), text


def display_path(path: str, root: str) -> str:
    """``path`` relative to ``root`` when inside it, with forward slashes."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        rel = path
    if rel.startswith(".."):
        rel = os.path.abspath(path)
    rel = rel.replace(os.sep, "/")
    if not rel.isascii():
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:  # bytes of a name that is not UTF-8, kept as surrogate escapes
            rel = os.fsencode(rel).decode("utf-8", "replace")
    return rel


def load_terraform(directory: str, root: str, var_files: tuple[str, ...] = (),
                   trusted: frozenset[str] = frozenset()) -> tuple[Application, dict[str, str]]:
    """The module in ``directory`` and the text of each file read (by reported path)."""
    from lambdalint.parsers.terraform.module import parse_module

    shown = display_path(directory, root)
    try:
        return parse_module(directory, root, shown, var_files, trusted)
    except RecursionError:  # expressions nested beyond what is evaluated: reported, never a crash
        return _problem_app(shown, "Terraform expressions are nested too deeply to evaluate"), {}
