"""Pages of the support plan and of training: the plan with its teams, escalation contacts and
sign-off; sessions with invitations and attendance; completion per role and per process.
Every write is a service call (``golive.services.people``): a page refuses what the API refuses."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from golive.filters.people import TrainingSessionFilterSet
from golive.forms_people import AttendanceForm, EscalationForm, InviteForm, SessionForm, SupportPlanForm, TeamForm
from golive.selectors import people as selectors
from golive.services import people as services
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability as C
from projects.roles import can, may_decide


def _version(request) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else -1


def plan_context(user, project) -> dict:
    """The plan with what every plan page shows: teams, escalation, sign-off state."""
    services.support_plan_get_or_create(project)
    plan = selectors.support_plan_of(user=user, project=project)
    signoff = plan.signoff
    return {
        "plan": plan,
        "teams": selectors.team_list(user=user).filter(plan=plan),
        "escalations": selectors.escalation_list(user=user).filter(plan=plan),
        "signoff": signoff,
        "changed_since_approval": services.plan_changed_since_approval(plan),
        "may_decide": signoff is not None and may_decide(user, signoff),
    }


class PlanMixin:
    def get_plan(self):
        if not hasattr(self, "_plan"):
            services.support_plan_get_or_create(self.project)
            self._plan = selectors.support_plan_of(user=self.request.user, project=self.project)
        return self._plan


# --- support plan -----------------------------------------------------------------------


class SupportPlanView(ProjectAccessMixin, TemplateView):
    template_name = "golive/people/support_plan.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        return super().get_context_data(**plan_context(self.request.user, self.project), **kwargs)


class SupportPlanEditView(PlanMixin, ServiceFormView):
    template_name = "golive/people/form.html"
    form_class = SupportPlanForm
    capability = C.EDIT
    success_message = gettext_lazy("Support plan saved.")

    def get_initial(self):
        plan = self.get_plan()
        return {name: getattr(plan, name) for name in services.PLAN_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Edit the support plan"),
            version=self.get_plan().version,
            cancel_url=self.get_plan().get_absolute_url(),
            **kwargs,
        )

    def perform(self, form):
        return services.support_plan_update(
            plan=self.get_plan(), by=self.request.user, version=_version(self.request), **form.cleaned_data
        )


class SupportPlanRequestView(PlanMixin, ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Sign-off requested from the sponsor.")

    def get_object(self):
        return self.get_plan()

    def perform(self, form):
        return services.support_plan_request_approval(plan=self.object, by=self.request.user)

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class TeamEditView(PlanMixin, ServiceFormView):
    """Create (no ``pk``) or edit a support team."""

    template_name = "golive/people/form.html"
    form_class = TeamForm
    capability = C.EDIT
    success_message = gettext_lazy("Support team saved.")

    def get_team(self):
        pk = self.kwargs.get("pk")
        return selectors.team_get(user=self.request.user, project=self.project, pk=pk) if pk else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def get_initial(self):
        team = self.get_team()
        if team is None:
            return {}
        return {"name": team.name, "working_hours": team.working_hours, "members": list(team.members.all())}

    def get_context_data(self, **kwargs):
        heading = _("Edit support team") if self.kwargs.get("pk") else _("New support team")
        return super().get_context_data(heading=heading, cancel_url=self.get_plan().get_absolute_url(), **kwargs)

    def perform(self, form):
        team = self.get_team()
        if team is None:
            return services.team_create(plan=self.get_plan(), by=self.request.user, **form.cleaned_data)
        return services.team_update(team=team, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, result=None):
        return self.get_plan().get_absolute_url()


class TeamDeleteView(ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Support team deleted.")

    def get_object(self):
        return selectors.team_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.team_delete(team=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        return self.object.plan.get_absolute_url()


class EscalationEditView(PlanMixin, ServiceFormView):
    """Create (no ``pk``) or edit an escalation contact."""

    template_name = "golive/people/form.html"
    form_class = EscalationForm
    capability = C.EDIT
    success_message = gettext_lazy("Escalation contact saved.")

    def get_escalation(self):
        pk = self.kwargs.get("pk")
        return selectors.escalation_get(user=self.request.user, project=self.project, pk=pk) if pk else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.get_plan()}

    def get_initial(self):
        row = self.get_escalation()
        return {} if row is None else {name: getattr(row, name) for name in services.ESCALATION_FIELDS}

    def get_context_data(self, **kwargs):
        heading = _("Edit escalation contact") if self.kwargs.get("pk") else _("New escalation contact")
        return super().get_context_data(heading=heading, cancel_url=self.get_plan().get_absolute_url(), **kwargs)

    def perform(self, form):
        row = self.get_escalation()
        if row is None:
            return services.escalation_create(plan=self.get_plan(), by=self.request.user, **form.cleaned_data)
        return services.escalation_update(escalation=row, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, result=None):
        return self.get_plan().get_absolute_url()


class EscalationDeleteView(ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Escalation contact deleted.")

    def get_object(self):
        return selectors.escalation_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.escalation_delete(escalation=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        return self.object.plan.get_absolute_url()


# --- training ---------------------------------------------------------------------------


class TrainingListView(ProjectFilteredListView):
    template_name = "golive/people/training_list.html"
    context_object_name = "sessions"
    filterset_class = TrainingSessionFilterSet

    def rows(self):
        return selectors.session_list(user=self.request.user).prefetch_related("processes")


class TrainingEditView(ServiceFormView):
    """Create (no ``pk``) or edit a training session."""

    template_name = "golive/people/form.html"
    form_class = SessionForm
    capability = C.EDIT
    success_message = gettext_lazy("Training session saved.")

    def get_session(self):
        pk = self.kwargs.get("pk")
        return selectors.session_get(user=self.request.user, project=self.project, pk=pk) if pk else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def get_initial(self):
        session = self.get_session()
        if session is None:
            return {}
        initial = {name: getattr(session, name) for name in services.SESSION_FIELDS - {"processes"}}
        return {**initial, "processes": list(session.processes.all())}

    def get_context_data(self, **kwargs):
        session = self.get_session()
        return super().get_context_data(
            heading=_("Edit training session") if session else _("New training session"),
            version=session.version if session else None,
            cancel_url=session.get_absolute_url() if session else "",
            **kwargs,
        )

    def perform(self, form):
        session = self.get_session()
        if session is None:
            return services.session_create(project=self.project, by=self.request.user, **form.cleaned_data)
        return services.session_update(
            session=session, by=self.request.user, version=_version(self.request), **form.cleaned_data
        )


class TrainingDetailView(ProjectAccessMixin, TemplateView):
    """The session with its attendance table; editors and the trainer record attendance."""

    template_name = "golive/people/training_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        user = self.request.user
        session = selectors.session_get(user=user, project=self.project, pk=self.kwargs["pk"])
        may_edit = can(user, self.project, C.EDIT)
        return super().get_context_data(
            session=session,
            attendance=selectors.attendance_list(user=user).filter(session=session),
            may_edit=may_edit,
            may_record=may_edit or session.trainer_id == user.pk,
            statuses=AttendanceForm.base_fields["status"].choices,
            invite_form=InviteForm(project=self.project, initial={"roles": session.audience_roles}),
            **kwargs,
        )


class SessionActionMixin:
    def get_object(self):
        return selectors.session_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])


class TrainingDeleteView(SessionActionMixin, ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Training session deleted.")

    def perform(self, form):
        services.session_delete(session=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        from django.urls import reverse

        return reverse("golive:training_list", args=[self.project.code])


class TrainingInviteView(SessionActionMixin, ServiceActionView):
    capability = C.EDIT
    form_class = InviteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def perform(self, form):
        data = form.cleaned_data
        return services.invite(
            session=self.object, by=self.request.user, users=list(data["users"]), roles=data["roles"] or None
        )

    def get_success_message(self, result):
        return _("%(n)s people invited.") % {"n": result}

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class AttendanceRecordView(ServiceActionView):
    """One attendance row's status (the service allows editors and the session's trainer)."""

    capability = C.VIEW
    form_class = AttendanceForm
    success_message = gettext_lazy("Attendance recorded.")

    def get_object(self):
        return selectors.attendance_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        row = self.object
        return services.attendance_record(
            session=row.session, user=row.user, status=form.cleaned_data["status"], by=self.request.user
        )

    def get_success_url(self, result):
        return self.object.session.get_absolute_url()


class TrainingCompletionView(ProjectAccessMixin, TemplateView):
    """Attended / invited per role and per process, as tables and bar charts."""

    template_name = "golive/people/training_completion.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        by_role = selectors.completion_by_role(project=self.project)
        by_process = selectors.completion_by_process(project=self.project)
        return super().get_context_data(
            by_role=by_role,
            by_process=by_process,
            role_chart=_chart(by_role),
            process_chart=_chart(by_process),
            **kwargs,
        )


def _chart(rows) -> dict:
    return {
        "labels": [row.label for row in rows],
        "datasets": [
            {"label": _("Invited"), "data": [row.invited for row in rows]},
            {"label": _("Attended"), "data": [row.attended for row in rows]},
        ],
    }
