"""Kick-off extras: the RACI grid editor and the printable one-page kick-off."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from phases.discovery import selectors, services
from projects.actions import blank_form, call_service, form_error_list
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability

C = Capability
MAX_RACI_ROWS = 200


class KickoffRaci(ProjectAccessMixin, TemplateView):
    """Edit the RACI matrix as a grid: one row per activity, one column per person."""

    capability = C.EDIT
    template_name = "discovery/kickoff_raci.html"
    blank_rows = 3

    def get_kickoff(self):
        return selectors.kickoff_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kickoff = kwargs.get("kickoff") or self.get_kickoff()
        columns, rows = selectors.raci_grid(kickoff, blank_rows=self.blank_rows)
        if "posted_rows" in kwargs:
            rows = kwargs["posted_rows"]
        context.update(kickoff=kickoff, columns=columns, rows=rows, letters=["", "R", "A", "C", "I"])
        return context

    def post(self, request, code, pk):
        kickoff = self.get_kickoff()
        rows, display = [], []
        count = int(request.POST.get("row_count") or 0)
        column_keys = [key for key, _label in selectors.raci_grid(kickoff, blank_rows=0)[0]]
        for i in range(min(count, MAX_RACI_ROWS)):
            name = request.POST.get(f"activity-{i}", "").strip()
            cells = {key: request.POST.get(f"cell-{i}-{key}", "") for key in column_keys}
            display.append({"activity": name, "cells": [(key, cells[key]) for key in column_keys]})
            if name or any(cells.values()):
                rows.append({"activity": name, "cells": cells})
        form = blank_form()
        saved = call_service(
            form,
            services.kickoff_set_raci,
            kickoff=kickoff,
            by=request.user,
            version=int(request.POST.get("version") or 0),
            rows=rows,
        )
        if saved is None:
            error = " ".join(form_error_list(form))
            return self.render_to_response(self.get_context_data(kickoff=kickoff, posted_rows=display, error=error))
        messages.success(request, _("RACI matrix saved."))
        return redirect(kickoff.get_absolute_url())


class KickoffPrint(ProjectAccessMixin, TemplateView):
    """The kick-off on one printable page for the client (browser print → PDF)."""

    capability = C.VIEW
    template_name = "discovery/kickoff_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kickoff = selectors.kickoff_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
        context.update(kickoff=kickoff, raci=selectors.raci_matrix(kickoff))
        return context
