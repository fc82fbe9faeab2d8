"""Existing projects get the methodology's readiness criteria (new ones get them when created)."""

from django.db import migrations


def seed(apps, schema_editor):
    from golive.readiness.defaults import DEFAULT_CRITERIA

    Project = apps.get_model("projects", "Project")
    Criterion = apps.get_model("golive", "ReadinessCriterion")
    seeded = set(Criterion.objects.values_list("project_id", flat=True).distinct())
    rows = []
    for project_id in Project.objects.exclude(pk__in=seeded).values_list("pk", flat=True):
        for n, (code, title, category, kind, rule, params, weight, blocking, internal) in enumerate(
            DEFAULT_CRITERIA, start=1
        ):
            rows.append(
                Criterion(
                    project_id=project_id, code=code, title=title, category=category, kind=kind, rule=rule,
                    parameters=params, weight=weight, blocking=blocking, internal=internal, order=n * 10,
                )  # fmt: skip
            )
    Criterion.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("golive", "0001_initial"), ("projects", "0004_order_by_project_id")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
