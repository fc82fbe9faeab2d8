"""Pieces the design pages share (and the development pages reuse).

``page_filter_form`` and ``PageFilteredListView`` show a list's FilterSet form as the shared
``templates/_filters.html`` expects it. They belong in ``projects.mixins``
(``ProjectFilteredListView.filter_fields``); until then they live here, once.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.mixins import ProjectFilteredListView


def page_filter_form(form, fields, *, labels=None):
    """The FilterSet's ``form`` as a list page shows it: only ``fields``, in that order (the
    project is the page's, never a filter); one value per choice filter (the API accepts
    several); an "Any" choice; Bootstrap classes. ``labels`` renames fields for the page."""
    form.fields = {name: form.fields[name] for name in fields}
    for name, field in form.fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            field.widget = forms.Select(choices=[("", _("Any"))] + [c for c in field.choices if c[0]])
        elif isinstance(field, forms.ModelChoiceField):
            field.empty_label = _("Any")
        css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)
        if labels and name in labels:
            field.label = labels[name]
    return form


class PageFilteredListView(ProjectFilteredListView):
    """``ProjectFilteredListView`` whose ``filter_form`` shows only ``filter_fields``."""

    filter_fields: tuple[str, ...] = ()
    filter_labels: dict | None = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = page_filter_form(self.filterset.form, self.filter_fields, labels=self.filter_labels)
        return context
