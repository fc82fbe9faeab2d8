"""Settings of the page and API benchmark only: erpimpl's settings, the bench URL conf (the
product's URLs plus the bare comparison views) and connections kept between requests, as
under gunicorn in production (README, "Running in production"). Never used by the product.

Static files are served without the manifest (no ``collectstatic`` into the shared
``var/static``); ``django.request`` logs only what is not a 4xx answer the benchmark asked for.
"""

import copy

from erpimpl.env import env_int
from erpimpl.settings import *  # noqa: F403
from erpimpl.settings import ALLOWED_HOSTS, DATABASES, LOGGING, STORAGES

ROOT_URLCONF = "bench.webbench.urls"
DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "127.0.0.1", "localhost"]
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 600)
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
LOGGING = copy.deepcopy(LOGGING)
LOGGING["loggers"] = {
    "django.request": {"level": "CRITICAL"},
    "django.security": {"level": "CRITICAL"},
    "datamigration": {"level": "WARNING"},
}
