"""``--jobs``: inputs read and checked in several processes give exactly the report of one."""

from __future__ import annotations

import os

import pytest

from lambdalint import engine as engine_module
from lambdalint.config import Config
from lambdalint.engine import Engine
from lambdalint.testing import DEFAULT_TODAY

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")


def _run(jobs: int) -> tuple[list[tuple[str, int, int, str, str]], list[str], list[tuple[str, int, int, str, str]],
                             list[str]]:
    engine = Engine(Config(jobs=jobs), today=DEFAULT_TODAY, root=ROOT)
    result, missing = engine.run([FIXTURES])
    assert not missing
    return ([f.sort_key() for f in result.findings], result.files, [f.sort_key() for f in result.suppressed],
            engine.errors)


def test_processes_give_the_same_report() -> None:
    one = _run(1)
    assert len(one[1]) > 2 * engine_module.MIN_PER_PROCESS  # enough inputs to use two processes
    assert _run(2) == one


def test_few_inputs_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("processes started for a handful of inputs")

    monkeypatch.setattr(Engine, "_in_processes", refuse)
    engine = Engine(Config(jobs=4), today=DEFAULT_TODAY, root=ROOT)
    result, _ = engine.run([os.path.join(FIXTURES, "examples")])
    assert result.findings


@pytest.mark.skipif(len(os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1))
                    < 2, reason="--jobs is capped at the usable CPUs: one CPU never splits a run")
def test_many_inputs_use_the_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[int] = []
    original = Engine._in_processes

    def spy(self: Engine, work: list, jobs: int) -> object:  # type: ignore[type-arg]
        used.append(jobs)
        return original(self, work, jobs)

    monkeypatch.setattr(Engine, "_in_processes", spy)
    Engine(Config(jobs=2), today=DEFAULT_TODAY, root=ROOT).run([FIXTURES])
    assert used == [2]


def test_zero_means_one_per_usable_cpu_and_jobs_never_exceed_them() -> None:
    cpus = Engine(Config(jobs=0), root=ROOT).processes()
    assert cpus >= 1
    assert Engine(Config(jobs=1), root=ROOT).processes() == 1
    assert Engine(Config(jobs=cpus + 5), root=ROOT).processes() == cpus  # more would only compete


def _die(work: object) -> None:
    os._exit(3)  # a worker that dies (out of memory, killed)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the test replaces the worker in forked processes")
def test_a_dying_worker_leaves_the_run_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    one = _run(1)
    monkeypatch.setattr(engine_module, "_check_chunk", _die)
    assert _run(2) == one
