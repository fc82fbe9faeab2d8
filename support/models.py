"""Models of the Support app (built by its own issue)."""
