"""Kinds of import: what the rows are, where they come from and where they go. Everything
else is the pipeline's (``amparo/imports/services.py``), the same for every kind: the
upload checks and storage, the job's status, counts and problems, the background tasks,
confirmation, the one transaction of the write, progress, discarding and pruning.

A kind is a subclass of ``ImportKind`` registered once, in its app's ``ready()``; a job
stores the kind's ``name``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise

from amparo.accounts.access import Capability
from amparo.imports.checking import CheckReport
from amparo.imports.models import ImportJob
from amparo.tabular import Row, reading
from amparo.territory.models import Region

OnRow = Callable[[int], None]  # told how many rows were handled so far


class WriteRefused(Exception):
    """Raised by ``ImportKind.write`` to stop: nothing is written, and the job fails with
    ``reason`` (a problem code) shown to the person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImportKind(ABC):
    """One kind of import. Subclasses set the class attributes and the two steps,
    ``check`` and ``write``; they may replace ``rows`` (where rows come from) and
    ``refusal`` (when no rows may come in)."""

    name: ClassVar[str]
    # What a person needs over the job's region to import, see the job and confirm it.
    capability: ClassVar[Capability] = Capability.CHANGE_REGION
    # Tells someone without that capability who may import this kind.
    not_allowed: ClassVar[str | Promise]
    # Said when the uploaded file is not a CSV or XLSX file.
    wrong_file: ClassVar[str | Promise]
    # Renders a ``reason`` code of this kind's problems (falling back to the shared ones).
    reasons_template: ClassVar[str] = "imports/_reason.html"
    # The file types an upload of this kind may be (``amparo/imports/uploads.py``).
    formats: ClassVar[tuple[str, ...]] = ("csv", "xlsx")

    def rows(self, job: ImportJob) -> AbstractContextManager[Iterator[Row]]:
        """The job's rows, header first: its uploaded file. A kind whose rows come from
        elsewhere (a server, page by page) opens them here; the pipeline reads them once
        to check and once more to write, and leaves the block when done or stopped."""
        return _file_rows(job)

    def refusal(self, *, region: Region | None, target: models.Model | None) -> str | None:
        """Why no rows may go into ``target`` now (a completed round), or None. Asked at
        the upload and at confirmation; ``write`` checks it again under a lock."""
        return None

    @abstractmethod
    def check(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> CheckReport:
        """Read and check every row without writing anything."""

    @abstractmethod
    def write(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> int:
        """Write the valid rows (checking them again on the way) and return how many
        were written. Runs inside the pipeline's one transaction: raise ``WriteRefused``
        to stop with a reason; any other error also rolls everything back."""


@contextmanager
def _file_rows(job: ImportJob) -> Iterator[Iterator[Row]]:
    with job.file.open("rb") as stream, reading(stream, job.file_format) as rows:
        yield rows


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    """Make ``kind`` known to the pipeline under its name (once, from an app's ``ready()``)."""
    known = _KINDS.get(kind.name)
    if known is not None and type(known) is not type(kind):
        raise ImproperlyConfigured(f"two import kinds are named {kind.name!r}")
    _KINDS[kind.name] = kind


def kind_of(job: ImportJob) -> ImportKind:
    return _KINDS[job.kind]
