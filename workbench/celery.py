"""The one Celery app. Settings come from Django settings prefixed CELERY_."""

import logging
import os
from functools import partial

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

logger = logging.getLogger(__name__)


class WorkbenchTask(Task):
    """Enqueue after commit, and never let a broker outage fail the caller.

    The database row is the source of truth: if publishing fails, the row stays
    pending and the periodic sweep enqueues it again.
    """

    def delay_on_commit(self, *args, **kwargs):
        transaction.on_commit(partial(self.delay_or_log, *args, **kwargs))

    def delay_or_log(self, *args, **kwargs):
        try:
            return self.delay(*args, **kwargs)
        except Exception:  # kombu raises several types for "broker unreachable"
            logger.warning(
                "could not enqueue %s%r; the sweep will retry", self.name, args, exc_info=True
            )
            self.unpublished(*args, **kwargs)
            return None

    def unpublished(self, *args, **kwargs):
        """Called with the task's arguments when publishing failed; a task may override it
        (e.g. to make its row due at the next sweep at once)."""


app = Celery("workbench", task_cls=WorkbenchTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect(dispatch_uid="workbench.connections_before_task")
@task_postrun.connect(dispatch_uid="workbench.connections_after_task")
def _connections_between_tasks(sender=None, **kwargs):
    """Keep a worker's database connection across tasks (CELERY_DB_REUSE_MAX stops the
    fixup from closing it), closing it only when Django would close a request's: past
    CONN_MAX_AGE, unusable, or left in a broken transaction."""
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()
