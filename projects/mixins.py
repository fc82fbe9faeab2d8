"""Access for dashboard and portal views: the project from the URL, scoped, and a capability.

Modelled on Django's access mixins: one hook per concern. An unknown project or one the
user is not a member of answers 404; a missing capability answers 403.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext as _
from django.views.generic import ListView

from projects import selectors
from projects.forms import person_label
from projects.roles import Capability, can


class ProjectAccessMixin(LoginRequiredMixin):
    capability: Capability | None = None
    project_url_kwarg = "code"

    def get_capability(self) -> Capability:
        if self.capability is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set 'capability'.")
        return self.capability

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.project = selectors.project_get(user=request.user, code=kwargs[self.project_url_kwarg])
        if not can(request.user, self.project, self.get_capability()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("project", self.project)
        return super().get_context_data(**kwargs)


def filter_params(query):
    """The filters a page's GET carries, without the ones left on "Any" (an empty value).

    A page offers one value per filter with "Any" as the empty choice; the FilterSet (the
    API's, which takes several values) would read an empty value as a choice and refuse it.
    """
    params = query.copy()
    for name in list(params):
        values = [v for v in params.getlist(name) if v != ""]
        if values:
            params.setlist(name, values)
        else:
            del params[name]
    return params


def page_filter_form(form, *, project, fields=None, hide=("project",), labels=None):
    """A FilterSet's form (the API's) made fit for a page of one project.

    The project filter goes (the URL names the project), and so does anything in ``hide``;
    when ``fields`` is given the page shows just those, in that order. A multiple-choice
    filter offers one value ("Any" or one; the API accepts several), a yes/no filter
    Any/Yes/No; related choices (people, cycles, …) are those of this project; ``labels``
    renames fields for the page; fields get the Bootstrap classes.
    """
    names = [n for n in (fields if fields is not None else form.fields) if n in form.fields and n not in hide]
    form.fields = {name: form.fields[name] for name in names}
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            if queryset.model is get_user_model():
                field.queryset = queryset.filter(memberships__project=project).distinct()
                field.label_from_instance = person_label
            elif any(f.name == "project" for f in queryset.model._meta.fields):
                field.queryset = queryset.filter(project=project)
        if isinstance(field, forms.MultipleChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
            field.widget = forms.Select(choices=[("", _("Any"))] + [c for c in field.choices if c[0]])
        elif isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
        elif isinstance(field, forms.ModelChoiceField):
            field.empty_label = _("Any")
        elif isinstance(field, forms.ChoiceField):
            if getattr(field, "empty_label", None) == "---------":  # django-filter's default
                field.empty_label = _("Any")
                field.choices = [c for c in field.choices if c[0] != ""]  # re-adds the empty choice
            elif not any(c[0] == "" for c in field.choices):
                field.choices = [("", _("Any")), *field.choices]
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)
        if labels and name in labels:
            field.label = labels[name]
    form._bound_fields_cache.clear()  # bound fields made while filtering keep the old labels
    return form


class ProjectFilteredListView(ProjectAccessMixin, ListView):
    """A paginated list of one project's rows, filtered by ``filterset_class``.

    The FilterSet is the one the API uses; ``rows`` returns the user's scoped queryset
    (a selector), narrowed here to the project of the URL. The bound filter form, fit for
    the page (``page_filter_form``), is in the context as ``filter_form``.
    """

    capability = Capability.VIEW
    paginate_by = 50
    filterset_class = None
    #: The filters the page shows (``None``: all of the FilterSet's but ``hidden_filters``).
    filter_fields: tuple[str, ...] | None = None
    hidden_filters: tuple[str, ...] = ("project",)
    filter_labels: dict | None = None

    def rows(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define rows().")

    def get_queryset(self):
        base = self.rows().filter(project=self.project)
        self.filterset = self.filterset_class(filter_params(self.request.GET), queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = page_filter_form(
            self.filterset.form,
            project=self.project,
            fields=self.filter_fields,
            hide=self.hidden_filters,
            labels=self.filter_labels,
        )
        return context
