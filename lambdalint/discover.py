"""Expand the paths the user gave into the input files to lint.

Directories are walked in sorted order, skipping tool and dependency folders; directory
symlinks are not followed (no loops). Which YAML/JSON files are templates is decided when
they are read (``lambdalint.loading``).
"""

from __future__ import annotations

import os

from msgspec import Struct

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".terraform", ".aws-sam", ".venv", "venv", "__pycache__",
    ".tox", ".nox", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".serverless",
})


TERRAFORM_SUFFIX = (".tf", ".tf.json")
VARIABLE_SUFFIX = (".tfvars", ".tfvars.json")


class Candidate(Struct, frozen=True):
    path: str
    #: named on the command line (not found by walking a directory)
    explicit: bool
    #: ``template`` (one YAML/JSON file) or ``terraform`` (a directory: one module)
    kind: str = "template"


class PathNotFound(Exception):
    pass


def _skip_dir(parent: str, name: str) -> bool:
    if name in SKIP_DIRS:
        return True
    # cdk.out keeps the synthesized templates (kept) beside copied assets (skipped)
    return name.startswith("asset.") and os.path.basename(parent) == "cdk.out"


def has_terraform(directory: str) -> bool:
    try:
        return any(name.endswith(TERRAFORM_SUFFIX) for name in os.listdir(directory))
    except OSError:
        return False


def _is_candidate(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(TEMPLATE_SUFFIXES) and not lower.endswith((".expect.yaml", ".tf.json"))


def discover(paths: list[str], unreadable: list[tuple[str, str]] | None = None,
             var_files: dict[str, str] | None = None) -> tuple[list[Candidate], list[str]]:
    """Files and Terraform module directories to read, and the paths that do not exist.

    Terraform is grouped by directory: a ``.tf`` file named alone (as pre-commit passes them)
    is linted with the other files of its directory, so references resolve. A variable file
    named alone (``terraform.tfvars``, ``*.auto.tfvars``, any ``.tfvars``) stands for the module
    beside it, or, for one of ``var_files`` (absolute path -> the directory whose modules it is
    given to), for the module there. Directories that cannot be listed are added to
    ``unreadable`` as (path, reason)."""
    out: dict[str, Candidate] = {}
    missing: list[str] = []

    def walk_error(exc: OSError) -> None:
        if unreadable is not None:
            unreadable.append((str(exc.filename), exc.strerror or str(exc)))

    def add_module(directory: str, explicit: bool) -> None:
        key = os.path.abspath(directory) + os.sep  # one module, however it was named
        out.setdefault(key, Candidate(os.path.normpath(directory), explicit, "terraform"))

    for raw in paths:
        path = os.path.normpath(raw)
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path, onerror=walk_error):
                dirnames[:] = sorted(d for d in dirnames if not _skip_dir(dirpath, d))
                if any(name.endswith(TERRAFORM_SUFFIX) for name in filenames):
                    add_module(dirpath, False)
                for name in sorted(filenames):
                    if _is_candidate(name):
                        full = os.path.join(dirpath, name)
                        out.setdefault(full, Candidate(full, False))
        elif os.path.isfile(path):
            if path.endswith(TERRAFORM_SUFFIX):
                add_module(os.path.dirname(path) or ".", True)
            elif path.endswith(VARIABLE_SUFFIX):
                beside = os.path.dirname(path) or "."
                target = (var_files or {}).get(os.path.abspath(path))
                for directory in (beside, target):
                    if directory is not None and has_terraform(directory):
                        add_module(directory, True)
                        break
            else:
                out[path] = Candidate(path, True)
        else:
            missing.append(raw)
    return [out[k] for k in sorted(out)], missing
