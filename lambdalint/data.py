"""Data tables shipped by rule packs (``<pack>/data/<name>.yaml``), loaded once, on demand."""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from typing import Any

import yaml


class DataError(Exception):
    pass


@cache
def _load(path: str) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


@cache
def package_dir(package: str) -> str | None:
    """The directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(iter(spec.submodule_search_locations))


class DataStore:
    def __init__(self, packages: tuple[str, ...] = ("lambdalint_rules",)) -> None:
        self.packages = packages
        #: tables already found, by name (rules ask for theirs once per function)
        self._tables: dict[str, Any] = {}

    def table(self, name: str) -> Any:
        found = self._tables.get(name)
        if found is None:
            found = self._tables[name] = self._find(name)
        return found

    def _find(self, name: str) -> Any:
        for pkg in self.packages:
            base = package_dir(pkg)
            if base is None:
                continue
            path = os.path.join(base, "data", f"{name}.yaml")
            if os.path.exists(path):
                return _load(path)
        raise DataError(f"no data table {name!r} in {', '.join(self.packages)}")

    def quotas(self) -> dict[str, dict[str, Any]]:
        """Every quota entry (``value``, ``adjustable``, ``source``) of every pack."""
        out: dict[str, dict[str, Any]] = {}
        for pkg in self.packages:
            base = package_dir(pkg)
            path = os.path.join(base, "data", "quotas.yaml") if base else ""
            if path and os.path.exists(path):
                out.update(_load(path).get("quotas", {}))
        return out
