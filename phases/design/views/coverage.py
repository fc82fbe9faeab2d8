"""The design coverage page: agreed requirements no design or function description covers."""

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from phases.design import selectors
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability


class CoverageView(ProjectAccessMixin, TemplateView):
    template_name = "design/coverage.html"
    capability = Capability.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coverage = selectors.design_coverage(user=self.request.user, project=self.project)
        context["coverage"] = coverage
        context["chart_data"] = {
            "labels": [_("Covered"), _("Not covered")],
            "datasets": [
                {"label": _("Agreed requirements"), "data": [coverage.covered_count, coverage.uncovered_count]}
            ],
        }
        return context
