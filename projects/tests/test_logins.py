"""Password guessing is stopped on both sign-in doors, and API tokens die with the password.

Failed sign-ins are counted in the database per account and per client address (one
implementation, ``projects.services.logins``, behind the login page and the API token door).
The defaults are used: 5 failures per account, 20 per address, in 15 minutes.
"""

import logging
from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from rest_framework.test import APIClient

from projects.models import LoginFailure
from projects.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
PER_ACCOUNT, PER_ADDRESS, WINDOW = 5, 20, timedelta(minutes=15)
LOCKED = "Too many failed sign-ins; try again in 15 minutes."


def page_login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def api_login(username, password, **extra):
    return APIClient().post(reverse("auth-token-list"), {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def pass_the_window():
    """Move every stored failure back by the window: the clock has moved on (no sleeping)."""
    LoginFailure.objects.update(at=F("at") - WINDOW)


def test_the_defaults_are_the_documented_ones(settings):
    assert (settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_FAILURES_PER_ADDRESS) == (PER_ACCOUNT, PER_ADDRESS)
    assert settings.LOGIN_FAILURE_WINDOW_MINUTES == 15 and settings.TRUSTED_PROXIES == []


def test_after_five_wrong_passwords_the_login_page_refuses_the_right_one_with_a_clear_message(client):
    user = UserFactory()
    for _ in range(PER_ACCOUNT):
        response = page_login(client, user.username, "wrong")
        assert response.status_code == 200 and "didn&#x27;t match" in response.content.decode()
    response = page_login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert not signed_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_the_admin_sign_in_shares_the_brake(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(PER_ACCOUNT):
        client.post(url, {"username": admin_user.username, "password": "wrong"})
    response = client.post(url, {"username": admin_user.username, "password": PASSWORD})
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert not signed_in(client)


def test_the_api_answers_429_with_retry_after_once_the_account_is_locked():
    user = UserFactory()
    for _ in range(PER_ACCOUNT):
        assert api_login(user.username, "wrong").status_code == 400
    response = api_login(user.username, PASSWORD)
    assert response.status_code == 429
    assert response.json() == {"detail": LOCKED}
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert not user.auth_token_set.exists()


def test_both_doors_share_one_count():
    user = UserFactory()
    client = APIClient()
    for attempt in range(PER_ACCOUNT):
        door = page_login if attempt % 2 else (lambda _c, u, p: api_login(u, p))
        door(client, user.username, "wrong")
    assert api_login(user.username, PASSWORD).status_code == 429
    assert LOCKED in page_login(client, user.username, PASSWORD).content.decode()


def test_changing_the_case_of_the_username_does_not_open_a_new_count():
    UserFactory(username="alice")
    for name in ("alice", "Alice", "ALICE", " alice", "aLiCe"):
        api_login(name, "wrong")
    assert api_login("alice", PASSWORD).status_code == 429


def test_a_lockout_is_logged_as_a_warning(caplog):
    user = UserFactory()

    def lockout_warnings():
        return [r for r in caplog.records if r.name == "projects.services.logins" and r.levelno == logging.WARNING]

    with caplog.at_level(logging.INFO, logger="projects.services.logins"):
        for _ in range(PER_ACCOUNT - 1):
            api_login(user.username, "wrong")
        assert not lockout_warnings()
        api_login(user.username, "wrong")
    warnings = lockout_warnings()
    assert len(warnings) == 1 and user.username in warnings[0].getMessage()
    assert "127.0.0.1" in warnings[0].getMessage()


def test_a_successful_sign_in_resets_the_accounts_count(client):
    user = UserFactory()
    for _ in range(PER_ACCOUNT - 1):
        api_login(user.username, "wrong")
    assert api_login(user.username, PASSWORD).status_code == 201
    for _ in range(PER_ACCOUNT - 1):
        page_login(client, user.username, "wrong")
    assert page_login(client, user.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_once_the_window_has_passed_the_right_password_works_again(client):
    user = UserFactory()
    for _ in range(PER_ACCOUNT):
        page_login(client, user.username, "wrong")
    assert api_login(user.username, PASSWORD).status_code == 429
    pass_the_window()
    response = page_login(client, user.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    assert api_login(user.username, PASSWORD).status_code == 201


def test_the_wait_counts_from_the_failure_that_reached_the_limit(client):
    user = UserFactory()
    for _ in range(PER_ACCOUNT):
        api_login(user.username, "wrong")
    LoginFailure.objects.update(at=F("at") - timedelta(minutes=11))
    response = page_login(client, user.username, PASSWORD)
    assert "Too many failed sign-ins; try again in 4 minutes." in response.content.decode()


def test_rotating_x_forwarded_for_does_not_escape_the_per_address_limit():
    # Each attempt names another account and claims another address: without a trusted
    # proxy the header is ignored and all of them come from the connection's address.
    for n in range(PER_ADDRESS):
        assert api_login(f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code == 400
    victim = UserFactory()
    response = api_login(victim.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"127.0.0.1"}
    # Another client (another connection address) is not affected.
    assert api_login(victim.username, PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 201


def test_another_account_from_the_same_address_is_limited_by_the_address_count(client):
    for n in range(PER_ADDRESS // 2):  # two failures each: no account reaches its own limit
        page_login(client, f"guess{n}", "wrong")
        page_login(client, f"guess{n}", "wrong")
    other = UserFactory()
    response = page_login(client, other.username, PASSWORD)
    assert LOCKED in response.content.decode() and not signed_in(client)
    assert api_login(other.username, PASSWORD).status_code == 429
    pass_the_window()
    assert page_login(client, other.username, PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(settings, client):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    user = UserFactory()
    # Clients behind the proxy each have their own count (a different account each time, so
    # the account limit does not interfere) ...
    for n in range(PER_ADDRESS + 5):
        api_login(f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert api_login(user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 201
    # ... the address recorded is the first one not of a trusted proxy, from the right: what
    # the client itself wrote in the header (left) is not believed.
    api_login("spoofer", "wrong", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.9, 10.1.2.3")
    assert LoginFailure.objects.filter(username="spoofer").get().address == "198.51.100.9"
    # ... and one forwarded client is still stopped at the per-address limit.
    for n in range(PER_ADDRESS):
        api_login(f"other{n}", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert api_login(user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.66").status_code == 429
    response = page_login(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert LOCKED in response.content.decode()


def test_a_refused_attempt_is_not_counted_again():
    user = UserFactory()
    for _ in range(PER_ACCOUNT):
        api_login(user.username, "wrong")
    for _ in range(10):
        assert api_login(user.username, "wrong").status_code == 429
    assert LoginFailure.objects.filter(username=user.username).count() == PER_ACCOUNT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_get_no_more_password_checks_than_the_limit():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    user = UserFactory()

    def guess(_):
        try:
            return api_login(user.username, "wrong").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(guess, range(24)))
    # Every attempt is recorded before its password is checked, so however they interleave,
    # no more than the limit are checked; the others are refused without a check.
    assert answers.count(400) <= PER_ACCOUNT
    assert set(answers) <= {400, 429} and answers.count(429) >= len(answers) - PER_ACCOUNT
    assert LoginFailure.objects.filter(username=user.username).count() == answers.count(400)


# --- API tokens die with the password or the account --------------------------------------


def _token(user):
    response = api_login(user.username, PASSWORD)
    assert response.status_code == 201
    return APIClient(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")


def test_a_token_stops_working_once_the_password_changes():
    user = UserFactory()
    client = _token(user)
    assert client.get(reverse("projects-api:project-list")).status_code == 200
    user.set_password("a-new-password-42")
    user.save()
    response = client.get(reverse("projects-api:project-list"))
    assert response.status_code == 401
    assert "password changed" in response.json()["detail"]
    assert not user.auth_token_set.exists()
    # A token issued under the new password works.
    fresh = APIClient().post(reverse("auth-token-list"), {"username": user.username, "password": "a-new-password-42"})
    assert fresh.status_code == 201
    new_client = APIClient(HTTP_AUTHORIZATION=f"Token {fresh.json()['token']}")
    assert new_client.get(reverse("projects-api:project-list")).status_code == 200


def test_a_token_changed_through_djangos_password_form_dies_too(client):
    from django.contrib.auth.forms import PasswordChangeForm

    user = UserFactory()
    token_client = _token(user)
    form = PasswordChangeForm(
        user, {"old_password": PASSWORD, "new_password1": "Another-pass-77", "new_password2": "Another-pass-77"}
    )
    assert form.is_valid(), form.errors
    form.save()
    assert token_client.get(reverse("projects-api:project-list")).status_code == 401


def test_a_token_stops_working_once_the_user_is_deactivated_and_stays_dead():
    user = UserFactory()
    client = _token(user)
    user.is_active = False
    user.save()
    assert client.get(reverse("projects-api:project-list")).status_code == 401
    assert not user.auth_token_set.exists()
    user.is_active = True
    user.save()
    assert client.get(reverse("projects-api:project-list")).status_code == 401


def test_a_token_of_an_account_closed_and_reopened_unseen_stays_dead():
    """Closing the account kills its tokens at once, even if none is shown while it is closed."""
    user = UserFactory()
    client = _token(user)
    user.is_active = False
    user.save()
    assert not user.auth_token_set.exists()
    user.is_active = True
    user.save()
    assert client.get(reverse("projects-api:project-list")).status_code == 401
