"""Helpers for the view tests: signed-in clients and tasks enqueued on commit."""

from django.test import Client

from workbench.celery import WorkbenchTask


def client_for(user, **kwargs):
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def enqueued(callbacks):
    """(task, args, kwargs) of each task a block enqueued with delay_on_commit."""
    found = []
    for callback in callbacks:
        func = getattr(callback, "func", None)
        task = getattr(func, "__self__", None)
        if isinstance(task, WorkbenchTask):
            found.append((task, callback.args, callback.keywords))
    return found


def run_enqueued(callbacks):
    """Run the enqueued tasks here, as the worker would (unit tests may call tasks directly)."""
    for task, args, kwargs in enqueued(callbacks):
        task(*args, **kwargs)


def page_text(response):
    return response.content.decode()
