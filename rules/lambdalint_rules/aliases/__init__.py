"""aliases rules."""
