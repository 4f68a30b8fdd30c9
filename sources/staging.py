"""Archives written under a temporary name and moved into place after their row commits.

A capture's archive and its Capture row must exist together or not at all. The bytes are
written first (a full or failing disk shows up here, before anything is recorded) to a
`.staging-*.part` file beside the final name; the row is written; only when the
transaction commits is the file renamed to the name the row holds (a rename within one
folder neither copies nor needs space). A transaction that fails removes the staged file,
and the sweep removes staged files left by a process that died in between
(`remove_stale_staging`).

Storages without local paths (S3 and the like) have no rename: the file is saved under its
final name at once and deleted again if the transaction fails.
"""

import logging
import os
import secrets
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

STAGING_PREFIX = ".staging-"
STAGING_SUFFIX = ".part"
STALE_AFTER = 3600  # seconds: far longer than any capture holds a staged file


def _local_path(name):
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        return None


class StagedArchive:
    def __init__(self, name, temp_path=None):
        self.name = name  # what the Capture row stores
        self.temp_path = temp_path  # None once published or discarded, or for remote storage
        self._remote = temp_path is None

    def publish_on_commit(self):
        transaction.on_commit(self.publish)

    def publish(self):
        if self.temp_path is None:
            return
        final = _local_path(self.name)
        os.replace(self.temp_path, final)
        self.temp_path = None

    def discard(self):
        """Remove the bytes of an archive whose row was not written."""
        try:
            if self.temp_path is not None:
                os.unlink(self.temp_path)
            elif self._remote:
                default_storage.delete(self.name)
        except OSError:
            logger.warning("could not remove the staged archive %s", self.name, exc_info=True)
        self.temp_path = None


def stage_archive(source_pk, data):
    """Write a capture's WARC under a temporary name; return the StagedArchive (OSError on
    failure)."""
    now = timezone.now()
    name = (
        f"archives/{now:%Y/%m}/source-{source_pk}-{now:%Y%m%dT%H%M%S%f}"
        f"-{secrets.token_hex(4)}.warc.gz"
    )
    return _stage(name, data)


_EXTENSIONS = {"image/png": "png", "application/wacz": "wacz", "text/html": "html"}


def stage_artefact(source_pk, kind, content_type, data):
    """Write one of a browser capture's artefacts (screenshot, DOM, WACZ) the same way."""
    now = timezone.now()
    extension = _EXTENSIONS.get(content_type.split(";")[0].strip(), "bin")
    name = (
        f"artefacts/{now:%Y/%m}/source-{source_pk}-{now:%Y%m%dT%H%M%S%f}"
        f"-{secrets.token_hex(4)}-{kind}.{extension}"
    )
    return _stage(name, data)


def _stage(name, data):
    final = _local_path(name)
    if final is None:
        return StagedArchive(default_storage.save(name, ContentFile(data)))
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=final.parent, prefix=STAGING_PREFIX, suffix=STAGING_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # ENOSPC and EIO can wait until here on some filesystems
        mode = default_storage.file_permissions_mode
        if mode is not None:
            os.chmod(temp, mode)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    return StagedArchive(name, temp)


def remove_stale_staging(*, older_than=STALE_AFTER):
    """Delete staged files that no live capture holds (their process died). Returns a count.

    Only this month's and last month's folders are looked at: a staged file lives seconds.
    """
    now = timezone.now()
    last_month = (now.replace(day=1) - timedelta(days=1)).strftime("%Y/%m")
    removed = 0
    folders = [
        f"{top}/{month}"
        for top in ("archives", "artefacts")
        for month in {now.strftime("%Y/%m"), last_month}
    ]
    for name in folders:
        folder = _local_path(name)
        if folder is None or not folder.is_dir():
            continue
        for path in folder.glob(f"{STAGING_PREFIX}*{STAGING_SUFFIX}"):
            try:
                if time.time() - path.stat().st_mtime > older_than:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
    return removed
