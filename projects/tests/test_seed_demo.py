"""``manage.py seed_demo`` builds the demo project once; running it again changes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from projects.models import Project
from projects.roles import Role

pytestmark = pytest.mark.django_db


def _row_counts():
    return {
        model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.app_label != "sessions"
    }


def test_seed_demo_creates_the_demo_project_with_every_role_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    project = Project.objects.get(code="DEMO-ERP")
    assert set(project.memberships.values_list("role", flat=True)) == set(Role.values)
    assert project.phases.count() == 6 and project.tasks.exists()
    first = _row_counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    second = _row_counts()
    changed = {label: (first[label], second[label]) for label in first if first[label] != second[label]}
    changed.pop("auditlog.LogEntry", None)
    assert changed == {}
    assert "demo1234" in out.getvalue()
