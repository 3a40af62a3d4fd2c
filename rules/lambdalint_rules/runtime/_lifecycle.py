"""Runtime knowledge shared by the RT rules (not a rule: the leading underscore keeps it out
of the rule scan).

Lifecycle dates come from the table cfn-lint maintains from AWS's runtime page
(``cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json``), read as a data file from the
installed cfn-lint without importing it (its import costs about 0.3 s). Everything that table
does not carry (identifiers it lacks, SnapStart support, the default architecture) is in
``data/runtimes.yaml``.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from functools import lru_cache
from typing import Any

from msgspec import Struct

from lambdalint.data import package_dir

#: the file inside the cfn-lint package
LIFECYCLE_FILE = ("data", "AdditionalSpecs", "LmbdRuntimeLifecycle.json")

# family, version, and an optional OS / ".x" suffix: python3.12, nodejs22.x, java11.al2023
_VERSION = re.compile(r"^([a-z]+?)(\d+(?:\.\d+)*)(?:\.al2023|\.al2|\.x)?$")


class Lifecycle(Struct, frozen=True):
    runtime: str
    deprecated: date | None
    create_block: date | None
    update_block: date | None
    successor: str | None


def blocked(life: Lifecycle, today: date) -> bool:
    """Lambda refuses to create or to update functions with the runtime on ``today``."""
    return any(day is not None and today >= day for day in (life.create_block, life.update_block))


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _read(path: str) -> dict[str, Lifecycle] | None:
    try:
        with open(path, encoding="utf-8") as fh:
            raw = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict):
        return None
    return {
        str(name): Lifecycle(str(name), _day(v.get("deprecated")), _day(v.get("create-block")),
                             _day(v.get("update-block")),
                             v.get("successor") if isinstance(v.get("successor"), str) else None)
        for name, v in raw.items() if isinstance(v, dict)
    }


@lru_cache(maxsize=1)
def lifecycle_table() -> dict[str, Lifecycle] | None:
    """cfn-lint's table keyed by runtime identifier, or ``None`` when cfn-lint is not installed
    or the file cannot be read (then RT001-RT003 stay silent: they never guess)."""
    try:
        base = package_dir("cfnlint")
    except (ImportError, ValueError):
        return None
    if base is None:
        return None
    return _read(os.path.join(base, *LIFECYCLE_FILE))


def _runtimes(data: Any) -> dict[str, Any]:
    table: dict[str, Any] = data.table("runtimes")
    return table


def known_runtimes(data: Any) -> frozenset[str] | None:
    """Every identifier Lambda knows: cfn-lint's table plus ``extra-known``; ``None`` when
    cfn-lint's table cannot be read."""
    table = lifecycle_table()
    if table is None:
        return None
    return frozenset(table) | frozenset(str(e["runtime"]) for e in _runtimes(data)["extra-known"])


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def snapstart_supported(runtime: str, data: Any) -> bool:
    """True when SnapStart supports the managed runtime (a supported family at or above its
    minimum version)."""
    m = _VERSION.match(runtime)
    if not m:
        return False
    family, version = m.group(1), _version(m.group(2))
    return any(entry["family"] == family and version >= _version(str(entry["min"]))
               for entry in _runtimes(data)["snapstart"]["families"])


def snapstart_runtimes_text(data: Any) -> str:
    """The supported families for messages: ``Java 11+, Python 3.12+, .NET 8+``."""
    return ", ".join(f"{e['label']} {e['min']}+" for e in _runtimes(data)["snapstart"]["families"])


def default_architecture(data: Any) -> str:
    """Lambda's architecture when ``Architectures`` is not set."""
    return str(_runtimes(data)["default-architecture"]["value"])
