"""Over the whole real-world corpus (``../shared/corpus`` beside the project, when present):
no two findings share a fingerprint (the baseline and code scanning tell findings apart by
it), and no message leaks an internal placeholder or reads wrong."""

from __future__ import annotations

import collections
import os
import re

import pytest

from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.fingerprint import fingerprint
from lambdalint.result import RunResult

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "shared", "corpus", "files")
pytestmark = pytest.mark.skipif(not os.path.isdir(CORPUS), reason="the real-world corpus is not beside the project")

# what a message must never contain: internal placeholders, Python reprs, a doubled function
# word or parenthesis (names may repeat: a function can be called Function), a wrong article
BAD = {
    "None": re.compile(r"\bNone\b"),
    "placeholder": re.compile(r"\$\{"),
    "repr": re.compile(r"\{'|\[<|object at 0x|<lambdalint"),
    "doubled word": re.compile(r"\b(the|a|an|to|of|in|on|at|is|and|or|for|with|by|from|its|not|no)\s+\1\b"),
    "doubled group": re.compile(r"(\([^()]+\))\s*\1"),
    "a before a vowel": re.compile(r"\ba (?:[aeioAEIO]|EventBridge|S3|SQS|SNS|OpenSearch|ECR|EFS|RDS|MSK|X-Ray)"),
    "an before a consonant": re.compile(r"\ban (?![aeiouAEIOUFHLMNRSX]|hour)[A-Za-z]"),
}


@pytest.fixture(scope="module")
def corpus() -> RunResult:
    result, missing = Engine(Config(jobs=0), root=CORPUS).run([CORPUS])
    assert not missing and len(result.findings) > 1000
    return result


def test_no_two_corpus_findings_share_a_fingerprint(corpus: RunResult) -> None:
    prints = collections.Counter(fingerprint(f) for f in corpus.findings)
    shared = [(f.source.path, f.source.line, f.rule_id, f.message)
              for f in corpus.findings if prints[fingerprint(f)] > 1]
    assert shared == []


def test_no_message_leaks_a_placeholder_or_reads_wrong(corpus: RunResult) -> None:
    wrong = []
    for f in corpus.findings:
        for text in (f.message, *(r.message for r in (*f.related, *f.flow))):
            for what, pattern in BAD.items():
                if pattern.search(text):
                    wrong.append(f"{f.rule_id} {what}: {text[:200]}")
    assert wrong == []
