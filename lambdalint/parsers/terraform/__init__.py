"""Terraform: a directory of ``.tf`` files (one module) into an :class:`Application`."""
