"""Over the whole real-world corpus (``../shared/corpus`` beside the project, when present),
no two findings share a fingerprint: the baseline and code scanning tell findings apart by it."""

from __future__ import annotations

import collections
import os

import pytest

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.fingerprint import fingerprint

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "shared", "corpus", "files")


@pytest.mark.skipif(not os.path.isdir(CORPUS), reason="the real-world corpus is not beside the project")
def test_no_two_corpus_findings_share_a_fingerprint() -> None:
    result, missing = Engine(Config(jobs=0), root=CORPUS).run([CORPUS])
    assert not missing and len(result.findings) > 1000
    prints = collections.Counter(fingerprint(f) for f in result.findings)
    shared = [(f.source.path, f.source.line, f.rule_id, f.message)
              for f in result.findings if prints[fingerprint(f)] > 1]
    assert shared == []
