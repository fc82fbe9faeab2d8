"""The one shape of a page action: form → service → message → redirect (or htmx partial).

Every app's POST-only pages use these pieces instead of writing the loop again:

- ``call_service(form, service, **kwargs)`` runs a service and puts its refusal on the
  form: ``DomainError`` on its field, ``ValidationError`` on its fields, ``ConflictError``
  (a stale ``version``) on the form with the 409 message. Returns the result or ``None``.
- ``safe_next(request, fallback)`` is the ``next`` URL of the request when it stays on
  this site, else ``fallback`` (no open redirect).
- ``errors_to_messages(request, form)`` flashes a form's errors.
- ``ServiceActionView`` is a POST-only view: it resolves the project and the capability
  (``ProjectAccessMixin``), binds ``form_class``, calls ``perform(form)`` through
  ``call_service``, flashes ``get_success_message(result)`` or the errors, and answers a
  safe redirect, or, for an htmx request when ``partial_template`` is set, the partial
  rendered with ``get_partial_context(...)``.

A subclass writes only what is its own: the object it acts on (``get_object``), the
service call (``perform``), the message and where to go next.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from erpimpl.errors import DELETE_BLOCKED, DomainError, blockers_of
from projects.mixins import ProjectAccessMixin


def call_service(form, service, **kwargs):
    """Run a service for a form; put its refusal on the form. Returns the result or ``None``.

    ``DomainError`` (``ConflictError`` included: its message says to reload) goes to its
    field, or to the form when the field is not on it; ``ValidationError`` to its fields.
    The page thus shows the same message the API answers.
    """
    try:
        return service(**kwargs)
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(NON_FIELD_ERRORS, exc.messages)
    except (ProtectedError, RestrictedError) as exc:  # a delete other rows block: the API's 409
        form.add_error(None, _(DELETE_BLOCKED).format(blockers=blockers_of(exc)))
    return None


def blank_form() -> forms.Form:
    """A bound, valid, empty form: somewhere to collect a service's refusal."""
    form = forms.Form({})
    form.is_valid()
    return form


def safe_next(request, fallback: str) -> str:
    """``next`` (POST, then GET) when it points to this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def form_error_list(form) -> list[str]:
    """Every error of a form as a flat list of strings (non-field errors first)."""
    errors = form.errors
    ordered = [NON_FIELD_ERRORS] + [name for name in errors if name != NON_FIELD_ERRORS]
    return [str(message) for name in ordered for message in errors.get(name, ())]


def errors_to_messages(request, form) -> None:
    for message in form_error_list(form):
        messages.error(request, message)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


class ServiceActionView(ProjectAccessMixin, View):
    """A POST-only page action on a project (see the module docstring).

    Set ``capability``; override ``perform``; optionally ``form_class``, ``get_object``,
    ``get_form_kwargs``, ``get_success_message``, ``get_success_url``, and
    ``partial_template`` with ``get_partial_context`` for htmx.
    """

    http_method_names = ["post"]
    form_class: type[forms.BaseForm] | None = None
    success_message: str = ""
    message_level: int = messages.SUCCESS
    partial_template: str | None = None

    def get_object(self):
        return None

    def get_form_kwargs(self) -> dict:
        return {"data": self.request.POST, "files": self.request.FILES}

    def get_form(self):
        if self.form_class is None:
            return blank_form()
        return self.form_class(**self.get_form_kwargs())

    def perform(self, form):
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform(form).")

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url(self, result) -> str:
        """Where to go afterwards (``next`` wins when it is safe); the object or the project."""
        target = result if result not in (None, True) and hasattr(result, "get_absolute_url") else None
        target = target or self.object
        if target is not None and hasattr(target, "get_absolute_url"):
            return target.get_absolute_url()
        return self.project.get_absolute_url()

    def get_partial_context(self, form, result) -> dict:
        return {}

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        result = None
        if form.is_valid():
            result = call_service(form, lambda: self.perform(form))
        ok = result is not None and not form.errors
        message = self.get_success_message(result) if ok else ""
        if self.partial_template and is_htmx(request):
            context = {"project": self.project, "form": form, "errors": form_error_list(form), "message": message}
            context.update(self.get_partial_context(form, result))
            return render(request, self.partial_template, context)
        if ok:
            if message:
                messages.add_message(request, self.message_level, message)
        else:
            errors_to_messages(request, form)
        return redirect(safe_next(request, self.get_success_url(result if ok else None)))


class ServiceFormView(ProjectAccessMixin, FormView):
    """A project page with a form whose valid data goes to a service (create or edit).

    Override ``perform(form)`` (call the service, return its result); set
    ``success_message`` or ``get_success_message(result)``, and ``get_success_url(result)``
    (default: the result's page). A refusal re-renders the form with the service's message
    on its field, exactly as the API would answer it.
    """

    success_message: str = ""

    def perform(self, form):
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform(form).")

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url(self, result=None) -> str:
        if result is not None and hasattr(result, "get_absolute_url"):
            return result.get_absolute_url()
        return self.project.get_absolute_url()

    def form_valid(self, form):
        result = call_service(form, lambda: self.perform(form))
        if result is None or form.errors:
            return self.form_invalid(form)
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url(result))
