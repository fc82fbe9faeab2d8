"""Models of the Development app (built by its own issue)."""
