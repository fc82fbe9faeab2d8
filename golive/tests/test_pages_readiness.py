"""The go-live readiness pages as their users meet them: the dashboard, a run's page with its
live progress, the comparison of two runs, the criteria and their manual assessment, the
client portal, in both languages.

Runs are executed without a worker: requested through the page, then claimed and executed
in the test (``factories_pages.execute``), which is what the ``readiness`` task does.
"""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from golive import services
from golive.models import ReadinessCriterion, ReadinessResult, ReadinessRun
from golive.tests.factories_pages import WORKER, execute, finished_run
from testing.models import Defect
from testing.tests.factories import DefectFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def url(name, project, *args):
    return reverse(name, args=[project.code, *args])


def html(response) -> str:
    return response.content.decode()


def signed_in(client, user):
    client.force_login(user)
    return client


def criterion(project, code) -> ReadinessCriterion:
    return ReadinessCriterion.objects.get(project=project, code=code)


def row(page: str, element_id: str) -> str:
    """The HTML of the table row with ``id``."""
    found = re.search(rf'<tr id="{re.escape(element_id)}">(.*?)</tr>', page, re.S)
    assert found, f"no row {element_id}"
    return found.group(1)


def shown_blockers(page: str) -> int:
    return int(re.search(r'id="readiness-blockers">\s*(\d+)', page).group(1))


# --- the dashboard and a run ------------------------------------------------------------


def test_a_new_project_has_no_run_yet_and_the_dashboard_offers_to_start_one(client, project, pm):
    page = html(signed_in(client, pm).get(url("golive:readiness", project)))

    assert "No readiness check has finished yet" in page
    assert 'id="run-start-form"' in page and "Run readiness check" in page
    assert 'id="readiness-score"' not in page


def test_the_pm_starts_a_check_follows_it_to_the_end_and_the_dashboard_shows_its_score(client, project, pm):
    signed_in(client, pm)

    response = client.post(url("golive:run_start", project))

    run = ReadinessRun.objects.get(project=project)
    assert response.status_code == 302 and response.url == url("golive:run_detail", project, run.pk)
    queued = html(client.get(response.url))
    assert "Queued" in queued
    assert 'hx-trigger="every 2s"' in queued  # the progress polls while the run is queued
    dashboard = html(client.get(url("golive:readiness", project)))
    assert 'id="active-run"' in dashboard

    run = execute(run)

    fragment = client.get(url("golive:run_progress", project, run.pk))
    assert "Finished" in html(fragment) and "hx-trigger" not in html(fragment)  # polling stops
    assert fragment["HX-Trigger"] == "readiness-run-finished"  # the page reloads to show the results
    page = html(client.get(url("golive:run_detail", project, run.pk)))
    assert 'id="result-RD-17"' in page and "External systems confirmed for the go-live date" in page
    assert f"{run.score:.1f} %" in page
    dashboard = client.get(url("golive:readiness", project))
    assert f"{run.score:.1f} %" in html(dashboard) and 'id="active-run"' not in html(dashboard)
    assert 'id="readiness-history-data"' in html(dashboard)
    chart = dashboard.context["history_chart"]
    assert chart["datasets"][0]["data"] == [float(run.score)]
    assert chart["datasets"][1]["data"] == [run.blockers]
    # a blocking criterion that fails (a manual check nobody assessed) is listed, linked to its result
    assert f"{url('golive:run_detail', project, run.pk)}#result-RD-16" in html(dashboard)


def test_a_failing_criterions_evidence_links_to_the_offending_objects(client, project, pm):
    defects = DefectFactory.create_batch(51, project=project, severity=Defect.Severity.CRITICAL)
    run = finished_run(project, by=pm)

    page = html(signed_in(client, pm).get(url("golive:run_detail", project, run.pk)))

    result = ReadinessResult.objects.get(run=run, code="RD-05")
    assert result.result == "fail", result.detail
    cell = row(page, "result-RD-05")
    assert f'href="{defects[0].get_absolute_url()}"' in cell
    assert "and 1 more" in cell  # 50 kept of 51 offending defects


def test_a_queued_check_is_cancelled_from_its_page(client, project, pm):
    signed_in(client, pm)
    run = services.readiness_run_request(project=project, by=pm)
    page = html(client.get(url("golive:run_detail", project, run.pk)))
    assert 'id="run-cancel-form"' in page and "data-confirm=" in page

    response = client.post(url("golive:run_cancel", project, run.pk), follow=True)

    run.refresh_from_db()
    assert run.status == ReadinessRun.Status.CANCELLED
    assert response.redirect_chain[-1][0] == url("golive:run_detail", project, run.pk)
    assert "cancelled" in html(response) and 'id="run-cancel-form"' not in html(response)


def test_comparing_two_checks_shows_the_criterion_whose_result_changed(client, project, pm):
    first = finished_run(project, by=pm)
    manual = criterion(project, "RD-17")
    services.criterion_assess(criterion=manual, by=pm, met=True, note="Confirmed", version=manual.version)
    second = finished_run(project, by=pm)

    response = signed_in(client, pm).get(url("golive:run_compare", project, second.pk), {"with": first.pk})

    changed = row(html(response), "change-RD-17")
    assert changed.index("Fail") < changed.index("Pass")  # before → after
    assert 'id="change-RD-01"' not in html(response)  # unchanged criteria are not listed
    # without ?with=, the check before this one
    assert "change-RD-17" in html(client.get(url("golive:run_compare", project, second.pk)))


# --- criteria -----------------------------------------------------------------------------


def criterion_form(**changes) -> dict:
    data = {
        "code": "RD-90",
        "title": "Bank interfaces confirmed",
        "category": "external",
        "kind": "manual",
        "rule": "",
        "parameters": "",
        "weight": 2,
        "order": 900,
        "active": "on",
    }
    return {**data, **changes}


def test_a_criterion_with_an_unknown_rule_is_refused_on_the_form(client, project, pm):
    signed_in(client, pm)

    response = client.post(url("golive:criterion_create", project), criterion_form(kind="automatic", rule="no_such"))

    assert response.status_code == 200
    assert response.context["form"].errors["rule"]
    assert not ReadinessCriterion.objects.filter(project=project, code="RD-90").exists()
    bad_parameter = criterion_form(kind="automatic", rule="pass_rate", parameters='{"nope": 1}')
    response = client.post(url("golive:criterion_create", project), bad_parameter)
    assert "Unknown parameter “nope” for this rule." in html(response)
    response = client.post(url("golive:criterion_create", project), criterion_form(parameters="[1, 2"))
    assert response.context["form"].errors["parameters"]


def test_a_criterion_is_created_from_the_page(client, project, pm):
    signed_in(client, pm)
    form = html(client.get(url("golive:criterion_create", project)))
    assert "threshold" in form and "95" in form  # the rules' parameters with their defaults as help

    response = client.post(url("golive:criterion_create", project), criterion_form())

    created = criterion(project, "RD-90")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert "Bank interfaces confirmed" in html(client.get(url("golive:criteria", project)))


def test_an_edit_on_a_stale_version_shows_the_conflict_and_keeps_the_other_change(client, project, pm, consultant):
    signed_in(client, pm)
    target = criterion(project, "RD-17")
    form = client.get(url("golive:criterion_edit", project, target.pk)).context["form"]
    read_version = form.initial["version"]
    services.criterion_update(criterion=target, by=consultant, version=target.version, title="Changed meanwhile")

    data = criterion_form(code="RD-17", title="My edit", category="external", version=read_version, order=target.order)
    response = client.post(url("golive:criterion_edit", project, target.pk), data)

    assert response.status_code == 200
    assert "changed by someone else" in html(response)
    assert criterion(project, "RD-17").title == "Changed meanwhile"


def test_a_criterion_is_deleted_after_confirmation(client, project, pm):
    signed_in(client, pm)
    target = criterion(project, "RD-17")
    assert "data-confirm=" in html(client.get(url("golive:criterion_detail", project, target.pk)))

    response = client.post(url("golive:criterion_delete", project, target.pk))

    assert response.status_code == 302 and response.url == url("golive:criteria", project)
    assert not ReadinessCriterion.objects.filter(pk=target.pk).exists()


def test_the_owner_assesses_a_manual_criterion_with_an_attachment(client, project, pm, key_user):
    target = criterion(project, "RD-17")
    target = services.criterion_update(criterion=target, by=pm, version=target.version, owner=key_user)
    signed_in(client, key_user)
    detail = url("golive:criterion_detail", project, target.pk)
    assert "Record assessment" in html(client.get(detail))

    refused = client.post(
        url("golive:criterion_assess", project, target.pk),
        {"met": "met", "note": "Done", "version": target.version, "evidence": SimpleUploadedFile("run.exe", b"MZ")},
        follow=True,
    )

    assert "Files of type .exe are not accepted" in html(refused)
    unchanged = criterion(project, "RD-17")
    assert unchanged.assessment == "not_assessed" and not unchanged.evidence and unchanged.version == target.version

    proof = SimpleUploadedFile("confirmation.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url("golive:criterion_assess", project, target.pk),
        {"met": "met", "note": "Bank confirmed by mail", "version": target.version, "evidence": proof},
    )

    assert response.status_code == 302 and response.url == detail
    assessed = criterion(project, "RD-17")
    assert assessed.assessment == "met" and assessed.evidence_name == "confirmation.pdf"
    page = html(client.get(detail))
    assert "Bank confirmed by mail" in page and "confirmation.pdf" in page
    download = client.get(url("golive:criterion_evidence", project, target.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


# --- the client's side ----------------------------------------------------------------------


def test_the_key_user_portal_shows_nothing_internal_and_figures_over_what_they_may_see(client, project, pm, key_user):
    manual = criterion(project, "RD-17")
    services.criterion_update(criterion=manual, by=pm, version=manual.version, owner=key_user)
    run = finished_run(project, by=pm)
    internal = list(ReadinessCriterion.objects.filter(project=project, internal=True).values_list("title", flat=True))
    assert "Security review passed" in internal  # a blocking internal check nobody assessed: it fails

    signed_in(client, key_user)
    page = html(client.get(url("golive-portal:readiness", project)))

    for title in internal:
        assert title not in page
    assert WORKER not in page and str(run.query_count) + " queries" not in page
    visible_blockers = ReadinessResult.objects.filter(
        run=run, internal=False, blocking=True, result__in=["fail", "error"]
    ).count()
    assert shown_blockers(page) == visible_blockers < run.blockers
    assert 'id="owned-' in page and "Record assessment" in page  # the check they own, with its form
    dashboard = html(client.get(url("golive:readiness", project)))
    for title in internal:
        assert title not in dashboard
    assert shown_blockers(dashboard) == visible_blockers

    response = client.post(
        url("golive-portal:criterion_assess", project, manual.pk),
        {"met": "not_met", "note": "Waiting for the bank", "version": manual.version + 1},
    )
    assert response.status_code == 302 and response.url == url("golive-portal:readiness", project)
    assert criterion(project, "RD-17").assessment == "not_met"


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_the_dashboard_renders_in_vietnamese(client, project, pm, how):
    finished_run(project, by=pm)
    signed_in(client, pm)
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
        response = client.get(url("golive:readiness", project))
    else:
        response = client.get(url("golive:readiness", project), headers={"accept-language": "vi"})

    assert response.status_code == 200
    assert '<html lang="vi">' in html(response)
