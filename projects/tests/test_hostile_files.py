"""Every hostile file (``projects/tests/hostile.py``) sent to every upload route, page and API.

Each send must be refused with a message that names the right reason (or the file's type,
on a route that does not take the extension): 400 (413 for size) on the API, the form or
a flashed message on a page; nothing may be saved (rows and stored files unchanged) and
the site must answer the next request. The upload routes are listed here by hand, and
``test_every_upload_route_is_in_the_table`` fails when a route with a file field (a page
form's ``FileField``, a file in an API operation's multipart body in the schema) appears
that the table does not send to.
"""

import html
import re
from dataclasses import dataclass

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from datamigration.models import Upload
from golive.tests.factories import ReadinessCriterionFactory, UserGuideFactory
from phases.design.models import ProcessDesign, TechnicalRequirement
from phases.design.tests.factories import ProcessDesignFactory, TechnicalRequirementFactory
from phases.discovery.models import PlanDocument, Requirement
from projects.tests.hostile import TYPE_REASONS, corpus
from testing import services as testing_services
from testing.models import Cycle, Evidence, LoadTestResult
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(project, consultant, key_user):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=2), assignee=key_user)
    return {
        "project": project,
        "code": project.code,
        "run": testing_services.execution_start(cycle_case=cc, by=key_user),
        "design": ProcessDesignFactory(project=project),
        "technical": TechnicalRequirementFactory(project=project),
        # go-live: a manual criterion the key user owns (assessed with an attachment), a user guide
        "criterion": ReadinessCriterionFactory(project=project, kind="manual", rule="", owner=key_user),
        "guide": UserGuideFactory(project=project),
    }


def _version(row):
    """The row's version now (a stale one would be refused before the file is looked at)."""
    return type(row).objects.get(pk=row.pk).version


def _file(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


LOAD_FIELDS = {
    "scenario": "Đăng nhập",
    "virtual_users": 5,
    "duration_seconds": 60,
    "throughput_rps": "4",
    "p95_ms": 300,
    "p99_ms": 600,
    "error_rate": "0",
    "max_p95_ms": 500,
}
DESIGN_FORM = {
    "business_area": "procurement",
    "name": "Procure to pay",
    "steps-TOTAL_FORMS": "0",
    "steps-INITIAL_FORMS": "0",
    "steps-MIN_NUM_FORMS": "0",
    "steps-MAX_NUM_FORMS": "100",
}
TECHNICAL = {"category": "hardware", "title": "Máy chủ", "acceptance_criterion": "Chạy được", "status": "open"}


@dataclass(frozen=True)
class Route:
    name: str  # the URL name sent to
    persona: str
    send: object  # (client, world, filename, data) -> response

    @property
    def api(self) -> bool:
        return "-api:" in self.name


def _api(name, *args):
    return reverse(name, args=args)


def _page(name, w, *args):
    return reverse(name, args=[w["code"], *args])


ROUTES = [
    Route(
        "golive-api:readiness-criterion-assess",
        "key_user",
        lambda c, w, n, d: c.post(
            _api("golive-api:readiness-criterion-assess", w["criterion"].pk),
            {"met": "true", "version": _version(w["criterion"]), "evidence": _file(n, d)},
            format="multipart",
        ),
    ),
    Route(
        "golive:criterion_assess",
        "consultant",
        lambda c, w, n, d: c.post(
            _page("golive:criterion_assess", w, w["criterion"].pk),
            {"met": "met", "version": _version(w["criterion"]), "evidence": _file(n, d)},
            follow=True,
        ),
    ),
    Route(
        "golive-portal:criterion_assess",
        "key_user",
        lambda c, w, n, d: c.post(
            reverse("golive-portal:criterion_assess", args=[w["code"], w["criterion"].pk]),
            {"met": "met", "version": _version(w["criterion"]), "evidence": _file(n, d)},
            follow=True,
        ),
    ),
    Route(
        "golive-api:user-guide-versions",
        "consultant",
        lambda c, w, n, d: c.post(
            _api("golive-api:user-guide-versions", w["guide"].pk), {"file": _file(n, d)}, format="multipart"
        ),
    ),
    Route(
        "golive:guide_upload",
        "consultant",
        lambda c, w, n, d: c.post(_page("golive:guide_upload", w, w["guide"].pk), {"file": _file(n, d)}, follow=True),
    ),
    Route(
        "discovery-api:requirement-import",
        "consultant",
        lambda c, w, n, d: c.post(
            _api("discovery-api:requirement-import"), {"project": w["code"], "file": _file(n, d)}, format="multipart"
        ),
    ),
    Route(
        "discovery-api:plan-document-list",
        "consultant",
        lambda c, w, n, d: c.post(
            _api("discovery-api:plan-document-list"),
            {"project": w["code"], "kind": "other", "title": "Kế hoạch", "file": _file(n, d)},
            format="multipart",
        ),
    ),
    Route(
        "design-api:processdesign-upload-bpmn",
        "consultant",
        lambda c, w, n, d: c.post(
            _api("design-api:processdesign-upload-bpmn", w["design"].pk),
            {"version": w["design"].version, "file": _file(n, d)},
            format="multipart",
        ),
    ),
    Route(
        "design-api:technicalrequirement-list",
        "consultant",
        lambda c, w, n, d: c.post(
            _api("design-api:technicalrequirement-list"),
            {"project": w["code"], **TECHNICAL, "evidence_file": _file(n, d)},
            format="multipart",
        ),
    ),
    Route(
        "design-api:technicalrequirement-detail",
        "consultant",
        lambda c, w, n, d: c.patch(
            _api("design-api:technicalrequirement-detail", w["technical"].pk),
            {"version": w["technical"].version, "evidence_file": _file(n, d)},
            format="multipart",
        ),
    ),
    Route(
        "testing-api:execution-evidence",
        "key_user",
        lambda c, w, n, d: c.post(
            _api("testing-api:execution-evidence", w["run"].pk), {"file": _file(n, d)}, format="multipart"
        ),
    ),
    Route(
        "testing-api:load-test-result-list",
        "consultant",
        lambda c, w, n, d: c.post(
            _api("testing-api:load-test-result-list"),
            {"project": w["code"], **LOAD_FIELDS, "report": _file(n, d)},
            format="multipart",
        ),
    ),
    Route(
        "datamigration-api:upload-list",
        "key_user",
        lambda c, w, n, d: c.post(
            _api("datamigration-api:upload-list"),
            {"project": w["code"], "object": "uom", "encoding": "utf-8", "file": _file(n, d)},
            format="multipart",
        ),
    ),
    Route(
        "discovery:requirement_import",
        "consultant",
        lambda c, w, n, d: c.post(_page("discovery:requirement_import", w), {"file": _file(n, d)}, follow=True),
    ),
    Route(
        "discovery:document_create",
        "consultant",
        lambda c, w, n, d: c.post(
            _page("discovery:document_create", w), {"kind": "other", "title": "Kế hoạch", "file": _file(n, d)}
        ),
    ),
    Route(
        "design:design_create",
        "consultant",
        lambda c, w, n, d: c.post(_page("design:design_create", w), {**DESIGN_FORM, "bpmn_file": _file(n, d)}),
    ),
    Route(
        "design:design_edit",
        "consultant",
        lambda c, w, n, d: c.post(
            _page("design:design_edit", w, w["design"].pk),
            {**DESIGN_FORM, "version": w["design"].version, "bpmn_file": _file(n, d)},
        ),
    ),
    Route(
        "design:technical_edit",
        "consultant",
        lambda c, w, n, d: c.post(
            _page("design:technical_edit", w, w["technical"].pk),
            {**TECHNICAL, "version": w["technical"].version, "evidence_file": _file(n, d)},
        ),
    ),
    Route(
        "design:technical_create",
        "consultant",
        lambda c, w, n, d: c.post(_page("design:technical_create", w), {**TECHNICAL, "evidence_file": _file(n, d)}),
    ),
    Route(
        "testing:evidence_upload",
        "key_user",
        lambda c, w, n, d: c.post(_page("testing:evidence_upload", w, w["run"].pk), {"file": _file(n, d)}, follow=True),
    ),
    Route(
        "testing-portal:evidence_upload",
        "key_user",
        lambda c, w, n, d: c.post(
            _page("testing-portal:evidence_upload", w, w["run"].pk), {"file": _file(n, d)}, follow=True
        ),
    ),
    Route(
        "testing:load_result_create",
        "consultant",
        lambda c, w, n, d: c.post(_page("testing:load_result_create", w), {**LOAD_FIELDS, "report": _file(n, d)}),
    ),
    Route(
        "datamigration:upload_create",
        "key_user",
        lambda c, w, n, d: c.post(
            _page("datamigration:upload_create", w, "uom"),
            {"encoding": "utf-8", "header_row": 1, "file": _file(n, d)},
            follow=True,
        ),
    ),
    Route(
        "datamigration-portal:upload_create",
        "key_user",
        lambda c, w, n, d: c.post(
            _page("datamigration-portal:upload_create", w, "uom"),
            {"encoding": "utf-8", "header_row": 1, "file": _file(n, d)},
            follow=True,
        ),
    ),
]


def saved(settings) -> tuple:
    """What an accepted upload would have changed: rows, diagrams, stored files."""
    media = settings.MEDIA_ROOT
    files = sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0
    return (
        Requirement.objects.count(),
        PlanDocument.objects.count(),
        ProcessDesign.objects.count(),
        ProcessDesign.objects.exclude(bpmn_xml="").count(),
        TechnicalRequirement.objects.count(),
        Evidence.objects.count(),
        LoadTestResult.objects.count(),
        Upload.objects.count(),
        files,
    )


def _messages(route: Route, response) -> str:
    if route.api:

        def flat(value):
            if isinstance(value, dict):
                return " ".join(flat(v) for v in value.values())
            if isinstance(value, list):
                return " ".join(flat(v) for v in value)
            return str(value)

        return flat(response.json()).lower()
    text = re.sub(r"<[^>]+>", " ", response.content.decode())  # the words, not the links
    return html.unescape(text).lower()


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_every_hostile_file_is_refused_with_its_reason_and_nothing_is_saved(route, world, personas, client, settings):
    user = personas[route.persona]
    if route.api:
        client = APIClient()
        client.force_authenticate(user)
    else:
        client.force_login(user)
    before = saved(settings)
    problems = []
    for name, hostile in corpus().items():
        response = route.send(client, world, name, hostile.data)
        text = _messages(route, response)
        status = response.status_code
        if route.api and status not in (400, 413):
            problems.append(f"{name}: answered {status}, not 400/413")
        if not route.api and status != 200:
            problems.append(f"{name}: the page answered {status}, not the form or a message")
        if not any(reason in text for reason in (*hostile.reasons, *TYPE_REASONS)):
            problems.append(f"{name}: no refusal naming {hostile.reasons} ({status})")
        if saved(settings) != before:
            problems.append(f"{name}: something was saved")
            before = saved(settings)
        if client.get(reverse("healthz")).status_code != 200:
            problems.append(f"{name}: the site stopped answering")
    assert not problems, "\n".join(problems)


def _patterns(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from _patterns(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _page_takes_a_file(pattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is None or not hasattr(view_class, "post"):
        return False
    view = view_class()
    view.kwargs = dict.fromkeys(pattern.pattern.converters, 1)
    try:
        form_class = view.get_form_class()
    except Exception:
        form_class = getattr(view_class, "form_class", None)
    fields = getattr(form_class, "base_fields", {})
    return any(isinstance(field, forms.FileField) for field in fields.values())


def _api_upload_routes() -> set[str]:
    """The API operations whose multipart body has a file (from the OpenAPI schema)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    names = set()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            body = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
            if not body:
                continue
            shape = body["schema"]
            if "$ref" in shape:
                shape = components[shape["$ref"].rsplit("/", 1)[-1]]
            if any(p.get("format") == "binary" for p in shape.get("properties", {}).values()):
                names.add(resolve(re.sub(r"\{[^}]+\}", "1", path)).view_name)
    return names


def test_every_upload_route_is_in_the_table():
    """Every page whose form has a file field and every API operation with a file in its
    multipart body (found from the URL conf and the schema) is sent the corpus."""
    pages = {name for name, pattern in _patterns(get_resolver()) if _page_takes_a_file(pattern)}
    uploads = pages | _api_upload_routes()
    covered = {r.name for r in ROUTES}
    assert uploads - covered == set(), "upload routes the hostile files are not sent to"
    assert covered - uploads == set(), "routes in the table that take no file"
