"""vpc rules."""
