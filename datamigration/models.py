"""Models of the Master data migration app (built by its own issue)."""
