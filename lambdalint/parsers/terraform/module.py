"""A Terraform module (the ``.tf`` files of one directory) into an :class:`Application`.

Resources are keyed by their address (``aws_lambda_function.api``). Every attribute keeps the
region of its value in its own file. Values come from ``resolver.py``; modules called from the
directory are not followed yet.
"""

from __future__ import annotations

import os
from typing import Any

from msgspec import Struct, field

from lambdalint.containment import boundary, inside
from lambdalint.model import (
    Application,
    CodeArtifact,
    Environment,
    EnvVar,
    FunctionUrl,
    LambdaFunction,
    Layer,
    Network,
    Permission,
    PolicyDocument,
    Problem,
    Role,
    Trigger,
    replace,
)
from lambdalint.parsers import invocations
from lambdalint.parsers.apigateway import tf_integrations
from lambdalint.parsers.common import event_source_type
from lambdalint.parsers.nodes import LoadError, Node
from lambdalint.parsers.statemachines import tf_state_machines
from lambdalint.parsers.targets import Owner, Targets
from lambdalint.parsers.terraform import INSTANCE, resource_type
from lambdalint.parsers.terraform import network as tf_network
from lambdalint.parsers.terraform import resources as tf_resources
from lambdalint.parsers.terraform.community import (
    is_lambda_module,
    lambda_module_function,
    lambda_module_iam,
    lambda_module_layer,
)
from lambdalint.parsers.terraform.iam import TerraformIam
from lambdalint.parsers.terraform.resolver import TerraformResolver, Unknown, plain
from lambdalint.parsers.versions import tf_versions_of
from lambdalint.values import NO_VALUE, Located, SourceRef, Unresolved


def _merge_into(target: dict[str, Node], body: Node) -> None:
    """Merge one file's top-level body into the module's (resources of every file together)."""
    for key, node in body.value.items():
        existing = target.get(key)
        if existing is None:
            target[key] = node
        elif existing.is_map() and node.is_map():
            for k, v in node.value.items():
                if k in existing.value and existing.value[k].is_map() and v.is_map() and key in ("resource", "data"):
                    existing.value[k].value.update(v.value)
                    if existing.value[k].key_src is not None and v.key_src is not None:
                        existing.value[k].key_src.update(v.key_src)
                else:
                    existing.value[k] = v
                    if existing.key_src is not None:
                        existing.key_src[k] = node.key(k)


#: arguments of a module block that are not inputs of the module
_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
_INSTANCE = INSTANCE


#: the largest ``modules.json`` read
_MAX_MANIFEST = 4 << 20


def installed_module(root_dir: str, address: str) -> str | None:
    """The directory ``terraform init`` downloaded the module call ``address`` into, from
    ``.terraform/modules/modules.json`` of the root module (keys are the call names from the
    root joined by dots: ``orders``, ``orders.inner``)."""
    import json

    key = ".".join(part.split("[", 1)[0] for part in address.split("module.")[1:]).replace("..", ".").strip(".")
    manifest = os.path.join(root_dir, ".terraform", "modules", "modules.json")
    try:
        if os.path.getsize(manifest) > _MAX_MANIFEST:
            return None
        with open(manifest, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError, RecursionError):
        return None
    entries = data.get("Modules") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("Key") == key and isinstance(entry.get("Dir"), str):
            directory = os.path.normpath(os.path.join(root_dir, entry["Dir"]))
            return directory if os.path.isdir(directory) else None
    return None


def _given(loc: Located[Any] | None) -> Located[Any] | None:
    """An optional argument as the AWS provider sends it: an empty string or list is not
    sent at all (``runtime = ""``, ``layers = []``), like ``null``."""
    if loc is None:
        return None
    if loc.is_known():
        return None if loc.value in ("", ()) else loc
    if not loc.candidates or loc.definitely_absent():
        return loc
    kept = tuple(given for given in (_given(c) for c in loc.candidates) if given is not None)
    return Located(loc.value, loc.source, kept, loc.ref, loc.origin)


def _same_plain(a: Located[Any], b: Located[Any]) -> bool:
    try:
        return bool(plain(a) == plain(b))
    except Unknown:
        return False


MAX_MODULE_DEPTH = 8
#: instances of one ``for_each``/``count`` block read one by one; beyond, the block is read once
MAX_INSTANCES = 64


def _uses(node: Node, ref: str) -> bool:
    """Some expression in ``node`` refers to ``ref`` (``count.index``)."""
    value = node.value
    if isinstance(value, dict):
        found = value.get("TF::Ref")
        if found is not None and isinstance(found.value, str) and found.value.startswith(ref):
            return True
        return any(_uses(v, ref) for v in value.values())
    if isinstance(value, list):
        return any(_uses(v, ref) for v in value)
    return False


class ModuleFiles(Struct):
    """The files of one module directory: ``.tf``/``.tf.json`` and auto-loaded variable files."""

    directory: str
    files: dict[str, str] = field(default_factory=dict)
    tfvars: dict[str, str] = field(default_factory=dict)
    #: real path -> the path reported to the user
    display: dict[str, str] = field(default_factory=dict)
    #: reported path -> text, for comment suppressions
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: files refused (outside the repository), for Application.notes
    notes: list[str] = field(default_factory=list)


#: a .tf, .tf.json or variable file larger than this is reported (LL000), not read: parsing and
#: evaluating 10 MB of one string took seconds and gigabytes
MAX_FILE_BYTES = 4 << 20


def read_module(directory: str, root: str, var_files: tuple[str, ...] = (), *, auto_vars: bool = True,
                limit: str | None = None, trusted: frozenset[str] = frozenset()) -> ModuleFiles:
    """Read a module directory. ``var_files`` are loaded after the automatic ones, as
    Terraform loads ``-var-file`` arguments; a called module loads none of them. A file (or a
    link) that leads outside ``limit`` is refused with a note, unless ``trusted`` names it (a
    ``--var-file`` the user gave)."""
    from lambdalint.loading import display_path
    from lambdalint.parsers.yaml_loader import decode

    out = ModuleFiles(directory)
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        out.problems.append(Problem(f"cannot read directory: {exc.strerror or exc}",
                                    SourceRef(display_path(directory, root), 1, 1, 1, 2)))
        return out
    extra = [os.path.abspath(v) for v in var_files]
    for full in [os.path.join(directory, n) for n in names] + extra:
        name = os.path.basename(full)
        is_vars = full in extra or (auto_vars and (name == "terraform.tfvars" or name.endswith(".auto.tfvars")))
        is_tf = not is_vars and name.endswith((".tf", ".tf.json"))
        if not (is_tf or is_vars) or not os.path.isfile(full):
            continue
        shown = display_path(full, root)
        if limit is not None and full not in trusted and not inside(full, limit):
            out.notes.append(f"{shown} leads outside the repository and is not read")
            continue
        out.display[full] = shown
        try:
            with open(full, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                out.problems.append(Problem(f"larger than {MAX_FILE_BYTES // (1 << 20)} MB: not read (no Terraform "
                                            "file of a real module is this large)", SourceRef(shown, 1, 1, 1, 2)))
                continue
            text = decode(data)
        except OSError as exc:
            out.problems.append(Problem(f"cannot read file: {exc.strerror or exc}", SourceRef(shown, 1, 1, 1, 2)))
            continue
        except LoadError as exc:
            out.problems.append(Problem(exc.message, SourceRef(shown, exc.line, exc.column, exc.line,
                                                               exc.column + 1)))
            continue
        out.texts[shown] = text
        (out.tfvars if is_vars else out.files)[full] = text
    return out


class ModuleParser:
    def __init__(self, module: ModuleFiles, root: str, *, inputs: dict[str, Located[Any]] | None = None,
                 prefix: str = "", depth: int = 0, var_files: tuple[str, ...] = (),
                 root_dir: str | None = None, ancestors: frozenset[str] = frozenset()) -> None:
        """Parse ``module``; ``inputs`` are the values a calling module passes to its
        variables (``None`` for the root module), ``prefix`` the module address its resources
        live under, ``root_dir`` the root module's directory."""
        #: read from a plan, which keeps an expression's references but not its text
        self.from_plan = False
        #: the functions and aliases references name (set by :meth:`targets`)
        self.function_targets = Targets(set(), {})
        from lambdalint.parsers.terraform.hcl import load_hcl, load_tf_json

        files, tfvars, display = module.files, module.tfvars, module.display
        self.root = root
        self.prefix = prefix
        self.depth = depth
        self.texts: dict[str, str] = dict(module.texts)
        self.base_dir = module.directory
        self.problems: list[Problem] = list(module.problems)
        top: dict[str, Node] = {}
        for path in sorted(files):
            try:
                load = load_tf_json if path.endswith(".tf.json") else load_hcl
                _merge_into(top, load(files[path], display[path]))
            except LoadError as exc:
                src = SourceRef(display[path], exc.line, exc.column, exc.line, exc.column + 1)
                self.problems.append(Problem(exc.message, src))
        variables: dict[str, Node] = {}
        var_node = top.get("variable")
        if var_node is not None and var_node.is_map():
            variables = {k: v for k, v in var_node.value.items() if v.is_map()}
        values: dict[str, Node] = {}
        order = {os.path.abspath(v): i for i, v in enumerate(var_files)}
        for path in sorted(tfvars, key=lambda p: (p in order, order.get(p, 0), not p.endswith("terraform.tfvars"), p)):
            try:
                body = load_hcl(tfvars[path], display[path])
            except LoadError as exc:
                src = SourceRef(display[path], exc.line, exc.column, exc.line, exc.column + 1)
                self.problems.append(Problem(exc.message, src))
                continue
            values.update(body.value)  # later files win, as Terraform loads them
        self.resources: dict[str, Node] = {}
        self.decl: dict[str, SourceRef] = {}
        res = top.get("resource")
        if res is not None and res.is_map():
            for rtype, by_name in res.value.items():
                if not by_name.is_map():
                    continue
                for name, body in by_name.value.items():
                    address = f"{prefix}{rtype}.{name}"
                    self.resources[address] = body
                    self.decl[address] = by_name.key(name)
        data = top.get("data")
        docs = data.get("aws_iam_policy_document") if data is not None and data.is_map() else None
        if docs is not None and docs.is_map():
            for name, body in docs.value.items():
                if body.is_map():
                    address = f"{prefix}data.aws_iam_policy_document.{name}"
                    self.resources[address] = body
                    self.decl[address] = docs.key(name)
        self.root_dir = os.path.abspath(root_dir or module.directory)
        #: nothing outside this folder is read (the repository of the root module)
        self.limit = boundary(self.root_dir, root)
        self.ancestors = ancestors | {os.path.realpath(module.directory)}
        module_path = os.path.relpath(os.path.abspath(module.directory), self.root_dir).replace(os.sep, "/")
        self.r = TerraformResolver(next(iter(display.values()), ""), variables, values, top.get("locals"),
                                   self.resources, inputs=inputs or {}, prefix=prefix, called=inputs is not None,
                                   module_path=module_path, cwd=self.root_dir,
                                   repo_root=self.limit)
        self.r.module_output = self.module_output
        outputs = top.get("output")
        #: output name -> its block
        self.outputs: dict[str, Node] = {k: v for k, v in outputs.value.items() if v.is_map()} if (
            outputs is not None and outputs.is_map()) else {}
        #: module call address -> the parser of the called module (None: not read)
        self.children: dict[str, ModuleParser | None] = {}
        #: the parser of the calling module
        self.parent: ModuleParser | None = None
        #: module calls and files that could not be read (see Application.notes)
        self.notes: list[str] = list(module.notes)
        #: instance address -> its each.key/each.value/count.index (for_each and count blocks)
        self.contexts: dict[str, dict[str, Located[Any]]] = {}
        self.module_calls: dict[str, tuple[SourceRef, Node]] = {}
        calls = top.get("module")
        if calls is not None and calls.is_map():
            for name, body in calls.value.items():
                if body.is_map():
                    address = f"{prefix}module.{name}"
                    self.module_calls[address] = (calls.key(name), body)
                    self.resources.setdefault(address, body)  # references resolve to the call
                    self.decl.setdefault(address, calls.key(name))
        self._expand_instances()
        for address, (src, body) in list(self.module_calls.items()):
            listed = self.instances(address, body)
            if listed == [(address, {})]:
                continue
            del self.module_calls[address]  # none (count = 0), or one call per instance
            self.resources.pop(address, None)
            self.decl.pop(address, None)
            for instance, context in listed:
                self.module_calls[instance] = (src, body)
                self.resources[instance] = body
                self.decl[instance] = src
                self.contexts[instance] = context

    @classmethod
    def from_resources(cls, resources: dict[str, Node], decl: dict[str, SourceRef], base_dir: str,
                       path: str, problems: list[Problem]) -> ModuleParser:
        """A parser over resources already read (from a plan), with no variables or locals."""
        parser = cls.__new__(cls)
        parser.root = base_dir
        parser.prefix = ""
        parser.depth = 0
        parser.texts = {}
        parser.base_dir = base_dir
        parser.problems = problems
        parser.resources = resources
        parser.decl = decl
        parser.r = TerraformResolver(path, {}, {}, None, resources)
        parser.module_calls = {}
        parser.contexts = {}  # a plan lists every instance with its own values
        parser.from_plan = True
        parser.function_targets = Targets(set(), {})
        parser.outputs = {}
        parser.children = {}
        parser.parent = None
        parser.notes = []
        parser.limit = base_dir
        parser.root_dir = base_dir
        parser.ancestors = frozenset()
        return parser

    def _expand_instances(self) -> None:
        """Replace each ``for_each``/``count`` block whose instances are known by its instances
        (``aws_sqs_queue.q["a"]``), so that each is read with its own ``each``/``count``."""
        for address in list(self.resources):
            if ".data." in f".{address}" or address.split(".")[-2] == "module":
                continue
            body = self.resources[address]
            listed = self.instances(address, body) if body.is_map() else [(address, {})]
            if listed == [(address, {})]:
                continue
            decl = self.decl.pop(address)
            del self.resources[address]  # no instance at all when the list is empty
            for instance, context in listed:
                self.resources[instance] = body
                self.decl[instance] = decl
                self.contexts[instance] = context

    def resolve(self, node: Node, pointer: str, address: str) -> Located[Any]:
        """``node`` evaluated in the instance ``address`` belongs to (its ``each``/``count``)."""
        context = self.contexts.get(address.split("/", 1)[0])
        if not context:
            return self.r.resolve(node, pointer)
        previous, self.r.instance = self.r.instance, context
        try:
            return self.r.resolve(node, pointer)
        finally:
            self.r.instance = previous

    # -- helpers -----------------------------------------------------------------------

    def attr(self, body: Node | None, key: str, address: str) -> Located[Any] | None:
        if body is None or not body.is_map():
            return None
        node = body.get(key)
        if node is None or node.value is None:
            return None
        loc = self.resolve(node, f"/{address}/{key}", address)
        if loc.definitely_absent():  # `null`, however it is written, means not set
            return None
        written_here = (loc.source.path, loc.source.line, loc.source.column) == (
            node.src.path, node.src.line, node.src.column)
        if isinstance(loc.value, (dict, tuple)) and written_here:  # a collection written in place: its key
            loc = Located(loc.value, body.key(key).with_pointer(loc.source.pointer), loc.candidates, loc.ref,
                          loc.origin)
        return loc

    def block(self, body: Node | None, key: str, address: str = "") -> Node | None:
        """The first nested block ``key`` (``environment { ... }``, or the first a ``dynamic``
        block generates), if any."""
        node = body.get(key) if body is not None and body.is_map() else None
        if node is None:
            generated = self.blocks(body, key, address)
            return generated[0] if generated else None
        if node.is_list():
            first = node.value[0] if node.value else None
            return first if first is not None and first.is_map() else None
        return node if node.is_map() else None  # `key = { ... }` written as an attribute

    def blocks(self, body: Node | None, key: str, address: str) -> list[Node]:
        """Every nested block ``key``: written ones, then those ``dynamic "key"`` generates
        (one per element of a known ``for_each``; an unknown ``for_each`` generates none that
        can be read, so the caller sees the block as absent)."""
        if body is None or not body.is_map():
            return []
        out: list[Node] = []
        node = body.get(key)
        if node is not None:
            out.extend([b for b in node.value if b.is_map()] if node.is_list() else [node] if node.is_map() else [])
        dynamic = body.get("dynamic")
        spec = dynamic.get(key) if dynamic is not None and dynamic.is_map() else None
        if spec is None or not spec.is_map():
            return out
        each, content = spec.get("for_each"), self.block(spec, "content")
        if each is None or content is None:
            return out
        iterator = spec.get("iterator")
        named = iterator.get("TF::Ref") if iterator is not None else None
        name = str(named.value) if named is not None else key
        loc = self._one_choice(self.resolve(each, f"/{address}/dynamic/{key}/for_each", address))
        if isinstance(loc.value, dict):
            items = [(Located(k, v.source), v) for k, v in loc.value.items()]
        elif isinstance(loc.value, tuple):
            items = [(Located(i, v.source), v) for i, v in enumerate(loc.value)]
        else:
            return out
        context = self.contexts.get(address.split("/", 1)[0], {})
        for item_key, item_value in items[:MAX_INSTANCES]:
            bound = {**context, f"{name}.key": item_key, f"{name}.value": item_value}
            out.append(self._evaluated(content, f"/{address}/{key}", bound))
        return out

    def properties(self, body: Node, address: str) -> dict[str, Located[Any]]:
        """A resource's arguments and blocks evaluated, the blocks ``dynamic`` generates
        included; ``dynamic`` stays only for those whose ``for_each`` is not known."""
        resolved = self.resolve(body, f"/{address}", address)
        props = dict(resolved.value) if isinstance(resolved.value, dict) else {}
        dynamic = body.get("dynamic") if body.is_map() else None
        if dynamic is None or not dynamic.is_map():
            return props
        unknown = [key for key in dynamic.value if self.dynamic_unknown(body, key, address)]
        for key in dynamic.value:
            if key in unknown:
                continue
            generated = [self.resolve(b, f"/{address}/{key}", address) for b in self.blocks(body, key, address)]
            if generated:
                props[key] = Located(tuple(generated), body.key("dynamic").with_pointer(f"/{address}/{key}"))
        if not unknown:
            props.pop("dynamic", None)
        return props

    def dynamic_unknown(self, body: Node, key: str, address: str) -> bool:
        """A ``dynamic "key"`` block whose ``for_each`` is not known (what it generates is not)."""
        dynamic = body.get("dynamic") if body.is_map() else None
        spec = dynamic.get(key) if dynamic is not None and dynamic.is_map() else None
        each = spec.get("for_each") if spec is not None and spec.is_map() else None
        if each is None:
            return spec is not None
        loc = self._one_choice(self.resolve(each, f"/{address}/dynamic/{key}/for_each", address))
        return not isinstance(loc.value, (dict, tuple))

    def _evaluated(self, body: Node, pointer: str, bound: dict[str, Located[Any]]) -> Node:
        """A block body whose attributes are evaluated with ``bound`` names (a dynamic
        block's iterator); nested blocks stay as they are."""
        previous, self.r.instance = self.r.instance, bound
        try:
            out: dict[str, Node] = {}
            for k, v in body.value.items():
                if v.is_list() and v.value and all(b.is_map() for b in v.value) and not any(
                        key.startswith("TF::") for b in v.value for key in b.value):
                    out[k] = v
                    continue
                loc = self.r.resolve(v, f"{pointer}/{k}")
                out[k] = Node({"TF::Value": Node(loc, v.src)}, v.src, {"TF::Value": v.src})
            return Node(out, body.src, body.key_src)
        finally:
            self.r.instance = previous

    def integer(self, body: Node | None, key: str, address: str) -> Located[int] | None:
        loc = self.attr(body, key, address)
        return self.r.integer(loc, key) if loc is not None else None

    def string(self, body: Node | None, key: str, address: str) -> Located[str] | None:
        loc = self.attr(body, key, address)
        return self.r.string(loc, key) if loc is not None else None

    def strings(self, body: Node | None, key: str, address: str) -> Located[tuple[Located[str], ...]] | None:
        loc = self.attr(body, key, address)
        return self.r.string_list(loc, key) if loc is not None else None

    def local(self, loc: Located[str] | None, src: SourceRef, direct: bool) -> CodeArtifact | None:
        if loc is None:
            return None
        path = loc.known()
        if path is None:
            return CodeArtifact("unknown", src, loc)
        return CodeArtifact("local", src, loc, os.path.normpath(os.path.join(self.base_dir, path)),
                            direct_upload=direct)

    # -- resources ---------------------------------------------------------------------

    def parse(self, path: str) -> Application:
        functions: dict[str, LambdaFunction] = {}
        layers: dict[str, Layer] = {}
        permissions: list[Permission] = []
        provisioned: dict[str, list[Located[int]]] = {}
        recursion: dict[str, Located[str]] = {}
        mappings: dict[str, list[Trigger]] = {}
        destinations: dict[str, list[Located[str]]] = {}
        urls: list[FunctionUrl] = []
        async_settings: dict[str, tuple[Located[int] | None, Located[int] | None]] = {}
        failures: dict[str, Located[str]] = {}
        failure_qualifiers: dict[str, list[Located[str]]] = {}
        on_latest: dict[str, list[Located[int]]] = {}
        types = {a: resource_type(a) for a in self.resources}
        # local modules first: what this module wires to their functions (module.m.arn) needs them
        child_apps: dict[str, Application | None] = {
            address: self.local_module(address) for address in self.module_calls}
        targets = self.targets(types, [c for c in self.children.values() if c is not None])
        for address, body in self.resources.items():
            rtype = types[address]  # module.<name>. prefixes aside
            if not rtype.startswith("aws_lambda_"):
                continue
            fn_ref = self.attr(body, "function_name", address)
            named = targets.of(fn_ref)  # the function itself, also where an alias or its name is given
            target = named.function if named is not None else None
            if rtype == "aws_lambda_provisioned_concurrency_config" and target:
                pc = self.integer(body, "provisioned_concurrent_executions", address)
                if pc is not None:
                    provisioned.setdefault(target, []).append(pc)
                    if self.latest(self.string(body, "qualifier", address)):
                        on_latest.setdefault(target, []).append(pc)
            elif rtype == "aws_lambda_function_recursion_config" and target:
                loop = self.string(body, "recursive_loop", address)
                if loop is not None:
                    recursion[target] = loop
            elif rtype == "aws_lambda_event_source_mapping" and target:
                arn = self.string(body, "event_source_arn", address)
                etype = "SelfManagedKafka" if self.block(body, "self_managed_event_source") is not None else \
                    event_source_type(arn, types)
                props = self.properties(body, address)
                mappings.setdefault(target, []).append(
                    Trigger(address, etype, self.decl[address].with_pointer(f"/{address}"), target, props, arn,
                            fn_ref, named.qualifier if named is not None else None))
            elif rtype == "aws_lambda_function_event_invoke_config" and target:
                dest = self.block(body, "destination_config")
                for which in ("on_success", "on_failure"):
                    loc = self.string(self.block(dest, which), "destination", f"{address}/destination_config/{which}")
                    if loc is not None:
                        destinations.setdefault(target, []).append(loc)
                failure = self.string(self.block(dest, "on_failure"), "destination",
                                      f"{address}/destination_config/on_failure")
                if failure is not None:
                    failures[target] = failure
                    qualifier = self.string(body, "qualifier", address)
                    failure_qualifiers.setdefault(target, []).append(
                        qualifier if qualifier is not None else Located("$LATEST", self.decl[address]))
                async_settings[target] = (self.integer(body, "maximum_retry_attempts", address),
                                          self.integer(body, "maximum_event_age_in_seconds", address))
            elif rtype == "aws_lambda_function_url" and fn_ref is not None:
                qualifier = self.string(body, "qualifier", address)
                urls.append(FunctionUrl(address, self.decl[address].with_pointer(f"/{address}"), fn_ref,
                                        self.string(body, "authorization_type", address),
                                        None if qualifier is None or qualifier.known() == "" else qualifier))
        iam = TerraformIam(self)
        children: list[Application] = []
        roles: dict[str, Role] = {}
        managed: dict[str, PolicyDocument] = {}
        for address, body in self.resources.items():
            rtype = resource_type(address)  # module.<name>. prefixes aside
            decl = self.decl[address].with_pointer(f"/{address}")
            if rtype == "aws_lambda_function":
                # what other resources say about the function: by instance, or for the whole block
                base = _INSTANCE.sub("", address)

                def about(table: dict[str, Any], default: Any) -> Any:
                    return table.get(address, table.get(base, default))  # noqa: B023 - used at once

                built = self.function(address, decl, body, about(provisioned, []), about(recursion, None),
                                      about(mappings, []), about(destinations, []))
                retries, age = about(async_settings, (None, None))
                functions[address] = replace(built, max_retry_attempts=retries, max_event_age=age,
                                             failure_destination=about(failures, None),
                                             failure_qualifiers=tuple(about(failure_qualifiers, [])),
                                             provisioned_on_latest=tuple(about(on_latest, [])))
            elif rtype == "aws_iam_role":
                roles[address] = iam.role(address, decl, body)
            elif rtype == "aws_lambda_layer_version":
                layers[address] = Layer(
                    id=address, source=decl, name=self.string(body, "layer_name", address),
                    compatible_runtimes=self.strings(body, "compatible_runtimes", address),
                    compatible_architectures=self.strings(body, "compatible_architectures", address),
                    content=self.local(self.string(body, "filename", address), decl, True),
                )
            elif rtype == "aws_lambda_permission":
                fn = self.attr(body, "function_name", address)
                action = self.string(body, "action", address)
                principal = self.string(body, "principal", address)
                if fn is not None and action is not None and principal is not None:
                    named = targets.of(fn)
                    qualifier = self.string(body, "qualifier", address)
                    if qualifier is None or qualifier.known() == "":  # a plan writes "" when not set
                        qualifier = named.qualifier if named is not None else Located(Unresolved("qualifier"),
                                                                                      fn.source)
                    if named is not None and fn.ref is not None and fn.ref != named.function:
                        fn = replace(fn, ref=named.function)  # an alias of the function
                    permissions.append(Permission(
                        id=address, source=decl, function=fn, action=action, principal=principal, qualifier=qualifier,
                        source_arn=self.string(body, "source_arn", address),
                        source_account=self.string(body, "source_account", address),
                        principal_org_id=self.string(body, "principal_org_id", address),
                        function_url_auth_type=self.string(body, "function_url_auth_type", address),
                        event_source_token=self.string(body, "event_source_token", address),
                        invoked_via_function_url=self.attr(body, "invoked_via_function_url", address),
                    ))
        for address, (decl_src, body) in self.module_calls.items():
            source = self.string(body, "source", address)
            if source is None or not isinstance(source.known(), str):
                continue
            if not is_lambda_module(str(source.value), self.base_dir):
                child = child_apps.get(address)
                if child is not None:
                    children.append(child)
                    functions.update(child.functions)
                    layers.update(child.layers)
                    permissions.extend(child.permissions)
                    roles.update(child.roles)
                    managed.update(child.managed_policies)
                    urls.extend(child.function_urls)
                    for cid, entry in child.resources.items():
                        self.decl.setdefault(cid, entry[1])
                    self.problems.extend(child.problems)
                continue
            if is_lambda_module(str(source.value), self.base_dir):
                where = decl_src.with_pointer(f"/{address}")
                created = lambda_module_function(self, address, where, body)
                if created is not None:
                    created, generated, url = lambda_module_iam(self, address, where, body, created)
                    functions[address] = created
                    if generated is not None:
                        roles[generated.id] = generated
                    if url is not None:
                        urls.append(url)
                layer = lambda_module_layer(self, address, where, body)
                if layer is not None:
                    layers[address] = layer
        for fid in [f for f in functions if f.startswith(self.prefix + "module.")]:
            functions[fid] = self._wired(functions[fid], fid, provisioned, recursion, mappings, destinations,
                                         async_settings, failures, on_latest, failure_qualifiers)
        iam.attach(roles, managed)
        wiring = tf_resources.read(self, functions)
        wiring["aliases"], wiring["versions"] = tf_versions_of(self, functions)
        wiring["state_machines"] = tf_state_machines(self)
        wiring["api_integrations"] = tf_integrations(self, targets, types)
        wiring["invocations"] = invocations.collect(
            targets, functions, tuple(permissions), tuple(urls), wiring["buckets"], tuple(wiring["subscriptions"]),
            wiring["event_rules"], wiring["api_integrations"])
        network = tf_network.read(self)
        for child in children:  # local modules' resources live in the same application
            for name in wiring_fields:
                value = getattr(child, name)
                if isinstance(value, tuple):
                    wiring[name] = tuple(wiring.get(name, ())) + value
                else:
                    wiring[name] = {**wiring.get(name, {}), **value}
            network = merge_networks(network, child.network)
        resources = {a: (resource_type(a), self.decl[a]) for a in self.decl}
        calls = {address: src.with_pointer(f"/{address}") for address, (src, _) in self.module_calls.items()}
        for child in children:
            calls.update(child.module_calls)
        return Application(path=path, dialect="terraform", functions=functions, layers=layers,
                           permissions=tuple(permissions), resources=resources, roles=roles,
                           managed_policies=managed, function_urls=tuple(urls), network=network, **wiring,
                           problems=tuple(self.problems + self.r.problems),
                           notes=tuple(dict.fromkeys(self.notes + self.r.notes)), module_calls=calls)

    def latest(self, loc: Located[Any] | None, depth: int = 0) -> bool:
        """The qualifier is certainly ``$LATEST``: written so, the ``version`` of a function that
        does not publish (``publish`` unset or false), or the name of an alias pointing there."""
        if loc is None or depth > 2:
            return False
        if loc.known() == "$LATEST":
            return True
        expr = loc.value.expr if isinstance(loc.value, Unresolved) else ""
        body = self.resources.get(loc.ref or "") if loc.ref else None
        if body is None or not body.is_map() or loc.ref is None:
            return False
        kind = resource_type(loc.ref)
        if kind == "aws_lambda_function" and expr.endswith(".version"):
            publish = self.attr(body, "publish", loc.ref)
            return publish is None or publish.known() is False
        if kind == "aws_lambda_alias" and expr.endswith(".name"):
            return self.latest(self.attr(body, "function_version", loc.ref), depth + 1)
        return False

    @staticmethod
    def _wired(fn: LambdaFunction, fid: str, provisioned: dict[str, list[Located[int]]],
               recursion: dict[str, Located[str]], mappings: dict[str, list[Trigger]],
               destinations: dict[str, list[Located[str]]],
               async_settings: dict[str, tuple[Located[int] | None, Located[int] | None]],
               failures: dict[str, Located[str]], on_latest: dict[str, list[Located[int]]],
               failure_qualifiers: dict[str, list[Located[str]]]) -> LambdaFunction:
        """A function of a called module, with what this module attaches to it through the
        module's outputs (mappings, invoke configs, provisioned concurrency)."""
        changes: dict[str, Any] = {}
        if fid in mappings:
            changes["triggers"] = (*fn.triggers, *mappings[fid])
        if fid in provisioned:
            changes["provisioned_concurrency"] = (*fn.provisioned_concurrency, *provisioned[fid])
        if fid in on_latest:
            changes["provisioned_on_latest"] = (*fn.provisioned_on_latest, *on_latest[fid])
        if fid in destinations:
            changes["destinations"] = (*fn.destinations, *destinations[fid])
        if fid in recursion:
            changes["recursive_loop"] = recursion[fid]
        if fid in async_settings:
            changes["max_retry_attempts"], changes["max_event_age"] = async_settings[fid]
        if fid in failures:
            changes["failure_destination"] = failures[fid]
            changes["failure_qualifiers"] = tuple(failure_qualifiers.get(fid, ()))
        return replace(fn, **changes) if changes else fn

    def targets(self, types: dict[str, str], children: list[ModuleParser] | None = None) -> Targets:
        """The module's functions (instances and blocks), and the function and name of each
        alias, those of the local modules it calls included."""
        functions = {a for a, t in types.items() if t == "aws_lambda_function"}
        functions |= {_INSTANCE.sub("", a) for a in functions}
        owners: dict[str, Owner] = {}
        names: dict[str, str] = {}
        for child in children or ():
            found = child.function_targets
            functions |= set(found.functions)
            owners.update(found.owners)
            names.update(found.names)
        for address, body in self.resources.items():
            if types[address] == "aws_lambda_function" and body.is_map():
                name = self.string(body, "function_name", address)
                known = name.known() if name is not None else None
                if isinstance(known, str):
                    names[known] = address
        for address, body in self.resources.items():
            if types[address] != "aws_lambda_alias" or not body.is_map():
                continue
            fn = self.attr(body, "function_name", address)
            named = fn.known() if fn is not None else None
            owner = fn.ref if fn is not None and fn.ref and _INSTANCE.sub("", fn.ref) in functions else \
                names.get(named) if isinstance(named, str) else None  # a reference, or the function's name
            if fn is None or owner is None:
                continue
            name = self.string(body, "name", address)
            owners[address] = Owner(owner, name or Located(Unresolved(f"{address}.name"), fn.source))
        self.function_targets = Targets(functions, owners, plan=self.from_plan, names=names)
        return self.function_targets

    def _decided(self, node: Node, pointer: str) -> Located[Any]:
        """``count``/``for_each`` as the configuration decides it: its value, or its one
        candidate (a root variable's default picks the configuration that is judged)."""
        return self._one_choice(self.r.resolve(node, pointer))

    def _one_choice(self, loc: Located[Any]) -> Located[Any]:
        if loc.is_known() or loc.value is NO_VALUE:
            return loc
        options = self.r.choices(loc)
        if options and all(_same_plain(o, options[0]) for o in options[1:]):
            return options[0]
        return loc

    def _never_created(self, body: Node, address: str) -> bool:
        """``count`` or ``for_each`` that the configuration decides creates no instance."""
        if not body.is_map():
            return False
        count = body.get("count")
        if count is not None:
            loc = self._decided(count, f"/{address}/count")
            return loc.known() == 0 and not isinstance(loc.value, bool)
        each = body.get("for_each")
        if each is not None:
            loc = self._decided(each, f"/{address}/for_each")
            return loc.value in ({}, ()) or loc.value is NO_VALUE
        return False

    def instances(self, address: str, body: Node) -> list[tuple[str, dict[str, Located[Any]]]]:
        """The instances a resource block creates: none when its ``count`` is 0 or its
        ``for_each`` empty; one per key of a known ``for_each`` (with ``each.key`` and
        ``each.value``), one per index of a known ``count`` when the block uses
        ``count.index``; otherwise the block itself, judged once."""
        each = body.get("for_each")
        if each is not None:
            loc = self._decided(each, f"/{address}/for_each")
            items: list[tuple[str, Located[Any], Located[Any]]] = []
            if loc.value is NO_VALUE or loc.value in ({}, ()):
                return []
            if isinstance(loc.value, dict):
                items = [(k, Located(k, each.key(k) if each.is_map() and k in each.value else v.source), v)
                         for k, v in loc.value.items()]
            elif isinstance(loc.value, tuple) and all(isinstance(v.known(), str) for v in loc.value):
                items = [(str(v.value), v, v) for v in loc.value]
            if items and len(items) <= MAX_INSTANCES:
                return [(f'{address}["{k}"]', {"each.key": key, "each.value": value}) for k, key, value in items]
            return [(address, {})]
        count = body.get("count")
        if count is not None:
            loc = self._decided(count, f"/{address}/count")
            number = loc.known()
            if isinstance(number, int) and not isinstance(number, bool):
                if number <= 0:
                    return []
                if 1 < number <= MAX_INSTANCES and _uses(body, "count.index"):
                    return [(f"{address}[{i}]", {"count.index": Located(i, count.src)}) for i in range(number)]
                if number == 1 and _uses(body, "count.index"):
                    return [(address, {"count.index": Located(0, count.src)})]
        return [(address, {})]

    def function(self, address: str, decl: SourceRef, body: Node, provisioned: list[Located[int]],
                 recursion: Located[str] | None, mappings: list[Trigger],
                 destinations: list[Located[str]]) -> LambdaFunction:
        eph = self.block(body, "ephemeral_storage", address)
        snap = self.block(body, "snap_start", address)
        reserved = self.integer(body, "reserved_concurrent_executions", address)
        if reserved is not None and reserved.known() == -1:  # the provider's "no reservation"
            reserved = None
        return LambdaFunction(
            id=address,
            resource_type="aws_lambda_function",
            source=decl,
            name=self.string(body, "function_name", address),
            runtime=_given(self.string(body, "runtime", address)),
            handler=_given(self.string(body, "handler", address)),
            package_type=_given(self.string(body, "package_type", address)),
            memory_size=self.integer(body, "memory_size", address),
            timeout=self.integer(body, "timeout", address),
            ephemeral_storage=self.integer(eph, "size", address + "/ephemeral_storage"),
            architectures=_given(self.strings(body, "architectures", address)),
            layers=_given(self.strings(body, "layers", address)),
            environment=self.environment(body, address),
            reserved_concurrency=reserved,
            snap_start=self.string(snap, "apply_on", address + "/snap_start"),
            file_systems=self._present(body, "file_system_config", address),
            capacity_provider=self._present(body, "capacity_provider_config", address),
            provisioned_concurrency=tuple(provisioned),
            code=self.code(body, address, decl),
            role=self.attr(body, "role", address),
            recursive_loop=recursion,
            triggers=tuple(mappings),
            vpc_config=self.attr(body, "vpc_config", address),
            dead_letter_target=self.string(self.block(body, "dead_letter_config", address), "target_arn",
                                           f"{address}/dead_letter_config"),
            destinations=tuple(destinations),
        )

    def child(self, address: str) -> ModuleParser | None:
        """The parser of the module a call with a local ``source`` reads, with the call's
        arguments as its variables; its resources live under ``address``. ``None`` when the
        source is not a local directory, is missing, or calls back into a module being read."""
        if address in self.children:
            return self.children[address]
        self.children[address] = None  # while it is read, a reference to it finds nothing
        entry = self.module_calls.get(address)
        if entry is None or self.depth >= MAX_MODULE_DEPTH:
            return None
        body = entry[1]
        source = self.string(body, "source", address)
        text = source.known() if source is not None else None
        if not isinstance(text, str) or is_lambda_module(text, self.base_dir):
            return None  # the community Lambda module is read from its documented inputs
        call = address.rsplit("module.", 1)[-1].split("[", 1)[0]  # once per call, not per instance
        if text.startswith(("./", "../")):
            directory = os.path.normpath(os.path.join(self.base_dir, text))
            if not os.path.isdir(directory):
                from lambdalint.loading import display_path

                self.notes.append(f'module "{call}" ({text}) cannot be read: {display_path(directory, self.root)} '
                                  "does not exist")
                return None
        else:
            found = installed_module(self.root_dir, address)
            if found is None:
                self.notes.append(f'module "{call}" ({text}) is not downloaded; run terraform init to have its '
                                  "functions checked")
                return None
            directory = found
        if not inside(directory, self.limit):
            self.notes.append(f'module "{call}" ({text}) is outside the repository and is not read')
            return None
        if os.path.realpath(directory) in self.ancestors:
            return None  # a module that calls itself: read once
        inputs = {name: self.resolve(node, f"/{address}/{name}", address) for name, node in body.value.items()
                  if name not in _META_ARGUMENTS}  # with the instance's each/count
        files = read_module(directory, self.root, auto_vars=False, limit=self.limit)
        child = ModuleParser(files, self.root, inputs=inputs, prefix=f"{address}.", depth=self.depth + 1,
                             root_dir=self.root_dir, ancestors=self.ancestors)
        child.parent = self
        self.children[address] = child
        return child

    def module_output(self, call: str, name: str, src: SourceRef) -> Located[Any] | None:
        """The value of output ``name`` of the module ``call`` reads (``module.m.name``; an
        instance of a call read once, ``module.m[0]``, is the call)."""
        if call not in self.module_calls and call.endswith("]"):
            call = call[:call.rindex("[")]
        child = self.child(call)
        block = child.outputs.get(name) if child is not None else None
        value = block.get("value") if block is not None else None
        if child is None or value is None:
            return None
        return child.r.resolve(value, f"/{call}/output/{name}")

    def local_module(self, address: str) -> Application | None:
        """The application of a called local module."""
        child = self.child(address)
        if child is None:
            return None
        app = child.parse(address)
        self.texts.update(child.texts)
        self.notes.extend(app.notes)
        return app

    def _present(self, body: Node, key: str, address: str) -> Located[bool] | None:
        """The block is set (a plan writes an absent block as ``[]``)."""
        node = body.get(key)
        if node is None or node.value in (None, [], {}):
            return None
        return Located(True, body.key(key).with_pointer(f"/{address}/{key}"))

    def code(self, body: Node, address: str, decl: SourceRef) -> CodeArtifact | None:
        filename = self.string(body, "filename", address)
        if filename is not None:
            return self.local(filename, filename.source, True)
        image = self.string(body, "image_uri", address)
        if image is not None:
            return CodeArtifact("image", image.source, image)
        bucket = self.attr(body, "s3_bucket", address)
        if bucket is not None:
            return CodeArtifact("s3", bucket.source)
        return None

    def environment(self, body: Node, address: str) -> Environment | None:
        env = self.block(body, "environment", address)
        return self.variables(env, "variables", f"/{address}/environment/variables") if env is not None else None

    def variables(self, holder: Node, key: str, pointer: str) -> Environment | None:
        """Environment variables written as the map ``key`` of ``holder``."""
        node = holder.get(key)
        if node is None:
            return None
        loc = self.r.resolve(node, pointer)
        where = holder.key(key).with_pointer(pointer)
        if not isinstance(loc.value, dict):
            return Environment(where, (), unresolved=True)
        out = []
        for name, value in loc.value.items():
            ksrc = (node.key(name) if node.is_map() else loc.source).with_pointer(f"{pointer}/{name}")
            if value.value is None:
                value = Located(Unresolved("null"), value.source)
            out.append(EnvVar(Located(name, ksrc), self.r.string(value, f"environment variable {name}")))
        return Environment(where, tuple(out))


#: the Application fields the event-source reader fills
wiring_fields = ("buckets", "queues", "topics", "subscriptions", "tables", "streams", "event_rules", "event_buses",
                 "aliases", "versions", "state_machines", "api_integrations", "invocations")


def merge_networks(a: Network, b: Network) -> Network:
    return Network(**{f: {**getattr(a, f), **getattr(b, f)} for f in (
        "vpcs", "subnets", "route_tables", "nat_gateways", "internet_gateways", "endpoints", "security_groups")})


def parse_module(directory: str, root: str, unit_path: str, var_files: tuple[str, ...] = (),
                 trusted: frozenset[str] = frozenset()) -> tuple[Application, dict[str, str]]:
    """The module in ``directory`` (local modules it calls included) and the text of every
    file read, by reported path. Nothing outside its repository is read, but the variable
    files in ``trusted`` (given on the command line)."""
    files = read_module(directory, root, var_files, limit=boundary(directory, root), trusted=trusted)
    parser = ModuleParser(files, root, var_files=var_files)
    return parser.parse(unit_path), parser.texts



PLAN_FORMATS = ("0.", "1.")


def is_plan(root: Node | None) -> bool:
    return root is not None and root.is_map() and "format_version" in root.value and (
        "planned_values" in root.value or "terraform_version" in root.value)


def parse_plan(root: Node, display: str, base_dir: str) -> Application:
    """A ``terraform show -json`` plan: the planned values of every managed resource (child
    modules included); attributes unknown until apply are taken from the configuration's
    references, so a rule still knows what they point at, never their value."""
    problems: list[Problem] = []
    version = root.get("format_version")
    text = str(version.value) if version is not None else ""
    if not text.startswith(PLAN_FORMATS):
        src = version.src if version is not None else root.src
        problems.append(Problem(f"unsupported plan format_version {text!r} (0.x and 1.x are read)", src))
        return Application(path=display, dialect="terraform", problems=tuple(problems))
    wrong = _plan_shape(root)
    if wrong is not None:  # a plan that is not what Terraform writes: reported, never skipped
        return Application(path=display, dialect="terraform", problems=(wrong,))
    resources: dict[str, Node] = {}
    decl: dict[str, SourceRef] = {}
    planned = root.get("planned_values")
    _walk_plan(planned.get("root_module") if planned is not None else None, resources, decl)
    config = root.get("configuration")
    _add_references(config.get("root_module") if config is not None else None, "", resources)
    _point_at_sources(resources, decl, base_dir, display)
    _point_at_module_sources(config.get("root_module") if config is not None else None, "", resources, decl,
                             base_dir, os.path.dirname(display), 0)
    parser = ModuleParser.from_resources(resources, decl, base_dir, display, problems)
    return parser.parse(display)


def _point_at_module_sources(module: Node | None, prefix: str, resources: dict[str, Node],
                             decl: dict[str, SourceRef], base_dir: str, shown_dir: str, depth: int) -> None:
    """The same for resources of local modules the plan's configuration calls
    (``source = "./modules/x"``): they point at the module's own ``.tf`` files."""
    calls = module.get("module_calls") if module is not None and module.is_map() else None
    if calls is None or not calls.is_map() or depth >= MAX_MODULE_DEPTH:
        return
    for name, call in calls.value.items():
        source = call.get("source") if call.is_map() else None
        if source is None or not isinstance(source.value, str) or not source.value.startswith(("./", "../")):
            continue
        child_dir = os.path.normpath(os.path.join(base_dir, source.value))
        child_shown = os.path.normpath(os.path.join(shown_dir, source.value)) if shown_dir else os.path.normpath(
            source.value)
        child_prefix = f"{prefix}module.{name}."
        inner = {k[len(child_prefix):]: v for k, v in resources.items() if k.startswith(child_prefix)
                 and ".module." not in "." + k[len(child_prefix):]}
        inner_decl = {k[len(child_prefix):]: v for k, v in decl.items() if k.startswith(child_prefix)}
        if inner:
            _point_at_sources(inner, inner_decl, child_dir, os.path.join(child_shown, "plan.json"))
            for k, v in inner.items():
                resources[child_prefix + k] = v
            for k, d in inner_decl.items():
                decl[child_prefix + k] = d
        _point_at_module_sources(call.get("module"), child_prefix, resources, decl, child_dir, child_shown, depth + 1)


def _point_at_sources(resources: dict[str, Node], decl: dict[str, SourceRef], base_dir: str, display: str) -> None:
    """When the module's ``.tf`` files sit beside the plan, values keep the plan's values but
    take the region of the attribute that sets them, so findings point at the ``.tf`` line."""
    from lambdalint.parsers.terraform.hcl import load_hcl

    try:
        names = sorted(n for n in os.listdir(base_dir) if n.endswith(".tf"))
    except OSError:
        return
    top: dict[str, Node] = {}
    shown_dir = os.path.dirname(display)
    for name in names:
        try:
            with open(os.path.join(base_dir, name), encoding="utf-8") as fh:
                text = fh.read()
            _merge_into(top, load_hcl(text, f"{shown_dir}/{name}" if shown_dir else name))
        except (OSError, UnicodeDecodeError, LoadError):
            return  # sources that cannot be read are not used at all
    res = top.get("resource")
    if res is None or not res.is_map():
        return
    for rtype, by_name in res.value.items():
        if not by_name.is_map():
            continue
        for name, body in by_name.value.items():
            address = f"{rtype}.{name}"
            for key in [k for k in resources if k == address or k.startswith(address + "[")]:
                resources[key] = _relocated(resources[key], body)
                decl[key] = by_name.key(name)


def _relocated(planned: Node, source: Node) -> Node:
    """``planned``'s value with ``source``'s regions wherever the two have the same shape."""
    if planned.is_map() and source.is_map() and not any(k.startswith("TF::") for k in source.value):
        keys: dict[str, Any] = {}
        out: dict[str, Node] = {}
        for k, v in planned.value.items():
            if k in source.value:
                out[k] = _relocated(v, source.value[k])
                keys[k] = source.key(k)
            else:
                out[k] = v
                keys[k] = planned.key(k)
        return Node(out, source.src, keys)
    if planned.is_list() and source.is_list() and len(planned.value) == len(source.value):
        return Node([_relocated(p, q) for p, q in zip(planned.value, source.value)], source.src)
    return Node(planned.value, source.src, planned.key_src if planned.is_map() else None)


def _plan_shape(root: Node) -> Problem | None:
    """The first place where a plan's structure differs from what ``terraform show -json``
    writes (``planned_values`` and each module an object, ``resources`` and ``child_modules``
    lists of objects, ``address`` a string, ``values`` an object), as a problem; None when it
    matches. Iterative, so a deep plan costs no recursion."""
    def wrong(node: Node, where: str, expected: str) -> Problem:
        return Problem(f"not a plan as terraform show -json writes it: {where} must be {expected}", node.src)

    planned = root.get("planned_values")
    if planned is None:
        return None
    if not planned.is_map():
        return wrong(planned, "planned_values", "an object")
    stack = [(planned.get("root_module"), "planned_values.root_module")]
    while stack:
        module, where = stack.pop()
        if module is None:
            continue
        if not module.is_map():
            return wrong(module, where, "an object")
        for key in ("resources", "child_modules"):
            items = module.get(key)
            if items is None:
                continue
            if not items.is_list() or not all(item.is_map() for item in items.value):
                return wrong(items, f"{where}.{key}", "a list of objects")
        for res in _items(module, "resources"):
            address, values = res.get("address"), res.get("values")
            if address is None or not isinstance(address.value, str):
                return wrong(address or res, f"{where}.resources[].address", "a string")
            if values is not None and not values.is_map() and values.value is not None:
                return wrong(values, f"the values of {address.value}", "an object")
        stack.extend((child, f"{where}.child_modules[]") for child in _items(module, "child_modules"))
    return None


def _items(node: Node | None, key: str) -> list[Node]:
    value = node.get(key) if node is not None and node.is_map() else None
    return [v for v in value.value if v.is_map()] if value is not None and value.is_list() else []


def _walk_plan(module: Node | None, resources: dict[str, Node], decl: dict[str, SourceRef]) -> None:
    for res in _items(module, "resources"):
        address, mode = res.get("address"), res.get("mode")
        if address is None or not isinstance(address.value, str) or (mode is not None and mode.value != "managed"):
            continue
        values = res.get("values")
        key = address.value  # count/for_each instances are read one by one, like in the sources
        if key in resources:
            continue
        resources[key] = values if values is not None and values.is_map() else Node({}, res.src, {})
        decl[key] = address.src
    for child in _items(module, "child_modules"):
        _walk_plan(child, resources, decl)


def _add_references(module: Node | None, prefix: str, resources: dict[str, Node]) -> None:
    """For attributes the plan does not know yet, what the configuration says they refer to."""
    for res in _items(module, "resources"):
        address = res.get("address")
        exprs = res.get("expressions")
        if address is None or exprs is None or not exprs.is_map():
            continue
        base = prefix + str(address.value)
        for key in [k for k in resources if k == base or (k.startswith(base) and _INSTANCE.fullmatch(k[len(base):]))]:
            _add_expression_references(resources[key], exprs, prefix, module)
    calls = module.get("module_calls") if module is not None and module.is_map() else None
    if calls is not None and calls.is_map():
        for name, call in calls.value.items():
            child = call.get("module") if call.is_map() else None
            _add_references(child, f"{prefix}module.{name}.", resources)


def _add_expression_references(body: Node, exprs: Node, prefix: str, module: Node | None = None) -> None:
    """Attributes the plan does not know yet take the configuration's first reference (through
    the outputs of the modules it names: ``module.queue.arn`` is the queue inside)."""
    if not body.is_map():
        return
    for name, expr in exprs.value.items():
        current = body.value.get(name)
        if expr.is_list() and expr.value and expr.value[0].is_map() and (
                current is None or current.value in (None, [])):
            # a nested block the plan does not know yet (vpc_config): its attributes' references
            inner = Node({}, expr.value[0].src, {})
            _add_expression_references(inner, expr.value[0], prefix, module)
            if inner.value:
                body.value[name] = Node([inner], expr.src)
            continue
        if expr.is_list() and current is not None and current.is_list() and len(current.value) == len(expr.value):
            # nested blocks the plan lists, with some attributes not known yet: block by block
            for block, block_exprs in zip(current.value, expr.value):
                if block.is_map() and block_exprs.is_map():
                    _add_expression_references(block, block_exprs, prefix, module)
            continue
        refs = expr.get("references") if expr.is_map() else None
        known = current is not None and current.value is not None
        if known or refs is None or not refs.is_list() or not refs.value:
            continue
        texts = [str(r.value) for r in refs.value]
        if name.endswith("_ids") or name.endswith("_arns"):
            # a list of references: one per element, the attribute forms (aws_subnet.a.id)
            chosen = [r for r, t in zip(refs.value, texts) if not any(o.startswith(t + ".") for o in texts)]
            body.value[name] = Node([_reference_node(r, prefix, module) for r in chosen], expr.src)
            continue
        body.value[name] = _reference_node(refs.value[0], prefix, module)


def _reference_node(ref: Node, prefix: str, module: Node | None = None) -> Node:
    text = str(ref.value)
    inner = _through_outputs(module, text, prefix, 0) if text.startswith("module.") else None
    if inner is not None:
        text = inner
    elif prefix and not text.startswith(("var.", "local.", "each.", "count.", "path.")):
        text = prefix + text  # a reference inside a child module names its own resources
    return Node({"TF::Ref": Node(text, ref.src)}, ref.src, {"TF::Ref": ref.src})


def _through_outputs(module: Node | None, text: str, prefix: str, depth: int) -> str | None:
    """``module.queue.arn`` followed through the configuration of the call ``queue`` to what its
    output ``arn`` refers to, from the root (``module.queue.aws_sqs_queue.this.arn``); None when
    the output refers to no resource (a variable, a value the plan does not list)."""
    parts = text.split(".")
    calls = module.get("module_calls") if module is not None and module.is_map() else None
    call = calls.get(parts[1].split("[", 1)[0]) if calls is not None and calls.is_map() and len(parts) > 2 else None
    child = call.get("module") if call is not None and call.is_map() else None
    outputs = child.get("outputs") if child is not None and child.is_map() else None
    output = outputs.get(parts[2]) if outputs is not None and outputs.is_map() else None
    expression = output.get("expression") if output is not None and output.is_map() else None
    refs = expression.get("references") if expression is not None and expression.is_map() else None
    if refs is None or not refs.is_list() or not refs.value or depth >= MAX_MODULE_DEPTH:
        return None
    target = str(refs.value[0].value)
    child_prefix = f"{prefix}module.{parts[1]}."
    if target.startswith("module."):
        return _through_outputs(child, target, child_prefix, depth + 1)
    if target.startswith(("var.", "local.", "each.", "count.", "path.")):
        return None
    return child_prefix + target
