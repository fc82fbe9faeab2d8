"""Pages and API as users see them: internal estimates, the board's moves, filters, pagination."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from erpimpl.errors import STALE_VERSION
from phases.development import services
from phases.development.models import DevelopmentItem
from phases.development.tests.factories import DevelopmentItemFactory, EnvironmentFactory, InterfaceItemFactory

S = DevelopmentItem.Status
CLIENTS = ["sponsor", "key_user", "viewer"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(project, consultant):
    return DevelopmentItemFactory(
        project=project,
        title="Báo cáo công nợ phải thu",
        assignee=consultant,
        estimate_days=Decimal("12.5"),
        complexity=DevelopmentItem.Complexity.VERY_HIGH,
    )


def _pages(project, item):
    return [
        reverse("development:board", args=[project.code]),
        reverse("development:item_list", args=[project.code]),
        reverse("development:item_detail", args=[project.code, item.pk]),
        reverse("development-portal:board", args=[project.code]),
    ]


# --- internal estimate --------------------------------------------------------------------


@pytest.mark.parametrize("persona", CLIENTS)
def test_client_roles_never_see_the_estimate_on_pages(client, personas, project, item, persona):
    client.force_login(personas[persona])
    for url in _pages(project, item):
        body = client.get(url).content.decode()
        assert item.title in body
        assert "12.5" not in body and "12,5" not in body, url
        assert "Estimate" not in body and "Very high" not in body, url


def test_firm_roles_see_the_estimate(client, consultant, project, item):
    client.force_login(consultant)
    assert "12.5" in client.get(reverse("development:item_list", args=[project.code])).content.decode()
    detail = client.get(reverse("development:item_detail", args=[project.code, item.pk])).content.decode()
    assert "12.5" in detail and "Very high" in detail


@pytest.mark.parametrize("persona", CLIENTS)
def test_client_roles_never_see_the_estimate_in_the_api(api_client_for, personas, item, persona):
    client = api_client_for(personas[persona])
    detail = client.get(reverse("development-api:item-detail", args=[item.pk])).json()
    listed = client.get(reverse("development-api:item-list")).json()["results"][0]
    for body in (detail, listed):
        assert body["title"] == item.title
        assert "estimate_days" not in body and "complexity" not in body


def test_firm_roles_get_the_estimate_in_the_api(api_client_for, consultant, item):
    body = api_client_for(consultant).get(reverse("development-api:item-detail", args=[item.pk])).json()
    assert body["estimate_days"] == "12.5" and body["complexity"] == "very_high"


def test_the_audit_trail_does_not_record_estimates(consultant, item):
    services.development_item_update(item=item, by=consultant, version=item.version, estimate_days=20, title="New")
    changes = LogEntry.objects.get_for_object(item).first().changes_dict
    assert "title" in changes
    assert "estimate_days" not in changes and "complexity" not in changes


# --- the board ----------------------------------------------------------------------------


def test_board_shows_one_column_per_status_with_the_cards(client, viewer, project, item):
    client.force_login(viewer)
    body = client.get(reverse("development:board", args=[project.code])).content.decode()
    for value in S.values:
        assert f'data-status="{value}"' in body
    assert f'id="item-{item.pk}"' in body
    assert "draggable" not in body  # read-only for a viewer


def test_moving_a_card_with_htmx_returns_the_refreshed_board(client, consultant, project, item):
    client.force_login(consultant)
    url = reverse("development:item_move", args=[project.code, item.pk])
    response = client.post(url, {"to_status": S.IN_DEVELOPMENT, "version": item.version}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="board"')
    assert f"{item.code} moved to “In development”." in body
    item.refresh_from_db()
    assert item.status == S.IN_DEVELOPMENT


def test_a_stale_move_answers_a_clear_conflict_message(client, consultant, project, item):
    client.force_login(consultant)
    url = reverse("development:item_move", args=[project.code, item.pk])
    stale = item.version
    services.development_item_transition(item=item, by=consultant, to_status=S.IN_DEVELOPMENT, version=stale)
    response = client.post(url, {"to_status": S.CANCELLED, "version": stale}, **HTMX)
    assert STALE_VERSION.format(current=stale + 1) in response.content.decode()
    item.refresh_from_db()
    assert item.status == S.IN_DEVELOPMENT


def test_an_illegal_move_on_the_board_says_why(client, consultant, project, item):
    client.force_login(consultant)
    url = reverse("development:item_move", args=[project.code, item.pk])
    response = client.post(url, {"to_status": S.ACCEPTED, "version": item.version}, **HTMX)
    body = response.content.decode()
    assert "cannot move from “Designed” to “Accepted”" in body
    item.refresh_from_db()
    assert item.status == S.DESIGNED


def test_a_plain_post_move_redirects_back_with_the_message(client, consultant, project, item):
    client.force_login(consultant)
    url = reverse("development:item_move", args=[project.code, item.pk])
    response = client.post(url, {"to_status": S.CANCELLED, "version": item.version}, follow=True)
    assert "moved to “Cancelled”" in response.content.decode()


def test_the_board_keeps_its_filters_after_a_move(client, consultant, project, item):
    other = DevelopmentItemFactory(project=project, type="workflow", title="Duyệt đơn mua hàng")
    client.force_login(consultant)
    url = reverse("development:item_move", args=[project.code, item.pk]) + "?type=report"
    body = client.post(url, {"to_status": S.CANCELLED, "version": item.version}, **HTMX).content.decode()
    assert item.title in body and other.title not in body


# --- item pages: create, edit, interface ---------------------------------------------------


def test_creating_an_interface_through_the_form(client, consultant, project):
    env = EnvironmentFactory(project=project, name="DEV")
    client.force_login(consultant)
    url = reverse("development:item_create", args=[project.code])
    data = {"type": "interface", "title": "Kết nối ngân hàng", "target_environment": env.pk}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "An interface needs the external system and the direction." in response.content.decode()
    data.update(external_system="Vietcombank", direction="outbound", protocol="SFTP", frequency="Daily")
    response = client.post(url, data)
    assert response.status_code == 302
    created = DevelopmentItem.objects.get(project=project)
    assert (created.code, created.external_system, created.target_environment) == ("DEV-001", "Vietcombank", env)


def test_editing_with_a_stale_version_keeps_the_other_change(client, consultant, project, item):
    client.force_login(consultant)
    url = reverse("development:item_edit", args=[project.code, item.pk])
    services.development_item_update(item=item, by=consultant, version=item.version, title="Changed elsewhere")
    response = client.post(url, {"type": "report", "title": "Mine", "version": item.version})
    assert response.status_code == 200 and "changed by someone else" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Changed elsewhere"


# --- list: filters and pagination -------------------------------------------------------


def test_the_list_paginates_and_filters(client, consultant, project):
    for _ in range(30):
        DevelopmentItemFactory(project=project)
    InterfaceItemFactory(project=project, title="EDI với nhà phân phối", external_system="DMS Distributor")
    client.force_login(consultant)
    url = reverse("development:item_list", args=[project.code])
    first = client.get(url)
    assert first.context["page_obj"].paginator.count == 31 and len(first.context["items"]) == 25
    assert len(client.get(url, {"page": 2}).context["items"]) == 6
    found = client.get(url, {"type": "interface"}).context["items"]
    assert [i.title for i in found] == ["EDI với nhà phân phối"]
    assert [i.title for i in client.get(url, {"q": "distributor"}).context["items"]] == ["EDI với nhà phân phối"]


def test_api_filters(api_client_for, consultant, project):
    dev = EnvironmentFactory(project=project, name="DEV")
    a = DevelopmentItemFactory(project=project, type="report", assignee=consultant, target_environment=dev)
    b = InterfaceItemFactory(project=project, status=S.DEV_TESTED)
    client = api_client_for(consultant)
    url = reverse("development-api:item-list")

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(project=project.code) == {a.pk, b.pk}
    assert ids(status="dev_tested") == {b.pk}
    assert ids(type="report") == {a.pk}
    assert ids(assignee=consultant.username) == {a.pk}
    assert ids(environment=dev.pk) == {a.pk}
    assert ids(q="host-to-host") == {b.pk}
    assert client.get(url, {"status": "nonsense"}).status_code == 400


def test_api_transition_refuses_an_illegal_move_with_the_reason(api_client_for, consultant, item):
    url = reverse("development-api:item-transition", args=[item.pk])
    response = api_client_for(consultant).post(url, {"to_status": "accepted", "version": item.version}, format="json")
    assert response.status_code == 400
    assert "cannot move from “Designed” to “Accepted”" in response.json()["to_status"][0]
    stale = api_client_for(consultant).post(url, {"to_status": "cancelled", "version": 99}, format="json")
    assert stale.status_code == 409


def _count_queries(callable_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        callable_()
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "route", ["development-api:item-list", "development-api:release-list", "development-api:environment-list"]
)
def test_api_list_query_count_does_not_grow_with_the_page(api_client_for, consultant, project, route):
    from phases.development.tests.factories import ReleaseFactory

    client = api_client_for(consultant)
    dev = EnvironmentFactory(project=project, name="DEV", order=1)
    test = EnvironmentFactory(project=project, name="TEST", order=2)

    def add(n):
        for _ in range(n):
            item = DevelopmentItemFactory(project=project, assignee=consultant, target_environment=dev)
            ReleaseFactory(project=project, source_environment=dev, target_environment=test, items=[item])
            EnvironmentFactory(project=project)

    add(2)
    few = _count_queries(lambda: client.get(reverse(route)))
    add(10)
    many = _count_queries(lambda: client.get(reverse(route)))
    assert many == few


def test_board_query_count_does_not_grow_with_the_cards(client, consultant, project):
    client.force_login(consultant)
    url = reverse("development:board", args=[project.code])
    DevelopmentItemFactory.create_batch(2, project=project, assignee=consultant)
    few = _count_queries(lambda: client.get(url))
    DevelopmentItemFactory.create_batch(15, project=project, assignee=consultant)
    assert _count_queries(lambda: client.get(url)) == few


def test_history_on_the_detail_page_is_readable(client, consultant, project, item):
    env = EnvironmentFactory(project=project, name="UAT-2")
    services.development_item_update(item=item, by=consultant, version=item.version, target_environment=env)
    item.refresh_from_db()
    services.development_item_transition(item=item, by=consultant, to_status=S.IN_DEVELOPMENT)
    client.force_login(consultant)
    response = client.get(reverse("development:item_detail", args=[project.code, item.pk]))
    rows = response.context["history"]
    changes = [change for row in rows for change in row["changes"]]
    assert ("status", "Designed", "In development") in changes
    assert ("target environment", "", "UAT-2") in changes
    assert rows[-1]["entry"].action == LogEntry.Action.CREATE and rows[-1]["changes"] == []


# --- one rule, one partial: assignees, allowed moves, filters ------------------------------


def test_the_assignee_choices_are_the_members_who_may_edit(project, personas):
    from phases.development.forms import DevelopmentItemForm

    offered = set(DevelopmentItemForm(project=project).fields["assignee"].queryset)
    assert offered == {personas["pm"], personas["consultant"]}
    # the service applies the same rule to whatever it is sent
    for name in ("pm", "consultant"):
        item = services.development_item_create(
            project=project, by=personas["pm"], type="report", title=name, assignee=personas[name]
        )
        assert item.assignee == personas[name]


def test_the_api_lists_only_the_moves_the_caller_may_make(api_client_for, consultant, viewer, item):
    url = reverse("development-api:item-detail", args=[item.pk])
    assert api_client_for(consultant).get(url).json()["allowed_transitions"] == ["in_development", "cancelled"]
    assert api_client_for(viewer).get(url).json()["allowed_transitions"] == []


def test_the_item_page_offers_the_moves_to_editors_only(client, consultant, viewer, project, item):
    url = reverse("development:item_detail", args=[project.code, item.pk])
    client.force_login(consultant)
    assert client.get(url).context["allowed_targets"] == [
        ("in_development", "In development"),
        ("cancelled", "Cancelled"),
    ]
    client.force_login(viewer)
    assert client.get(url).context["allowed_targets"] == []


def test_a_move_never_redirects_off_site(client, consultant, project, item):
    client.force_login(consultant)
    url = reverse("development:item_move", args=[project.code, item.pk])
    data = {"to_status": S.CANCELLED, "version": item.version, "next": "https://evil.example/steal"}
    response = client.post(url, data)
    assert response["Location"] == reverse("development:board", args=[project.code])
    detail = reverse("development:item_detail", args=[project.code, item.pk])
    item.refresh_from_db()
    response = client.post(url, {"to_status": S.DESIGNED, "version": item.version, "next": detail})
    assert response["Location"] == detail


def test_a_refused_plain_post_move_redirects_back_with_the_reason(client, consultant, project, item):
    client.force_login(consultant)
    url = reverse("development:item_move", args=[project.code, item.pk])
    response = client.post(url, {"to_status": S.ACCEPTED, "version": item.version}, follow=True)
    assert "cannot move from “Designed” to “Accepted”" in response.content.decode()


def test_board_and_lists_use_the_shared_filter_form(client, consultant, project, item):
    mine = EnvironmentFactory(project=project, name="UAT-mine")
    EnvironmentFactory(name="ELSEWHERE")  # another project's environment is never offered
    client.force_login(consultant)
    board = client.get(reverse("development:board", args=[project.code]))
    items = client.get(reverse("development:item_list", args=[project.code]))
    releases = client.get(reverse("development:release_list", args=[project.code]), {"status": "planned"})
    assert list(board.context["filter_form"].fields) == ["type", "environment", "assignee", "q"]
    assert list(items.context["filter_form"].fields) == ["type", "status", "environment", "assignee", "q"]
    assert list(releases.context["filter_form"].fields) == ["status", "q"]
    for response in (board, items, releases):
        assert 'id="filter-form"' in response.content.decode()
    body = board.content.decode()
    assert "UAT-mine" in body and "ELSEWHERE" not in body
    assert set(board.context["filter_form"].fields["environment"].queryset) == {mine}


def test_a_patch_of_the_status_answers_400_naming_the_transition_and_changes_nothing(api_client_for, consultant, item):
    """Only the transition action moves an item; a PATCH naming ``status`` neither moves it
    silently nor bumps its version."""
    url = reverse("development-api:item-detail", args=[item.pk])
    response = api_client_for(consultant).patch(
        url, {"version": item.version, "status": S.IN_DEVELOPMENT, "title": "Renamed"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"status": [f"Only the “transition” action changes this field: POST {url}transition/."]}
    item.refresh_from_db()
    assert (item.status, item.version, item.title) == (S.DESIGNED, 1, "Báo cáo công nợ phải thu")
    moved = api_client_for(consultant).post(
        f"{url}transition/", {"version": 1, "to_status": S.IN_DEVELOPMENT}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["status"] == S.IN_DEVELOPMENT
