"""``python manage.py migrate_masterdata --project CODE --object products --file f.csv``

Uploads the file and starts a validation (``--validate-only``) or load run for the cycle
(``--cycle mock1``, default). The run executes on a Celery worker of the ``migrations``
queue (``--inline`` runs it in this process instead); the command shows a progress bar on
stderr and ends with one machine-readable line on stdout::

    RESULT {"run": 12, "status": "succeeded", "rows": 1000000, "valid": 990000, ...}

Exit status 0 when the run succeeded, 1 otherwise.
"""

import json
import socket
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from datamigration import selectors, services
from datamigration.models import MigrationRun
from erpimpl.errors import DomainError
from projects.models import Project
from projects.roles import Role


class Command(BaseCommand):
    help = "Validate or load a master data file for a project's object (through a Celery worker)."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="Project code.")
        parser.add_argument("--object", required=True, help="Object name, e.g. products.")
        parser.add_argument("--file", required=True, help="CSV or XLSX file.")
        parser.add_argument("--validate-only", action="store_true", help="Validate; stage nothing.")
        parser.add_argument("--cycle", default="mock1", help="mock1, mock2, ... or final.")
        parser.add_argument("--user", help="Acting user (default: a staff user, else the project's PM).")
        parser.add_argument("--encoding", default="", help="Override the detected encoding (e.g. cp1258).")
        parser.add_argument("--sheet", default="", help="XLSX sheet (default: the first).")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="How many workers may process the file's chunks at once (default: DATAMIGRATION_RUN_WORKERS).",
        )
        parser.add_argument("--inline", action="store_true", help="Run in this process instead of on a worker.")
        parser.add_argument("--timeout", type=float, default=0, help="Give up waiting after this many seconds.")
        parser.add_argument("--no-wait", action="store_true", help="Queue the run and print its id.")

    def handle(self, *args, **opts):
        project = Project.objects.filter(code=opts["project"]).first()
        if project is None:
            raise CommandError(f"No project {opts['project']!r}.")
        user = self._user(project, opts.get("user"))
        services.builtin_objects_ensure(project=project)
        obj = selectors.object_by_name(project=project, name=opts["object"])
        if obj is None:
            names = ", ".join(selectors.object_names(project=project))
            raise CommandError(f"No object {opts['object']!r} in {project.code} (objects: {names}).")
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        clock = time.monotonic()
        try:
            with open(path, "rb") as fh:
                upload = services.upload_create(
                    project=project,
                    object=obj,
                    by=user,
                    file=fh,
                    original_name=path.name,
                    encoding=opts["encoding"],
                    sheet=opts["sheet"],
                )
            mode = MigrationRun.Mode.VALIDATE if opts["validate_only"] else MigrationRun.Mode.LOAD
            start = {"upload": upload, "by": user, "mode": mode, "cycle": opts["cycle"], "workers": opts["workers"]}
            run = self._inline(start) if opts["inline"] else services.migration_run_start(**start)
        except DomainError as exc:
            # Refused before any run (bad file, missing columns...): still one RESULT line.
            self.stdout.write("RESULT " + json.dumps({"run": None, "status": "rejected", "message": exc.message}))
            raise CommandError(exc.message) from None
        if opts["no_wait"]:
            self.stdout.write(f"RESULT {json.dumps({'run': run.pk, 'status': run.status})}")
            return
        run = self._wait(run, opts["timeout"])
        seconds = round(time.monotonic() - clock, 3)
        result = {
            "run": run.pk,
            "status": run.status,
            "mode": run.mode,
            "cycle": run.cycle,
            "rows": run.total_rows if run.total_rows is not None else run.processed_rows,
            "valid": run.valid_rows,
            "error_rows": run.error_rows,
            "errors": run.error_count,
            "inserted": run.inserted_rows,
            "updated": run.updated_rows,
            "unchanged": run.unchanged_rows,
            "checksum": run.loaded_checksum,
            "seconds": seconds,
            "run_seconds": round(run.duration or 0, 3),
            "rows_per_second": run.rows_per_second,
            "workers": run.workers,
            "chunks_by_worker": {w["worker"]: w["chunks"] for w in selectors.chunks_by_worker(run)},
            "message": run.message,
        }
        self.stdout.write("RESULT " + json.dumps(result, ensure_ascii=False))
        if run.status != MigrationRun.Status.SUCCEEDED:
            sys.exit(1)

    def _user(self, project, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"No active user {username!r}.")
            return user
        user = (
            users.filter(is_staff=True).order_by("pk").first()
            or users.filter(memberships__project=project, memberships__role=Role.PM).order_by("pk").first()
        )
        if user is None:
            raise CommandError("No staff user or project manager to act as; pass --user.")
        return user

    def _inline(self, start):
        run = services.migration_run_start(**start)
        # Claim it here first: the queued message then finds nothing to do on a worker.
        claimed, token = services.migration_run_claim(run_id=run.pk, worker=f"inline@{socket.gethostname()}")
        if claimed is None:
            return selectors.run_by_id(run_id=run.pk)
        return services.migration_run_execute(run=claimed, token=token)

    def _wait(self, run, timeout):
        started = time.monotonic()
        last_line = ""
        while True:
            run = selectors.run_by_id(run_id=run.pk)
            line = self._bar(run)
            if line != last_line and self.stderr.isatty():
                self.stderr.write("\r" + line, ending="")
                last_line = line
            if run.status in MigrationRun.TERMINAL:
                if self.stderr.isatty():
                    self.stderr.write("")
                return run
            if timeout and time.monotonic() - started > timeout:
                raise CommandError(f"Run {run.pk} still {run.status} after {timeout} s.")
            time.sleep(0.25)

    @staticmethod
    def _bar(run):
        width = 30
        filled = int(width * run.percent / 100)
        left = f" · {run.seconds_left}s left" if run.seconds_left is not None else ""
        return (
            f"run {run.pk} [{'#' * filled}{'.' * (width - filled)}] {run.percent:3d}% "
            f"{run.processed_rows} rows · {run.rows_per_second:.0f} rows/s{left} · {run.status}   "
        )
