"""An interrupted run stops cleanly: Ctrl-C exits 130 and SIGTERM 143, without a traceback, and
the worker processes of --jobs stop with it (issue: hostile input, part 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

TEMPLATE = """\
Resources:
  Fn{i}:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: {{S3Bucket: b, S3Key: k}}
      Timeout: {t}
"""


def children(pid: int) -> set[int]:
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry))
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc") or not hasattr(os, "fork"), reason="needs /proc and fork")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_run_exits_cleanly_and_stops_its_workers(tmp_path: Path, signum: int, code: int) -> None:
    for i in range(4000):
        (tmp_path / f"t{i}.yaml").write_text(TEMPLATE.format(i=i, t=1000))
    proc = subprocess.Popen([sys.executable, "-m", "lambdalint", "check", "--jobs", "2", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers |= children(proc.pid)
        time.sleep(0.05)
    assert workers, "the run finished before it could be interrupted"
    time.sleep(0.3)
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)  # Ctrl-C reaches the whole process group
    else:
        os.kill(proc.pid, signum)  # SIGTERM to the main process alone
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == code, stderr
    assert b"Traceback" not in stderr
    assert b"lambdalint: interrupted" in stderr
    end = time.monotonic() + 10
    while time.monotonic() < end and any(alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if alive(w)], "worker processes outlived the run"
