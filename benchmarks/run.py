"""Measure lambdalint against cfn-lint on the same machine, in one run.

(a) one small template, whole process, median and min of --runs runs after a warm-up;
(b) the CloudFormation/SAM files of ../shared/corpus: lambdalint over all of them, cfn-lint
    over a deterministic sample (it manages about 19 files/s), and the floor: composing the
    same files with libyaml in this process.

Both tools run from this interpreter's environment (cfn-lint is a dependency of lambdalint).
Before measuring, lambdalint's own packages are byte-compiled (a normal `pip install` does
that too; an editable install under PYTHONDONTWRITEBYTECODE would otherwise recompile them on
every start).
"""

from __future__ import annotations

import argparse
import compileall
import csv
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CFN_FORMATS = {"sam-yaml", "sam-json", "cfn-yaml", "cfn-json"}
TARGET_SMALL_MS = 150
TARGET_SPEEDUP = 20
CHUNK = 5000  # one process for the whole corpus; the argument list stays far below the limit


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def version(cmd: list[str]) -> str:
    out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).strip().splitlines()[-1] if (out.stdout or out.stderr) else "?"


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def timed(cmd: list[str], runs: int) -> dict[str, float]:
    wall(cmd)  # warm-up: page cache, bytecode
    times = [wall(cmd) for _ in range(runs)]
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": runs}


def byte_compile() -> None:
    env_flag = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        for pkg in ("lambdalint", "lambdalint_rules"):
            spec = importlib.util.find_spec(pkg)
            if spec and spec.submodule_search_locations:
                for loc in spec.submodule_search_locations:
                    compileall.compile_dir(loc, quiet=1)
    finally:
        if env_flag is not None:
            os.environ["PYTHONDONTWRITEBYTECODE"] = env_flag


def corpus_files(corpus: Path) -> list[str]:
    rows = []
    with open(corpus / "manifest.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["format"] in CFN_FORMATS:
                rows.append(str(corpus / "files" / row["repo"].replace("/", "__") / row["path"]))
    return sorted(rows)


def run_chunks(cmd: list[str], files: list[str]) -> float:
    total = 0.0
    for i in range(0, len(files), CHUNK):
        total += wall([*cmd, *files[i:i + CHUNK]])
    return total


def parse_floor(files: list[str]) -> tuple[float, int]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    failures = 0
    start = time.perf_counter()
    for path in files:
        try:
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8", errors="ignore")
            yaml.compose(text, Loader=loader)
        except Exception:
            failures += 1
    return time.perf_counter() - start, failures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--cfn-lint-sample", type=int, default=200, help="files cfn-lint is timed on (sampled)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args()

    lambdalint = [sys.executable, "-m", "lambdalint"]
    cfnlint = [str(Path(sys.executable).with_name("cfn-lint"))]
    if not Path(cfnlint[0]).exists() or importlib.util.find_spec("lambdalint") is None:
        print("lambdalint and cfn-lint must both be installed in this environment", file=sys.stderr)
        return 2
    byte_compile()
    figures: dict[str, object] = {
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version()},
        "lambdalint": version(lambdalint),
        "cfn-lint": version(cfnlint),
    }
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"lambdalint {figures['lambdalint']}, cfn-lint {figures['cfn-lint']} (byte-compiled lambdalint first)")

    small = str(HERE / "small-template.yaml")
    startup = timed([*lambdalint, "--version"], args.runs)
    ll_small = timed([*lambdalint, "check", small], args.runs)
    cl_small = timed([*cfnlint, small], max(3, args.runs // 2))
    ll_module = timed([*lambdalint, "check", str(HERE / "small-module")], args.runs)
    figures["small"] = {"lambdalint_version": startup, "lambdalint": ll_small, "cfn-lint": cl_small,
                        "lambdalint_terraform_module": ll_module}
    ms = ll_small["median_s"] * 1000
    print("\n(a) one small template, whole process")
    print(f"  lambdalint --version   median {startup['median_s'] * 1000:6.0f} ms")
    print(f"  lambdalint check       median {ms:6.0f} ms, min {ll_small['min_s'] * 1000:.0f} ms "
          f"(target <= {TARGET_SMALL_MS} ms: {'met' if ms <= TARGET_SMALL_MS else 'MISSED'})")
    print(f"  lambdalint, Terraform  median {ll_module['median_s'] * 1000:6.0f} ms "
          "(small-module/, HCL parser included)")
    print(f"  cfn-lint               median {cl_small['median_s'] * 1000:6.0f} ms "
          f"({cl_small['median_s'] / ll_small['median_s']:.1f}x lambdalint's time)")

    if not (args.corpus / "manifest.tsv").exists():
        print(f"\n(b) skipped: no corpus at {args.corpus}")
    else:
        files = corpus_files(args.corpus)
        ll_time = run_chunks([*lambdalint, "check", "--fail-on", "never", "--format", "json"], files)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        step = max(1, len(files) // max(1, args.cfn_lint_sample))
        sample = files[::step][: args.cfn_lint_sample]
        cl_time = run_chunks([*cfnlint, "--format", "parseable"], sample)
        floor, failures = parse_floor(files)
        ll_rate, cl_rate = len(files) / ll_time, len(sample) / cl_time
        figures["corpus"] = {
            "files": len(files), "lambdalint_s": ll_time, "lambdalint_files_per_s": ll_rate,
            "cfn-lint_sample": len(sample), "cfn-lint_s": cl_time, "cfn-lint_files_per_s": cl_rate,
            "compose_floor_s": floor, "compose_failures": failures,
            "peak_rss_children_mb": usage.ru_maxrss / 1024,
        }
        print(f"\n(b) corpus: {len(files)} CloudFormation/SAM files")
        print(f"  lambdalint   {ll_time:6.2f} s  {ll_rate:7.0f} files/s (in {-(-len(files) // CHUNK)} processes)")
        print(f"  cfn-lint     {cl_time:6.2f} s  {cl_rate:7.1f} files/s (sampled: {len(sample)} files, extrapolated)")
        print(f"  speed-up     {ll_rate / cl_rate:.0f}x (target >= {TARGET_SPEEDUP}x: "
              f"{'met' if ll_rate / cl_rate >= TARGET_SPEEDUP else 'MISSED'})")
        print(f"  parse floor  {floor:6.2f} s  (libyaml compose in one process, {failures} unparsable); "
              f"lambdalint = {ll_time / floor:.1f}x the floor (target < 2x, process start-ups included)")
        print(f"  peak RSS of the child processes: {usage.ru_maxrss / 1024:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
