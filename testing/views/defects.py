"""Defect pages: list, raise, detail (with the moves the user may make), triage, move, comment."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability, allowed_moves, can
from testing import selectors, services
from testing.filters import DefectFilterSet
from testing.forms import CommentForm, DefectEditForm, DefectForm, DefectTransitionForm
from testing.models import Defect
from testing.transitions import DEFECT_TRANSITIONS, OPEN_DEFECT_STATUSES

C = Capability


class DefectListView(ProjectFilteredListView):
    template_name = "testing/defect_list.html"
    context_object_name = "defects"
    filterset_class = DefectFilterSet
    filter_fields = ("status", "severity", "open", "q")

    def rows(self):
        return selectors.defect_list(user=self.request.user)


class DefectCreateView(ServiceFormView):
    template_name = "testing/defect_form.html"
    form_class = DefectForm
    capability = C.PARTICIPATE

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("step_result", None)
        return services.defect_create(project=self.project, by=self.request.user, **data)

    def get_success_message(self, result):
        return _("Defect %(code)s raised.") % {"code": result.code}


class DefectDetailView(ProjectAccessMixin, TemplateView):
    template_name = "testing/defect_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        defect = selectors.defect_get(user=user, project=self.project, pk=self.kwargs["pk"])
        moves = allowed_moves(user, self.project, DEFECT_TRANSITIONS, defect.status)
        step = defect.step_result
        context.update(
            defect=defect,
            step=step,
            step_evidence=selectors.step_evidence(user=user, step_result=step) if step else [],
            moves=[(status, Defect.Status(status).label) for status in moves],
            comment_form=CommentForm(),
            is_open=defect.status in OPEN_DEFECT_STATUSES,
        )
        if can(user, self.project, C.EDIT):
            context["edit_form"] = DefectEditForm(
                project=self.project,
                initial={
                    "version": defect.version,
                    "title": defect.title,
                    "description": defect.description,
                    "severity": defect.severity,
                    "priority": defect.priority,
                    "assignee": defect.assignee,
                    "development_item": defect.development_item,
                    "environment": defect.environment,
                },
            )
        return context


class DefectActionView(ServiceActionView):
    """A POST on one defect; back to the defect (or to a safe ``next``)."""

    def get_object(self):
        return selectors.defect_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])


class DefectEditView(DefectActionView):
    capability = C.EDIT
    form_class = DefectEditForm
    success_message = gettext_lazy("Defect saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.defect_update(defect=self.object, by=self.request.user, version=version, **data)


class DefectTransitionView(DefectActionView):
    capability = C.PARTICIPATE
    form_class = DefectTransitionForm
    success_message = gettext_lazy("Defect status changed.")

    def perform(self, form):
        return services.defect_transition(
            defect=self.object,
            by=self.request.user,
            to_status=form.cleaned_data["to_status"],
            comment=form.cleaned_data["comment"],
        )


class DefectCommentView(DefectActionView):
    capability = C.PARTICIPATE
    form_class = CommentForm
    success_message = gettext_lazy("Comment added.")

    def perform(self, form):
        return services.defect_comment_add(defect=self.object, by=self.request.user, body=form.cleaned_data["body"])
