"""Business rules of the discovery services, with their exact messages."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from erpimpl.errors import ConflictError, DomainError
from phases.discovery import selectors, services
from phases.discovery.models import PlanDocument, RaciAssignment, Requirement, RolloutSite
from phases.discovery.tests import factories as f
from projects.files import DOCUMENT_TYPES, UPLOAD_BAD_TYPE, UPLOAD_CONTENT_MISMATCH, UPLOAD_EMPTY, UPLOAD_TOO_LARGE


def test_requirement_codes_are_allocated_per_project(project, other_project, consultant, outsider):
    first = services.requirement_create(project=project, by=consultant, title="A", business_area="sales")
    second = services.requirement_create(project=project, by=consultant, title="B", business_area="sales")
    elsewhere = services.requirement_create(project=other_project, by=outsider, title="C", business_area="sales")
    assert (first.code, second.code, elsewhere.code) == ("REQ-001", "REQ-002", "REQ-001")


def test_duplicate_requirement_code_is_refused(project, consultant):
    services.requirement_create(project=project, by=consultant, code="FIN-01", title="A", business_area="finance")
    with pytest.raises(DomainError) as caught:
        services.requirement_create(project=project, by=consultant, code="fin-01", title="B", business_area="finance")
    assert caught.value.message == services.CODE_TAKEN.format(code="fin-01")
    assert caught.value.field == "code"
    assert project.requirements.count() == 1


def test_duplicate_code_through_the_api_answers_a_field_message(api_client_for, project, consultant):
    client = api_client_for(consultant)
    payload = {"project": project.code, "code": "REQ-010", "title": "A", "business_area": "sales"}
    assert client.post(reverse("discovery-api:requirement-list"), payload, format="json").status_code == 201
    again = client.post(reverse("discovery-api:requirement-list"), payload, format="json")
    assert again.status_code == 400
    assert again.json() == {"code": [services.CODE_TAKEN.format(code="REQ-010")]}


def test_agreed_requirement_needs_fit_gap_and_resolution(project, consultant):
    req = f.RequirementFactory(project=project)
    with pytest.raises(DomainError) as caught:
        services.requirement_update(requirement=req, by=consultant, version=req.version, status="agreed")
    assert caught.value.message == services.AGREED_NEEDS_ASSESSMENT
    updated = services.requirement_update(
        requirement=req, by=consultant, version=req.version, status="agreed", fit_gap="fit", resolution="standard"
    )
    assert updated.status == "agreed" and updated.version == req.version + 1


def test_rejected_requirement_cannot_jump_to_agreed(project, consultant):
    req = f.RequirementFactory(project=project, status="rejected", fit_gap="gap", resolution="out_of_scope")
    with pytest.raises(DomainError) as caught:
        services.requirement_update(requirement=req, by=consultant, version=req.version, status="agreed")
    assert caught.value.message == services.ILLEGAL_TRANSITION.format(from_status="Rejected", to_status="Agreed")


def test_status_choices_offer_only_the_moves_of_the_transition_table(project, consultant, viewer):
    assert selectors.requirement_status_choices(user=consultant, project=project, current="rejected") == [
        ("draft", "Draft"),
        ("rejected", "Rejected"),
    ]
    assert selectors.requirement_status_choices(user=viewer, project=project, current="draft") == [("draft", "Draft")]


def test_stale_version_is_a_conflict_and_changes_nothing(project, consultant, pm):
    req = f.RequirementFactory(project=project, title="Old")
    services.requirement_update(requirement=req, by=pm, version=1, title="New by PM")
    with pytest.raises(ConflictError):
        services.requirement_update(requirement=req, by=consultant, version=1, title="New by consultant")
    req.refresh_from_db()
    assert req.title == "New by PM"


def test_requirement_owner_and_processes_must_belong_to_the_project(project, other_project, consultant, outsider):
    with pytest.raises(DomainError) as caught:
        services.requirement_create(project=project, by=consultant, title="A", business_area="sales", owner=outsider)
    assert caught.value.message == services.NOT_A_MEMBER.format(user=outsider)
    foreign = f.CurrentProcessFactory(project=other_project, name="Foreign")
    with pytest.raises(DomainError) as caught:
        services.requirement_create(
            project=project, by=consultant, title="A", business_area="sales", processes=[foreign]
        )
    assert caught.value.message == services.OTHER_PROJECT.format(name=foreign)
    assert not project.requirements.exists()


def test_firm_staff_count_as_members_for_owners_attendees_and_raci(project, pm, staff):
    """``projects.roles.is_member``: staff belong to every project (the old local copy refused them)."""
    req = services.requirement_create(project=project, by=pm, title="A", business_area="sales", owner=staff)
    process = services.current_process_create(project=project, by=pm, business_area="finance", name="AP", owner=staff)
    risk = services.raid_item_create(project=project, by=pm, kind="issue", title="Late data", owner=staff)
    person = services.stakeholder_create(project=project, by=pm, name="Firm partner", user=staff)
    kickoff = services.kickoff_create(
        project=project, by=pm, meeting_date="2026-01-08T09:00Z", attendee_members=[pm, staff]
    )
    updated = services.kickoff_set_raci(
        kickoff=kickoff, by=pm, version=kickoff.version, rows=[{"activity": "QA", "cells": {f"u{staff.pk}": "A"}}]
    )
    assert (req.owner, process.owner, risk.owner, person.user) == (staff, staff, staff, staff)
    matrix = selectors.raci_matrix(updated)
    letters = dict(zip([key for key, _name in matrix["columns"]], matrix["rows"][0]["letters"], strict=True))
    assert letters == {f"u{pm.pk}": "", f"u{staff.pk}": "A"}


def test_keeping_a_person_who_left_is_not_a_new_reference(project, pm, consultant, outsider):
    req = f.RequirementFactory(project=project, owner=consultant)
    project.memberships.filter(user=consultant).delete()
    updated = services.requirement_update(requirement=req, by=pm, version=req.version, owner=consultant, title="B")
    assert (updated.owner, updated.title) == (consultant, "B")
    with pytest.raises(DomainError) as caught:
        services.requirement_update(requirement=updated, by=pm, version=updated.version, owner=outsider)
    assert caught.value.message == services.NOT_A_MEMBER.format(user=outsider)


def test_client_roles_cannot_edit_requirements(project, sponsor, key_user, viewer):
    for user in (sponsor, key_user, viewer):
        with pytest.raises(PermissionDenied):
            services.requirement_create(project=project, by=user, title="A", business_area="sales")


def test_risk_score_is_probability_times_impact_and_required(project, pm):
    risk = services.raid_item_create(project=project, by=pm, kind="risk", title="Data quality", probability=4, impact=5)
    assert (risk.score, risk.severity) == (20, "high")
    with pytest.raises(ValidationError) as caught:
        services.raid_item_create(project=project, by=pm, kind="risk", title="Unscored")
    assert "A risk needs a probability and an impact (1 to 5)." in str(caught.value)
    with pytest.raises(ValidationError):
        services.raid_item_create(
            project=project, by=pm, kind="decision", title="Scored decision", probability=2, impact=2
        )


def test_raci_matrix_replaced_and_one_accountable_per_activity(project, pm, consultant, sponsor):
    kickoff = f.KickoffFactory(project=project)
    cfo = f.StakeholderFactory(project=project, name="Trần Thị Thu Hà")
    rows = [
        {"activity": "Design sign-off", "cells": {f"u{sponsor.pk}": "A", f"u{pm.pk}": "R", f"s{cfo.pk}": "C"}},
        {"activity": "Data cleansing", "cells": {f"u{consultant.pk}": "c"}},
    ]
    updated = services.kickoff_set_raci(kickoff=kickoff, by=pm, version=kickoff.version, rows=rows)
    matrix = selectors.raci_matrix(updated)
    assert [r["activity"] for r in matrix["rows"]] == ["Design sign-off", "Data cleansing"]
    assert RaciAssignment.objects.filter(activity__kickoff=kickoff).count() == 4

    bad = [{"activity": "Go-live", "cells": {f"u{pm.pk}": "A", f"u{sponsor.pk}": "A"}}]
    with pytest.raises(DomainError) as caught:
        services.kickoff_set_raci(kickoff=updated, by=pm, version=updated.version, rows=bad)
    assert caught.value.message == services.RACI_ONE_ACCOUNTABLE.format(activity="Go-live")
    assert RaciAssignment.objects.filter(activity__kickoff=kickoff).count() == 4


def test_raci_refuses_people_outside_the_project(project, pm, outsider):
    kickoff = f.KickoffFactory(project=project)
    with pytest.raises(DomainError) as caught:
        services.kickoff_set_raci(
            kickoff=kickoff, by=pm, version=kickoff.version, rows=[{"activity": "X", "cells": {f"u{outsider.pk}": "R"}}]
        )
    assert caught.value.message == services.RACI_UNKNOWN_PERSON.format(person=f"u{outsider.pk}")


def test_raci_page_saves_the_grid_and_shows_a_refusal(client, project, pm, sponsor):
    kickoff = f.KickoffFactory(project=project)
    client.force_login(pm)
    url = reverse("discovery:kickoff_raci", args=[project.code, kickoff.pk])
    page = client.get(url).content.decode()
    assert f'name="cell-0-u{sponsor.pk}"' in page and f'name="cell-0-u{pm.pk}"' in page
    two_accountables = {
        "version": kickoff.version,
        "row_count": 1,
        "activity-0": "Go-live",
        f"cell-0-u{pm.pk}": "A",
        f"cell-0-u{sponsor.pk}": "A",
    }
    refused = client.post(url, two_accountables)
    assert refused.status_code == 200
    assert 'id="raci-error"' in refused.content.decode()
    assert services.RACI_ONE_ACCOUNTABLE.format(activity="Go-live") in refused.content.decode()
    saved = client.post(url, {**two_accountables, f"cell-0-u{pm.pk}": "R"})
    assert saved.status_code == 302
    assert RaciAssignment.objects.filter(activity__kickoff=kickoff).count() == 2


def test_kickoff_attendees_must_be_members_or_project_stakeholders(project, other_project, pm, outsider):
    with pytest.raises(DomainError):
        services.kickoff_create(project=project, by=pm, meeting_date="2026-01-08T09:00Z", attendee_members=[outsider])
    foreign = f.StakeholderFactory(project=other_project)
    with pytest.raises(DomainError):
        services.kickoff_create(
            project=project, by=pm, meeting_date="2026-01-08T09:00Z", attendee_stakeholders=[foreign]
        )
    assert not project.kickoffs.exists()


def test_kickoff_print_page_shows_raci_and_scope(client, project, pm, sponsor):
    kickoff = services.kickoff_create(
        project=project,
        by=pm,
        meeting_date="2026-01-08T09:00Z",
        scope_out="Tính lương (HR & payroll)",
        attendee_members=[pm, sponsor],
    )
    services.kickoff_set_raci(
        kickoff=kickoff,
        by=pm,
        version=kickoff.version,
        rows=[{"activity": "Phê duyệt thiết kế", "cells": {f"u{sponsor.pk}": "A"}}],
    )
    client.force_login(sponsor)
    page = client.get(reverse("discovery:kickoff_print", args=[project.code, kickoff.pk])).content.decode()
    assert "Tính lương (HR &amp; payroll)" in page and "Phê duyệt thiết kế" in page and "@media print" in page


def test_kickoff_detail_page_shows_the_raci_matrix(client, project, pm, sponsor):
    kickoff = services.kickoff_create(project=project, by=pm, meeting_date="2026-01-08T09:00Z")
    services.kickoff_set_raci(
        kickoff=kickoff,
        by=pm,
        version=kickoff.version,
        rows=[{"activity": "Chốt phạm vi", "cells": {f"u{sponsor.pk}": "A"}}],
    )
    client.force_login(sponsor)
    page = client.get(reverse("discovery:kickoff_detail", args=[project.code, kickoff.pk])).content.decode()
    assert 'id="raci-table"' in page and "Chốt phạm vi" in page


def test_rollout_wave_sites_are_replaced_and_dates_checked(project, pm):
    wave = services.rollout_wave_create(
        project=project,
        by=pm,
        name="Wave 1",
        start_date=date(2026, 3, 1),
        golive_date=date(2026, 6, 1),
        sites=[{"company": "Sao Mai", "site": "Bình Dương"}, {"company": "Sao Mai", "site": "Long An"}],
    )
    services.rollout_wave_update(wave=wave, by=pm, version=wave.version, sites=[{"company": "Sao Mai", "site": "HCM"}])
    assert list(RolloutSite.objects.filter(wave=wave).values_list("site", flat=True)) == ["HCM"]
    with pytest.raises(ValidationError) as caught:
        services.rollout_wave_create(
            project=project, by=pm, name="Backwards", start_date=date(2026, 6, 1), golive_date=date(2026, 3, 1)
        )
    assert "The go-live date cannot be before the start date." in str(caught.value)


def _upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "setup.exe",
            b"MZ....",
            UPLOAD_BAD_TYPE.format(ext=".exe", allowed=", ".join(sorted(DOCUMENT_TYPES))),
        ),
        ("fake.pdf", b"<html>not a pdf</html>", UPLOAD_CONTENT_MISMATCH.format(ext=".pdf")),
        ("empty.txt", b"", UPLOAD_EMPTY),
        ("binary.txt", b"\x00\x01\x02binary", UPLOAD_CONTENT_MISMATCH.format(ext=".txt")),
    ],
)
def test_plan_document_type_and_content_validated(project, pm, name, content, message):
    with pytest.raises(DomainError) as caught:
        services.plan_document_create(
            project=project, by=pm, kind="preparation", title="X", file=_upload(name, content)
        )
    assert caught.value.message == message and caught.value.field == "file"
    assert not PlanDocument.objects.exists()


def test_plan_document_size_limit(project, pm, monkeypatch):
    monkeypatch.setattr("phases.discovery.services.plan.MAX_DOCUMENT_BYTES", 1024 * 1024)
    big = _upload("big.txt", b"a" * (1024 * 1024 + 1))
    with pytest.raises(DomainError) as caught:
        services.plan_document_create(project=project, by=pm, kind="preparation", title="X", file=big)
    assert caught.value.message == UPLOAD_TOO_LARGE.format(size="1.0", limit="1")


def test_plan_document_download_has_rfc6266_disposition(client, project, pm, viewer):
    document = services.plan_document_create(
        project=project,
        by=pm,
        kind="test_procedure",
        title="Quy trình kiểm thử",
        file=_upload("Quy trình kiểm thử.pdf", b"%PDF-1.4\n..."),
    )
    client.force_login(viewer)
    response = client.get(reverse("discovery:document_download", args=[project.code, document.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Quy%20tr%C3%ACnh%20ki%E1%BB%83m%20th%E1%BB%AD.pdf" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n..."


def test_requirement_form_page_creates_with_auto_code(client, project, consultant):
    client.force_login(consultant)
    response = client.post(
        reverse("discovery:requirement_create", args=[project.code]),
        {
            "title": "Quản lý hạn sử dụng",
            "business_area": "inventory",
            "source": "workshop",
            "priority": "must",
            "status": "draft",
        },
    )
    assert response.status_code == 302
    assert Requirement.objects.get().code == "REQ-001"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_codes():
    import threading

    from django.db import connection

    from projects.models import Membership
    from projects.roles import Role
    from projects.tests.factories import ProjectFactory, UserFactory

    project = ProjectFactory()
    user = UserFactory(username="race_consultant")
    Membership.objects.create(user=user, project=project, role=Role.CONSULTANT)
    barrier = threading.Barrier(4)
    errors = []

    def create(n):
        try:
            barrier.wait()
            services.requirement_create(project=project, by=user, title=f"Race {n}", business_area="sales")
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(project.requirements.values_list("code", flat=True)) == ["REQ-001", "REQ-002", "REQ-003", "REQ-004"]


def test_inline_status_change_swaps_the_row_and_shows_refusals(client, project, consultant):
    req = f.RequirementFactory(project=project, code="REQ-001", title="Đối chiếu công nợ")
    client.force_login(consultant)
    url = reverse("discovery:requirement_status", args=[project.code, req.pk])
    ok = client.post(url, {"status": "reviewed", "version": 1}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    body = ok.content.decode()
    assert body.startswith('<tr id="requirement-') and '<option value="reviewed" selected>' in body
    refused = client.post(url, {"status": "agreed", "version": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert services.AGREED_NEEDS_ASSESSMENT in refused
    stale = client.post(url, {"status": "draft", "version": 1}, HTTP_HX_REQUEST="true").content.decode()
    assert "changed by someone else" in stale
    req.refresh_from_db()
    assert (req.status, req.version) == ("reviewed", 2)
