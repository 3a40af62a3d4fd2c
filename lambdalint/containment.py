"""What lambdalint may read: the repository being checked, and nothing outside it.

The repository of an input is the nearest folder above it that holds ``.git``, else the
directory lambdalint runs from; an input named outside both is its own boundary. A file,
symbolic link or module source that leads outside is refused with a note, and its contents
never reach any output.
"""

from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=4096)  # asked once per input; a corpus run has thousands in a few folders
def repository_root(directory: str, fallback: str) -> str:
    """The nearest folder above ``directory`` holding ``.git``, else ``fallback``."""
    current = os.path.abspath(directory)
    for _ in range(64):
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return os.path.abspath(fallback)


@lru_cache(maxsize=256)
def _real(root: str) -> str:
    return os.path.realpath(root)


def inside(path: str, root: str) -> bool:
    """``path``, symbolic links resolved, lies in the directory ``root``."""
    real, top = os.path.realpath(path), _real(root)
    try:
        return os.path.commonpath([real, top]) == top
    except ValueError:  # different drives
        return False


def boundary(location: str, cwd: str) -> str:
    """The folder an input at ``location`` (a file's folder, or a module directory, as named,
    links not resolved) may read from."""
    top = repository_root(location, cwd)
    named = os.path.abspath(location)  # where it is named, links not resolved
    try:
        within = os.path.commonpath([named, top]) == top
    except ValueError:  # different drives
        within = False
    return top if within else named  # named explicitly, outside the working directory
