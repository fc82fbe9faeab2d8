"""The user's own profile: API tokens."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from projects import selectors, services
from projects.forms import (
    TokenCreateForm,
)
from projects.roles import Capability

C = Capability


class ProfileView(LoginRequiredMixin, FormView):
    """The user's profile: API tokens (create, shown once; list; revoke)."""

    template_name = "projects/profile.html"
    form_class = TokenCreateForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = selectors.token_list(user=self.request.user)
        context["memberships"] = self.request.user.memberships.select_related("project")
        return context

    def form_valid(self, form):
        instance, token = services.token_create(user=self.request.user, expiry_days=form.cleaned_data["expiry_days"])
        context = self.get_context_data(form=self.form_class())
        context["new_token"] = token
        return self.render_to_response(context)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, token_key):
        if services.token_revoke(user=request.user, token_key=token_key):
            messages.success(request, _("Token revoked."))
        return redirect("profile")
