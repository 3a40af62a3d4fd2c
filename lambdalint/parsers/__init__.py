"""Parsers: one per dialect, each producing the same :class:`lambdalint.model.Application`."""
