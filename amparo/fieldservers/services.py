"""Field servers: connections (kept by program admins), publishing a round's form, and
pulling its answers into the import pipeline (``amparo.imports``).

A pull reads the submissions sent or edited since the form's cursor, page by page (at
most 1,000 a page); each page is one import job of ``FIELD_SYNC``: clean rows written
(or kept for a coordinator to confirm), rows with problems held on the job with their
reasons. The cursor moves once every page of the pull is written, so a pull that stops
half-way is read again from the same point: rows already written are recognised by their
instance ID, never written twice.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.assessment.models import Assessment, RoundStatus
from amparo.fieldservers import vault
from amparo.fieldservers.client import (
    Identity,
    KoboClient,
    OdkClient,
    ServerRefused,
    ServerUnavailable,
)
from amparo.fieldservers.import_kind import FIELD_SYNC
from amparo.fieldservers.models import Connection, PublishedForm, ServerKind, SyncOutcome
from amparo.fieldservers.rows import page_rows
from amparo.imports import services as imports
from amparo.imports.models import ImportJob, JobStatus
from amparo.questionnaires.form_export import form_spec, xlsform_bytes
from amparo.territory.models import Sector

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=30)  # a pull that has not finished by then is taken as stopped
MAX_BACKOFF = timedelta(hours=6)
DUE_PER_RUN = 50  # forms pulled by one call of ``field_syncs_run_due``
MAX_CURSOR_KEYS = 5000  # submissions remembered at the cursor's exact time
Client = KoboClient | OdkClient


# --- connections ---------------------------------------------------------------------------


def _check_address(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValidationError({"base_url": _("Enter the server's address, as https://…")})
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError({"base_url": _("Enter the server's address only, without a path.")})
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


@transaction.atomic
def connection_save(
    *,
    by: User,
    connection: Connection | None,
    kind: str,
    name: str,
    base_url: str,
    project_id: int | None,
    username: str,
    secret: str,
    interval_minutes: int,
    confirm_before_writing: bool,
) -> Connection:
    """Add or change a connection (program admins only). An empty ``secret`` keeps the
    one stored; a new one is encrypted before it is saved."""
    access.require_program_admin(by)
    if kind == ServerKind.ODK and (not project_id or not username):
        raise ValidationError(
            _("An ODK Central connection needs its project number and an account e-mail.")
        )
    if connection is None and not secret:
        raise ValidationError({"secret": _("Enter the API token or password.")})
    address = _check_address(base_url)
    if (
        connection is not None
        and connection.host != urlsplit(address).netloc.lower()
        and not secret
    ):
        raise ValidationError(
            {"secret": _("A new server address needs its token or password entered again.")}
        )
    connection = connection or Connection(created_by=by)
    connection.kind, connection.name, connection.base_url = kind, name, address
    connection.project_id = project_id if kind == ServerKind.ODK else None
    connection.username = username if kind == ServerKind.ODK else ""
    connection.interval_minutes = max(interval_minutes, 1)
    connection.confirm_before_writing = confirm_before_writing
    if secret:
        connection.secret_sealed = vault.seal(secret)
        connection.tested_at, connection.test_result = None, ""
    connection.full_clean(exclude=["secret_sealed", "created_by"])
    connection.save()
    return connection


def connection_disable(*, by: User, connection: Connection, enabled: bool = False) -> Connection:
    access.require_program_admin(by)
    Connection.objects.filter(pk=connection.pk).update(enabled=enabled)
    connection.enabled = enabled
    return connection


def client_for(connection: Connection, **options: object) -> Client:
    """A client of the connection's server, with its secret unsealed for it alone."""
    secret = vault.unseal(connection.secret_sealed)
    if connection.kind == ServerKind.ODK:
        return OdkClient.make(
            connection.base_url, connection.project_id or 0, connection.username, secret, **options
        )
    return KoboClient.make(connection.base_url, secret, **options)


def refusal_text(error: Exception) -> str:
    if isinstance(error, ServerRefused) and error.token:
        return _("the server refused the token")
    if isinstance(error, ServerRefused):
        return _("the server refused: %(message)s") % {"message": error.message}
    if isinstance(error, vault.SecretUnreadable):
        return _("the stored token cannot be read with this server's key; enter it again")
    return _("the server could not be reached: %(reason)s") % {"reason": error}


def connection_test(*, by: User, connection: Connection, **options: object) -> str:
    """Sign in and count the forms visible; the result is kept and returned as a sentence
    ("connected as …, N forms visible" or why not)."""
    access.require_program_admin(by)
    try:
        identity: Identity = client_for(connection, **options).identity()
        result = _("connected as %(account)s, %(forms)s forms visible") % {
            "account": identity.account,
            "forms": identity.forms,
        }
    except (ServerRefused, ServerUnavailable, vault.SecretUnreadable) as error:
        result = refusal_text(error)
    Connection.objects.filter(pk=connection.pk).update(
        tested_at=timezone.now(), test_result=result[:300]
    )
    return result


# --- publishing ----------------------------------------------------------------------------


def form_publish(
    *,
    by: User,
    assessment: Assessment,
    connection: Connection,
    sector: Sector | None,
    **options: object,
) -> PublishedForm:
    """Send the round's XLSForm (one sector's, or all sectors') to the server: a new form
    the first time, a new version of it afterwards. Refused with the server's message
    when the server refuses it."""
    region = assessment.region
    # The region's coordinators and program admins, as for importing the answers.
    access.require(by, FIELD_SYNC.capability, region)
    sectors = [sector] if sector else list(Sector.objects.filter(country=region.country))
    if not connection.enabled:
        raise ValidationError(_("This server connection is disabled."))
    if assessment.status == RoundStatus.COMPLETED:
        raise ValidationError(
            _("This round is completed; start a new round to import field answers.")
        )
    code = sector.code if sector else ""
    # One form per round on the server: ODK Central takes the form's id from the XLSForm.
    spec = form_spec(sectors=sectors, assessment=assessment)
    form_id = f"{spec.form_id}_{region.code.lower().replace('-', '_')}_{assessment.number}"
    spec = dataclasses.replace(spec, form_id=form_id)
    content = xlsform_bytes(spec)
    known = PublishedForm.objects.filter(
        connection=connection, assessment=assessment, sector_code=code
    ).first()
    try:
        published = client_for(connection, **options).publish(
            content=content,
            filename=f"amparo-{region.code}-{assessment.number}-{code or 'all'}.xlsx",
            form_id=form_id,
            existing=known.server_form_id if known else "",
        )
    except (ServerRefused, ServerUnavailable, vault.SecretUnreadable) as error:
        raise ValidationError(refusal_text(error)) from None
    now = timezone.now()
    form, _created = PublishedForm.objects.update_or_create(
        connection=connection,
        assessment=assessment,
        sector_code=code,
        defaults={
            "server_form_id": published.form_id,
            "server_version": published.version,
            "published_at": now,
            "published_by": by if by.pk else None,
        },
        create_defaults={
            "server_form_id": published.form_id,
            "server_version": published.version,
            "published_at": now,
            "published_by": by if by.pk else None,
            "next_at": now,
        },
    )
    return form


# --- pulling -------------------------------------------------------------------------------


@dataclass
class PullResult:
    outcome: str
    new: int = 0
    held: int = 0
    skipped: int = 0
    detail: str = ""


def _take(form: PublishedForm, now: datetime) -> bool:
    """Claim the form for one pull; False when another pull holds it."""
    return bool(
        PublishedForm.objects.filter(pk=form.pk)
        .filter(Q(running_until__isnull=True) | Q(running_until__lt=now))
        .update(running_until=now + LEASE)
    )


def _waiting(form: PublishedForm) -> bool:
    """Whether pulled pages still wait for a coordinator; once they are all settled
    (written, discarded, or held whole), the cursor moves past them."""
    if not form.pending_jobs:
        return False
    open_states = [JobStatus.READY, JobStatus.QUEUED, JobStatus.READING, JobStatus.WRITING]
    if ImportJob.objects.filter(pk__in=form.pending_jobs, status__in=open_states).exists():
        return True
    PublishedForm.objects.filter(pk=form.pk).update(
        cursor=form.pending_cursor,
        cursor_keys=form.pending_cursor_keys,
        pending_cursor="",
        pending_cursor_keys=[],
        pending_jobs=[],
    )
    form.cursor, form.cursor_keys = form.pending_cursor, form.pending_cursor_keys
    form.pending_cursor, form.pending_cursor_keys, form.pending_jobs = "", [], []
    return False


def form_pull(*, form: PublishedForm, now: datetime | None = None, **options: object) -> PullResult:
    """Pull the form's new and edited submissions into its round (see the module's
    docstring). Written as the person who published the form: their rights are checked
    at each page as for an upload. Never raises for a server's failure: the outcome is
    kept on the form, with the next pull's time (backed off after failures)."""
    now = now or timezone.now()
    form = PublishedForm.objects.select_related(
        "connection__created_by", "assessment__region", "published_by"
    ).get(pk=form.pk)
    if not _take(form, now):
        return PullResult("busy")
    try:
        result = _pull(form, now, options)
    except Exception as error:
        logger.exception("pulling form %s failed", form.pk)
        result = PullResult(SyncOutcome.FAILED, detail=str(error)[:300])
    finally:
        PublishedForm.objects.filter(pk=form.pk).update(running_until=None)
    _record(form, result, now)
    return result


def _pull(form: PublishedForm, now: datetime, options: dict) -> PullResult:
    if _waiting(form):
        return PullResult(SyncOutcome.WAITING)
    connection, assessment = form.connection, form.assessment
    by = form.published_by or connection.created_by
    if by is None:
        return PullResult(SyncOutcome.FAILED, detail=_("nobody may write this form's answers"))
    confirm = connection.confirm_before_writing
    result = PullResult(SyncOutcome.OK)
    cursor, keys, jobs = form.cursor, set(form.cursor_keys), []
    seen = frozenset(form.cursor_keys)
    server = None
    try:
        server = client_for(connection, **options)
        pages = server.pages(form.server_form_id, form.cursor)
        for number, page in enumerate(pages, start=1):
            converted = page_rows(connection.kind, page, seen_at=form.cursor, seen=seen)
            if converted.cursor > cursor:
                cursor, keys = converted.cursor, set(converted.at_cursor)
            elif converted.cursor == cursor:
                keys |= converted.at_cursor
            result.skipped += converted.skipped
            if len(converted.rows) < 2:
                continue
            job = imports.import_pulled(
                kind=FIELD_SYNC,
                by=by,
                region=assessment.region,
                target=assessment,
                rows=converted.rows,
                name=f"{connection.name} · {form.server_form_id} · {now:%Y-%m-%d %H:%M} · {number}",
                confirm_first=confirm,
            )
            result.held += job.rows_read - job.rows_valid
            if job.status == JobStatus.READY:
                jobs.append(str(job.pk))
                result.new += job.to_import
            elif job.status == JobStatus.DONE:
                result.new += job.rows_imported
            elif job.rows_valid:  # refused while writing: stop, the cursor stays
                detail = _("the import failed; nothing was written")
                return PullResult(SyncOutcome.FAILED, result.new, result.held, detail=detail)
    except (ServerRefused, ServerUnavailable, vault.SecretUnreadable, ValueError) as error:
        refused = isinstance(error, ServerRefused) and error.token
        outcome = SyncOutcome.REFUSED if refused else SyncOutcome.FAILED
        if jobs:
            _keep_pending(form, jobs, form.cursor, form.cursor_keys)
        # Kept as the server said it (or empty for a refused token: the outcome says it).
        detail = (
            "" if refused else getattr(error, "message", "") or str(error) or type(error).__name__
        )
        return PullResult(outcome, result.new, result.held, result.skipped, detail)
    except ValidationError as error:
        return PullResult(SyncOutcome.FAILED, detail=" ".join(error.messages)[:300])
    finally:
        if server is not None:
            server.close()
    kept = sorted(keys)[:MAX_CURSOR_KEYS]
    if jobs:
        _keep_pending(form, jobs, cursor, kept)
        result.outcome = SyncOutcome.WAITING
    else:
        PublishedForm.objects.filter(pk=form.pk).update(cursor=cursor, cursor_keys=kept)
    return result


def _keep_pending(form: PublishedForm, jobs: list[str], cursor: str, keys: list[str]) -> None:
    PublishedForm.objects.filter(pk=form.pk).update(
        pending_jobs=jobs, pending_cursor=cursor, pending_cursor_keys=keys
    )


def _record(form: PublishedForm, result: PullResult, now: datetime) -> None:
    if result.outcome in (SyncOutcome.OK, SyncOutcome.WAITING):
        failures, wait = 0, form.connection.interval
    else:
        failures = min(form.failures + 1, 10)
        wait = min(form.connection.interval * (2 ** (failures - 1)), MAX_BACKOFF)
    PublishedForm.objects.filter(pk=form.pk).update(
        synced_at=now,
        outcome=result.outcome,
        outcome_detail=result.detail[:300],
        last_new=result.new,
        last_held=result.held,
        last_skipped=result.skipped,
        failures=failures,
        next_at=now + wait,
    )


def forms_due(now: datetime, *, limit: int = DUE_PER_RUN) -> list[PublishedForm]:
    return list(
        PublishedForm.objects.filter(connection__enabled=True)
        .exclude(assessment__status=RoundStatus.COMPLETED)
        .filter(Q(next_at__isnull=True) | Q(next_at__lte=now))
        .order_by("next_at", "pk")[:limit]
    )


def field_syncs_run_due(now: datetime) -> int:
    """Pull every form whose next pull is due (at most ``DUE_PER_RUN`` a call, the most
    overdue first); called by the background worker's recurring jobs. Returns how many
    forms were pulled."""
    pulled = 0
    for form in forms_due(now):
        if form_pull(form=form, now=now).outcome != "busy":
            pulled += 1
    return pulled
