"""What the RC rules share: the event graph's loops, described hop by hop."""

from __future__ import annotations

from msgspec import Struct

from lambdalint.graph import DEFAULT_BUS, DETECTED, Edge, EventGraph, build
from lambdalint.rule import Context, Related
from lambdalint.wording import with_article

KIND_NAMES = {"function": "function", "bucket": "S3 bucket", "queue": "SQS queue", "topic": "SNS topic",
              "table": "DynamoDB table", "stream": "Kinesis stream", "bus": "EventBridge bus",
              "statemachine": "Step Functions state machine"}


class Loop(Struct, frozen=True):
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]

    def closing(self) -> Edge:
        """The write edge that closes the loop: the last one before it returns to its start."""
        writes = [e for e in self.edges if e.kind == "write"]
        return writes[-1] if writes else self.edges[-1]

    def wildcard_only(self) -> bool:
        return any(e.wildcard for e in self.edges)


def graph(ctx: Context) -> EventGraph:
    return build(ctx.app, ctx.data, ctx.memo)


def loops(ctx: Context) -> list[Loop]:
    """Every elementary cycle through at least one resource (a function calling itself is
    RC003's), computed once per application."""
    cached: list[Loop] | None = ctx.memo.get("graph.loops")
    if cached is not None:
        return cached
    g = graph(ctx)
    out = []
    if g.edges:
        for cycle in g.cycles():
            if len(cycle) < 2:
                continue
            pairs = list(zip(cycle, cycle[1:] + cycle[:1]))
            out.append(Loop(tuple(cycle), tuple(g.best(a, b) for a, b in pairs)))
    ctx.memo["graph.loops"] = out
    return out


def name(g: EventGraph, node_id: str) -> str:
    node = g.nodes[node_id]
    if node.id == DEFAULT_BUS:
        return "the default EventBridge bus"
    label = f"{KIND_NAMES[node.kind]} {node.id}"
    return label + (f" ({node.name})" if node.name and node.name != node.id else "")


def verb(g: EventGraph, edge: Edge) -> str:
    kind = g.nodes[edge.dst].kind
    if edge.kind == "write":
        return {"function": "invokes", "statemachine": "starts"}.get(kind, "writes to")
    return "runs" if g.nodes[edge.src].kind == "statemachine" else "triggers"


def hops(g: EventGraph, loop: Loop) -> str:
    parts = []
    for edge in loop.edges:
        verb_ = verb(g, edge)
        parts.append(f"{name(g, edge.src)} {verb_} {name(g, edge.dst)} ({edge.detail})")
    return "; ".join(parts)


def detection(g: EventGraph, loop: Loop) -> str:
    kinds = {g.nodes[n].kind for n in loop.nodes}
    kinds |= {e.through for e in loop.edges if e.through}  # S3 events EventBridge delivers
    if kinds <= DETECTED:
        return ("Lambda's recursive loop detection stops such a loop after about 16 invocations, "
                "unless RecursiveLoop is Allow")
    missed = sorted(KIND_NAMES[k] for k in kinds - DETECTED)
    through = " or ".join(with_article(kind) for kind in missed)
    return f"Lambda's recursive loop detection does not see loops through {through}: nothing stops it"


def related(g: EventGraph, loop: Loop) -> list[Related]:
    return [Related(g.nodes[n].source, name(g, n)) for n in loop.nodes]


def flow(g: EventGraph, loop: Loop) -> list[Related]:
    return [Related(e.source, f"{name(g, e.src)} {verb(g, e)} {name(g, e.dst)}") for e in loop.edges]


def evidence(ctx: Context, g: EventGraph, loop: Loop) -> str:
    """Environment variables of the loop's functions that name its resources."""
    found = []
    for node_id in loop.nodes:
        fn = ctx.app.functions.get(node_id)
        if fn is None or fn.environment is None:
            continue
        for var in fn.environment.variables:
            target = var.value.ref.split("[", 1)[0] if var.value.ref else None
            if target in loop.nodes and target != node_id:
                found.append(f"{node_id}'s environment variable {var.key.value} names {target}")
    return ("; " + "; ".join(found)) if found else ""
