"""Models of the Discovery & Planning app (built by its own issue)."""
