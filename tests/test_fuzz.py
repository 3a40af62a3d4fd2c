"""Property-based tests over the loaders, the template parser and the engine."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.loading import load_file
from lambdalint.parsers import yaml_loader
from lambdalint.parsers.cloudformation import parse_template
from lambdalint.parsers.nodes import LoadError
from lambdalint.parsers.yaml_loader import MAX_DEPTH, load_text
from lambdalint.testing import DEFAULT_TODAY

# large generated templates make hypothesis warn about the size of their repr
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- (a) arbitrary text ----------------------------------------------------------------------

YAML_BITS = st.sampled_from([
    "Resources:", "\n", "  ", "- ", ": ", "{", "}", "[", "]", ",", "&a ", "*a", "!Ref ", "!GetAtt ",
    "!If ", "!Sub ", "<<: ", "---", "...", "'", '"', "#", "|", ">", "\t", "%YAML 1.1", "!!binary ",
    "? ", "!!python/object:os.system ", "\\", "\x00", "\ufeff", "@", "`", "x", "1", "1e3", "~",
])


@FAST
@given(st.one_of(st.text(max_size=200), st.lists(YAML_BITS, max_size=60).map("".join)), st.booleans())
def test_load_text_raises_only_load_error(text: str, json_like: bool) -> None:
    try:
        load_text(text, "f.yaml", json_like=json_like)
    except LoadError:
        pass


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


TEMPLATE_BYTES = st.sampled_from([b"Resources:\n", b'{"Resources": ', b"\x00", b"\xff", b"\xfe\xff", b"\xff\xfe",
                                  b"\xef\xbb\xbf", b"\xe9", b"\n  Fn: ", b"[", b"{", b"- ", b"\r", b"\xc3\xa9"])


@FAST
@given(st.one_of(st.binary(max_size=300), st.lists(st.one_of(TEMPLATE_BYTES, st.binary(max_size=4)), max_size=40)
                 .map(b"".join)), st.sampled_from(["f.yaml", "f.json", "f.txt"]))
def test_load_file_never_raises(scratch: Path, data: bytes, name: str) -> None:
    path = scratch / name
    path.write_bytes(data)
    app, _ = load_file(str(path), name)
    if app is not None:
        assert all(p.source.path == name and p.source.line >= 1 for p in app.problems)


# -- nesting: what the cheap bounds let through, libyaml's composer must survive ---------------

SAFE_DEPTH = yaml_loader._SAFE_OPENERS + 2 * (MAX_DEPTH // 4) + 2


@st.composite
def nested_text(draw: st.DrawFn) -> str:
    """YAML nesting ``depth`` levels: block mappings and sequences (indented by one or two
    columns, indentless, or compact on one line), then flow collections, some holding strings
    of closing brackets, around a scalar."""
    depth = draw(st.one_of(st.integers(1, 2 * MAX_DEPTH), st.integers(1, 2 * MAX_DEPTH),
                           st.integers(SAFE_DEPTH - 100, SAFE_DEPTH + 500)))
    block = draw(st.integers(0, depth))
    rnd = random.Random(draw(st.integers(0, 2**32)))  # st.randoms() would run out of data for big texts
    kinds = draw(st.sampled_from([("map", "seq", "compact", "indentless"), ("map", "indentless"),
                                  ("compact",), ("map",), ("seq", "map")]))
    out: list[str] = []
    col, fresh_line, after_key = 0, True, 0
    for _ in range(block):
        kind = rnd.choice(kinds)
        if kind == "indentless" and not after_key:
            kind = "compact"
        if kind == "indentless":
            col -= after_key  # back to the key's column
        if fresh_line:
            out.append("\n" + " " * col)
        if kind == "map":
            out.append("k:")
            step = rnd.randint(1, 2)
            col, fresh_line, after_key = col + step, True, step
        elif kind == "seq":
            out.append("-")
            col, fresh_line, after_key = col + 2, True, 0
        else:  # compact or indentless: the item follows on the same line
            out.append("- ")
            col, fresh_line, after_key = col + 2, False, 0
    if fresh_line:
        out.append("\n" + " " * col)
    closers = []
    fake = draw(st.floats(0, 1))
    for _ in range(depth - block):
        if rnd.random() < 0.5:
            out.append("[")
            closers.append("]")
        else:
            out.append('{a: "]}", b: ' if rnd.random() < fake else "{b: ")
            closers.append("}")
    out.append("x" + "".join(reversed(closers)) + "\n")
    return "".join(out)


def _exact_depth(text: str) -> int | None:
    depth = worst = 0
    try:
        for event in yaml.parse(text, Loader=yaml_loader._LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                worst = max(worst, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return worst


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nested_text())
def test_depth_check_is_sound(text: str) -> None:
    exact = _exact_depth(text)
    assume(exact is not None)
    assert exact is not None
    try:
        yaml_loader._check_depth(text)
    except LoadError:
        assert exact > MAX_DEPTH
    else:
        assert exact <= SAFE_DEPTH  # composing it cannot overflow the stack
        load_text_or_error(text)


def load_text_or_error(text: str) -> None:
    try:
        load_text(text, "f.yaml")
    except LoadError:
        pass


# -- (b) round trips -------------------------------------------------------------------------

# letters that never make a YAML 1.1 boolean, null, number or timestamp
SAFE_TEXT = st.text(alphabet="abcdfgijkmpqrsuvwxzABCDGHIJKMPQRSUVWXZ_ -./:", max_size=12)
KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=1, max_size=10)
# characters JSON and YAML treat differently: beyond the BMP (surrogate pairs when escaped),
# DEL and C1 controls, and Unicode line breaks
TRICKY = st.sampled_from(["\U0001f600", "\U00010000", "\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\\", '"',
                          "\ufeff", "\ufffe", "/", "\\u", "\\ud83d"])
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False, allow_infinity=False), st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    st.lists(st.one_of(TRICKY, st.characters(exclude_categories=("Cs",))), max_size=6).map("".join),
)


def documents(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
        max_leaves=25,
    )


@FAST
@given(documents(JSON_SCALARS), st.sampled_from([None, 2]), st.booleans())
def test_json_round_trip(doc: Any, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(doc, indent=indent, ensure_ascii=ascii_only)
    root = load_text(text, "f.json", json_like=True)
    assert root is not None
    assert root.plain() == doc


@FAST
@given(documents(st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63), SAFE_TEXT)),
       st.booleans())
def test_yaml_round_trip(doc: Any, flow: bool) -> None:
    text = yaml.safe_dump(doc, default_flow_style=flow)
    root = load_text(text, "f.yaml")
    assert root is not None
    assert root.plain() == doc


@FAST
@given(documents(JSON_SCALARS))
def test_yaml_dump_of_anything_loads(doc: Any) -> None:
    try:
        load_text(yaml.safe_dump(doc), "f.yaml")
    except LoadError:
        pass


# -- (c), (d) random templates ---------------------------------------------------------------

NAMES = st.sampled_from(["P1", "P2", "PList", "Fn", "Fn2", "Layer", "AWS::NoValue", "AWS::Region", "Missing", ""])
SCALARS = st.one_of(
    st.integers(-(2**33), 2**33), st.sampled_from([0, 1, 3, 128, 900, 901, 10240, 10241]),
    st.text(max_size=12), st.sampled_from(["python3.13", "nodejs4.3", "arm64", "x86_64", "Image", "Zip",
                                           "PublishedVersions", "s3://b/k", "src/", "${P1}", "1024"]),
    st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False),
)


def intrinsics(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    anything = st.one_of(children, NAMES)
    return st.one_of(
        st.builds(lambda n: {"Ref": n}, st.one_of(NAMES, children)),
        st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, st.sampled_from(["IsProd", "Nope"]), children, children),
        st.builds(lambda a: {"Fn::If": a}, anything),
        st.builds(lambda m, k1, k2: {"Fn::FindInMap": [m, k1, k2]},
                  st.one_of(st.sampled_from(["M", "Missing"]), st.builds(lambda n: {"Ref": n}, NAMES)),
                  st.one_of(st.sampled_from(["k1", "k2", "zz"]), st.builds(lambda n: {"Ref": n}, NAMES), children),
                  st.one_of(st.sampled_from(["a", "b", "zz"]), children)),
        st.builds(lambda a: {"Fn::FindInMap": a}, anything),
        st.builds(lambda s: {"Fn::Sub": s},
                  st.sampled_from(["x-${P1}", "${Fn.Arn}", "${AWS::Region}", "${!P1}", "${"])),
        st.builds(lambda s, v: {"Fn::Sub": [s, v]}, st.sampled_from(["${A}-${P1}", "${A}"]),
                  st.dictionaries(st.sampled_from(["A", "B"]), children, max_size=2)),
        st.builds(lambda a: {"Fn::Sub": a}, children),
        st.builds(lambda n, a: {"Fn::GetAtt": [n, a]}, NAMES, st.sampled_from(["Arn", "X.Y"])),
        st.builds(lambda s: {"Fn::GetAtt": s}, st.one_of(st.sampled_from(["Fn.Arn", "Fn", "."]), children)),
        st.builds(lambda d, items: {"Fn::Join": [d, items]},
                  st.sampled_from([",", ""]), st.lists(children, max_size=3)),
        st.builds(lambda a: {"Fn::Join": a}, children),
        st.builds(lambda a: {"Fn::Select": [0, a]}, children),
        st.builds(lambda a: {"Fn::ImportValue": a}, children),
        st.builds(lambda a: {"Condition": a}, children),
    )


VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["Variables", "Size", "ApplyOn", "Type", "Properties", "A", "Fn::Nope"]),
                        children, max_size=3),
        intrinsics(children),
    ),
    max_leaves=12,
)
PROPERTY_NAMES = [
    "FunctionName", "Runtime", "Handler", "PackageType", "MemorySize", "Timeout", "Architectures", "Layers",
    "ReservedConcurrentExecutions", "FileSystemConfigs", "CapacityProviderConfig", "Role", "Policies",
    "AutoPublishAlias", "RecursiveLoop", "VpcConfig", "CodeUri", "InlineCode", "ImageUri", "Code",
    "Environment", "EphemeralStorage", "SnapStart", "ProvisionedConcurrencyConfig", "Events",
    "LayerName", "ContentUri", "Content", "CompatibleRuntimes", "CompatibleArchitectures",
    "Action", "Principal", "SourceArn", "SourceAccount", "FunctionUrlAuthType",
]
STRUCTURED = {
    "Environment": st.one_of(VALUES, st.fixed_dictionaries({"Variables": st.one_of(
        VALUES, st.dictionaries(st.text(max_size=8), VALUES, max_size=4))})),
    "EphemeralStorage": st.one_of(VALUES, st.fixed_dictionaries({"Size": VALUES})),
    "SnapStart": st.one_of(VALUES, st.fixed_dictionaries({"ApplyOn": VALUES})),
    "ProvisionedConcurrencyConfig": st.one_of(
        VALUES, st.fixed_dictionaries({"ProvisionedConcurrentExecutions": VALUES})),
    "Events": st.one_of(VALUES, st.dictionaries(st.sampled_from(["E1", "E2"]), st.one_of(VALUES, st.fixed_dictionaries({
        "Type": st.one_of(st.sampled_from(["S3", "SQS", "Api", "SNS", "Schedule", ""]), VALUES),
        "Properties": VALUES,
    })), max_size=2)),
    "Code": st.one_of(VALUES, st.dictionaries(st.sampled_from(["ZipFile", "S3Bucket", "S3Key", "ImageUri"]), VALUES,
                                              max_size=2)),
}


@st.composite
def properties(draw: st.DrawFn) -> Any:
    names = draw(st.lists(st.sampled_from(PROPERTY_NAMES), max_size=8, unique=True))
    props = {n: draw(STRUCTURED.get(n, VALUES)) for n in names}
    return draw(st.one_of(st.just(props), st.just(props), VALUES))


RESOURCE_TYPES = st.sampled_from([
    "AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::Serverless::Function",
    "AWS::Lambda::LayerVersion", "AWS::Serverless::LayerVersion", "AWS::Lambda::Alias", "AWS::Lambda::Version",
    "AWS::Lambda::Permission", "Custom::Thing",
])
METADATA = st.one_of(
    VALUES,
    st.fixed_dictionaries({"lambdalint": st.one_of(VALUES, st.fixed_dictionaries({"ignore": st.one_of(
        VALUES, st.lists(st.one_of(NAMES, st.fixed_dictionaries({"rule": VALUES, "reason": VALUES})), max_size=2),
    )}))}),
)


@st.composite
def resources(draw: st.DrawFn) -> Any:
    res: dict[str, Any] = {"Type": draw(st.one_of(RESOURCE_TYPES, RESOURCE_TYPES, VALUES))}
    if draw(st.booleans()):
        res["Properties"] = draw(properties())
    if draw(st.integers(0, 4)) == 0:
        res["Metadata"] = draw(METADATA)
    if draw(st.integers(0, 4)) == 0:
        res["Condition"] = draw(st.sampled_from(["IsProd", "Nope"]))
    return res


@st.composite
def templates(draw: st.DrawFn) -> Any:
    tpl: dict[str, Any] = {}
    if draw(st.booleans()):
        tpl["Transform"] = draw(st.one_of(st.just("AWS::Serverless-2016-10-31"), VALUES,
                                          st.just(["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"])))
    if draw(st.booleans()):
        tpl["Parameters"] = draw(st.one_of(VALUES, st.fixed_dictionaries({
            "P1": st.one_of(VALUES, st.fixed_dictionaries({
                "Type": st.sampled_from(["String", "Number", "List<Number>", "CommaDelimitedList"]),
            }, optional={"Default": VALUES, "AllowedValues": VALUES})),
            "PList": st.fixed_dictionaries({"Type": st.just("CommaDelimitedList")}, optional={"Default": VALUES}),
        })))
    if draw(st.booleans()):
        tpl["Mappings"] = draw(st.one_of(VALUES, st.fixed_dictionaries({"M": st.dictionaries(
            st.sampled_from(["k1", "k2"]), st.one_of(VALUES, st.dictionaries(st.sampled_from(["a", "b"]), VALUES,
                                                                             max_size=2)), max_size=2)})))
    if draw(st.booleans()):
        tpl["Conditions"] = {"IsProd": {"Fn::Equals": [{"Ref": "P1"}, "prod"]}}
    if draw(st.booleans()):
        tpl["Globals"] = draw(st.one_of(VALUES, st.fixed_dictionaries({"Function": properties()})))
    if draw(st.integers(0, 4)) == 0:
        tpl["Metadata"] = draw(METADATA)
    tpl["Resources"] = draw(st.one_of(
        st.dictionaries(st.sampled_from(["Fn", "Fn2", "Layer", "Alias", "Perm", "Fn::ForEach::X", "R"]), resources(),
                        min_size=1, max_size=4),
        st.dictionaries(st.sampled_from(["Fn", "R"]), VALUES, max_size=2),
        VALUES,
    ))
    return tpl


class _Tagged:
    """An intrinsic function written with its YAML short tag (``!Ref x``, ``!If [...]``)."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value


def _short_tags(data: Any) -> Any:
    if isinstance(data, list):
        return [_short_tags(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {k: _short_tags(v) for k, v in data.items()}
    if len(out) == 1:
        (key, arg), = out.items()
        # a node has one tag: an intrinsic whose argument is one stays in its long form
        if (key in ("Ref", "Condition") or key.startswith("Fn::")) and not isinstance(arg, _Tagged):
            return _Tagged("!" + key.removeprefix("Fn::"), arg)
    return out


class _TagDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    text = dumper.represent_data(data.value)  # the scalar as YAML writes it, with a tag
    return yaml.ScalarNode(data.tag, text.value, style=getattr(text, "style", None))


_TagDumper.add_representer(_Tagged, _represent_tagged)

DIALECTS = st.sampled_from(["json", "yaml", "yaml-short-tags"])


def _load(tpl: Any, dialect: str) -> Any:
    if dialect == "json":
        text, path = json.dumps(tpl, indent=1), "template.json"
    elif dialect == "yaml":
        text, path = yaml.safe_dump(tpl, sort_keys=False), "template.yaml"
    else:
        text, path = yaml.dump(_short_tags(tpl), Dumper=_TagDumper, sort_keys=False), "template.yaml"
    root = load_text(text, path, json_like=dialect == "json")
    assert root is not None
    return root, path


@SLOW
@given(templates(), DIALECTS)
def test_parse_template_never_raises(tpl: Any, dialect: str) -> None:
    root, path = _load(tpl, dialect)
    app = parse_template(root, path)
    for problem in app.problems:
        assert problem.source.path == path and problem.source.line >= 1


ENGINE = Engine(Config(), today=DEFAULT_TODAY)


@SLOW
@given(templates(), DIALECTS)
def test_engine_never_fails_on_a_template(tpl: Any, dialect: str) -> None:
    root, path = _load(tpl, dialect)
    app = parse_template(root, path)
    ENGINE.errors.clear()
    findings = ENGINE.check_app(app)
    assert ENGINE.errors == []
    for f in findings:
        assert f.source.line >= 1 and f.message
