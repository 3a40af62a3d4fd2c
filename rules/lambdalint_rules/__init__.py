"""lambdalint's built-in rule pack. Each area is a subpackage; each rule one module."""
