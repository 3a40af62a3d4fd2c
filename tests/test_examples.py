"""The bundled example templates (the README's first command) report exactly these findings."""

from __future__ import annotations

import os

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.testing import DEFAULT_TODAY

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTED = {
    ("cfn-functions.yaml", 7, "QT011"), ("cfn-functions.yaml", 9, "RT005"), ("cfn-functions.yaml", 13, "RT006"),
    ("cfn-functions.yaml", 19, "QT001"), ("cfn-functions.yaml", 20, "QT009"), ("cfn-functions.yaml", 21, "RT007"),
    ("cfn-json-function.json", 8, "RT002"),
    ("cfn-json-function.json", 12, "QT002"), ("cfn-json-function.json", 13, "QT001"),
    ("sam-app.yaml", 13, "QT001"), ("sam-app.yaml", 36, "QT006"), ("sam-app.yaml", 37, "QT007"),
    ("sam-app.yaml", 47, "RT002"), ("sam-app.yaml", 47, "RT004"),
    ("sam-app.yaml", 50, "QT002"), ("sam-app.yaml", 52, "QT003"), ("sam-app.yaml", 52, "RT004"),
    ("sam-app.yaml", 54, "AL009"),
    ("sam-app.yaml", 60, "RT002"), ("sam-app.yaml", 68, "QT004"),
    ("iam-app.yaml", 16, "IM006"), ("iam-app.yaml", 19, "IM001"), ("iam-app.yaml", 20, "IM002"),
    ("iam-app.yaml", 23, "IM012"), ("iam-app.yaml", 25, "IM011"), ("iam-app.yaml", 49, "IM008"),
    ("iam-app.yaml", 56, "IM009"),
    ("events-app.yaml", 8, "EV001"), ("events-app.yaml", 15, "EV007"), ("events-app.yaml", 17, "AL006"),
    ("events-app.yaml", 21, "AL006"),
    ("terraform/main.tf", 9, "IM013"), ("terraform/main.tf", 21, "IM004"), ("terraform/main.tf", 21, "IM005"),
    ("terraform/main.tf", 22, "IM002"), ("terraform/main.tf", 46, "IM010"),
}


def test_examples() -> None:
    folder = os.path.join(ROOT, "fixtures", "examples")
    engine = Engine(Config(), today=DEFAULT_TODAY, root=folder)
    result, missing = engine.run([folder])
    assert not missing and not engine.errors
    got = {(f.source.path, f.source.line, f.rule_id) for f in result.findings}
    assert got == EXPECTED
    # the workflow file is not a template and is skipped quietly
    assert sorted(result.files) == ["cfn-functions.yaml", "cfn-json-function.json", "events-app.yaml", "iam-app.yaml",
                                    "sam-app.yaml", "terraform/main.tf"]
