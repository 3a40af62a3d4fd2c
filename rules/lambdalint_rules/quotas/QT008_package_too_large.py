from __future__ import annotations

import os
from collections.abc import Iterator

from lambdalint.model import CodeArtifact, LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules.quotas._common import SAM_HEADER

_ARCHIVES = (".zip", ".jar")
#: directories the SAM CLI build leaves out of a package (aws-lambda-builders EXCLUDED_FILES);
#: leaving them out of the count too keeps the size a lower bound
_NOT_PACKAGED = frozenset({".aws-sam", ".git"})


#: sizes already measured in this process, by (path, stop_at, modification time): functions
#: often share one code directory (SAM ``Globals``), which is then walked once
_MEASURED: dict[tuple[str, int | None, int], int | None] = {}


def unzipped_size(path: str, stop_at: int | None = None) -> int | None:
    """Unzipped bytes of a local directory or archive; ``None`` when it cannot be measured.

    Archives are measured from their central directory; nothing is extracted. A directory walk
    stops once ``stop_at`` bytes are counted (the result is then at least that)."""
    try:
        key = (path, stop_at, os.stat(path).st_mtime_ns)
    except OSError:
        return None
    if key not in _MEASURED:
        if len(_MEASURED) >= 1024:
            _MEASURED.clear()
        _MEASURED[key] = _measure(path, stop_at)
    return _MEASURED[key]


def _measure(path: str, stop_at: int | None) -> int | None:
    if os.path.isdir(path):
        total = 0
        for dirpath, dirs, files in os.walk(path, followlinks=False):
            dirs[:] = sorted(d for d in dirs if d not in _NOT_PACKAGED)
            for name in files:
                try:
                    total += os.lstat(os.path.join(dirpath, name)).st_size
                except OSError:
                    continue
            if stop_at is not None and total >= stop_at:
                break
        return total
    if not os.path.isfile(path):
        return None
    if path.lower().endswith(_ARCHIVES):
        import zipfile  # only when a local artifact is measured

        try:
            with zipfile.ZipFile(path) as zf:
                return sum(info.file_size for info in zf.infolist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            return None
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def _local(code: CodeArtifact | None) -> str | None:
    return code.local_path if code is not None and code.kind == "local" else None


class PackageTooLarge(FunctionRule):
    """A local code package that is too large for Lambda.

    For code that lives beside the template (SAM `CodeUri`, a `Code` path packaged by
    `aws cloudformation package`, local layers), lambdalint adds up the unzipped size of the
    function's code and of the layers it uses that are defined in the same template: AWS
    requires it to be smaller than 250 MB. Zip files are measured from their central directory
    and never extracted. Code uploaded directly with the API call (Terraform `filename`) must
    also be at most 50 MB zipped.

    ## Why is this bad?
    The deployment fails with "Unzipped size must be smaller than 262144000 bytes" (or the
    zipped-size error for direct uploads).

    ## How to fix
    Drop development dependencies and test data from the package, move large dependencies
    into a layer shared with fewer functions, or use a container image (up to 10 GB).
    """

    id = "QT008"
    name = "package-too-large"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("quota", "packaging")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/python-package.html",
    )
    #: the failing inputs (a package of 250 MB) are built at test time, not committed
    fixture_generated = True
    bad_example = SAM_HEADER.replace("s3://artifacts/app.zip", "build/huge.zip") + "# build/huge.zip: 300 MB unzipped\n"
    good_example = SAM_HEADER

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        code = fn.code
        path = _local(code)
        if code is None or path is None:
            return
        limit = ctx.quotas["unzipped-package-bytes-limit"]
        size = unzipped_size(path, stop_at=limit)
        if size is None:
            return
        # a directory walk stops at the limit, so its size may be more than counted
        partial = size >= limit and os.path.isdir(path)
        related: list[Related] = []
        total = size
        seen: set[str] = set()
        if fn.layers is not None and fn.layers.is_known():
            for item in fn.layers.value:  # type: ignore[union-attr]
                # a layer entry that may be AWS::NoValue is not counted: the total stays a lower bound
                if item.ref is None or item.ref in seen or item.may_be_absent():
                    continue
                layer = ctx.app.layers.get(item.ref)
                lpath = _local(layer.content if layer else None)
                lsize = unzipped_size(lpath, stop_at=limit) if lpath else None
                if layer is not None and lsize:
                    seen.add(item.ref)
                    total += lsize
                    partial = partial or (lsize >= limit and os.path.isdir(lpath or ""))
                    related.append(Related(item.source, f"layer {layer.id}: {lsize:,} bytes unzipped"))
        if total >= limit:
            with_layers = " with its layers" if related else ""
            yield self.finding(
                code.source,
                f"Function {fn.display_name} has a package of {'at least ' if partial else ''}"
                f"{total:,} bytes unzipped{with_layers}; Lambda requires less than {limit:,} bytes. Leave "
                f"development dependencies, tests and data out of the package, or use a container image.",
                resource=fn.id, resource_source=fn.source, related=related,
            )
        zipped_max = ctx.quotas["zipped-direct-upload-bytes-max"]
        zipped = _file_size(path) if code.direct_upload else None
        if zipped is not None and zipped > zipped_max:
            yield self.finding(
                code.source,
                f"Function {fn.display_name} uploads a {zipped:,}-byte zip directly; direct uploads are limited "
                f"to {zipped_max:,} bytes. Upload it to S3 and reference it there.",
                resource=fn.id, resource_source=fn.source,
            )


def _file_size(path: str) -> int | None:
    try:
        return os.path.getsize(path) if os.path.isfile(path) else None
    except OSError:
        return None
