"""Production settings pass Django's deployment checks; malformed settings stop start-up."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "a-long-production-secret-key-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "erp.example.com",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_TLS_PROXY": "true",
}


def _manage(*args, env, unset=()):
    # A clean environment: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process.
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", *unset)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_boolean_stops_start_up_naming_the_variable():
    result = _manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    ["a-short-key", "django-insecure-" + "k3y-9Qz" * 10, "ab" * 40],
    ids=["short", "django-insecure", "few-unique-characters"],
)
def test_a_weak_secret_key_stops_start_up_in_production(weak_key):
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": weak_key})
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr


def test_a_weak_secret_key_is_accepted_with_debug_on():
    result = _manage("check", env={"DEBUG": "true", "SECRET_KEY": "a-short-key"})
    assert result.returncode == 0, result.stderr


def test_without_a_secret_key_the_generated_development_key_starts_with_debug_off():
    # What CI and `make test` do: no SECRET_KEY, DEBUG off, the key generated into .secret_key.
    result = _manage("check", env={"DEBUG": "false"}, unset=("SECRET_KEY", "SECRET_KEY_FILE"))
    assert result.returncode == 0, result.stderr


def test_a_malformed_trusted_proxy_stops_start_up_naming_the_variable():
    result = _manage("check", env={"TRUSTED_PROXIES": "127.0.0.1,proxy.example.com"})
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr and "proxy.example.com" in result.stderr
