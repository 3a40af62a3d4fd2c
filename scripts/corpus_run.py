"""Run lambdalint over the real-world corpus (../shared/corpus) and fail on any crash.

Used by .ci/run. Prints findings per rule, the LL000 parse errors on files the manifest does
not flag as unparsable, and the wall time. Exit 1 on a crash, a traceback or an exit code
other than 0/1; 0 otherwise (0 also when the corpus is absent).
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import time

CFN_FORMATS = {"sam-yaml", "sam-json", "cfn-yaml", "cfn-json"}
EXPECTED_LL000_FLAGS = {"jinja-templated", "yaml-unparsable"}


def main() -> int:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(here), "shared", "corpus"))
    ap.add_argument("--lambdalint", default=None, help="command to run (default: this python -m lambdalint)")
    args = ap.parse_args()
    manifest = os.path.join(args.corpus, "manifest.tsv")
    if not os.path.exists(manifest):
        print(f"corpus: {manifest} not found, skipped")
        return 0
    rows = []
    with open(manifest, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["format"] in CFN_FORMATS:
                rows.append(row)
    tf_dirs: dict[str, int] = {}
    with open(manifest, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            path = os.path.join(args.corpus, "files", row["repo"].replace("/", "__"), row["path"])
            if row["format"] == "tf-hcl" and row["role"] == "primary":
                tf_dirs[os.path.dirname(path)] = tf_dirs.get(os.path.dirname(path), 0) + int(row["lambda_count"] or 0)
            elif row["format"] == "tf-plan":
                tf_dirs[path] = int(row["lambda_count"] or 0)
    flags = {}
    files = []
    for row in rows:
        owner_repo = row["repo"].replace("/", "__")
        path = os.path.join(args.corpus, "files", owner_repo, row["path"])
        files.append(path)
        flags[os.path.abspath(path)] = set(row["flags"].split(",")) - {"-"}
    cmd = [sys.executable, "-m", "lambdalint"] if args.lambdalint is None else args.lambdalint.split()
    start = time.perf_counter()
    findings: list[dict[str, object]] = []
    crashed = False
    read = 0
    chunk = 400
    for i in range(0, len(files), chunk):
        part = files[i:i + chunk]
        argv = [*cmd, "check", "--format", "json", "--fail-on", "never", *part]
        proc = subprocess.run(argv,  # noqa: S603 - our own command
                              capture_output=True, text=True, cwd="/", check=False)
        if proc.returncode not in (0, 1) or "Traceback" in proc.stderr or "Traceback" in proc.stdout:
            crashed = True
            print(f"CRASH (exit {proc.returncode}) on files {i}..{i + len(part)}:\n{proc.stderr[-3000:]}")
            continue
        if proc.stderr.strip():
            crashed = True
            print(f"unexpected messages on files {i}..{i + len(part)}:\n{proc.stderr[-3000:]}")
        data = json.loads(proc.stdout)
        findings.extend(data["findings"])
        read += data["summary"]["files_checked"]
    wall = time.perf_counter() - start
    per_rule = collections.Counter(str(f["rule"]) for f in findings)
    print(f"corpus: {len(files)} CloudFormation/SAM files, {read} read as templates, "
          f"{len(findings)} findings in {wall:.2f} s ({len(files) / wall:.0f} files/s)")
    for rule, n in sorted(per_rule.items()):
        print(f"  {rule}: {n}")
    unexpected = []
    for f in findings:
        if f["rule"] != "LL000":
            continue
        path = os.path.abspath(os.path.join("/", str(f["path"])))
        if not (flags.get(path, set()) & EXPECTED_LL000_FLAGS) and "parse error" in str(f["message"]):
            unexpected.append(f"{f['path']}:{f['line']}: {f['message']}")
    if unexpected:
        print(f"LL000 parse errors on files the manifest does not flag ({len(unexpected)}):")
        for line in unexpected[:50]:
            print(f"  {line}")
    crashed |= terraform(cmd, tf_dirs)
    return 1 if crashed else 0


def terraform(cmd: list[str], dirs: dict[str, int]) -> bool:
    """Lint every Terraform directory of the corpus; print functions found against the manifest."""
    if not dirs:
        return False
    start = time.perf_counter()
    argv = [*cmd, "check", "--format", "json", "--fail-on", "never", *sorted(dirs)]
    proc = subprocess.run(argv,  # noqa: S603 - our own command
                          capture_output=True, text=True, cwd="/", check=False)
    wall = time.perf_counter() - start
    notes = [line for line in proc.stderr.splitlines() if line.startswith("lambdalint: warning: ")]
    other = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith("lambdalint: warning: ")]
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr or other:
        print(f"CRASH on Terraform (exit {proc.returncode}):\n{chr(10).join(other)[-3000:]}")
        return True
    data = json.loads(proc.stdout)
    per_rule = collections.Counter(str(f["rule"]) for f in data["findings"])
    print(f"terraform: {len(dirs)} module directories (HCL), {len(data['findings'])} findings in {wall:.2f} s; "
          f"{len(notes)} notes (module calls whose source is not in the corpus)")
    for rule, n in sorted(per_rule.items()):
        print(f"  {rule}: {n}")
    compare_function_counts(dirs)
    return False


def compare_function_counts(units: dict[str, int]) -> None:
    """Functions lambdalint finds in each Terraform unit against the manifest's lambda_count."""
    from lambdalint.loading import load_file, load_terraform

    same = differ = 0
    lines = []
    for unit, expected in sorted(units.items()):
        if os.path.isdir(unit):
            app, _ = load_terraform(unit, "/")
        else:
            app, _ = load_file(unit, unit)
        found = len(app.functions) if app is not None else 0
        if found == expected:
            same += 1
        else:
            differ += 1
            lines.append(f"  {unit.split('/files/', 1)[-1]}: {found} found, manifest {expected}")
    print(f"terraform functions found vs manifest lambda_count: {same} units agree, {differ} differ "
          f"(docs/terraform-corpus.md explains the differences)")
    for line in lines:
        print(line)


if __name__ == "__main__":
    sys.exit(main())
