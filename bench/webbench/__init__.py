"""The page and API benchmark of issue 11 (``bench/pages.py``): routes, measuring, load, report."""
