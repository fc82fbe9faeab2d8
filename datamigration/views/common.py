"""What every page of the app shares: the dashboard/portal switch, and the download format."""

from django.http import Http404
from django.urls import reverse

from datamigration import exports
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability, can

C = Capability


class PageMixin(ProjectAccessMixin):
    """A page of the dashboard, or of the portal when ``portal`` is set (layout and URLs)."""

    portal = False
    capability = C.VIEW

    @property
    def ns(self) -> str:
        return "datamigration-portal" if self.portal else "datamigration"

    def url(self, name, *args):
        return reverse(f"{self.ns}:{name}", args=[self.project.code, *args])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            base_template="portal/base.html" if self.portal else "dashboard/base.html",
            ns=self.ns,
            portal=self.portal,
            may_upload=can(self.request.user, self.project, C.UPLOAD_DATA),
            may_load=can(self.request.user, self.project, C.RUN_JOBS),
        )
        return context


def check_format(fmt: str) -> str:
    """``csv`` or ``xlsx`` from the URL; anything else is a page that does not exist."""
    if fmt not in exports.FORMATS:
        raise Http404
    return fmt


def portal(view_class):
    """The portal's variant of a page (portal layout, ``datamigration-portal`` URLs)."""
    return type(f"Portal{view_class.__name__}", (view_class,), {"portal": True})
