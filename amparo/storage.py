"""File storage that never leaves half a file: each upload or generated file is written
beside its final name and linked there only when complete, so a full disk (or any failed
write) leaves nothing behind. The callers turn the error into a clear message."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _


def disk_full(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_message(error: OSError) -> str:
    """What the person who uploaded is told when their file could not be stored."""
    if disk_full(error):
        return _("The server's disk is full: the file was not kept. Tell the administrator.")
    return _("The server could not store the file. Try again or tell the administrator.")


def _copy(content: Any, out: Any) -> None:
    for chunk in content.chunks():
        out.write(chunk)


class WholeFileStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        full = Path(self.path(name))
        full.parent.mkdir(parents=True, exist_ok=True)
        if self.directory_permissions_mode is not None:
            os.chmod(full.parent, self.directory_permissions_mode)
        descriptor, partial = tempfile.mkstemp(dir=full.parent, prefix=".", suffix=".partial")
        try:
            with os.fdopen(descriptor, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                _copy(content, out)
            os.chmod(partial, self.file_permissions_mode or 0o644)
            while True:
                try:
                    os.link(partial, full)  # fails rather than overwrite another file
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full = Path(self.path(name))
        finally:
            Path(partial).unlink(missing_ok=True)
        return str(name).replace("\\", "/")
