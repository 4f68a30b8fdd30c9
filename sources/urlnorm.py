"""URL normalisation: one Source per normalised URL."""

from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_DEFAULT_PORTS = {"http": 80, "https": 443}
_validate = URLValidator(schemes=["http", "https"])


def normalize_url(url: str) -> str:
    """Return the canonical form of an http(s) URL or raise ValidationError.

    Lower-cases scheme and host, IDNA-encodes the host, drops the default port
    and the fragment, and gives an empty path as "/". The query is kept as is:
    reordering it could change what a server returns.
    """
    url = (url or "").strip()
    _validate(url)
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError("URLs with credentials are not accepted.", code="credentials")
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii") if not host.startswith("[") else host
    except UnicodeError as exc:
        raise ValidationError("The host name is not valid.", code="invalid") from exc
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[parts.scheme.lower()]) else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def url_domain(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
