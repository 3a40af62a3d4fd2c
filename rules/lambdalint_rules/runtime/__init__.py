"""runtime rules."""
