"""Settings for the benchmark only: erpimpl's settings plus the django-import-export baseline app.

Used by ``bench/run.py`` (``DJANGO_SETTINGS_MODULE=bench.settings``); never by the product.
django-import-export is pinned in ``bench/requirements.txt``, not in the main requirements.
"""

from erpimpl.settings import *  # noqa: F403
from erpimpl.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "import_export", "bench.iebench"]
