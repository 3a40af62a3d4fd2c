from __future__ import annotations

from collections.abc import Iterator

from lambdalint.graph import CONFIGURED
from lambdalint.model import Application
from lambdalint.rule import ApplicationRule, Context, Finding, Severity
from lambdalint_rules.recursion._common import Loop, detection, evidence, flow, graph, hops, loops, related

_LOOP = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Resize:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://artifacts/resize.zip
      Policies:
        - Statement:
            - Effect: Allow
              Action: s3:PutObject
              Resource: !Sub "${Uploads.Arn}/KEY*"
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
            Filter: {S3Key: {Rules: [{Name: prefix, Value: incoming/}]}}
"""


class RecursiveLoop(ApplicationRule):
    """A function writes to a resource that (directly or over several hops) triggers it again.

    The event graph links functions to what triggers them (bucket notifications, SQS, Kinesis
    and DynamoDB stream event sources, SNS subscriptions, EventBridge rules) and to what their
    execution role lets them write (`s3:PutObject`, `sqs:SendMessage`, `sns:Publish`, DynamoDB
    item writes on a table with a stream, `kinesis:PutRecord(s)`, `events:PutEvents`,
    `lambda:InvokeFunction`), their dead-letter target and their destinations. Every elementary
    cycle is reported once, at the permission that closes it, with every hop, a related location
    for each resource and the path as a SARIF code flow. S3 writes are matched against the
    notification's prefix and suffix: disjoint scopes are no loop. A loop that rests on a
    wildcard permission (`Resource: "*"`) is reported too, and the message says so. A
    destination (on success or on failure) that is the function itself is a loop of one hop.
    The S3 notifications `cdk synth` writes as `Custom::S3BucketNotifications` count as the
    bucket's own.

    ## Why is this bad?
    Each invocation causes the next one, forever: the bill grows until someone notices. Lambda's
    recursive loop detection stops loops through Lambda, SQS, SNS and S3 after about 16
    invocations, but loops through DynamoDB streams, Kinesis and EventBridge are not detected.

    ## How to fix
    Write the output somewhere else (another bucket, another queue), or scope the write to keys
    the notification does not match (`output/` when it listens on `incoming/`), and grant the
    function only that.
    """

    id = "RC001"
    name = "recursive-loop"
    severity = Severity.ERROR
    kind = "soft"
    tags = ("recursion", "cost")
    precision = "high"
    references = (
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html",
        "https://serverlessland.com/content/service/lambda/guides/aws-lambda-operator-guide/recursive-runaway",
    )
    bad_example = _LOOP.replace("KEY", "incoming/")
    good_example = _LOOP.replace("KEY", "resized/")

    def check(self, app: Application, ctx: Context) -> Iterator[Finding]:
        found = loops(ctx)
        g = graph(ctx)
        # a function whose destination is itself: every invocation that ends starts another
        for fid in app.functions:
            mine = [e for e in g.edges.get((fid, fid)) or () if e.detail in CONFIGURED]
            if mine:
                found = [*found, Loop((fid,), (mine[0],))]
        for loop in found:
            closing = loop.closing()
            wildcard = (" The loop rests on a wildcard permission (Resource \"*\"): if the code never writes "
                        "there, scope the permission to what it does write.") if loop.wildcard_only() else ""
            fn = app.functions.get(closing.src)
            needs = next((e.requires for e in loop.edges if e.requires), "")
            if needs:  # the code's event source is not in the template: say what the loop needs
                needs = (f" The loop needs {needs}; if it never does, allow events:PutEvents only with an "
                         f"events:source condition that excludes it.")
            yield self.finding(
                closing.source,
                f"Recursive loop: {hops(g, loop)}{evidence(ctx, g, loop)}. {detection(g, loop)}.{wildcard}{needs}",
                resource=closing.src, resource_source=fn.source if fn else None,
                related=related(g, loop), flow=flow(g, loop))
