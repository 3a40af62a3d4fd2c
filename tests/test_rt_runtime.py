"""The RT rules' runtime knowledge: cfn-lint's lifecycle table read as data (and silence when it
cannot be read), date boundaries, the SnapStart runtime families, and runtimes.yaml itself."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date

import pytest

from lambdalint.data import DataStore, package_dir
from lambdalint.testing import lint_text
from lambdalint_rules.runtime import _lifecycle
from lambdalint_rules.runtime._lifecycle import (
    default_architecture,
    known_runtimes,
    lifecycle_table,
    snapstart_runtimes_text,
    snapstart_supported,
)

DATA = DataStore()


def sam(runtime: str, extra: str = "") -> str:
    return (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Handler: app.handler\n"
        "      CodeUri: s3://artifacts/app.zip\n"
        f"      Runtime: {runtime}\n" + extra
    )


SNAPSTART = "      AutoPublishAlias: live\n      SnapStart:\n        ApplyOn: PublishedVersions\n"


def rules(text: str, select: list[str], today: date = date(2026, 11, 22)) -> list[str]:
    return [f.rule_id for f in lint_text(text, select=select, today=today).findings]


def messages(text: str, select: list[str], today: date = date(2026, 11, 22)) -> list[str]:
    return [f.message for f in lint_text(text, select=select, today=today).findings]


@pytest.fixture
def no_cfnlint(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """cfn-lint not installed: the lifecycle table cannot be found."""
    lifecycle_table.cache_clear()
    monkeypatch.setattr(_lifecycle, "package_dir", lambda name: None)
    yield
    lifecycle_table.cache_clear()


@pytest.fixture
def fake_cfnlint(monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]) -> Iterator[str]:
    """A cfn-lint package directory whose lifecycle file the test writes (or leaves out)."""
    lifecycle_table.cache_clear()
    monkeypatch.setattr(_lifecycle, "package_dir", lambda name: str(tmp_path))
    yield os.path.join(str(tmp_path), *_lifecycle.LIFECYCLE_FILE)
    lifecycle_table.cache_clear()


# -- cfn-lint's table ----------------------------------------------------------------------


def test_table_is_read_from_installed_cfnlint_without_importing_it() -> None:
    import sys

    table = lifecycle_table()
    assert table is not None
    assert table["python2.7"].update_block == date(2022, 5, 30)
    assert table["python3.9"].successor is not None
    assert package_dir("cfnlint") is not None
    # reading the data file must not import cfn-lint (0.3 s); only check when nothing else did
    if not any(m == "cfnlint" or m.startswith("cfnlint.") for m in sys.modules):
        lifecycle_table.cache_clear()
        lifecycle_table()
        assert "cfnlint" not in sys.modules


@pytest.mark.usefixtures("no_cfnlint")
def test_without_cfnlint_rt001_to_rt003_stay_silent() -> None:
    assert lifecycle_table() is None
    assert known_runtimes(DATA) is None
    assert rules(sam("python2.7"), ["RT001", "RT002", "RT003"]) == []
    assert rules(sam("python-3.13"), ["RT003"]) == []


@pytest.mark.usefixtures("no_cfnlint")
def test_without_cfnlint_rt004_still_judges_runtimes_from_runtimes_yaml() -> None:
    assert rules(sam("nodejs22.x", SNAPSTART), ["RT004"]) == ["RT004"]
    assert rules(sam("python3.13", SNAPSTART), ["RT004"]) == []


@pytest.mark.parametrize("content", [None, "{not json", "[1, 2]"])
def test_unreadable_lifecycle_file_means_no_table(fake_cfnlint: str, content: str | None) -> None:
    if content is not None:
        os.makedirs(os.path.dirname(fake_cfnlint), exist_ok=True)
        with open(fake_cfnlint, "w", encoding="utf-8") as fh:
            fh.write(content)
    assert lifecycle_table() is None
    assert rules(sam("python2.7"), ["RT001", "RT002", "RT003"]) == []


def test_entries_with_missing_or_bad_dates_are_judged_on_what_is_known(fake_cfnlint: str) -> None:
    os.makedirs(os.path.dirname(fake_cfnlint), exist_ok=True)
    with open(fake_cfnlint, "w", encoding="utf-8") as fh:
        json.dump({
            "oldlang1.0": {"deprecated": "2020-01-01", "create-block": None, "update-block": "not a date",
                           "successor": "newlang2.0"},
            "newlang2.0": {"deprecated": "2030-01-01", "create-block": "2030-02-01",
                           "update-block": "2030-03-01", "successor": None},
            "junk": "not an entry",
        }, fh)
    table = lifecycle_table()
    assert table is not None and "junk" not in table
    assert table["oldlang1.0"].create_block is None and table["oldlang1.0"].update_block is None
    assert rules(sam("oldlang1.0"), ["RT001", "RT002"]) == ["RT001"]
    assert "Move to newlang2.0" in messages(sam("oldlang1.0"), ["RT001"])[0]
    # a runtime with no successor gets no "Move to" advice
    late = date(2030, 3, 1)
    assert sorted(rules(sam("newlang2.0"), ["RT001", "RT002"], today=late)) == ["RT002"]
    assert rules(sam("newlang2.0"), ["RT001", "RT002"], today=date(2030, 1, 15)) == ["RT001"]
    assert not any("Move to" in m for m in messages(sam("newlang2.0"), ["RT001", "RT002"], today=late))


# -- dates -----------------------------------------------------------------------------------


def test_deprecation_day_itself_counts() -> None:
    deprecated = lifecycle_table()["python3.9"].deprecated  # type: ignore[index]
    assert deprecated is not None
    assert rules(sam("python3.9"), ["RT001"], today=deprecated) == ["RT001"]
    assert rules(sam("python3.9"), ["RT001"], today=date.fromordinal(deprecated.toordinal() - 1)) == []


def test_blocked_runtime_gets_rt002_alone_with_dates_and_successor() -> None:
    found = lint_text(sam("python2.7"), select=["RT001", "RT002"]).findings
    assert sorted(f.rule_id for f in found) == ["RT002"]  # the catalog: RT002 alone, not RT001 too
    rt002 = next(f for f in found if f.rule_id == "RT002")
    assert "2021-07-15" in rt002.message and "2022-05-30" in rt002.message
    assert f"Move to {lifecycle_table()['python2.7'].successor}." in rt002.message  # type: ignore[index]
    assert rt002.source.line == 8


def test_create_block_and_update_block_boundaries() -> None:
    life = lifecycle_table()["nodejs20.x"]  # type: ignore[index]
    assert life.create_block is not None and life.update_block is not None
    before = date.fromordinal(life.create_block.toordinal() - 1)
    assert rules(sam("nodejs20.x"), ["RT002"], today=before) == []
    (created,) = messages(sam("nodejs20.x"), ["RT002"], today=life.create_block)
    assert "new functions" in created and life.update_block.isoformat() in created
    (updated,) = messages(sam("nodejs20.x"), ["RT002"], today=life.update_block)
    assert "create or update" in updated
    assert life.create_block.isoformat() in updated and life.update_block.isoformat() in updated


# -- RT003 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("runtime", ["nodejs26.x", "python3.15", "java8.al2023", "java11.al2023",
                                     "java17.al2023", "dotnet10", "ruby4.0", "dotnet9", "python3.13"])
def test_runtimes_lambda_knows_are_not_unknown(runtime: str) -> None:
    assert rules(sam(runtime), ["RT003"]) == []


def test_unknown_runtime_suggests_the_closest_identifier() -> None:
    (msg,) = messages(sam("nodejs22"), ["RT003"])
    assert "nodejs22.x" in msg


# -- SnapStart -------------------------------------------------------------------------------


@pytest.mark.parametrize("runtime, supported", [
    ("java11", True), ("java17", True), ("java21", True), ("java25", True), ("java11.al2023", True),
    ("java8", False), ("java8.al2", False), ("java8.al2023", False),
    ("python3.12", True), ("python3.13", True), ("python3.15", True), ("python3.11", False),
    ("python2.7", False), ("dotnet8", True), ("dotnet10", True), ("dotnet6", False),
    ("dotnetcore3.1", False), ("nodejs22.x", False), ("ruby3.4", False), ("provided.al2023", False),
    ("go1.x", False), ("", False),
])
def test_snapstart_runtime_families(runtime: str, supported: bool) -> None:
    assert snapstart_supported(runtime, DATA) is supported


def test_snapstart_message_lists_the_families_from_data() -> None:
    assert snapstart_runtimes_text(DATA) == "Java 11+, Python 3.12+, .NET 8+"
    (msg,) = messages(sam("ruby3.4", SNAPSTART), ["RT004"])
    assert "Java 11+, Python 3.12+, .NET 8+" in msg


def test_snapstart_on_an_unknown_runtime_is_left_to_rt003() -> None:
    assert rules(sam("nodejs-22", SNAPSTART), ["RT003", "RT004"]) == ["RT003"]


# -- runtimes.yaml ---------------------------------------------------------------------------


def test_runtimes_yaml_entries_name_their_source_and_fact() -> None:
    table = DATA.table("runtimes")
    sources = table["sources"]
    assert all(url.startswith("https://") for url in sources.values())
    for entry in table["extra-known"]:
        assert entry["source"] in sources and entry["fact"], entry
    assert table["snapstart"]["source"] in sources and table["snapstart"]["fact"] == "S2"
    assert table["default-architecture"]["fact"] == "Q4"
    assert default_architecture(DATA) == "x86_64"


def test_extra_known_runtimes_carry_no_dates_of_their_own() -> None:
    # dates come only from cfn-lint's maintained table; runtimes.yaml never duplicates them
    for entry in DATA.table("runtimes")["extra-known"]:
        assert not {"deprecated", "create-block", "update-block"} & set(entry)
