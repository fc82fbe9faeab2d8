"""Access for dashboard and portal views: the project from the URL, scoped, and a capability.

Modelled on Django's access mixins: one hook per concern. An unknown project or one the
user is not a member of answers 404; a missing capability answers 403.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.views.generic import ListView

from projects import selectors
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


class ProjectFilteredListView(ProjectAccessMixin, ListView):
    """A paginated list of one project's rows, filtered by ``filterset_class``.

    The FilterSet is the one the API uses; ``rows`` returns the user's scoped queryset
    (a selector), narrowed here to the project of the URL. The bound filter form is in the
    context as ``filter_form``.
    """

    capability = Capability.VIEW
    paginate_by = 50
    filterset_class = None

    def rows(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define rows().")

    def get_queryset(self):
        base = self.rows().filter(project=self.project)
        self.filterset = self.filterset_class(self.request.GET, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filterset.form
        return context
