"""Shared fixtures: personas in every role, API clients, and service-test bookkeeping.

Personas (a project-scale Alice/Bob/Charlie): ``project`` has a ``pm``, ``consultant``,
``sponsor``, ``key_user`` and ``viewer``; ``outsider`` is a consultant of
``other_project`` only. ``staff`` is firm staff (sees everything).

Service tests: tests marked ``postgres``, ``redis`` or ``browser`` are skipped when the
service is not configured, and the skips are listed at the end of the run. With
``REQUIRE_SERVICES=1`` (CI) a missing service fails those tests instead.
"""

import os
import shutil

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from projects.roles import Role
from projects.tests.factories import MembershipFactory, ProjectFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def _service_missing(marker: str) -> str | None:
    if marker == "postgres" and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "PostgreSQL not configured (set DATABASE_URL=postgres://...)"
    if marker == "redis" and not settings.CELERY_BROKER_URL.startswith("redis"):
        return "Redis not configured (set CELERY_BROKER_URL=redis://...)"
    if marker == "browser" and not shutil.which("chromium"):
        return "chromium not installed (apt-get install chromium)"
    return None


_skipped_for_services: list[str] = []


#: Modules collected this session (the URL policy test needs every isolation module).
COLLECTED_MODULES: set[str] = set()
ROUTE_RECORDER = "projects.tests.isolation.RouteRecorder"


def pytest_collection_modifyitems(config, items):
    COLLECTED_MODULES.update(item.module.__name__ for item in items if getattr(item, "module", None))
    # The URL policy checks which routes the other tests requested: it runs last, and only
    # when every app's isolation tests run too.
    items.sort(key=lambda item: "test_url_policy" in item.nodeid)
    requested_check = [item for item in items if item.name == "test_every_listed_route_was_requested_by_a_test"]
    if requested_check:
        from erpimpl.tests.test_url_policy import isolation_modules

        if not isolation_modules() <= COLLECTED_MODULES:
            config.hook.pytest_deselected(items=requested_check)
            items[:] = [item for item in items if item not in requested_check]
    for item in items:
        for marker in ("postgres", "redis", "browser"):
            if item.get_closest_marker(marker) is None:
                continue
            reason = _service_missing(marker)
            if reason is None:
                continue
            if REQUIRE_SERVICES:
                item.add_marker(pytest.mark.xfail(reason=f"REQUIRED SERVICE MISSING: {reason}", run=False, strict=True))
            else:
                _skipped_for_services.append(f"{item.nodeid}: {reason}")
                item.add_marker(pytest.mark.skip(reason=reason))


def _not_run(stats) -> list:
    """Tests that did not run: service tests without their service, and any skip."""
    return [r for r in stats.get("xfailed", []) if "REQUIRED SERVICE MISSING" in str(r.longrepr)] + stats.get(
        "skipped", []
    )


def pytest_terminal_summary(terminalreporter):
    if _skipped_for_services:
        terminalreporter.section("service tests skipped (no service configured)")
        for line in _skipped_for_services:
            terminalreporter.write_line(line)
    if REQUIRE_SERVICES and _not_run(terminalreporter.stats):
        terminalreporter.write_line("REQUIRE_SERVICES=1 and some tests did not run (see above): failing.", red=True)


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if REQUIRE_SERVICES and reporter is not None and _not_run(reporter.stats):
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    if ROUTE_RECORDER not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, ROUTE_RECORDER]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def other_project(db):
    return ProjectFactory()


def _member(project, role, username):
    return MembershipFactory(project=project, role=role, user=UserFactory(username=username)).user


@pytest.fixture
def pm(project):
    return _member(project, Role.PM, "alice_pm")


@pytest.fixture
def consultant(project):
    return _member(project, Role.CONSULTANT, "bob_consultant")


@pytest.fixture
def sponsor(project):
    return _member(project, Role.SPONSOR, "sam_sponsor")


@pytest.fixture
def key_user(project):
    return _member(project, Role.KEY_USER, "kim_keyuser")


@pytest.fixture
def viewer(project):
    return _member(project, Role.VIEWER, "vic_viewer")


@pytest.fixture
def outsider(other_project):
    return _member(other_project, Role.CONSULTANT, "charlie_outsider")


@pytest.fixture
def staff(db):
    return UserFactory(username="firm_staff", is_staff=True)


@pytest.fixture
def personas(pm, consultant, sponsor, key_user, viewer, outsider):
    """Every persona by role name, plus the outsider (a consultant of another project)."""
    return {
        "pm": pm,
        "consultant": consultant,
        "sponsor": sponsor,
        "key_user": key_user,
        "viewer": viewer,
        "outsider": outsider,
    }


@pytest.fixture
def api_client_for():
    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


# --- browser tests (Playwright driving Debian's chromium) -----------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserSession:
    """A page plus what the console said. ``login`` signs in through the real form."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def login(self, username: str, password: str = "pw-for-tests-1"):
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def client_of(api_client_for, personas):
    """A client signed in as the persona (by role name), for the pages and for the API."""

    def make(persona):
        client = api_client_for(personas[persona])
        client.force_login(personas[persona])
        return client

    return make


@pytest.fixture(scope="session")
def _chromium():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(_chromium, live_server):
    """A fresh browser context on the live server. Use with ``django_db(transaction=True)``."""
    context = _chromium.new_context(locale="en-US")
    session = BrowserSession(context.new_page(), live_server.url)
    yield session
    context.close()


# --- a real Celery worker process ------------------------------------------------------


def database_url_for_subprocess() -> str:
    """The URL of the database the tests use right now (the test database), for a child process."""
    from django.db import connection

    cfg = connection.settings_dict
    if cfg["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{cfg['NAME']}"
    auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg.get("PASSWORD") else "")
    return f"postgres://{auth}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


class WorkerProcess:
    """``celery -A erpimpl worker`` as a child process, on the tests' database and broker."""

    def __init__(
        self, queues: str = "default,migrations", extra_env: dict | None = None, tmp_path=None, name: str = "worker"
    ):
        self.queues, self.name = queues, name
        self.extra_env = extra_env or {}
        self.log_path = (tmp_path or settings.VAR_DIR) / f"{name}-{os.getpid()}-{id(self)}.log"
        self.process = None

    def start(self, timeout: float = 60):
        import subprocess
        import sys
        import time

        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_subprocess(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "DJANGO_SETTINGS_MODULE": "erpimpl.settings",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the uploads of the test
            **self.extra_env,
        }
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "erpimpl",
                "worker",
                "-P",
                "solo",
                "-Q",
                self.queues,
                "-n",
                f"{self.name}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log_path.read_text()}")
            if " ready." in self.log_path.read_text():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log_path.read_text()}")

    def stop(self, kill: bool = False):
        if self.process and self.process.poll() is None:
            (self.process.kill if kill else self.process.terminate)()
            self.process.wait(timeout=30)
        if getattr(self, "log", None):
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text()


@pytest.fixture
def celery_worker_process(tmp_path):
    """Start a worker with ``celery_worker_process.start()``; it is stopped after the test."""
    workers = []

    def make(**kwargs):
        worker = WorkerProcess(tmp_path=tmp_path, **kwargs)
        workers.append(worker)
        return worker.start()

    yield make
    for worker in workers:
        worker.stop()
