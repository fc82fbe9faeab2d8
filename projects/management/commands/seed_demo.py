"""``python manage.py seed_demo``: a demo project with a member in every role (idempotent).

Each app may add its own demo content in ``<app>/demo.py`` with a function
``seed(project, users)``; this command calls them in app order. Running it again changes
nothing that is already there.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from projects import demo


class Command(BaseCommand):
    help = "Create (or complete) the demo project, its users in every role and demo content of every app."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=demo.DEMO_PASSWORD, help="Password of the demo users.")

    @transaction.atomic
    def handle(self, *args, password, **options):
        consultants, _ = Group.objects.get_or_create(name=demo.CONSULTANTS_GROUP)
        consultants.permissions.add(Permission.objects.get(codename="add_project", content_type__app_label="projects"))
        users = demo.seed_users(password=password, consultants=consultants)
        project = demo.seed_project(users)
        for config in apps.get_app_configs():
            if config.name == "projects":
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            module.seed(project, users)
            self.stdout.write(f"  {config.label}: demo content ready")
        self.stdout.write(self.style.SUCCESS(f"Demo project {project.code} ready. Logins (password {password!r}):"))
        for role, user in users.items():
            self.stdout.write(f"  {user.username:<12} {role}")
