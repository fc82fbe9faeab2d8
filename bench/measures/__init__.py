"""The benchmark's measures: COPY and django-import-export baselines, XLSX reading, erpimpl's engine."""
