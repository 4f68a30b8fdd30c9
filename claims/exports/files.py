"""Writing an export to a file without ever leaving half of one behind."""

import os
import tempfile
from pathlib import Path


def write_atomically(path, chunks):
    """Write the text chunks to path via a temporary file beside it; return characters written.

    If the chunks fail part-way (the database went away, the disk filled), the temporary
    file is removed and whatever was at path before is still there, unchanged.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        size = 0
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                size += out.write(chunk)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return size
