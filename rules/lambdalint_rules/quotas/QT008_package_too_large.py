from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator

from lambdalint.model import CodeArtifact, LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules.quotas._common import SAM_HEADER

_ARCHIVES = (".zip", ".jar")


def unzipped_size(path: str) -> int | None:
    """Unzipped bytes of a local directory or archive; ``None`` when it cannot be measured.

    Archives are measured from their central directory; nothing is extracted."""
    if os.path.isdir(path):
        total = 0
        for dirpath, _dirs, files in os.walk(path):
            for name in files:
                try:
                    st = os.lstat(os.path.join(dirpath, name))
                except OSError:
                    continue
                total += st.st_size
        return total
    if os.path.isfile(path) and path.lower().endswith(_ARCHIVES):
        try:
            with zipfile.ZipFile(path) as zf:
                return sum(info.file_size for info in zf.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    if os.path.isfile(path):
        return os.path.getsize(path)
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
        size = unzipped_size(path)
        if size is None:
            return
        limit = ctx.quotas["unzipped-package-bytes-limit"]
        related: list[Related] = []
        total = size
        if fn.layers is not None and fn.layers.is_known():
            for item in fn.layers.value:  # type: ignore[union-attr]
                layer = ctx.app.layers.get(item.ref or "")
                lpath = _local(layer.content if layer else None)
                lsize = unzipped_size(lpath) if lpath else None
                if layer is not None and lsize:
                    total += lsize
                    related.append(Related(item.source, f"layer {layer.id}: {lsize:,} bytes unzipped"))
        if total >= limit:
            with_layers = " with its layers" if related else ""
            yield self.finding(
                code.source,
                f"Function {fn.display_name} has a package of {total:,} bytes unzipped{with_layers}; Lambda "
                f"requires less than {limit:,} bytes. Trim the package, or use a container image.",
                resource=fn.id, resource_source=fn.source, related=related,
            )
        zipped_max = ctx.quotas["zipped-direct-upload-bytes-max"]
        if code.direct_upload and os.path.isfile(path) and os.path.getsize(path) > zipped_max:
            yield self.finding(
                code.source,
                f"Function {fn.display_name} uploads a {os.path.getsize(path):,}-byte zip directly; direct "
                f"uploads are limited to {zipped_max:,} bytes. Upload it to S3 and reference it there.",
                resource=fn.id, resource_source=fn.source,
            )
