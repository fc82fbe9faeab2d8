"""The cutover runbook's engine: scheduling on plain data (``golive.cutover.graph``)."""
