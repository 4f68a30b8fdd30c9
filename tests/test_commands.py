"""Set-up commands: the demo loader and the first admin account."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from claims.models import Article, Claim

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_quotes_match_the_body(capsys):
    call_command("load_demo")
    call_command("load_demo")
    article = Article.objects.get()
    assert article.publisher == "Sputnik International"
    assert "Заголовок открываемого материала" in article.body
    claims = list(Claim.objects.all())
    assert len(claims) >= 3
    for claim in claims:
        claim.full_clean()
        assert article.body[claim.start : claim.end] == claim.quote


def test_ensure_admin_prints_a_generated_password_only_once(capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    password = first.split("password: ")[1].split()[0]
    assert User.objects.get(username="admin").check_password(password)
    call_command("ensure_admin")
    again = capsys.readouterr().out
    assert "already exists" in again and password not in again and "password:" not in again
