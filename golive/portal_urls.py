"""Portal pages of the go-live app, mounted at ``/portal/<code>/golive/`` (``golive.parts``)."""

from golive.parts import patterns

app_name = "golive-portal"

urlpatterns = patterns("golive.portal_urls_")
