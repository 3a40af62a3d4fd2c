from __future__ import annotations

from collections.abc import Iterator

from lambdalint.model import LambdaFunction
from lambdalint.rule import Context, Finding, FunctionRule, Related, Severity
from lambdalint_rules.runtime._lifecycle import known_runtimes, snapstart_runtimes_text, snapstart_supported

_SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: s3://artifacts/app.zip
      Runtime: {runtime}
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
"""


class SnapstartIncompatible(FunctionRule):
    """SnapStart together with something it does not support.

    SnapStart works with Java 11 and later, Python 3.12 and later and .NET 8 and later managed
    runtimes (container images are supported too), and not together with provisioned
    concurrency, Amazon EFS, or more than 512 MB of ephemeral storage.

    ## Why is this bad?
    Lambda rejects the configuration (for example "nodejs22.x is not supported for SnapStart
    enabled functions"), so the deployment fails.

    ## How to fix
    Switch SnapStart off (`ApplyOn: None`) or remove what conflicts with it: use a supported
    runtime, drop provisioned concurrency or EFS, or keep `/tmp` at 512 MB.
    """

    id = "RT004"
    name = "snapstart-incompatible"
    severity = Severity.ERROR
    kind = "hard"
    tags = ("runtime", "snapstart")
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-custom.html",
    )
    bad_example = _SAM.format(runtime="nodejs22.x")
    good_example = _SAM.format(runtime="python3.13")

    def check(self, fn: LambdaFunction, ctx: Context) -> Iterator[Finding]:
        snap = fn.snap_start
        if snap is None or snap.known() != "PublishedVersions":
            return
        related = [Related(snap.source, "SnapStart is enabled here")]
        name = fn.display_name
        image = (fn.package_type is not None and fn.package_type.known() == "Image") or (
            fn.code is not None and fn.code.kind == "image")
        if fn.runtime is not None and not image:
            # an identifier Lambda does not know is RT003's finding, not a SnapStart problem
            known = known_runtimes(ctx.data)
            for v in fn.runtime.possible():
                runtime = str(v.value)
                if (known is not None and runtime not in known) or snapstart_supported(runtime, ctx.data):
                    continue
                yield self.at(v, f"Function {name} enables SnapStart with {runtime}, which SnapStart does not "
                                 f"support (managed runtimes {snapstart_runtimes_text(ctx.data)} only). Change "
                                 f"the runtime or turn SnapStart off.", fn=fn, related=related)
        for pc in fn.provisioned_concurrency:
            for count in pc.possible():
                if isinstance(count.value, int) and count.value >= 1:
                    yield self.at(count, f"Function {name} combines SnapStart with provisioned concurrency, which "
                                     f"Lambda does not support. Use one or the other.", fn=fn, related=related)
        if fn.file_systems is not None and fn.file_systems.known() is True:
            yield self.at(fn.file_systems, f"Function {name} combines SnapStart with an EFS file system, which "
                                           f"Lambda does not support.", fn=fn, related=related)
        limit = ctx.quotas["snapstart-ephemeral-storage-max"]
        if fn.ephemeral_storage is not None:
            for size in fn.ephemeral_storage.possible():
                if isinstance(size.value, int) and size.value > limit:
                    yield self.at(size, f"Function {name} combines SnapStart with {size.value:,} MB of ephemeral "
                                        f"storage; SnapStart supports at most {limit} MB.", fn=fn, related=related)
