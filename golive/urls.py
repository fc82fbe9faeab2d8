"""Dashboard pages of the go-live app, mounted at ``/projects/<code>/golive/`` (``golive.parts``)."""

from golive.parts import patterns

app_name = "golive"

urlpatterns = patterns("golive.urls_")
