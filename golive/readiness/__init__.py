"""The built-in readiness rules (``rules``) and what they share (``base``)."""
