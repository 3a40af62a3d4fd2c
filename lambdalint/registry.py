"""Find rule packs (entry point group ``lambdalint.rules``) and the rules they define.

A pack is a package; every module in it is imported and every concrete :class:`Rule`
subclass defined there is a rule. The built-in pack registers the same way a third-party
pack would.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from lambdalint.rule import Rule

ENTRY_POINT_GROUP = "lambdalint.rules"
BUILTIN_PACK = "lambdalint_rules"


class RegistryError(Exception):
    pass


def _entry_point_packs() -> list[str]:
    """Packages registered under ``[lambdalint.rules]`` in installed distributions.

    Reads the ``entry_points.txt`` files of ``*.dist-info`` folders on ``sys.path`` directly:
    ``importlib.metadata`` costs about 30 ms of imports, a fifth of the start-up budget."""
    import os
    import sys

    found: list[str] = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            try:
                with open(os.path.join(entry or ".", name, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            if f"[{ENTRY_POINT_GROUP}]" in text:
                found.extend(_section_values(text, ENTRY_POINT_GROUP))
    return found


def _section_values(text: str, section: str) -> list[str]:
    out: list[str] = []
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            inside = line == f"[{section}]"
        elif inside and "=" in line and not line.startswith(("#", ";")):
            out.append(line.split("=", 1)[1].strip().split(":")[0].strip())
    return out


@lru_cache(maxsize=1)
def pack_names() -> tuple[str, ...]:
    names = _entry_point_packs()
    if BUILTIN_PACK not in names:  # running from a source checkout without installing
        names.insert(0, BUILTIN_PACK)
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule of every pack, sorted by id. Duplicate ids are an error."""
    found: dict[str, type[Rule]] = {}
    for pack in pack_names():
        package = importlib.import_module(pack)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{pack}."):
            if info.name.rsplit(".", 1)[-1].startswith("_"):
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if (
                    isinstance(obj, type)
                    and issubclass(obj, Rule)
                    and not obj.__dict__.get("_abstract", False)
                    and obj.__module__ == module.__name__
                ):
                    other = found.get(obj.id)
                    if other is not None and other is not obj:
                        raise RegistryError(f"rule id {obj.id} defined twice: {other.__module__}, {obj.__module__}")
                    found[obj.id] = obj
    return tuple(found[k] for k in sorted(found))


def resolve_selector(selector: str, rules: tuple[type[Rule], ...]) -> list[type[Rule]]:
    """Rules matching an id (``QT001``), an id prefix (``QT``, ``QT0``), a name or ``ALL``."""
    s = selector.strip()
    if s.upper() == "ALL":
        return list(rules)
    matched = [r for r in rules if r.id == s.upper() or r.name == s.lower()]
    if matched:
        return matched
    if s[:2].isalpha():
        return [r for r in rules if r.id.startswith(s.upper())]
    return []


def find_rule(key: str) -> type[Rule] | None:
    for r in all_rules():
        if r.id == key.upper() or r.name == key.lower():
            return r
    return None
