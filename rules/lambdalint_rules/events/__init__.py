"""events rules."""
