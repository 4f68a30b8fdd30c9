"""Sign-in throttling (django-axes), the Content-Security-Policy and the database health
check: the web tier's defences that are settings rather than code."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from .support.personas import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, ip="198.51.100.7"):
    return client.post(
        reverse("claims:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_wrong_passwords_lock_out_that_user_from_that_address_and_say_when(client, reviewer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, reviewer.username, "wrong").status_code == 200
    assert sign_in(client, reviewer.username, "wrong").status_code == 429  # the last straw
    locked = sign_in(client, reviewer.username, PASSWORD)  # even the right password now
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Too many failed sign-ins" in text and "Try again in 15 minutes" in text
    assert re.search(r"after \d\d:\d\d", text)
    assert "_auth_user_id" not in client.session
    # Another address, or another user from this address, is not locked out.
    assert sign_in(client, reviewer.username, PASSWORD, ip="203.0.113.9").status_code == 302


def test_an_admin_unlocks_a_locked_out_user(client, reviewer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, reviewer.username, "wrong")
    assert sign_in(client, reviewer.username, PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username=reviewer.username).delete()  # Admin -> delete
    assert sign_in(client, reviewer.username, PASSWORD).status_code == 302


def test_pages_carry_a_csp_with_scripts_from_self_only_and_no_inline_script(client, reviewer):
    client.force_login(reviewer)
    for name in ("claims:queue", "claims:login"):
        response = client.get(reverse(name), follow=True)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"
        assert '"includeIndicatorStyles": false' in html  # htmx injects no <style>


def test_connections_are_health_checked_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_csrf_cookie_is_httponly_and_same_site(client):
    response = client.get(reverse("claims:login"))
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
