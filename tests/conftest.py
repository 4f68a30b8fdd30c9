import pytest
from django.apps import apps
from django.test import override_settings

from claims.defaults import ensure_defaults
from sources.models import Capture
from sources.signals import capture_finished

from .support import netguard
from .support.browser import launch
from .support.httpserver import Site
from .support.personas import make_user
from .support.services import require_redis_if_configured
from .support.worker import CAPTURE_SETTINGS, Worker, capture_env, purge_queues

netguard.install()


@pytest.fixture(autouse=True)
def _loopback_only():
    """Every test runs with the guard that refuses connections beyond loopback."""
    assert netguard.installed(), "the loopback-only network guard was removed"
    yield
    netguard.install()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.1 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids are reused after a rollback, so a cached
    answer of an earlier test could otherwise match a new row."""
    from django.core.cache import cache

    from claims.views import articles

    cache.clear()
    articles._RECENT.clear()  # the article analyses this process keeps beside the cache


@pytest.fixture
def defaults(db):
    """The seeded rating scale and roles (a transactional test flushes them)."""
    ensure_defaults(apps)


@pytest.fixture
def reviewer(defaults):
    return make_user("rita", "reviewer", email="rita@example.org")


@pytest.fixture
def editor(defaults):
    return make_user("ed", "editor", email="ed@example.org")


@pytest.fixture
def second_editor(defaults):
    return make_user("eve", "editor", email="eve@example.org")


@pytest.fixture
def outsider(defaults):
    return make_user("oscar")


@pytest.fixture
def staff(defaults):
    return make_user("admin", is_staff=True, is_superuser=True)


@pytest.fixture(scope="session")
def worker_mail_dir(tmp_path_factory):
    """Where the worker's email goes (file backend), for tests to read."""
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, site, media_root, worker_mail_dir):
    """A real worker process consuming both queues of the configured broker."""
    require_redis_if_configured()
    mail_env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(worker_mail_dir),
    }
    with django_db_blocker.unblock():
        purge_queues()
        worker = Worker(extra_env={**capture_env(site, media_root), **mail_env}).start()
    yield worker
    worker.stop()
    print(worker.output()[-1500:])


# Source capture: the fetcher refuses loopback, so the one loopback site tests serve pages
# from is exempted (FETCH_ALLOW_PRIVATE), in this process and in the worker.
@pytest.fixture(scope="session")
def site():
    """A loopback HTTP server (tests/httpserver.py) the fetcher is allowed to reach."""
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Archives written by the tests and the worker go to one throwaway folder."""
    folder = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(folder)):
        yield folder


@pytest.fixture
def capture_settings(settings, site):
    """This process fetches like the test worker does."""
    for name, value in CAPTURE_SETTINGS.items():
        setattr(settings, name, value)
    settings.FETCH_ALLOW_PRIVATE = [site.authority]
    return settings


@pytest.fixture
def consumer(defaults):
    """Downloads verified claim sets and nothing else (the "consumer" group)."""
    return make_user("carl", "consumer", email="carl@example.org")


@pytest.fixture
def chromium(monkeypatch):
    """Chromium through Playwright, for the browser tests (tests/support/browser.py)."""
    yield from launch(monkeypatch)


@pytest.fixture
def people(defaults):
    """A reviewer and an editor with mail addresses, as the browser flows sign them in."""
    return {
        "reviewer": make_user("rita", "reviewer", email="rita@example.org"),
        "editor": make_user("ed", "editor", email="ed@example.org"),
    }


@pytest.fixture
def finished():
    """Every capture_finished the code sends, with its arguments."""
    calls = []

    def receiver(sender, signal, **kwargs):
        assert sender is Capture
        calls.append(kwargs)

    capture_finished.connect(receiver, weak=False)
    yield calls
    capture_finished.disconnect(receiver)
