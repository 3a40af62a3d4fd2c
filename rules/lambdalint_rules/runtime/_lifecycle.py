"""Runtime lifecycle data shared by the RT rules.

Dates come from the table cfn-lint maintains (``LmbdRuntimeLifecycle.json``), read as a data
file from the installed cfn-lint without importing it (its import costs about 0.3 s).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from lambdalint.data import package_dir

_VERSION = re.compile(r"^([a-z]+?)(\d+(?:\.\d+)*)(?:\.al2023|\.al2|\.x)?$")


@dataclass(frozen=True)
class Lifecycle:
    runtime: str
    deprecated: date | None
    create_block: date | None
    update_block: date | None
    successor: str | None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def lifecycle_table() -> dict[str, Lifecycle] | None:
    """cfn-lint's table, or ``None`` when it cannot be read (then the RT rules stay silent)."""
    base = package_dir("cfnlint")
    if base is None:
        return None
    path = os.path.join(base, "data", "AdditionalSpecs", "LmbdRuntimeLifecycle.json")
    try:
        with open(path, encoding="utf-8") as fh:
            raw = json.load(fh)
    except (OSError, ValueError):
        return None
    return {
        name: Lifecycle(name, _day(v.get("deprecated")), _day(v.get("create-block")),
                        _day(v.get("update-block")), v.get("successor"))
        for name, v in raw.items() if isinstance(v, dict)
    }


def known_runtimes(data: Any) -> set[str] | None:
    table = lifecycle_table()
    if table is None:
        return None
    return set(table) | set(data.table("runtimes")["extra-known"])


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def snapstart_supported(runtime: str, data: Any) -> bool:
    m = _VERSION.match(runtime)
    if not m:
        return False
    family, version = m.group(1), m.group(2)
    for entry in data.table("runtimes")["snapstart"]:
        if entry["family"] == family and _version(version) >= _version(str(entry["min"])):
            return True
    return False
