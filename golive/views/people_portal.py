"""Portal pages of the people side of going live: "My training", the published user guides,
and the support plan summary (hypercare dates, escalation contacts) where the sponsor decides
the plan's sign-off through the project's approval action (``projects:approval_decide``)."""

from django.views.generic import TemplateView

from golive.models import Attendance
from golive.selectors import people as selectors
from golive.views.people import plan_context
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability as C


class MyTrainingView(ProjectAccessMixin, TemplateView):
    template_name = "golive/portal/people_training.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        labels = dict(Attendance.Status.choices)
        sessions = list(selectors.my_sessions(user=self.request.user, project=self.project)[:200])
        for session in sessions:
            session.my_status_label = labels.get(session.my_status, "")
        return super().get_context_data(sessions=sessions, **kwargs)


class PortalGuidesView(ProjectAccessMixin, TemplateView):
    template_name = "golive/portal/people_guides.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        guides = (
            selectors.guide_list(user=self.request.user)
            .filter(project=self.project, published=True)
            .prefetch_related("versions")
        )
        return super().get_context_data(guides=guides, **kwargs)


class PortalSupportPlanView(ProjectAccessMixin, TemplateView):
    template_name = "golive/portal/people_support.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = plan_context(self.request.user, self.project)
        context["waiting"] = [context["signoff"]] if context["may_decide"] else []
        return super().get_context_data(**context, **kwargs)
