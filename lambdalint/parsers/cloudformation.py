"""CloudFormation and SAM templates (YAML or JSON) into an :class:`Application`."""

from __future__ import annotations

import os
from typing import Any

from lambdalint.model import (
    Application,
    CodeArtifact,
    Environment,
    EnvVar,
    FunctionUrl,
    LambdaFunction,
    Layer,
    Permission,
    PolicyDocument,
    Problem,
    Role,
    Suppression,
    Trigger,
    replace,
)
from lambdalint.parsers import cfn_iam, cfn_network, cfn_resources, invocations
from lambdalint.parsers.apigateway import cfn_integrations
from lambdalint.parsers.common import event_source_type
from lambdalint.parsers.intrinsics import Resolver, _esc
from lambdalint.parsers.nodes import LoadError, Node
from lambdalint.parsers.sam import PUSH_EVENT_PRINCIPALS, merge_globals
from lambdalint.parsers.statemachines import cfn_state_machines
from lambdalint.parsers.targets import Owner, Targets
from lambdalint.parsers.versions import sam_alias_id, versions_of
from lambdalint.values import Located, SourceRef, Unresolved

SAM_FUNCTION = "AWS::Serverless::Function"
CFN_FUNCTION = "AWS::Lambda::Function"
SAM_LAYER = "AWS::Serverless::LayerVersion"
CFN_LAYER = "AWS::Lambda::LayerVersion"


def is_template(root: Node | None) -> bool:
    if root is None or not root.is_map():
        return False
    return any(k in root.value for k in ("Resources", "AWSTemplateFormatVersion", "Transform"))


def _is_sam(root: Node) -> bool:
    t = root.get("Transform")
    if t is None:
        return False
    names = t.value if isinstance(t.value, list) else [t]
    return any(isinstance(n.value, str) and n.value.startswith("AWS::Serverless") for n in names)


class TemplateParser:
    def __init__(self, root: Node, path: str, real_path: str | None = None) -> None:
        self.root = root
        self.path = path
        #: local code paths are relative to the template's directory
        self.base_dir = os.path.dirname(os.path.abspath(real_path or path))
        self.problems: list[Problem] = []
        res = root.get("Resources")
        self.resources: dict[str, Node] = {}
        self.res_node = res
        if res is not None and res.is_map():
            res = expand_for_each(res)
            self.resources = {k: v for k, v in res.value.items() if v.is_map()}
            for k, v in res.value.items():
                # an Fn::ForEach (AWS::LanguageExtensions) whose collection is not known
                if not v.is_map() and not k.startswith("Fn::ForEach::"):
                    self.problems.append(Problem(f"resource {k} must be a mapping", v.src))
        elif res is not None:
            self.problems.append(Problem("Resources must be a mapping", res.src))
        params = root.get("Parameters")
        parameters = {k: v for k, v in params.value.items() if v.is_map()} if params and params.is_map() else {}
        mappings = root.get("Mappings")
        self.r = Resolver(path, parameters, mappings if mappings and mappings.is_map() else None,
                          self.resources)
        globals_node = root.get("Globals")
        fn_globals = globals_node.get("Function") if globals_node is not None else None
        self.fn_globals = fn_globals if fn_globals is not None and fn_globals.is_map() else None
        self.permissions: list[Permission] = []
        self.urls: list[FunctionUrl] = []
        #: function id -> (MaximumRetryAttempts, MaximumEventAgeInSeconds) of its EventInvokeConfig
        self.async_settings: dict[str, tuple[Located[int] | None, Located[int] | None]] = {}
        #: function id -> its EventInvokeConfig's on-failure destination
        self.failures: dict[str, Located[str]] = {}
        #: function id -> the Qualifier of each EventInvokeConfig with an on-failure destination
        self.failure_qualifiers: dict[str, list[Located[str]]] = {}
        #: function id -> provisioned concurrency set on $LATEST (an alias pointing there)
        self.on_latest: dict[str, list[Located[int]]] = {}
        self.resource_types: dict[str, str] = {}
        self.declarations: dict[str, SourceRef] = {}
        #: functions, aliases and versions: what a reference to a function names
        self.targets = Targets({}, {})

    # -- helpers -----------------------------------------------------------------------

    def prop(self, props: Node | None, key: str, ptr: str) -> Located[Any] | None:
        if props is None or not props.is_map():
            return None
        node = props.get(key)
        if node is None or node.value is None:  # `Key:` with no value is treated as absent
            return None
        loc = self.r.resolve(node, f"{ptr}/{_esc(key)}")
        if loc.definitely_absent():
            return None
        if isinstance(loc.value, (dict, tuple)):
            # a block list or mapping starts on the line after its key: a finding about the
            # collection as a whole points at the key
            loc = Located(loc.value, props.key(key).with_pointer(loc.source.pointer), loc.candidates, loc.ref,
                          loc.origin)
        return loc

    def sub(self, props: Node | None, key: str) -> Node | None:
        if props is None or not props.is_map():
            return None
        node = props.get(key)
        return node if node is not None and node.is_map() else None

    def int_prop(self, props: Node | None, key: str, ptr: str) -> Located[int] | None:
        loc = self.prop(props, key, ptr)
        return self.r.integer(loc, key) if loc is not None else None

    def nested_int(self, props: Node | None, key: str, inner: str, ptr: str) -> Located[int] | None:
        """``key.inner`` as an integer; under an ``Fn::If`` around ``key`` an unknown value with
        each branch's integer (``AWS::NoValue`` where a branch leaves it out) as candidates."""
        loc = cfn_resources.member(self.prop(props, key, ptr), inner)
        return self.r.integer(loc, inner) if loc is not None else None

    def str_prop(self, props: Node | None, key: str, ptr: str) -> Located[str] | None:
        loc = self.prop(props, key, ptr)
        return self.r.string(loc, key) if loc is not None else None

    def list_prop(self, props: Node | None, key: str, ptr: str) -> Located[tuple[Located[str], ...]] | None:
        loc = self.prop(props, key, ptr)
        return self.r.string_list(loc, key) if loc is not None else None

    def present(self, props: Node | None, key: str, ptr: str) -> Located[bool] | None:
        loc = self.prop(props, key, ptr)
        if loc is None or loc.value in ((), {}):
            return None
        if loc.may_be_absent():
            return Located(Unresolved(key), loc.source)
        return Located(True, loc.source)

    # -- resources ---------------------------------------------------------------------

    def parse(self) -> Application:
        sam = _is_sam(self.root)
        functions: dict[str, LambdaFunction] = {}
        layers: dict[str, Layer] = {}
        resources: dict[str, tuple[str, SourceRef]] = {}
        suppressions: list[Suppression] = list(self._metadata_suppressions(self.root, None, "/Metadata"))
        provisioned: dict[str, list[Located[int]]] = {}
        res_keys = self.res_node
        for rid, node in self.resources.items():
            rtype_node = node.get("Type")
            rtype = rtype_node.value if rtype_node is not None and isinstance(rtype_node.value, str) else ""
            decl = res_keys.key(rid).with_pointer(f"/Resources/{_esc(rid)}") if res_keys else node.src
            if rtype_node is None:
                self.problems.append(Problem(f"resource {rid} has no Type", decl))
            elif not rtype:
                self.problems.append(Problem(f"resource {rid}: Type must be a non-empty string", rtype_node.src))
            resources[rid] = (rtype, decl)
            self.resource_types[rid] = rtype
            self.declarations[rid] = decl
            suppressions.extend(self._metadata_suppressions(node, rid, f"/Resources/{_esc(rid)}/Metadata"))
        self.targets = self._targets()
        for rid in self.targets.owners:
            if rid in self.resources:  # not the ones SAM creates
                self._provisioned(rid, self.resources[rid], provisioned)
        mappings: dict[str, list[Trigger]] = {}
        destinations: dict[str, list[Located[str]]] = {}
        for rid, node in self.resources.items():
            rtype = resources[rid][0]
            if rtype == "AWS::Lambda::EventSourceMapping":
                self._mapping(rid, node, mappings)
            elif rtype == "AWS::Lambda::EventInvokeConfig":
                self._invoke_config(rid, node, destinations)
            elif rtype == "AWS::Lambda::Url":
                self._url(rid, node)
        roles: dict[str, Role] = {}
        managed: dict[str, PolicyDocument] = {}
        # SAM connectors (resources, or `Connectors` embedded in a resource) add policies to
        # the roles of the resources they connect: with any in the template no role is known whole
        connectors = any(t == "AWS::Serverless::Connector" for t, _ in resources.values()) or any(
            n.get("Connectors") is not None for n in self.resources.values())
        for rid, node in self.resources.items():
            rtype, decl = resources[rid]
            ptr = f"/Resources/{_esc(rid)}/Properties"
            props = self.sub(node, "Properties")
            if rtype == SAM_FUNCTION:
                props = merge_globals(self.fn_globals, props)
                fn = self._function(rid, rtype, decl, props, ptr, sam=True, provisioned=provisioned.get(rid, []),
                                    mappings=mappings.get(rid, []), destinations=destinations.get(rid, []))
                if fn.role is None:
                    generated = cfn_iam.sam_role(self, rid, decl, props, ptr, fn.triggers, connectors)
                    roles[generated.id] = generated
                    fn = replace(fn, role=Located(Unresolved(f"Fn::GetAtt {generated.id}.Arn"), decl, ref=generated.id))
                functions[rid] = fn
            elif rtype == CFN_FUNCTION:
                functions[rid] = self._function(rid, rtype, decl, props, ptr, sam=False,
                                                provisioned=provisioned.get(rid, []),
                                                mappings=mappings.get(rid, []), destinations=destinations.get(rid, []))
            elif rtype in cfn_iam.ROLE_TYPES:
                roles[rid] = cfn_iam.role(self, rid, decl, props, ptr)
            elif rtype in (SAM_LAYER, CFN_LAYER):
                layers[rid] = self._layer(rid, rtype, decl, props, ptr)
            elif rtype == "AWS::Lambda::Permission":
                self._permission(rid, decl, props, ptr)
        cfn_iam.attach_policies(self, roles, managed)
        if connectors:
            roles = {rid: replace(r, unresolved=True) for rid, r in roles.items()}
        wiring = cfn_resources.read(self, functions)
        aliases, versions = versions_of(self, functions)
        network = cfn_network.read(self)
        apis = cfn_integrations(self, self.targets, functions)
        permissions = tuple(self.permissions)
        calls = invocations.collect(self.targets, functions, permissions, tuple(self.urls), wiring["buckets"],
                                    tuple(wiring["subscriptions"]), wiring["event_rules"], apis)
        return Application(
            path=self.path,
            dialect="sam" if sam else "cloudformation",
            functions=functions,
            layers=layers,
            permissions=permissions,
            roles=roles,
            managed_policies=managed,
            function_urls=tuple(self.urls),
            network=network,
            aliases=aliases,
            versions=versions,
            state_machines=cfn_state_machines(self),
            api_integrations=apis,
            invocations=calls,
            **wiring,
            resources=resources,
            problems=_unique(self.problems + self.r.problems), notes=tuple(dict.fromkeys(self.r.notes)),
            suppressions=tuple(suppressions),
        )

    def _function(self, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str, *,
                  sam: bool, provisioned: list[Located[int]], mappings: list[Trigger],
                  destinations: list[Located[str]]) -> LambdaFunction:
        eph = self.sub(props, "EphemeralStorage")
        snap = self.sub(props, "SnapStart")
        pc = list(provisioned)
        on_latest = list(self.on_latest.get(rid, []))
        if sam:
            loc = self.nested_int(props, "ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions", ptr)
            if loc is not None:
                pc.append(loc)
                if self.prop(props, "AutoPublishAlias", ptr) is None:
                    on_latest.append(loc)  # SAM puts it on the published alias, and needs one
        settings = self.async_settings.get(rid, (None, None))
        eic = self.sub(props, "EventInvokeConfig") if sam else None
        if eic is not None:
            eptr = f"{ptr}/EventInvokeConfig"
            settings = (self.int_prop(eic, "MaximumRetryAttempts", eptr) or settings[0],
                        self.int_prop(eic, "MaximumEventAgeInSeconds", eptr) or settings[1])
        return LambdaFunction(
            id=rid,
            resource_type=rtype,
            source=decl,
            name=self.str_prop(props, "FunctionName", ptr),
            runtime=self.str_prop(props, "Runtime", ptr),
            handler=self.str_prop(props, "Handler", ptr),
            package_type=self.str_prop(props, "PackageType", ptr),
            memory_size=self.int_prop(props, "MemorySize", ptr),
            timeout=self.int_prop(props, "Timeout", ptr),
            ephemeral_storage=self.int_prop(eph, "Size", f"{ptr}/EphemeralStorage"),
            architectures=self.list_prop(props, "Architectures", ptr),
            layers=self.list_prop(props, "Layers", ptr),
            environment=self._environment(props, ptr),
            reserved_concurrency=self.int_prop(props, "ReservedConcurrentExecutions", ptr),
            snap_start=self.str_prop(snap, "ApplyOn", f"{ptr}/SnapStart"),
            file_systems=self.present(props, "FileSystemConfigs", ptr),
            capacity_provider=self.present(props, "CapacityProviderConfig", ptr),
            provisioned_concurrency=tuple(pc),
            provisioned_on_latest=tuple(on_latest),
            deployment_preference=self.prop(props, "DeploymentPreference", ptr) if sam else None,
            code=self._sam_code(props, ptr) if sam else self._cfn_code(props, ptr),
            role=self.prop(props, "Role", ptr),
            policies=self.prop(props, "Policies", ptr) if sam else None,
            auto_publish_alias=self.str_prop(props, "AutoPublishAlias", ptr) if sam else None,
            recursive_loop=self.str_prop(props, "RecursiveLoop", ptr),
            triggers=(self._events(rid, props, ptr) if sam else ()) + tuple(mappings),
            vpc_config=self.prop(props, "VpcConfig", ptr),
            dead_letter_target=self._dead_letter(props, ptr, sam),
            destinations=tuple(destinations) + (self._sam_destinations(props, ptr) if sam else ()),
            max_retry_attempts=settings[0],
            max_event_age=settings[1],
            failure_destination=self.failures.get(rid) or (self._sam_failure(props, ptr) if sam else None),
            failure_qualifiers=tuple(self.failure_qualifiers.get(rid, ())) if rid in self.failures else (),
        )

    def _targets(self) -> Targets:
        """Functions, and the function and qualifier each alias and version stands for
        (explicit ones, and the ones SAM creates for ``AutoPublishAlias``)."""
        functions = {rid for rid, t in self.resource_types.items() if t in (SAM_FUNCTION, CFN_FUNCTION)}
        owners: dict[str, Owner] = {}
        sam_aliases: dict[str, Located[str]] = {}
        names: dict[str, str] = {}
        for rid in functions:
            name = self.str_prop(self.sub(self.resources[rid], "Properties"), "FunctionName",
                                 f"/Resources/{_esc(rid)}/Properties")
            known = name.known() if name is not None else None
            if isinstance(known, str):
                names[known] = rid
        for rid, rtype in self.resource_types.items():
            if rtype not in _TARGET_TYPES:
                continue
            ptr = f"/Resources/{_esc(rid)}/Properties"
            props = self.sub(self.resources[rid], "Properties")
            if rtype in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
                fn = self.prop(props, "FunctionName", ptr)
                named = fn.known() if fn is not None else None
                owner = fn.ref if fn is not None and fn.ref in functions else names.get(named) \
                    if isinstance(named, str) else None  # a reference, or the function's name
                if owner is None:
                    continue
                name = self.str_prop(props, "Name", ptr) if rtype == "AWS::Lambda::Alias" else None
                owners[rid] = Owner(owner, name or Located(Unresolved(f"{rid} qualifier"), self.declarations[rid]))
            elif rtype == SAM_FUNCTION and (self.fn_globals is not None or props is not None):
                alias = self.str_prop(merge_globals(self.fn_globals, props), "AutoPublishAlias", ptr)
                if alias is None:
                    continue
                sam_aliases[rid] = alias
                owners[f"{rid}Version"] = Owner(rid, Located(Unresolved(f"{rid}Version"), alias.source))
                known = alias.known()
                if isinstance(known, str):
                    owners[sam_alias_id(rid, known)] = Owner(rid, alias)
        return Targets(functions, owners, sam_aliases, names=names)

    def _dead_letter(self, props: Node | None, ptr: str, sam: bool) -> Located[str] | None:
        key = "DeadLetterQueue" if sam else "DeadLetterConfig"
        return self.str_prop(self.sub(props, key), "TargetArn", f"{ptr}/{key}")

    def _sam_failure(self, props: Node | None, ptr: str) -> Located[str] | None:
        """SAM ``EventInvokeConfig.DestinationConfig.OnFailure``: its ``Destination``, or its
        ``Type`` when SAM creates the queue or topic itself."""
        dest = self.sub(self.sub(props, "EventInvokeConfig"), "DestinationConfig")
        failure = self.sub(dest, "OnFailure")
        if failure is None:
            return None
        fptr = f"{ptr}/EventInvokeConfig/DestinationConfig/OnFailure"
        return self.str_prop(failure, "Destination", fptr) or self.str_prop(failure, "Type", fptr)

    def _sam_destinations(self, props: Node | None, ptr: str) -> tuple[Located[str], ...]:
        eic = self.sub(props, "EventInvokeConfig")
        dest = self.sub(eic, "DestinationConfig")
        out = []
        for which in ("OnSuccess", "OnFailure"):
            where = f"{ptr}/EventInvokeConfig/DestinationConfig/{which}"
            loc = self.str_prop(self.sub(dest, which), "Destination", where)
            if loc is not None:
                out.append(loc)
        return tuple(out)

    def _mapping(self, rid: str, node: Node, out: dict[str, list[Trigger]]) -> None:
        props = self.sub(node, "Properties")
        ptr = f"/Resources/{_esc(rid)}/Properties"
        fn = self.prop(props, "FunctionName", ptr)
        target = self.targets.of(fn)
        if fn is None or target is None:
            return
        arn = self.str_prop(props, "EventSourceArn", ptr)
        etype = "SelfManagedKafka" if self.sub(props, "SelfManagedEventSource") is not None else \
            event_source_type(arn, self.resource_types)
        resolved = self.prop(node, "Properties", f"/Resources/{_esc(rid)}")
        properties = resolved.value if resolved is not None and isinstance(resolved.value, dict) else {}
        out.setdefault(target.function, []).append(Trigger(rid, etype, self.declarations[rid], target.function,
                                                           properties, arn, fn, target.qualifier))

    def _invoke_config(self, rid: str, node: Node, out: dict[str, list[Located[str]]]) -> None:
        props = self.sub(node, "Properties")
        ptr = f"/Resources/{_esc(rid)}/Properties"
        fn = self.prop(props, "FunctionName", ptr)
        owner = self.targets.function_id(fn.ref) if fn is not None else None
        if owner is None:
            return
        dest = self.sub(props, "DestinationConfig")
        for which in ("OnSuccess", "OnFailure"):
            loc = self.str_prop(self.sub(dest, which), "Destination", f"{ptr}/DestinationConfig/{which}")
            if loc is not None:
                out.setdefault(owner, []).append(loc)
        failure = self.sub(dest, "OnFailure")
        if failure is not None:
            where = self.str_prop(failure, "Destination", f"{ptr}/DestinationConfig/OnFailure")
            self.failures[owner] = where or Located(Unresolved("destination"), dest.key("OnFailure"))  # type: ignore[union-attr]
            qualifier = self.str_prop(props, "Qualifier", ptr)
            self.failure_qualifiers.setdefault(owner, []).append(
                qualifier if qualifier is not None else Located("$LATEST", self.declarations[rid]))
        self.async_settings[owner] = (self.int_prop(props, "MaximumRetryAttempts", ptr),
                                       self.int_prop(props, "MaximumEventAgeInSeconds", ptr))

    def _url(self, rid: str, node: Node) -> None:
        props = self.sub(node, "Properties")
        ptr = f"/Resources/{_esc(rid)}/Properties"
        fn = self.prop(props, "TargetFunctionArn", ptr)
        if fn is None:
            return
        self.urls.append(FunctionUrl(rid, self.declarations[rid], fn, self.str_prop(props, "AuthType", ptr),
                                     self.str_prop(props, "Qualifier", ptr)))

    def _environment(self, props: Node | None, ptr: str) -> Environment | None:
        env = self.sub(props, "Environment")
        if env is None:
            return None
        vnode = env.get("Variables")
        if vnode is None:
            return None
        vptr = f"{ptr}/Environment/Variables"
        loc = self.r.resolve(vnode, vptr)
        if loc.definitely_absent():
            return None
        # the map's own region starts at its first key; findings about it point at `Variables`
        where = env.key("Variables").with_pointer(vptr)
        if not isinstance(loc.value, dict):
            if loc.is_known():
                self.r.problem("Environment.Variables must be a mapping", loc.source)
            return Environment(where, (), unresolved=True)
        out = []
        for key, value in loc.value.items():
            ksrc = (vnode.key(key) if vnode.is_map() else loc.source).with_pointer(f"{vptr}/{_esc(key)}")
            if value.value is None:  # `KEY:` with nothing after it: left to the deploy to judge
                value = Located(Unresolved("null"), value.source)
            sval = self.r.string(value, f"environment variable {key}")
            out.append(EnvVar(Located(key, ksrc), sval))
        return Environment(where, tuple(out))

    def _local(self, loc: Located[str], src: SourceRef) -> CodeArtifact:
        text = loc.known()
        if text is None:
            return CodeArtifact("unknown", src, loc)
        if text.startswith("s3://"):
            return CodeArtifact("s3", src, loc)
        if "://" in text:
            return CodeArtifact("unknown", src, loc)
        return CodeArtifact("local", src, loc, os.path.normpath(os.path.join(self.base_dir, text)))

    def _sam_code(self, props: Node | None, ptr: str) -> CodeArtifact | None:
        image = self.prop(props, "ImageUri", ptr)
        if image is not None:
            return CodeArtifact("image", image.source, image)
        inline = self.prop(props, "InlineCode", ptr)
        if inline is not None:
            return CodeArtifact("inline", inline.source, inline)
        uri = self.prop(props, "CodeUri", ptr)
        if uri is None:
            return None
        if isinstance(uri.value, dict):
            return CodeArtifact("s3", uri.source)
        return self._local(self.r.string(uri, "CodeUri"), uri.source)

    def _cfn_code(self, props: Node | None, ptr: str) -> CodeArtifact | None:
        code = self.prop(props, "Code", ptr)
        if code is None:
            return None
        if isinstance(code.value, str):  # `aws cloudformation package` local path
            return self._local(self.r.string(code, "Code"), code.source)
        if isinstance(code.value, dict):
            if "ImageUri" in code.value:
                return CodeArtifact("image", code.source, code.value["ImageUri"])
            if "ZipFile" in code.value:
                return CodeArtifact("inline", code.source)
            if "S3Bucket" in code.value or "S3Key" in code.value:
                return CodeArtifact("s3", code.source)
        return CodeArtifact("unknown", code.source)

    def _layer(self, rid: str, rtype: str, decl: SourceRef, props: Node | None, ptr: str) -> Layer:
        content: CodeArtifact | None = None
        key = "ContentUri" if rtype == SAM_LAYER else "Content"
        loc = self.prop(props, key, ptr)
        if loc is not None:
            if isinstance(loc.value, str):
                content = self._local(self.r.string(loc, key), loc.source)
            elif isinstance(loc.value, dict):
                content = CodeArtifact("s3", loc.source)
            else:
                content = CodeArtifact("unknown", loc.source)
        return Layer(
            id=rid,
            source=decl,
            name=self.str_prop(props, "LayerName", ptr),
            compatible_runtimes=self.list_prop(props, "CompatibleRuntimes", ptr),
            compatible_architectures=self.list_prop(props, "CompatibleArchitectures", ptr),
            content=content,
        )

    def _provisioned(self, rid: str, node: Node, out: dict[str, list[Located[int]]]) -> None:
        props = self.sub(node, "Properties")
        ptr = f"/Resources/{_esc(rid)}/Properties"
        owner = self.targets.owners[rid].function
        loc = self.nested_int(props, "ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions", ptr)
        if loc is not None:
            out.setdefault(owner, []).append(loc)
            version = self.str_prop(props, "FunctionVersion", ptr)
            if version is not None and version.known() == "$LATEST":
                self.on_latest.setdefault(owner, []).append(loc)

    def _permission(self, rid: str, decl: SourceRef, props: Node | None, ptr: str) -> None:
        fn = self.prop(props, "FunctionName", ptr)
        action = self.str_prop(props, "Action", ptr)
        principal = self.str_prop(props, "Principal", ptr)
        if fn is None or action is None or principal is None:
            return
        target = self.targets.of(fn)
        qualifier: Located[str] | None = Located(Unresolved("qualifier"), fn.source)
        if target is not None:
            qualifier = target.qualifier
            if fn.ref is not None and fn.ref != target.function:  # an alias or version of the function
                fn = replace(fn, ref=target.function)
        self.permissions.append(Permission(
            id=rid,
            source=decl,
            function=fn,
            qualifier=qualifier,
            action=action,
            principal=principal,
            source_arn=self.str_prop(props, "SourceArn", ptr),
            source_account=self.str_prop(props, "SourceAccount", ptr),
            principal_org_id=self.str_prop(props, "PrincipalOrgID", ptr),
            function_url_auth_type=self.str_prop(props, "FunctionUrlAuthType", ptr),
            event_source_token=self.str_prop(props, "EventSourceToken", ptr),
            invoked_via_function_url=self.prop(props, "InvokedViaFunctionUrl", ptr),
        ))

    def _events(self, rid: str, props: Node | None, ptr: str) -> tuple[Trigger, ...]:
        url = self.sub(props, "FunctionUrlConfig")
        if url is not None:
            uptr = f"{ptr}/FunctionUrlConfig"
            src = props.key("FunctionUrlConfig").with_pointer(uptr) if props is not None else url.src
            self.urls.append(FunctionUrl(f"{rid}Url", src, Located(Unresolved(f"Ref {rid}"), src, ref=rid),
                                         self.str_prop(url, "AuthType", uptr), None, implicit=True))
        events = self.sub(props, "Events")
        if events is None:
            return ()
        out = []
        for name, enode in events.value.items():
            if not enode.is_map():
                continue
            eptr = f"{ptr}/Events/{_esc(name)}"
            etype = self.str_prop(enode, "Type", eptr)
            etype_value = etype.known() if etype else None
            if not etype_value:
                continue
            eprops = self.sub(enode, "Properties")
            resolved = self.prop(enode, "Properties", eptr)
            properties = resolved.value if resolved is not None and isinstance(resolved.value, dict) else {}
            src = events.key(name).with_pointer(eptr)
            trig_id = f"{rid}{name}"
            arn_key = {"SQS": "Queue", "Kinesis": "Stream", "DynamoDB": "Stream", "MSK": "Stream",
                       "MQ": "Broker", "DocumentDB": "Cluster"}.get(etype_value)
            arn = self.r.string(properties[arn_key], arn_key) if arn_key and arn_key in properties else None
            # SAM wires every event to the AutoPublishAlias alias when there is one
            alias = self.str_prop(props, "AutoPublishAlias", ptr)
            out.append(Trigger(trig_id, etype_value, src, rid, properties, arn, qualifier=alias))
            queue = properties.get("SqsSubscription") if etype_value == "SNS" else None
            if queue is not None and isinstance(queue.value, dict) and "QueueArn" in queue.value:
                # SAM subscribes the queue to the topic and maps the queue to the function
                out.append(Trigger(f"{trig_id}EventSourceMapping", "SQS", src, rid, queue.value,
                                   self.r.string(queue.value["QueueArn"], "QueueArn"), qualifier=alias))
            principal = PUSH_EVENT_PRINCIPALS.get(etype_value)
            if principal is not None:
                self.permissions.append(Permission(
                    id=f"{trig_id}Permission",
                    source=src,
                    function=Located(Unresolved(f"Ref {rid}"), src, ref=rid),
                    action=Located("lambda:InvokeFunction", src),
                    principal=Located(principal, src),
                    # SAM scopes the permission to the topic for SNS; other sources' ARNs are
                    # generated resources, unknown here
                    source_arn=(self.r.string(properties["Topic"], "Topic")
                                if etype_value == "SNS" and "Topic" in properties
                                else Located(Unresolved("event source ARN"), src)),
                    qualifier=alias,
                    implicit=True,
                ))
            del eprops
        return tuple(out)

    # -- suppressions ------------------------------------------------------------------

    def _metadata_suppressions(self, node: Node, rid: str | None, ptr: str) -> list[Suppression]:
        meta = node.get("Metadata")
        ll = meta.get("lambdalint") if meta is not None else None
        ignore = ll.get("ignore") if ll is not None else None
        if ignore is None:
            return []
        items = ignore.value if isinstance(ignore.value, list) else [ignore]
        out = []
        scope = "resource" if rid else "file"
        for item in items:
            if isinstance(item.value, str):
                out.append(Suppression(item.value, None, item.src.with_pointer(ptr), scope, rid))  # type: ignore[arg-type]
            elif item.is_map():
                rule = item.get("rule") or item.get("id")
                reason = item.get("reason")
                if rule is None or not isinstance(rule.value, str):
                    self.problems.append(Problem("lambdalint ignore entries need a 'rule'", item.src))
                    continue
                text = reason.value if reason is not None and isinstance(reason.value, str) else None
                out.append(Suppression(rule.value, text.strip() if text and text.strip() else None,
                                       rule.src.with_pointer(ptr), scope, rid))  # type: ignore[arg-type]
        return out


#: the resources that name a function, or stand for one of its qualifiers
_TARGET_TYPES = (SAM_FUNCTION, CFN_FUNCTION, "AWS::Lambda::Alias", "AWS::Lambda::Version")


def _unique(problems: list[Problem]) -> tuple[Problem, ...]:
    """Each problem once: a value read for several functions (from SAM ``Globals`` or through a
    YAML alias) is one mistake, at one place."""
    seen: set[tuple[str, str, int, int, int, int]] = set()
    out: list[Problem] = []
    for p in problems:
        s = p.source
        key = (p.message, s.path, s.line, s.column, s.end_line, s.end_column)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return tuple(out)


def parse_template(root: Node, path: str, real_path: str | None = None) -> Application:
    """The application in a template; ``path`` is used in locations, ``real_path`` (default:
    ``path``) to find local code beside the template."""
    return TemplateParser(root, path, real_path).parse()


_FOR_EACH = "Fn::ForEach::"
#: nodes that expanding the Fn::ForEach loops of one template may create: 10,000 copies of a
#: 50-node resource, far more than CloudFormation accepts in a template; nested loops over
#: long lists multiply (100 items 4 deep are 10^8 copies), so past this the template is LL000
MAX_EXPANDED_NODES = 500_000


class _Budget:
    def __init__(self, nodes: int) -> None:
        self.nodes = nodes

    def spend(self, node: Node) -> None:
        self.nodes -= 1
        if self.nodes < 0:
            src = node.src
            raise LoadError(f"Fn::ForEach expands to more than {MAX_EXPANDED_NODES:,} nodes (nested loops over "
                            "long lists): far beyond what CloudFormation accepts in one template", src.line,
                            src.column)


def expand_for_each(mapping: Node) -> Node:
    """``Fn::ForEach`` (the ``AWS::LanguageExtensions`` transform) expanded, when its
    collection is a literal list: one copy of the template per item, with ``${Id}``/``&{Id}``
    replaced in keys and strings and ``Ref: Id`` replaced by the item. A loop over a
    collection the template does not list stays as it is (and creates nothing here)."""
    if not any(k.startswith(_FOR_EACH) for k in mapping.value):
        return mapping
    budget = _Budget(MAX_EXPANDED_NODES)
    out: dict[str, Node] = {}
    keys: dict[str, SourceRef] = {}
    for key, node in mapping.value.items():
        expanded = _loop(node, budget) if key.startswith(_FOR_EACH) else None
        if expanded is None:
            out[key] = node
            keys[key] = mapping.key(key)
            continue
        for k, (v, ksrc) in expanded.items():
            out[k] = v
            keys[k] = ksrc
    return Node(out, mapping.src, keys)


def _loop(node: Node, budget: _Budget) -> dict[str, tuple[Node, SourceRef]] | None:
    parts = node.value if node.is_list() else None
    if not parts or len(parts) != 3 or not isinstance(parts[0].value, str) or not parts[1].is_list():
        return None
    ident, template = parts[0].value, parts[2]
    items = [i.value for i in parts[1].value]
    if not template.is_map() or not all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in items):
        return None
    result: dict[str, tuple[Node, SourceRef]] = {}
    for item in items:
        for okey, body in template.value.items():
            copy = _substitute(body, ident, str(item), budget)
            if okey.startswith(_FOR_EACH):  # a nested loop
                inner = _loop(copy, budget)
                if inner:
                    result.update(inner)
                continue
            name = okey.replace("${" + ident + "}", str(item)).replace("&{" + ident + "}", _alnum(str(item)))
            result[name] = (copy, template.key(okey))
    return result


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _substitute(node: Node, ident: str, item: str, budget: _Budget) -> Node:
    budget.spend(node)
    value = node.value
    if isinstance(value, dict):
        if list(value) == ["Ref"] and value["Ref"].value == ident:
            return Node(item, node.src)
        keys = node.key_src or {}
        out = {}
        new_keys: dict[str, SourceRef] = {}
        for k, v in value.items():
            nk = k.replace("${" + ident + "}", item).replace("&{" + ident + "}", _alnum(item))
            out[nk] = _substitute(v, ident, item, budget)
            new_keys[nk] = node.key(k) if k in keys else node.src
        return Node(out, node.src, new_keys)
    if isinstance(value, list):
        return Node([_substitute(v, ident, item, budget) for v in value], node.src)
    if isinstance(value, str) and ("${" + ident + "}" in value or "&{" + ident + "}" in value):
        return Node(value.replace("${" + ident + "}", item).replace("&{" + ident + "}", _alnum(item)), node.src)
    return node
