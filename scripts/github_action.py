"""The lint step of the GitHub Action (``action.yml`` at the repository root).

Installs lambdalint in a virtual environment under ``$RUNNER_TEMP`` (the ``version`` input
from PyPI, else the action's own checkout), runs it with a SARIF report and workflow
annotations (``--format github`` also writes the job summary), and writes ``exit-code`` and
``sarif-file`` to ``$GITHUB_OUTPUT``. It always exits 0 itself: the action uploads the SARIF
first and fails afterwards, so that alerts are updated even when the gate fails.

Inputs come from the environment (``LAMBDALINT_*``, set by ``action.yml``), never from the
text of a shell command. Standard library only: it runs before lambdalint is installed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

FAIL_ON = ("error", "warning", "note", "never")


def _output(name: str, value: str) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(f"{name}={value}\n")
    print(f"{name}={value}")


def _python() -> str | None:
    """An interpreter with lambdalint: the ``python`` input, else a fresh virtual environment
    with lambdalint installed; None when the installation failed."""
    given = os.environ.get("LAMBDALINT_ACTION_PYTHON", "").strip()
    if given:
        return given
    home = os.path.join(os.environ.get("RUNNER_TEMP") or os.getcwd(), "lambdalint-venv")
    subprocess.run([sys.executable, "-m", "venv", home], check=True)  # noqa: S603 - fixed arguments
    python = os.path.join(home, "Scripts" if os.name == "nt" else "bin", "python")
    version = os.environ.get("LAMBDALINT_VERSION", "").strip()
    if version:
        if not all(c.isalnum() or c in ".-+!=<>~," for c in version):
            print(f"::error title=lambdalint::the version input {version!r} is not a version")
            return None
        package = f"lambdalint=={version}" if version[0].isdigit() else f"lambdalint{version}"
    else:
        package = os.environ.get("GITHUB_ACTION_PATH") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", package],  # noqa: S603
                          check=False)
    return python if done.returncode == 0 else None


def main() -> int:
    fail_on = os.environ.get("LAMBDALINT_FAIL_ON", "error").strip() or "error"
    if fail_on not in FAIL_ON:
        print(f"::error title=lambdalint::fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
        _output("exit-code", "2")
        return 0
    sarif = os.environ.get("LAMBDALINT_SARIF", "").strip() or "lambdalint.sarif"
    paths = shlex.split(os.environ.get("LAMBDALINT_PATHS", ".")) or ["."]
    python = _python()
    if python is None:
        print("::error title=lambdalint::lambdalint could not be installed")
        _output("exit-code", "2")
        return 0
    command = [python, "-m", "lambdalint", "check", "--format", f"sarif:{sarif}", "--format", "github",
               "--fail-on", fail_on]
    config = os.environ.get("LAMBDALINT_CONFIG", "").strip()
    if config:
        command += ["--config", config]
    command += ["--", *paths]
    print("+ " + shlex.join(command[1:]), flush=True)
    status = subprocess.run(command, check=False).returncode  # noqa: S603 - our own command
    _output("exit-code", str(status))
    _output("sarif-file", sarif if os.path.isfile(sarif) else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
