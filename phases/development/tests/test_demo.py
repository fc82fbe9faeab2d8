"""The demo board: every type and status, four environments, one transport; seeding twice adds nothing."""

from django.contrib.auth.models import Group, Permission

from phases.development import demo
from phases.development.models import DevelopmentItem, Release
from projects import demo as project_demo


def test_demo_board_is_believable_and_idempotent(db):
    consultants = Group.objects.create(name="Consultants")
    consultants.permissions.add(Permission.objects.get(codename="add_project", content_type__app_label="projects"))
    users = project_demo.seed_users(password="pw-demo-1", consultants=consultants)
    project = project_demo.seed_project(users)
    demo.seed(project, users)
    items = DevelopmentItem.objects.filter(project=project)
    assert 10 <= items.count() <= 15
    assert set(items.values_list("type", flat=True)) == set(DevelopmentItem.Type.values)
    assert set(items.values_list("status", flat=True)) == set(DevelopmentItem.Status.values)
    assert set(project.environments.values_list("name", flat=True)) == {"DEV", "TEST", "UAT", "PROD"}
    release = Release.objects.get(project=project)
    assert release.status == Release.Status.TRANSPORTED and release.items.count() >= 3
    assert all(i.current_environment.name == "TEST" for i in release.items.all())
    assert all(i.external_system for i in items.filter(type="interface"))
    counts = (items.count(), project.environments.count(), Release.objects.count())
    demo.seed(project, users)
    assert (items.count(), project.environments.count(), Release.objects.count()) == counts
