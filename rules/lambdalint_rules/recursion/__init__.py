"""recursion rules."""
