"""The product's URL conf plus ``/bench/bare/<resource>/`` (``bare.py``), for the benchmark only."""

from django.urls import path

from bench.webbench import bare
from erpimpl.urls import handler400, handler403, handler404, handler500  # noqa: F401
from erpimpl.urls import urlpatterns as product_urls

urlpatterns = [path("bench/bare/<str:app>/<str:resource>/", bare.rows, name="bench-bare"), *product_urls]
