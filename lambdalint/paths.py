"""Which paths a configuration's patterns and the repository's ``.gitignore`` files cover.

``exclude`` and ``per-file-ignores`` patterns are relative to the config file's folder, like
ruff's: a bare name (``legacy``, ``legacy/``, ``*.json``) matches a file or folder of that name
at any depth, a pattern with a slash (``build/*``, ``infra/legacy``) matches the path from the
config's folder or any folder above the file within it. ``.gitignore`` files are read with
pathspec (git's own wildmatch rules), from the repository root down to each file.
"""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from typing import Any


def relative_to(path: str, base: str) -> str | None:
    """``path`` relative to the folder ``base`` with forward slashes; None when outside it."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    except ValueError:  # another drive
        return None
    if rel == ".." or rel.startswith(".." + os.sep):
        return None
    return "" if rel == "." else rel.replace(os.sep, "/")


def matches(pattern: str, relative: str) -> bool:
    """Whether the config pattern ``pattern`` covers ``relative`` (a path relative to the
    config file's folder): the path itself or one of the folders it lies in."""
    pat = pattern.strip().replace("\\", "/").rstrip("/")
    while pat.startswith("./"):
        pat = pat[2:]
    if not pat or not relative:
        return False
    parts = relative.split("/")
    if "/" not in pat:
        return any(fnmatchcase(part, pat) for part in parts)
    return any(fnmatchcase("/".join(parts[:n]), pat) for n in range(1, len(parts) + 1))


class GitIgnore:
    """The ``.gitignore`` files of one repository, read once each."""

    def __init__(self, repository: str) -> None:
        self.repository = os.path.abspath(repository)
        self._specs: dict[str, Any] = {}
        self._folders: dict[str, bool] = {}

    def _spec(self, folder: str) -> Any:
        if folder not in self._specs:
            spec = None
            try:
                with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as fh:
                    lines = fh.read(1 << 20).splitlines()
            except OSError:
                lines = []
            if any(line.strip() and not line.lstrip().startswith("#") for line in lines):
                import pathspec  # about 10 ms: only for runs that walk a folder with a .gitignore

                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            self._specs[folder] = spec
        return self._specs[folder]

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores ``path``: a folder it lies in is ignored, or the deepest
        ``.gitignore`` with a say about the path itself excludes it."""
        rel = relative_to(path, self.repository)
        if not rel:
            return False
        parent = rel.rsplit("/", 1)[0] if "/" in rel else ""
        return self._folder_ignored(parent) or self._verdict(rel, is_dir)

    def _folder_ignored(self, rel: str) -> bool:
        if not rel:
            return False
        if rel not in self._folders:
            parent = rel.rsplit("/", 1)[0] if "/" in rel else ""
            self._folders[rel] = self._folder_ignored(parent) or self._verdict(rel, True)
        return self._folders[rel]

    def _verdict(self, rel: str, is_dir: bool) -> bool:
        parts = rel.split("/")
        verdict = None
        for depth in range(len(parts)):  # each .gitignore from the root down to the path's folder
            spec = self._spec(os.path.join(self.repository, *parts[:depth]))
            if spec is not None:
                result = spec.check_file("/".join(parts[depth:]) + ("/" if is_dir else ""))
                if result.include is not None:
                    verdict = result.include
        return bool(verdict)
