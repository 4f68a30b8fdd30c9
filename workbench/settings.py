"""Settings for the claim workbench, read from the environment.

Out of the box this runs on SQLite and kombu's filesystem broker under ./data,
so one machine needs no server. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS and DEBUG=0 (see README).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF


def envbool(name, default):
    return os.getenv(name, default).lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.getenv(name, default))


def envlist(name, default=""):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.getenv("DATA_DIR", BASE_DIR / "data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.getenv("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")

# The organisation that publishes our ClaimReviews: their `author` (schema.org and Google
# want the fact-checking organisation there). Left out of exports when no name is set:
# we never invent one. CLAIMREVIEW_CREDIT_REVIEWER adds the reviewer as a second author.
CLAIMREVIEW_PUBLISHER = {
    "name": os.getenv("CLAIMREVIEW_PUBLISHER_NAME", ""),
    "url": os.getenv("CLAIMREVIEW_PUBLISHER_URL", ""),
    "logo": os.getenv("CLAIMREVIEW_PUBLISHER_LOGO", ""),
    "sameAs": [u for u in os.getenv("CLAIMREVIEW_PUBLISHER_SAME_AS", "").split(",") if u],
}
CLAIMREVIEW_CREDIT_REVIEWER = os.getenv("CLAIMREVIEW_CREDIT_REVIEWER", "") in ("1", "true", "yes")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Named partials ({% partialdef %}, "page.html#name"); the loader is set in TEMPLATES.
    "template_partials.apps.SimpleAppConfig",
    "simple_history",
    "axes",
    "csp",
    "workbench",
    "sources",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The replay host (REPLAY_ORIGIN) is answered here, before sessions, CSRF and auth.
    "workbench.replayhost.ReplayHostMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is locked out for AXES_COOLOFF_TIME (other users
# and other addresses are not). An admin unlocks early by deleting the access attempts
# (Admin -> Axes -> Access attempts) or with `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "workbench.signin.WebSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "claims.views.auth.locked_out"
# Behind a proxy, the client address is the last one it appends to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0") or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Content-Security-Policy (django-csp): scripts, styles and everything else from our own
# origin only; no inline script, style element or event handler anywhere (JS is in static
# files; htmx's injected indicator style is off, see workbench/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            # Django's own loaders (cached, as with APP_DIRS), wrapped by django-template-partials
            # so that "page.html#name" loads one partial of a page (htmx swaps render those).
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default. WAL and IMMEDIATE transactions let the web process and a
# worker write the same file without "database is locked" surprises.
SQLITE_PATH = DATA_DIR / "workbench.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60
    )
}
# A connection kept between requests is checked before reuse, so the first request after a
# database restart reconnects instead of failing with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not :memory:, so a Celery worker started by the tests sees the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # QuerySet.iterator() reads through a server-side cursor, which PostgreSQL plans to
    # return its first 10% of rows quickly; ours (exports) read every row, and a plan for
    # the whole result is twice as fast on them.
    # A reused connection the server dropped is replaced before a request or task uses it.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c cursor_tuple_fraction=1.0".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", DATA_DIR / "media"))
# Archives are never served from MEDIA_URL: downloads go through views that
# check the user and send them as attachments.
MEDIA_URL = "/media-not-served/"

LOGIN_URL = "claims:login"
LOGIN_REDIRECT_URL = "claims:queue"
LOGOUT_REDIRECT_URL = "claims:login"

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "workbench@localhost")
# Used by the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = os.getenv("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))

# History: the admin must never silently rewrite the past.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Security. With DEBUG off every deploy check passes; TLS-related settings can be
# relaxed by environment only for a plain-HTTP intranet deployment.
SESSION_COOKIE_HTTPONLY = True
# Reviewed: htmx reads the token from the page (hx-headers), never from the cookie, so the
# cookie can be HttpOnly; SameSite=Lax keeps it off cross-site POSTs as a second fence.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "true")
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "true")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    # Preload is a commitment for the whole domain; set SECURE_HSTS_PRELOAD=0 to opt out.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Celery: Redis when REDIS_URL is set, else the filesystem transport under DATA_DIR.
REDIS_URL = os.getenv("REDIS_URL", "")
BROKER_DIR = Path(os.getenv("BROKER_DIR", DATA_DIR / "broker"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Retry delays stay under this, or Redis would redeliver a waiting task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    if REDIS_URL.startswith(("redis://", "rediss://")):
        # kombu's Redis transport with one client per channel instead of one per
        # message's bookkeeping (workbench/broker.py says why it is safe).
        CELERY_BROKER_TRANSPORT = "workbench.broker:Transport"
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every database connection before and after each task
# unless this is set, so CONN_MAX_AGE had no effect in workers and each capture paid a
# new connection. With it, the fixup closes them only every this-many tasks; between
# tasks workbench/celery.py applies Django's own rule (close_old_connections: age,
# health, broken transactions), as Django does between requests.
CELERY_DB_REUSE_MAX = envint("CELERY_DB_REUSE_MAX", "1000")
CELERY_TASK_DEFAULT_QUEUE = "default"
# Capture is I/O-bound and is scaled apart from everything else.
CELERY_TASK_ROUTES = {"sources.tasks.*": {"queue": "capture"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when the broker is down: the row stays pending and the sweep re-enqueues it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# Each queue's workers report in, so the UI can say when none is running.
CELERY_BEAT_SCHEDULE = {
    f"heartbeat-{queue}": {
        "task": "workbench.tasks.heartbeat",
        "schedule": 60.0,
        "args": [queue],
        "options": {"queue": queue, "expires": 55},
    }
    for queue in ("default", "capture")
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}


# Source capture (sources/). Fetch limits apply to every user-supplied URL.
def envfloat(name, default):
    return float(os.getenv(name, default))


# host:port pairs of loopback test servers the fetcher may reach; nothing else is exempt.
FETCH_ALLOW_PRIVATE = envlist("FETCH_ALLOW_PRIVATE")
FETCH_CONNECT_TIMEOUT = envfloat("FETCH_CONNECT_TIMEOUT", "5")
FETCH_READ_TIMEOUT = envfloat("FETCH_READ_TIMEOUT", "15")
# Wall clock for a whole fetch (every hop, headers and body): a trickling server is cut here.
FETCH_DEADLINE = envfloat("FETCH_DEADLINE", "30")
FETCH_MAX_BYTES = envint("FETCH_MAX_BYTES", str(15 * 1024 * 1024))
FETCH_MAX_REDIRECTS = envint("FETCH_MAX_REDIRECTS", "5")
FETCH_USER_AGENT = os.getenv(
    "FETCH_USER_AGENT", f"ClaimWorkbench/0.1 (source capture; +{SITE_URL})"
)
# Politeness: at least this many seconds between requests to one domain, across all workers.
FETCH_DOMAIN_INTERVAL = envfloat("FETCH_DOMAIN_INTERVAL", "1")
# A capture that would wait longer than this for its domain is re-queued instead of sleeping.
FETCH_DOMAIN_MAX_WAIT = envfloat("FETCH_DOMAIN_MAX_WAIT", "5")
CAPTURE_MAX_ATTEMPTS = envint("CAPTURE_MAX_ATTEMPTS", "5")
CAPTURE_RETRY_BASE = envfloat("CAPTURE_RETRY_BASE", "30")
# Retry delays stay well under the broker's visibility timeout (3600 s with Redis).
CAPTURE_RETRY_MAX = min(envfloat("CAPTURE_RETRY_MAX", "1800"), 3000)
# How long a worker owns a claimed capture without renewing it. A live worker renews it every
# CAPTURE_HEARTBEAT_SECONDS (default a quarter of the lease), so a dead worker's capture is
# free again within a lease and re-sent by the next sweep (sources/lease.py).
CAPTURE_LEASE_SECONDS = envfloat("CAPTURE_LEASE_SECONDS", "45")
CAPTURE_HEARTBEAT_SECONDS = envfloat("CAPTURE_HEARTBEAT_SECONDS", "0")
# A pending source whose message has not been picked up after this long is re-enqueued.
CAPTURE_SWEEP_GRACE = envfloat("CAPTURE_SWEEP_GRACE", "300")
RECHECK_AFTER_DAYS = envfloat("RECHECK_AFTER_DAYS", "30")


# Capture engines (sources/engines/). Chromium: CHROMIUM_PATH, else Debian's, else the build
# `playwright install chromium` put in its cache; with none of them, the http engine.
def _find_chromium():
    if os.getenv("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    cache = Path(os.getenv("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    builds = sorted(cache.glob("chromium-*/chrome-linux*/chrome"))
    return str(builds[-1]) if builds else ""


CHROMIUM_PATH = _find_chromium()
CAPTURE_ENGINE = os.getenv("CAPTURE_ENGINE", "browser" if CHROMIUM_PATH else "http")
# Per browser capture: requests, decoded bytes and wall clock (a page still loading then is
# captured as it is).
CAPTURE_BROWSER_MAX_RESOURCES = envint("CAPTURE_BROWSER_MAX_RESOURCES", "300")
CAPTURE_BROWSER_MAX_BYTES = envint("CAPTURE_BROWSER_MAX_BYTES", str(50 * 1024 * 1024))
CAPTURE_BROWSER_DEADLINE = envfloat("CAPTURE_BROWSER_DEADLINE", "30")
# After `load`, the page is taken once no request has been in flight for this long (scripts
# that fetch the article after load start within it), or at the deadline.
CAPTURE_BROWSER_QUIET = envfloat("CAPTURE_BROWSER_QUIET", "0.3")
# Threads per worker process that fetch the browser's requests (shared by its captures;
# a page asks for its subresources all at once, so sized for several captures' worth).
CAPTURE_BROWSER_FETCH_THREADS = envint("CAPTURE_BROWSER_FETCH_THREADS", "128")
# Pages one worker process's Chromium renders at once (more capture threads wait for a
# turn): each page is a renderer process and its memory, so this bounds a worker's memory.
CAPTURE_BROWSER_PAGES = max(1, envint("CAPTURE_BROWSER_PAGES", "4"))
CAPTURE_VIEWPORT = (1280, 900)
CAPTURE_SCREENSHOT_MAX_HEIGHT = envint("CAPTURE_SCREENSHOT_MAX_HEIGHT", "12000")
RECHECK_BATCH = envint("RECHECK_BATCH", "200")  # the least a run queues (when due)
RECHECK_MAX_BATCH = envint("RECHECK_MAX_BATCH", "20000")  # the most (see sources_recheck)
RECHECK_EVERY = envfloat("RECHECK_EVERY", "3600")

# Replay (sources/replay.py): captured pages' scripts run there, so never on our origin.
# REPLAY_ORIGIN is a host that serves replay and nothing else (e.g. https://replay.example.org,
# ideally on a registrable domain of its own). Unset in development: the workbench at
# 127.0.0.1:PORT frames replay from localhost:PORT. Unset in production: no replay (the
# screenshot and the WACZ download are shown instead).
REPLAY_ORIGIN = os.getenv("REPLAY_ORIGIN", "").rstrip("/")
REPLAY_DEV_LOCALHOST = not REPLAY_ORIGIN and envbool("REPLAY_DEV_LOCALHOST", str(DEBUG))
# How long a replay link (a signed token naming one WACZ) opens it.
REPLAY_TOKEN_SECONDS = envint("REPLAY_TOKEN_SECONDS", "7200")
# Origins that may frame the replay pages (frame-ancestors): the workbench's own.
_site = urlsplit(SITE_URL)
REPLAY_EMBEDDERS = envlist(
    "REPLAY_EMBEDDERS",
    ",".join([f"{_site.scheme}://{_site.netloc}"] + (["http://127.0.0.1:*"] if DEBUG else [])),
)
if REPLAY_ORIGIN and urlsplit(REPLAY_ORIGIN).hostname not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(urlsplit(REPLAY_ORIGIN).hostname)
# Both are idempotent; an expired run (no worker for a while) is simply skipped.
CELERY_BEAT_SCHEDULE["sources-sweep"] = {
    "task": "sources.tasks.sweep_sources",
    "schedule": envfloat("CAPTURE_SWEEP_EVERY", "20"),
    "options": {"expires": envfloat("CAPTURE_SWEEP_EVERY", "20") * 0.9},
}
CELERY_BEAT_SCHEDULE["sources-recheck"] = {
    "task": "sources.tasks.recheck_sources",
    "schedule": RECHECK_EVERY,
    "options": {"expires": RECHECK_EVERY * 0.9},
}
if not REDIS_URL:
    # The file broker polls its folder; at kombu's default of once a second a worker whose
    # capture slots just freed idles up to a second before taking the next message.
    CELERY_BROKER_TRANSPORT_OPTIONS["polling_interval"] = envfloat("BROKER_POLL_SECONDS", "0.1")
