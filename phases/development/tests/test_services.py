"""Service rules: codes, status transitions, links within the project, releases."""

import pytest
from django.core.exceptions import PermissionDenied

from erpimpl.errors import ConflictError, DomainError
from phases.development import services
from phases.development.models import DevelopmentItem, Environment, Release
from phases.development.tests.factories import DevelopmentItemFactory, EnvironmentFactory, ReleaseFactory
from phases.development.transitions import ITEM_TRANSITIONS

S = DevelopmentItem.Status
ALLOWED = sorted((source, target) for source, targets in ITEM_TRANSITIONS.items() for target in targets)
ILLEGAL = [
    (S.DESIGNED, S.DEV_TESTED),
    (S.DESIGNED, S.ACCEPTED),
    (S.DESIGNED, S.READY_FOR_TEST),
    (S.IN_DEVELOPMENT, S.ACCEPTED),
    (S.IN_DEVELOPMENT, S.READY_FOR_TEST),
    (S.DEV_TESTED, S.ACCEPTED),
    (S.DEV_TESTED, S.DESIGNED),
    (S.READY_FOR_TEST, S.DEV_TESTED),
    (S.ACCEPTED, S.CANCELLED),
    (S.ACCEPTED, S.DESIGNED),
    (S.CANCELLED, S.IN_DEVELOPMENT),
    (S.CANCELLED, S.ACCEPTED),
]


@pytest.fixture
def item(project, consultant):
    return DevelopmentItemFactory(project=project, assignee=consultant)


def test_codes_are_numbered_per_project(project, other_project, consultant, outsider):
    first = services.development_item_create(project=project, by=consultant, type="report", title="Sales by region")
    second = services.development_item_create(project=project, by=consultant, type="form", title="Hóa đơn VAT")
    elsewhere = services.development_item_create(project=other_project, by=outsider, type="report", title="X")
    assert (first.code, second.code, elsewhere.code) == ("DEV-001", "DEV-002", "DEV-001")
    assert first.status == S.DESIGNED


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_transition_moves_the_item(item, consultant, source, target):
    DevelopmentItem.objects.filter(pk=item.pk).update(status=source)
    item.refresh_from_db()
    moved = services.development_item_transition(item=item, by=consultant, to_status=target, version=item.version)
    moved.refresh_from_db()
    assert moved.status == target
    assert moved.version == item.version + 1


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_illegal_transitions_are_refused_with_a_clear_message(item, consultant, source, target):
    DevelopmentItem.objects.filter(pk=item.pk).update(status=source)
    item.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        services.development_item_transition(item=item, by=consultant, to_status=target)
    allowed = ", ".join(f"“{S(s).label}”" for s in S.values if s in ITEM_TRANSITIONS[source])
    assert caught.value.message == services.ILLEGAL_TRANSITION.format(
        source=S(source).label, target=S(target).label, allowed=allowed
    )
    item.refresh_from_db()
    assert item.status == source


def test_illegal_transition_message_names_the_allowed_steps(item, consultant):
    with pytest.raises(DomainError) as caught:
        services.development_item_transition(item=item, by=consultant, to_status=S.ACCEPTED)
    assert caught.value.message == services.ILLEGAL_TRANSITION.format(
        source="Designed", target="Accepted", allowed="“In development”, “Cancelled”"
    )


def test_development_cannot_start_without_an_assignee(project, consultant):
    item = DevelopmentItemFactory(project=project)
    with pytest.raises(DomainError) as caught:
        services.development_item_transition(item=item, by=consultant, to_status=S.IN_DEVELOPMENT)
    assert caught.value.message == services.NEEDS_ASSIGNEE


def test_a_stale_version_is_a_conflict_and_changes_nothing(item, consultant):
    services.development_item_transition(item=item, by=consultant, to_status=S.IN_DEVELOPMENT, version=1)
    with pytest.raises(ConflictError):
        services.development_item_transition(item=item, by=consultant, to_status=S.CANCELLED, version=1)
    item.refresh_from_db()
    assert item.status == S.IN_DEVELOPMENT


@pytest.mark.parametrize("persona", ["sponsor", "key_user", "viewer"])
def test_client_roles_cannot_move_items(item, personas, persona):
    with pytest.raises(PermissionDenied):
        services.development_item_transition(item=item, by=personas[persona], to_status=S.CANCELLED)


def test_status_is_not_editable_directly(item, consultant):
    with pytest.raises(DomainError) as caught:
        services.development_item_update(item=item, by=consultant, version=item.version, status=S.ACCEPTED)
    assert caught.value.message == services.STATUS_VIA_TRANSITION


def test_assignee_must_be_a_firm_member_of_the_project(project, consultant, key_user, outsider):
    for user in (key_user, outsider):
        with pytest.raises(DomainError) as caught:
            services.development_item_create(project=project, by=consultant, type="report", title="R", assignee=user)
        assert caught.value.field == "assignee"


def test_interface_needs_system_and_direction(project, consultant):
    with pytest.raises(Exception) as caught:
        services.development_item_create(project=project, by=consultant, type="interface", title="Bank link")
    assert "external system" in str(caught.value)
    item = services.development_item_create(
        project=project,
        by=consultant,
        type="interface",
        title="Bank link",
        external_system="Vietcombank",
        direction="both",
        protocol="SFTP",
        frequency="Daily",
        data_objects="Payments, statements",
    )
    assert item.is_interface


def test_environment_of_another_project_is_refused(project, other_project, consultant):
    foreign = EnvironmentFactory(project=other_project)
    with pytest.raises(DomainError) as caught:
        services.development_item_create(
            project=project, by=consultant, type="report", title="R", target_environment=foreign
        )
    assert caught.value.message == services.OTHER_PROJECT.format(what="environment")


# --- releases ------------------------------------------------------------------------


@pytest.fixture
def landscape(project):
    dev = EnvironmentFactory(project=project, name="DEV", order=1)
    test = EnvironmentFactory(project=project, name="TEST", order=2, kind=Environment.Kind.TEST)
    return dev, test


def test_transport_moves_ready_items_and_records_who_and_when(project, consultant, landscape):
    dev, test = landscape
    items = [DevelopmentItemFactory(project=project, status=S.DEV_TESTED) for _ in range(2)]
    release = services.release_create(
        project=project, by=consultant, title="Sprint 1", source_environment=dev, target_environment=test, items=items
    )
    assert release.code == "REL-001"
    done = services.release_transport(release=release, by=consultant, version=release.version)
    assert done.status == Release.Status.TRANSPORTED
    assert done.transported_by == consultant and done.transported_at is not None
    assert {i.current_environment_id for i in DevelopmentItem.objects.filter(pk__in=[i.pk for i in items])} == {test.pk}


def test_transport_refuses_items_not_dev_tested(project, consultant, landscape):
    dev, test = landscape
    ready = DevelopmentItemFactory(project=project, status=S.DEV_TESTED)
    busy = DevelopmentItemFactory(project=project, status=S.IN_DEVELOPMENT)
    release = ReleaseFactory(project=project, source_environment=dev, target_environment=test, items=[ready, busy])
    with pytest.raises(DomainError) as caught:
        services.release_transport(release=release, by=consultant)
    assert caught.value.message == services.RELEASE_ITEM_NOT_READY.format(code=busy.code, status="in development")
    release.refresh_from_db()
    ready.refresh_from_db()
    assert release.status == Release.Status.PLANNED and ready.current_environment is None


def test_transport_twice_is_refused(project, consultant, landscape):
    dev, test = landscape
    release = ReleaseFactory(
        project=project,
        source_environment=dev,
        target_environment=test,
        items=[DevelopmentItemFactory(project=project, status=S.ACCEPTED)],
    )
    services.release_transport(release=release, by=consultant)
    with pytest.raises(DomainError):
        services.release_transport(release=release, by=consultant)


def test_empty_release_and_same_environment_are_refused(project, consultant, landscape):
    dev, test = landscape
    with pytest.raises(DomainError) as caught:
        services.release_create(
            project=project, by=consultant, title="T", source_environment=dev, target_environment=dev
        )
    assert caught.value.message == services.RELEASE_SAME_ENVIRONMENT
    release = ReleaseFactory(project=project, source_environment=dev, target_environment=test)
    with pytest.raises(DomainError) as caught:
        services.release_transport(release=release, by=consultant)
    assert caught.value.message == services.RELEASE_EMPTY


def test_environment_used_by_a_release_cannot_be_deleted(project, consultant, landscape):
    dev, test = landscape
    ReleaseFactory(project=project, source_environment=dev, target_environment=test)
    with pytest.raises(DomainError) as caught:
        services.environment_delete(environment=dev, by=consultant)
    assert caught.value.message == services.ENVIRONMENT_IN_USE
    assert Environment.objects.filter(pk=dev.pk).exists()


def test_a_release_moves_items_forward_only(project, consultant, landscape):
    dev, test = landscape
    with pytest.raises(DomainError) as caught:
        services.release_create(
            project=project, by=consultant, title="Back", source_environment=test, target_environment=dev
        )
    assert caught.value.message == services.RELEASE_BACKWARDS.format(
        source="TEST", source_order=2, target="DEV", target_order=1
    )
    assert not Release.objects.filter(project=project).exists()


def test_a_transported_item_cannot_be_deleted(project, consultant, landscape):
    dev, test = landscape
    item = DevelopmentItemFactory(project=project, status=S.DEV_TESTED)
    release = ReleaseFactory(project=project, source_environment=dev, target_environment=test, items=[item])
    services.release_transport(release=release, by=consultant)
    with pytest.raises(DomainError) as caught:
        services.development_item_delete(item=item, by=consultant)
    assert caught.value.message == services.ITEM_TRANSPORTED.format(code=item.code, release=release.code)
    assert DevelopmentItem.objects.filter(pk=item.pk).exists()
