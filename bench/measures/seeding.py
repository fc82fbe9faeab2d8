"""The benchmark's user and projects, with the engine's built-in master data objects."""

from __future__ import annotations

import inspect
from datetime import date, timedelta


def bench_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "email": "bench@localhost"}
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def bench_project(code: str, user):
    from projects import services
    from projects.models import Project

    project = Project.objects.filter(code=code).first()
    if project is None:
        today = date.today()
        project = services.project_create(
            by=user,
            code=code,
            name=f"Benchmark {code}",
            client_name="Benchmark",
            planned_start=today,
            planned_golive=today + timedelta(days=180),
        )
    ensure_builtin_objects(project, user)
    return project


def call_flexibly(fn, **available):
    """Call ``fn`` with the keyword arguments it declares among ``available``."""
    params = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in available.items() if k in params})


def ensure_builtin_objects(project, user) -> str:
    """Seed the built-in master data objects through the engine's service, if it has one."""
    try:
        from datamigration import services
    except ImportError:
        return "no datamigration.services: the command is expected to create the objects"
    for name in ("builtin_objects_ensure", "masterdata_objects_seed", "builtin_objects_seed"):
        fn = getattr(services, name, None)
        if fn:
            call_flexibly(fn, project=project, by=user, user=user)
            return f"datamigration.services.{name}"
    return "no seeding service found: the command is expected to create the objects"
