"""Models of the Testing app (built by its own issue)."""
