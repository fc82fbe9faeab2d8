"""Models of the Design app (built by its own issue)."""
