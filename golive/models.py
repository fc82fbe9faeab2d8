"""Models of the Deployment (go-live) app (built by its own issue)."""
