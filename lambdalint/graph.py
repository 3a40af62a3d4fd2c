"""The event graph: functions, the resources that trigger them and the resources they write.

Nodes are functions, buckets, queues, topics, tables, Kinesis streams and event buses. An edge
``A -> B`` means "something in A makes B run or change":

- *trigger* edges lead from a resource to what it invokes: a bucket notification, an event
  source mapping (SQS, Kinesis, DynamoDB stream), an SNS subscription, an EventBridge rule's
  target, a queue subscribed to a topic;
- *write* edges lead from a function to what it can write, on the evidence of its execution
  role (``s3:PutObject`` on the bucket, ``sqs:SendMessage`` on the queue, ...), of its
  dead-letter target and of its destinations.

A resource the role names by a wildcard (``Resource: "*"``) gets a write edge marked as such,
except another function: ``lambda:InvokeFunction`` on every function is what orchestrators and
AWSLambdaRole grant, and says nothing about which function is called;
S3 writes are matched against notification filters, so a function that writes ``out/`` under a
bucket that notifies on ``in/`` makes no edge. Cycles are found with networkx, imported only
when a graph is searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from msgspec import Struct, field

from lambdalint.iam.effective import PSEUDO, Permissions, entries, execution_role, matches, permissions
from lambdalint.model import Application, BucketNotification, LambdaFunction, Statement
from lambdalint.values import Located, SourceRef, Unresolved

#: the IAM actions that write to a node of each kind, and the ARN service of the kind
WRITES: dict[str, tuple[str, tuple[str, ...]]] = {
    "bucket": ("s3", ("s3:PutObject",)),
    "queue": ("sqs", ("sqs:SendMessage",)),
    "topic": ("sns", ("sns:Publish",)),
    "table": ("dynamodb", ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
                           "dynamodb:DeleteItem")),
    "stream": ("kinesis", ("kinesis:PutRecord", "kinesis:PutRecords")),
    "bus": ("events", ("events:PutEvents",)),
    "function": ("lambda", ("lambda:InvokeFunction", "lambda:InvokeAsync")),
    "statemachine": ("states", ("states:StartExecution", "states:StartSyncExecution")),
}
#: loops through these kinds of resource are stopped by Lambda's recursive loop detection
DETECTED = frozenset({"function", "queue", "topic", "bucket"})
DEFAULT_BUS = "(default)"
#: the details of write edges that are configured invocations, not permissions
DESTINATION = "asynchronous invocation destination"
DEAD_LETTER = "dead-letter target"
CONFIGURED = (DESTINATION, DEAD_LETTER)


class GraphNode(Struct, frozen=True):
    id: str
    kind: str
    source: SourceRef
    #: the resource's name when known (bucket name, queue name, ...)
    name: str | None = None
    #: when the name is a parameter or variable the input does not fix, how an ARN built with
    #: Fn::Sub or a Terraform template spells it (``${BucketName}``, ``${var.bucket}``): an ARN
    #: with that spelling names this resource whatever the value (the same reference)
    name_token: str | None = None


class Edge(Struct, frozen=True):
    src: str
    dst: str
    #: "trigger" or "write"
    kind: str
    source: SourceRef
    #: what the edge rests on, for messages: "s3:PutObject on Resource *", "ObjectCreated notification"
    detail: str
    #: a write edge that rests only on a wildcard resource
    wildcard: bool = False
    #: what must also hold for the edge to fire that the input cannot tell (an EventBridge rule
    #: for a custom source fires only for events the writer puts with that source)
    requires: str = ""
    #: the kind of a resource the events cross without being a node ("bus": S3 events that
    #: EventBridge delivers), for what Lambda's loop detection sees
    through: str = ""


class EventGraph(Struct):
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: dict[tuple[str, str], list[Edge]] = field(default_factory=dict)
    #: alias and version id -> the function it invokes (a target naming an alias is its function)
    owners: dict[str, str] = field(default_factory=dict)

    def add(self, edge: Edge) -> None:
        if edge.src in self.nodes and edge.dst in self.nodes:
            self.edges.setdefault((edge.src, edge.dst), []).append(edge)

    def best(self, src: str, dst: str) -> Edge:
        """The strongest evidence for an edge: a named resource before a wildcard."""
        return sorted(self.edges[(src, dst)], key=lambda e: e.wildcard)[0]

    def has_cycle(self) -> bool:
        """Whether any cycle through two or more nodes exists (a depth-first search; most
        applications have none, and then networkx is never imported)."""
        succ: dict[str, list[str]] = {}
        for a, b in self.edges:
            if a != b:
                succ.setdefault(a, []).append(b)
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in succ:
            if state.get(start):
                continue
            stack = [(start, iter(succ.get(start, ())))]
            state[start] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(nxt) == 1:
                    return True
                elif not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, iter(succ.get(nxt, ()))))
        return False

    def cycles(self, limit: int = 200) -> list[list[str]]:
        """Elementary cycles through two or more nodes, each as its node ids in order,
        starting at a function."""
        if not self.has_cycle():
            return []
        import networkx as nx

        g = nx.DiGraph()
        g.add_edges_from(self.edges)
        out: list[list[str]] = []
        for cycle in nx.simple_cycles(g):
            if len(cycle) < 2:
                continue
            functions = [i for i, n in enumerate(cycle) if self.nodes[n].kind == "function"]
            if not functions:
                continue
            start = min(functions, key=lambda i: cycle[i])  # deterministic: the smallest function id
            out.append(cycle[start:] + cycle[:start])
            if len(out) >= limit:
                break
        return sorted(out)


def build(app: Application, data: Any, memo: dict[str, Any]) -> EventGraph:
    """The application's event graph (computed once per application)."""
    cached: EventGraph | None = memo.get("graph")
    if cached is not None:
        return cached
    graph = EventGraph()
    _nodes(app, graph)
    _triggers(app, graph)
    by_kind: dict[str, list[GraphNode]] = {}
    for node in graph.nodes.values():
        by_kind.setdefault(node.kind, []).append(node)
    for fn in app.functions.values():
        _writes(fn, app, graph, data, memo, by_kind)
    memo["graph"] = graph
    return graph


def _known(loc: Located[str] | None) -> str | None:
    value = loc.known() if loc is not None else None
    return value if isinstance(value, str) else None


def _token(loc: Located[str] | None) -> str | None:
    """``${P}`` for a name that is ``Ref P`` of a parameter, ``${var.x}`` for a Terraform
    variable; None for a known name or any other unknown value."""
    if loc is None or not isinstance(loc.value, Unresolved) or loc.ref is not None:
        return None
    expr = loc.value.expr
    if expr.startswith("Ref ") and "." not in expr and " " not in expr[4:]:
        return "${" + expr[4:] + "}"
    if re.fullmatch(r"var\.[A-Za-z_][A-Za-z0-9_-]*", expr):
        return "${" + expr + "}"
    return None


def _nodes(app: Application, graph: EventGraph) -> None:
    for fid, fn in app.functions.items():
        graph.nodes[fid] = GraphNode(fid, "function", fn.source, _known(fn.name))
    for qid, owner in [*((a.id, a.function.ref) for a in app.aliases.values()),
                       *((v.id, v.function.ref) for v in app.versions.values())]:
        if owner is not None:
            graph.owners[qid] = owner
    kinds: list[tuple[str, Any]] = [("bucket", app.buckets), ("queue", app.queues), ("topic", app.topics),
                                    ("table", app.tables), ("stream", app.streams), ("bus", app.event_buses),
                                    ("statemachine", app.state_machines)]
    for kind, items in kinds:
        for rid, res in items.items():
            graph.nodes[rid] = GraphNode(rid, kind, res.source, _known(res.name), _token(res.name))
    if app.event_rules:
        first = next(iter(app.event_rules.values()))
        graph.nodes.setdefault(DEFAULT_BUS, GraphNode(DEFAULT_BUS, "bus", first.source, "default"))


def _target(loc: Located[str] | None, graph: EventGraph) -> str | None:
    """The node an ARN value names: by reference, or by a literal ARN's resource name."""
    if loc is None:
        return None
    if loc.ref is not None:
        ref = graph.owners.get(loc.ref, loc.ref)
        if ref in graph.nodes:
            return ref
        base = ref.split("[", 1)[0]
        return base if base in graph.nodes else None
    text = _known(loc)
    return _by_arn(text, graph) if text else None


def _by_arn(arn: str, graph: EventGraph) -> str | None:
    for node in graph.nodes.values():
        if node.name is not None and _arn_names(arn, node.kind, node.name):
            return node.id
    return None


def _arn_names(arn: str, kind: str, name: str) -> bool:
    """The literal ARN (which may hold wildcards) names the resource ``name`` of ``kind``."""
    service = WRITES[kind][0]
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or not (parts[2] == service or parts[2] == "*"):
        return False
    resource = parts[5]
    if kind == "bucket":
        resource = resource.split("/", 1)[0]
    elif kind in ("table", "stream", "bus"):
        prefix = {"table": "table/", "stream": "stream/", "bus": "event-bus/"}[kind]
        if not resource.startswith(prefix) and resource not in ("*",):
            return False
        resource = resource[len(prefix):].split("/", 1)[0] if resource.startswith(prefix) else resource
    elif kind == "function":
        resource = resource.removeprefix("function:").split(":", 1)[0]
    elif kind == "statemachine":
        if not resource.startswith("stateMachine:") and resource != "*":
            return False
        resource = resource.removeprefix("stateMachine:")
    return matches(resource, name)


def _triggers(app: Application, graph: EventGraph) -> None:
    for fid, fn in app.functions.items():
        for trig in fn.triggers:
            if trig.type in ("SQS", "Kinesis", "DynamoDB", "MSK"):
                src = _target(trig.source_arn, graph)
                if src is not None:
                    graph.add(Edge(src, fid, "trigger", trig.source, f"{trig.type} event source"))
    for bid, bucket in app.buckets.items():
        for note in bucket.notifications:
            if not _creates(note):
                continue
            if note.target_type == "eventbridge":
                _s3_to_rules(bid, bucket, note, app, graph)
                continue
            dst = _target(note.target, graph)
            if dst is not None:
                graph.add(Edge(bid, dst, "trigger", note.source, f"{_describe(note)} notification"))
    for sm in app.state_machines.values():
        for invoked in sm.invokes:
            dst = _target(invoked, graph)
            if dst is not None:
                graph.add(Edge(sm.id, dst, "trigger", invoked.source, "task"))
    for sub in app.subscriptions:
        topic = _target(sub.topic, graph)
        endpoint = _target(sub.endpoint, graph)
        if topic is not None and endpoint is not None and _known(sub.protocol) in ("lambda", "sqs"):
            graph.add(Edge(topic, endpoint, "trigger", sub.source, f"{_known(sub.protocol)} subscription"))
    for rule in app.event_rules.values():
        if rule.schedule is not None and rule.pattern is None:
            continue  # a schedule is a source, never part of a loop
        bus = _target(rule.bus, graph) if rule.bus is not None and _known(rule.bus) != "default" else DEFAULT_BUS
        if rule.bus is not None and bus is None:
            continue
        sources = _pattern_sources(rule.pattern)
        if sources and all(s.startswith("aws.") for s in sources):
            continue  # only AWS services emit aws.* events: nothing a function puts can match
        shown = f" matching source {', '.join(sources)}" if sources else ""
        for target in rule.targets:
            dst = _target(target.arn, graph)
            if dst is not None and bus is not None:
                needs = f"the function to put events with source {' or '.join(sources)}" if sources else ""
                graph.add(Edge(bus, dst, "trigger", target.source, f"{rule.label}{shown}", requires=needs))


def _s3_to_rules(bid: str, bucket: Any, note: BucketNotification, app: Application, graph: EventGraph) -> None:
    """A bucket that sends its events to EventBridge (``EventBridgeConfiguration``) triggers the
    targets of the default bus's rules whose pattern matches its object-created events: an
    edge straight from the bucket to each target, so that a rule for other events never joins a
    loop through the bus."""
    name = _known(bucket.name)
    for rule in app.event_rules.values():
        if rule.pattern is None or (rule.bus is not None and _known(rule.bus) != "default") or not _s3_match(
                rule.pattern, name):
            continue
        for target in rule.targets:
            dst = _target(target.arn, graph)
            if dst is not None:
                graph.add(Edge(bid, dst, "trigger", target.source,
                               f"object-created events through EventBridge, {rule.label}", through="bus"))


def _s3_match(pattern: Located[Any], bucket: str | None) -> bool:
    """The pattern certainly matches S3 "Object Created" events of the bucket: its ``source``,
    ``detail-type`` and ``detail.bucket.name`` are absent or list the S3 values, and nothing
    else of ``detail`` narrows it (a key filter, a matcher not read): never a guess."""
    if not isinstance(pattern.value, dict):
        return False

    def listed(node: Located[Any] | None) -> list[Any] | None:
        if node is None:
            return None
        values = [v.known() for v in node.value] if isinstance(node.value, tuple) else [node.known()]
        return values if all(isinstance(v, str) for v in values) else [None]

    sources, kinds = listed(pattern.value.get("source")), listed(pattern.value.get("detail-type"))
    if (sources is not None and "aws.s3" not in sources) or (kinds is not None and "Object Created" not in kinds):
        return False
    if set(pattern.value) - {"source", "detail-type", "detail", "account", "region"}:
        return False
    detail = pattern.value.get("detail")
    if detail is None:
        return True
    if not isinstance(detail.value, dict) or set(detail.value) - {"bucket"}:
        return False
    holder = detail.value["bucket"]
    if not isinstance(holder.value, dict) or set(holder.value) - {"name"}:
        return False
    names = listed(holder.value.get("name"))
    return names is None or (bucket is not None and bucket in names)


def _pattern_sources(pattern: Located[Any] | None) -> list[str]:
    """The ``source`` values an event pattern requires, when they are all known."""
    if pattern is None or not isinstance(pattern.value, dict):
        return []
    source = pattern.value.get("source")
    if source is None or not isinstance(source.value, tuple):
        return []
    values = [s.known() for s in source.value]
    return [str(v) for v in values] if all(isinstance(v, str) for v in values) else []


def _creates(note: BucketNotification) -> bool:
    """The notification fires on object creation (or on events we cannot read)."""
    if not note.events:
        return True
    for ev in note.events:
        text = _known(ev)
        if text is None or text.startswith(("s3:ObjectCreated", "s3:*")) or text == "*":
            return True
    return False


def _describe(note: BucketNotification) -> str:
    parts = []
    if note.prefix is not None:
        parts.append(f"prefix {_known(note.prefix) or '?'}")
    if note.suffix is not None:
        parts.append(f"suffix {_known(note.suffix) or '?'}")
    return "object-created" + (f" ({', '.join(parts)})" if parts else "")


# -- write edges ---------------------------------------------------------------------------

def _writes(fn: LambdaFunction, app: Application, graph: EventGraph, data: Any, memo: dict[str, Any],
            by_kind: dict[str, list[GraphNode]]) -> None:
    if fn.dead_letter_target is not None:
        dst = _target(fn.dead_letter_target, graph)
        if dst is not None:
            graph.add(Edge(fn.id, dst, "write", fn.dead_letter_target.source, DEAD_LETTER))
    for dest in fn.destinations:
        dst = _target(dest, graph)
        if dst is not None:
            graph.add(Edge(fn.id, dst, "write", dest.source, DESTINATION))
    role = execution_role(fn, app)
    if role is None:
        return
    perms = permissions(role, app, data, memo)
    # linear in the graph: only the kinds the role may write to are looked at, and for
    # functions only the function itself unless a statement names functions in particular
    for kind, nodes in by_kind.items():
        writing = _writing(perms, kind)
        if not writing:
            continue
        if kind == "function" and all(_only_wildcards(stmt, kind) for stmt, _ in writing):
            nodes = [graph.nodes[fn.id]] if fn.id in graph.nodes else []
        for node in nodes:
            edge = _granted(fn, node, writing, app)
            # `lambda:InvokeFunction` on every function (AWSLambdaRole, orchestrators) says nothing
            # about which function a function calls: such an edge only counts for itself (RC003)
            if edge is not None and not (edge.wildcard and node.kind == "function" and node.id != fn.id):
                graph.add(edge)


def _only_wildcards(stmt: Statement, kind: str) -> bool:
    """Every resource of the statement is ``*`` or names the kind by a wildcard (edges to
    other functions from such statements are never kept)."""
    for res in entries(stmt.resource):
        text = res.known()
        if not isinstance(text, str) or not (text == "*" or _names_any(text, kind)):
            return False
    return True


def _writing(perms: Permissions, kind: str) -> list[tuple[Statement, str]]:
    """The role's unconditional statements that allow a write action on nodes of ``kind``,
    each with the first such action."""
    _, actions = WRITES[kind]
    out: list[tuple[Statement, str]] = []
    for grant in perms.grants:
        stmt = grant.statement
        if not stmt.is_allow() or stmt.condition is not None or stmt.not_action is not None:
            continue
        action = next((a for a in actions for e in entries(stmt.action)
                       if isinstance(e.known(), str) and matches(str(e.value), a)), None)
        if action is not None:
            out.append((stmt, action))
    return out


def _granted(fn: LambdaFunction, node: GraphNode, writing: list[tuple[Statement, str]],
             app: Application) -> Edge | None:
    """The write edge the role gives ``fn`` to ``node``: the first statement that allows one of
    the node kind's write actions on it (a named resource before a wildcard)."""
    service, _ = WRITES[node.kind]
    best: Edge | None = None
    for stmt, action in writing:
        for res in entries(stmt.resource):
            hit = _resource_hit(res, node, service, app)
            if hit is None:
                continue
            wildcard = hit == "*" or _names_any(hit, node.kind)
            edge = Edge(fn.id, node.id, "write", res.source, f"{action} on {_shown(hit, node)}", wildcard)
            if not wildcard:
                return edge
            best = best or edge
    return best


#: how a resource of each kind is named in a grant that is no literal ARN
_GRANTED_ON = {"function": "function", "bucket": "bucket", "queue": "queue", "topic": "topic", "table": "table",
               "stream": "stream", "bus": "event bus", "statemachine": "state machine"}


def _shown(hit: str, node: GraphNode) -> str:
    """The Resource a grant names, as a message shows it: a literal ARN or ``*`` as written;
    one built from template expressions (``${Fn.Arn}``, ``arn:${AWS::Partition}:...``,
    ``${aws_s3_bucket.b.arn}/*``) by what it names, never by placeholders."""
    if "${" not in hit:
        return hit
    if node.id == DEFAULT_BUS:
        return "the default event bus"
    what = f"{_GRANTED_ON[node.kind]} {node.id}"
    if node.kind == "bucket" and "/" in hit.split(":::", 1)[-1].split("}", 1)[-1]:
        return f"the objects in {what}"
    return what


def _names_any(arn: str, kind: str) -> bool:
    """The ARN pattern names resources of its kind by a wildcard (``function:*``,
    ``arn:aws:s3:::*``), not this one in particular."""
    # pseudo parameters stand for any account and Region; a reference (${Queue.Arn}) or a
    # parameter (${BucketName}) names one resource, never all of them
    parts = PSEUDO.sub("*", arn).split(":", 5)
    if len(parts) < 6:
        return False
    resource = parts[5]
    if kind == "bucket":
        resource = resource.split("/", 1)[0]
    elif kind == "function":
        resource = resource.removeprefix("function:").split(":", 1)[0]
    elif kind == "statemachine":
        resource = resource.removeprefix("stateMachine:")
    elif "/" in resource:
        resource = resource.split("/", 1)[1]
    return resource.strip("*?") == ""  # "function:*", not "function:crawler*"


def _resource_hit(res: Located[str], node: GraphNode, service: str, app: Application) -> str | None:
    """How the statement's Resource entry reaches the node (its text), or None."""
    text = res.known()
    if isinstance(text, str):
        if text == "*":
            return "*"
        if node.name is not None and _arn_names(text, node.kind, node.name):
            return text if _s3_scope_ok(text, node, app) else None
        return None
    if isinstance(res.value, Unresolved) and res.ref is not None:
        owner = app.unaliased(res.ref) or res.ref  # an alias invokes its function
        if owner.split("[", 1)[0] == node.id:
            expr = res.value.expr
            return expr if _s3_scope_ok(expr, node, app) else None
        return None
    name = node.name or node.name_token
    if isinstance(res.value, Unresolved) and res.value.expr.startswith("arn:") and name is not None:
        # an ARN built with pseudo parameters ("arn:${AWS::Partition}:lambda:...:function:x"),
        # which stand for this account and Region and match anything there, and with the very
        # parameter the resource's name is ("arn:aws:s3:::${BucketName}/*")
        expr = res.value.expr
        token = "" if node.name_token is None else "|" + re.escape(node.name_token)
        if re.fullmatch(r"(?:[^$]|" + PSEUDO.pattern + token + ")*", expr):
            pattern = PSEUDO.sub("*", expr)
            if _arn_names(pattern, node.kind, name) and _s3_scope_ok(expr, node, app):
                return expr
    return None


_OBJECT_PART = re.compile(r"^(?:arn:(?:\$\{[^}]*\}|[^:]*):s3:::)?(?:\$\{[^}]*\}|[^/]*)/(?P<key>.*)$")


def _s3_scope_ok(arn: str, node: GraphNode, app: Application) -> bool:
    """For a bucket: the written keys may fall under one of its notifications' filters."""
    if node.kind != "bucket":
        return True
    bucket = app.buckets.get(node.id)
    m = _OBJECT_PART.match(arn)
    if bucket is None or m is None:  # the bucket itself (s3:PutObject needs a key): keys unknown
        return m is not None or bucket is None
    key = m.group("key")
    notes = [n for n in bucket.notifications if _creates(n)]
    if not notes or bucket.notifications_unresolved:
        return True
    return any(_may_overlap(key, _known(n.prefix), _known(n.suffix), n) for n in notes)


def _may_overlap(key: str, prefix: str | None, suffix: str | None, note: BucketNotification) -> bool:
    if (note.prefix is not None and prefix is None) or (note.suffix is not None and suffix is None):
        return True  # a filter we cannot read
    head = re.split(r"[*?]|\$\{", key, maxsplit=1)[0]
    if prefix and not (head.startswith(prefix) or prefix.startswith(head)):
        return False
    if suffix:
        wild = bool(re.search(r"[*?]|\$\{", key))
        tail = re.split(r"[*?]|\}", key)[-1] if wild else key
        if not (tail.endswith(suffix) or (wild and suffix.endswith(tail))):
            return False
    return True


def loops(graph: EventGraph) -> Iterator[list[str]]:
    yield from graph.cycles()
