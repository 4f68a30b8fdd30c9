"""Per-user API tokens: issue, revoke, authenticate a request's `Authorization: Bearer`.

The clear token exists only in the return value of apitoken_issue (shown once to
the admin who issued it); the database keeps its SHA-256 digest.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "cwb_"
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def set_new_secret(token):
    """Give an unsaved ApiToken a fresh secret; return the clear token."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token.prefix = raw[: len(TOKEN_PREFIX) + 8]
    token.digest = token_digest(raw)
    return raw


@transaction.atomic
def apitoken_issue(*, user, name, created_by):
    """Create a token for user; return (ApiToken, the clear token to show once)."""
    token = ApiToken(user=user, name=name, created_by=created_by)
    raw = set_new_secret(token)
    token.save()
    return token, raw


@transaction.atomic
def apitoken_revoke(*, token, user):
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def bearer_token(request):
    """The token in `Authorization: Bearer <token>`, '' when there is none."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return value.strip()


def apitoken_authenticate(raw):
    """The active user owning this unrevoked token, or None."""
    if not raw:
        return None
    token = (
        ApiToken.objects.active().select_related("user").filter(digest=token_digest(raw)).first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # ApiToken is not a tracked model, so a plain update is fine here.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
