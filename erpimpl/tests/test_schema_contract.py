"""The OpenAPI schema is a contract: a bounded property-based run of every operation.

The schema ``manage.py spectacular`` publishes is loaded into schemathesis and every
operation is called in-process (``erpimpl.wsgi.application``, the test database) with
generated requests, as the PM, a key user and a viewer of the demo project (token auth).
A second project with members of every role and content of every app gives the ids of
rows the caller must not see. Path ids, ``project`` codes, usernames and integer
references are drawn mostly from the rows that exist, so requests reach the services
instead of stopping at a 404. Every example runs in a savepoint that is rolled back: each
starts from the same seeded data.

Checks: no 5xx (``not_a_server_error``), every status code documented
(``status_code_conformance``), the content type documented (``content_type_conformance``),
the body valid against the documented schema (``response_schema_conformance``), the
documented headers (``response_headers_conformance``), and the credentials enforced
(``ignored_auth``: the first success of each operation is sent again without credentials
and with wrong ones, and must be refused).

Not run: ``positive_data_acceptance`` (a schema-valid request may still be refused by a
role or a business rule: 403, 400, 409 are documented answers, not defects);
``negative_data_rejection`` and ``missing_required_header`` / ``unsupported_method`` (they
need schemathesis' negative and coverage phases: DRF lets unknown query parameters and an
invalid ``page_size`` through on purpose, which that check reports); ``use_after_free``,
``ensure_resource_availability`` (stateful links, not modelled); ``max_response_time``
(no timed assertions).

Bounded for CI: ``SCHEMA_CONTRACT_EXAMPLES`` (8) examples per operation and role,
derandomised (the same requests every run), no deadline, no shrinking. The figures go to
the terminal summary and to ``var/schema-contract.json``; ``SCHEMA_CONTRACT_TRACE=<file>``
lists every case.

Left out: the token login (``POST /api/v1/auth/token/``: 20 failed sign-ins from one
address lock it) and revoking a token (``DELETE /api/v1/auth/token/{token_key}/``: it
would revoke the caller's own).
"""

import io
import json
import logging
import os
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis import checks as st_checks
from schemathesis.core.failures import Failure, FailureGroup

from projects import services
from projects.demo import DEMO_CODE
from projects.models import Project
from projects.roles import Role

pytestmark = pytest.mark.contract  # collected by `make test` like every test; `-m contract` runs it alone

ROLES = ("pm", "key_user", "viewer")
EXCLUDED = {"POST /api/v1/auth/token/", "DELETE /api/v1/auth/token/{token_key}/"}
MAX_EXAMPLES = int(os.environ.get("SCHEMA_CONTRACT_EXAMPLES", "8"))
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
    st_checks.response_headers_conformance,
]
#: Request fields naming a member by username.
USER_FIELDS = {"owner", "approver", "assignee", "user"}
REPORT = django_settings.VAR_DIR / "schema-contract.json"
TRACE = os.environ.get("SCHEMA_CONTRACT_TRACE")  # a file to list every case in (method, path, status)


@cache
def raw_schema() -> dict:
    """The schema exactly as ``manage.py spectacular`` writes it (JSON)."""
    out = io.StringIO()
    call_command("spectacular", "--format", "openapi-json", "--fail-on-warn", stdout=out)
    return json.loads(out.getvalue())


@cache
def api_schema():
    from erpimpl.wsgi import application

    schema = schemathesis.openapi.from_dict(raw_schema())
    schema.app = application  # called in-process, the auth probes included
    return schema


def operation_labels() -> list[str]:
    labels = [result.ok().label for result in api_schema().get_all_operations()]
    return [label for label in labels if label not in EXCLUDED]


def _operations():
    for path, methods in raw_schema()["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


# --- what the schema itself says (no request needed) ----------------------------------------


def test_every_download_names_its_format_file_format_and_no_operation_takes_format():
    downloads = set()
    for label, operation in _operations():
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert "format" not in names, label
        if "text/csv" in operation["responses"].get("200", {}).get("content", {}):
            downloads.add(label)
            assert "file_format" in names, label
    assert {"GET /api/v1/discovery/requirements/export/", "GET /api/v1/datamigration/records/export/"} <= downloads


def test_a_required_project_is_declared_and_the_exports_list_filters_too():
    operations = dict(_operations())
    for label in (
        "GET /api/v1/discovery/requirements/export/",
        "GET /api/v1/datamigration/records/export/",
        "GET /api/v1/design/coverage/",
        "GET /api/v1/testing/traceability/",
    ):
        parameters = {p["name"]: p for p in operations[label]["parameters"]}
        assert parameters["project"]["required"], label
        assert "404" in operations[label]["responses"], label
    export = {p["name"] for p in operations["GET /api/v1/discovery/requirements/export/"]["parameters"]}
    assert {"status", "priority", "fit_gap", "q", "file_format"} <= export


def test_coverage_and_traceability_answer_one_object_not_a_list():
    operations = dict(_operations())
    for label, component in (
        ("GET /api/v1/design/coverage/", "DesignCoverage"),
        ("GET /api/v1/testing/traceability/", "Traceability"),
    ):
        schema = operations[label]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{component}"}, label


def test_error_answers_are_json_only_and_business_rules_are_documented():
    operations = dict(_operations())
    for label, operation in operations.items():
        for code, response in operation["responses"].items():
            if code.startswith("4") and "content" in response:
                assert list(response["content"]) == ["application/json"], (label, code)
        if label.startswith("DELETE ") and label not in EXCLUDED:
            assert {"400", "409"} <= set(operation["responses"]), label
    assert "409" in operations["POST /api/v1/discovery/kickoffs/{id}/raci/"]["responses"]  # it carries a version
    assert "413" in operations["POST /api/v1/testing/executions/{id}/evidence/"]["responses"]  # it carries a file


def test_fields_that_answer_null_are_nullable_and_internal_ones_not_required():
    components = raw_schema()["components"]["schemas"]
    assert components["Stakeholder"]["properties"]["user"]["nullable"]
    assert components["Task"]["properties"]["owner"]["nullable"]  # a nested member that may be unset
    assert components["Phase"]["properties"]["gate_decision"]["nullable"]  # its source's default is None
    assert "nullable" not in components["ProcessDesign"]["properties"]["steps"]  # a list is never null
    assert "internal_notes" not in components["Requirement"]["required"]  # client roles do not get it


# --- the seeded world --------------------------------------------------------------------


@dataclass
class World:
    tokens: dict[str, str]
    codes: list[str]
    usernames: list[str]
    ids: dict[str, list]  # list path -> ids (or codes) of its rows, both projects
    id_pool: list[int]
    tally: dict = field(
        default_factory=lambda: {"cases": 0, "statuses": Counter(), "failures": {}, "runs": {}, "auth_checked": set()}
    )


def _second_project():
    """A project with its own member in every role and demo content of every app."""
    from importlib import import_module

    from django.apps import apps

    from projects.tests.factories import MembershipFactory, ProjectFactory, UserFactory

    project = ProjectFactory(code="OTHER-ERP")
    users = {}
    for role in Role:
        users[role] = UserFactory(username=f"other_{role.value}")
        MembershipFactory(project=project, user=users[role], role=role)
    for config in apps.get_app_configs():
        if config.name == "projects":
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError:
            continue
        module.seed(project, users)
    return project


def _known_ids() -> dict[str, list]:
    """For every path with a parameter, the ids (or codes) of the rows its list shows to firm staff."""
    from projects.tests.factories import UserFactory

    client = APIClient()
    client.force_authenticate(UserFactory(username="schema_staff", is_staff=True))
    ids = {}
    for result in api_schema().get_all_operations():
        operation = result.ok()
        if "{" not in operation.path or operation.label in EXCLUDED:
            continue
        list_path, rest = operation.path.split("{", 1)
        name = rest.split("}", 1)[0]
        if list_path in ids:
            continue
        response = client.get(list_path, {"page_size": 200})
        rows = response.json().get("results", []) if response.status_code == 200 else []
        ids[list_path] = [row[name] for row in rows if name in row]
    return ids


def _seed() -> World:
    call_command("seed_demo", stdout=io.StringIO())
    demo = Project.objects.get(code=DEMO_CODE)
    other = _second_project()
    members = {m.role: m.user for m in demo.memberships.select_related("user")}
    tokens = {}
    for role in ROLES:
        _, token = services.token_create(user=members[Role(role)], expiry_days=None)
        tokens[role] = token
    ids = _known_ids()
    if TRACE:
        with open(TRACE, "a") as trace:
            trace.writelines(f"ids {path} {len(values)}: {values[:5]}\n" for path, values in ids.items())
    pool = sorted({value for values in ids.values() for value in values if isinstance(value, int)})
    usernames = list(get_user_model().objects.filter(memberships__isnull=False).values_list("username", flat=True))
    return World(
        tokens=tokens,
        codes=[demo.code, other.code],
        usernames=sorted(set(usernames)),
        ids=ids,
        id_pool=pool,
    )


@pytest.fixture(scope="module")
def contract_world(django_db_setup, django_db_blocker, tmp_path_factory, pytestconfig):
    """Seeded once for the module inside a transaction that is rolled back at its end;
    each test runs in a savepoint of it (pytest-django), each example in one more.
    Thousands of 4xx are the point: the request log keeps only server errors meanwhile."""
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    media = tmp_path_factory.mktemp("contract-media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    started = time.monotonic()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = _seed()
            built.media = media
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            request_log.setLevel(level)
    pytestconfig.pluginmanager.register(_Summary(_report(built, time.monotonic() - started)))


class _Summary:
    """Prints the figures in pytest's terminal summary (after the capture has ended)."""

    def __init__(self, line: str):
        self.line = line

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("-", "schema contract")
        terminalreporter.write_line(self.line)


def _report(world: World, seconds: float) -> str:
    tally = world.tally
    summary = {
        "operations": len(operation_labels()),
        "roles": list(ROLES),
        "runs": len(tally["runs"]),
        "cases": tally["cases"],
        "max_examples": MAX_EXAMPLES,
        "statuses": dict(sorted(tally["statuses"].items())),
        "failures": len(tally["failures"]),
        "failure_list": sorted(tally["failures"]),
        "seconds": round(seconds, 1),
    }
    REPORT.write_text(json.dumps(summary, indent=2))
    return (
        f"{summary['operations']} operations x {len(ROLES)} roles, {summary['cases']} cases, "
        f"{summary['failures']} distinct failures, {summary['seconds']} s (details: {REPORT})"
    )


# --- steering generated requests towards rows that exist -----------------------------------


def _steer(case, data, world: World) -> None:
    sometimes = st.integers(0, 4)  # 0 keeps the generated value, anything else takes a real one
    list_path = case.operation.path.split("{", 1)[0]
    for name in list(case.path_parameters or {}):
        known = world.ids.get(list_path)
        if known and data.draw(sometimes):
            case.path_parameters[name] = data.draw(st.sampled_from(known))
    query_names = {p.name for p in case.operation.iter_parameters() if p.location == "query"}
    if "project" in query_names and data.draw(sometimes):
        case.query = {**(case.query or {}), "project": data.draw(st.sampled_from(world.codes))}
    if isinstance(case.body, dict):
        for key, value in list(case.body.items()):
            if key == "project" and data.draw(sometimes):
                case.body[key] = data.draw(st.sampled_from(world.codes))
            elif key in USER_FIELDS and isinstance(value, str) and data.draw(sometimes):
                case.body[key] = data.draw(st.sampled_from(world.usernames))
            elif isinstance(value, int) and not isinstance(value, bool) and world.id_pool and data.draw(sometimes):
                case.body[key] = data.draw(st.sampled_from(world.id_pool))
            elif isinstance(value, list) and value and all(type(v) is int for v in value) and data.draw(sometimes):
                case.body[key] = data.draw(st.lists(st.sampled_from(world.id_pool), min_size=1, max_size=3))


# --- the run -----------------------------------------------------------------------------------


@contextmanager
def _connection_kept():
    """The WSGI handler closes the connection at each request's start and end; Django's
    test client does not, and neither may we: the seeded transaction lives on it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(contract_world, settings):
    """The seeded world, with its media folder for the test (the root conftest gives each test its own)."""
    settings.MEDIA_ROOT = contract_world.media
    return contract_world


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", operation_labels())
def test_operation_keeps_the_schema_contract(label, role, seeded, db):
    world = seeded
    operation = api_schema().find_operation_by_label(label)
    headers = {"Authorization": f"Token {world.tokens[role]}"}
    found: dict[str, str] = {}
    tally = world.tally

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        case = data.draw(operation.as_strategy())
        _steer(case, data, world)
        with _connection_kept(), transaction.atomic():
            try:
                response = case.call(headers=headers)
                tally["cases"] += 1
                tally["statuses"][str(response.status_code)] += 1
                if TRACE:
                    with open(TRACE, "a") as trace:
                        trace.write(f"{role} {response.status_code} {case.method} {case.formatted_path} {case.query}\n")
                # Credentials enforced: probed without and with wrong ones, once per operation.
                probe_auth = response.status_code < 300 and label not in tally["auth_checked"]
                checks = [*CHECKS, st_checks.ignored_auth] if probe_auth else CHECKS
                try:
                    case.validate_response(response, checks=checks, headers=headers)
                    if probe_auth:
                        tally["auth_checked"].add(label)
                except (FailureGroup, Failure) as exc:
                    failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
                    for failure in failures:
                        key = f"{label} as {role}: {failure.title} ({response.status_code})"
                        found.setdefault(key, f"{failure}\n{case.as_curl_command(headers=headers)}")
            finally:
                transaction.set_rollback(True)

    run()
    tally["runs"][f"{label} as {role}"] = len(found)
    tally["failures"].update(found)
    assert not found, "\n\n".join(f"{key}\n{detail}" for key, detail in found.items())
