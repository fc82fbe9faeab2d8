"""A real Celery worker process runs tasks sent through the configured broker (Redis in CI)."""

import time

import pytest

from projects import services
from projects.models import Approval
from projects.roles import Role
from projects.tests.factories import MembershipFactory, ProjectFactory, UserFactory


def _wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.worker
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_signoff_request_is_mailed_to_the_approver_by_a_worker_process(celery_worker_process, tmp_path):
    mail_dir = tmp_path / "mail"
    worker = celery_worker_process(
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
    )
    project = ProjectFactory()
    pm = MembershipFactory(project=project, role=Role.PM, user=UserFactory(username="pm_w")).user
    sponsor = MembershipFactory(
        project=project, role=Role.SPONSOR, user=UserFactory(username="sponsor_w", email="sponsor@client.test")
    ).user

    approval = services.approval_request(project=project, by=pm, title="Design sign-off", approver=sponsor)

    assert _wait_for(lambda: Approval.objects.get(pk=approval.pk).notified_at is not None), worker.output()
    assert _wait_for(lambda: mail_dir.exists() and any(mail_dir.iterdir())), worker.output()
    mail = "".join(p.read_text() for p in mail_dir.iterdir())
    assert "sponsor@client.test" in mail and "Design sign-off" in mail


@pytest.mark.django_db
def test_a_redelivered_notification_is_not_sent_twice(project, pm, sponsor, mailoutbox):
    approval = services.approval_request(project=project, by=pm, title="UAT sign-off", approver=sponsor)
    sponsor.email = "sponsor@client.test"
    sponsor.save()
    assert services.approval_notify(approval_id=approval.pk) is True
    assert services.approval_notify(approval_id=approval.pk) is False
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sponsor@client.test"]


@pytest.mark.django_db
def test_a_signoff_notice_goes_to_the_approvers_but_never_the_requester(project, pm, sponsor, mailoutbox):
    other_pm = MembershipFactory(project=project, role=Role.PM, user=UserFactory(username="pm_two")).user
    for user in (pm, sponsor, other_pm):
        user.email = f"{user.username}@client.test"
        user.save()
    approval = services.approval_request(project=project, by=pm, title="Design sign-off")  # any approver
    assert services.approval_notify(approval_id=approval.pk) is True
    (mail,) = mailoutbox
    assert sorted(mail.to) == sorted([sponsor.email, other_pm.email])
    assert pm.email not in mail.to + mail.cc + mail.bcc


@pytest.mark.django_db
def test_a_signoff_notice_links_to_what_is_to_be_approved(project, pm, sponsor, mailoutbox, settings):
    from phases.development.tests.factories import ReleaseFactory

    settings.SITE_URL = "https://erp.example.test"
    sponsor.email = "sponsor@client.test"
    sponsor.save()
    release = ReleaseFactory(project=project)
    on_release = services.approval_request(project=project, by=pm, title="Transport", target=release, approver=sponsor)
    plain = services.approval_request(project=project, by=pm, title="Budget", approver=sponsor)
    services.approval_notify(approval_id=on_release.pk)
    services.approval_notify(approval_id=plain.pk)
    release_mail, plain_mail = mailoutbox
    assert f"https://erp.example.test/projects/{project.code}/development/releases/{release.pk}/" in release_mail.body
    assert plain_mail.body.endswith(f"https://erp.example.test/projects/{project.code}/")
