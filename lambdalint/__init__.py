"""lambdalint: a linter and policy checker for AWS Lambda configurations."""

__version__ = "0.1.0"
