"""quotas rules."""
