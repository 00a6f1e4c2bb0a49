"""The operations page's small-count protection section: program admins see each stored
protection of the current data version (reader type in words, state, when, how long),
how many of older versions are kept, and what to do about a failed or stuck one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from amparo.disclosure import audience, counted, stored
from amparo.disclosure.models import AudienceUse, ProtectionState, StoredProtection

pytestmark = pytest.mark.django_db

ADVICE = "amparo disclosure-protect"


def _protection(version: str, key: str, state: str, *, duration: float | None = None) -> None:
    StoredProtection.objects.create(
        version=version,
        audience=key,
        k=django_settings.AMPARO_DISCLOSURE_K,
        state=state,
        duration_seconds=duration,
    )


def _use(known: list[str], *, program_known: bool = False) -> str:
    k = django_settings.AMPARO_DISCLOSURE_K
    key = stored.audience_key(k, known, program_known)
    AudienceUse.objects.create(
        audience=key,
        k=k,
        known_regions=known,
        program_known=program_known,
        last_used=timezone.now(),
    )
    return key


def _section(text: str) -> str:
    start = text.index('id="protections-heading"')
    return text[start:]


def _current_protections() -> str:
    """A done public one, a running one that knows Loreto, a failed one that knows nothing,
    two rows of older versions (one of them for the public too)."""
    version = counted.data_version()
    public = audience.audience_key(audience.public_audience())
    StoredProtection.objects.create(
        version=version,
        audience=public,
        k=django_settings.AMPARO_DISCLOSURE_K_PUBLIC,
        state=ProtectionState.DONE,
        duration_seconds=42.4,
    )
    _protection(version, _use(["PE-LOR"]), ProtectionState.RUNNING)
    _protection(version, _use([]), ProtectionState.FAILED, duration=3.5)
    _protection("old-version", public, ProtectionState.DONE, duration=1.0)
    _protection("older-version", _use(["PE-UCA"]), ProtectionState.DONE, duration=2.0)
    return version


def test_it_lists_the_current_versions_protections_with_states_and_durations(
    world, django_assert_max_num_queries
) -> None:
    _current_protections()
    client = world.client("admin")
    with django_assert_max_num_queries(30):
        page = client.get(reverse("ops-status"))
    assert page.status_code == 200
    section = _section(page.content.decode())
    assert "Protección de cifras pequeñas" in page.content.decode()
    rows = section.split("<tr>")[2:]  # past the header row
    assert len(rows) == 3
    by_reader = {row.split("</td>")[0]: row for row in rows}
    public = next(r for r in by_reader.values() if "donantes y público" in r)
    assert "Realizado" in public and "42,4 s" in public
    assert f"(k = {django_settings.AMPARO_DISCLOSURE_K_PUBLIC})" in public
    loreto = next(r for r in by_reader.values() if "regiones conocidas en detalle: PE-LOR" in r)
    assert "En curso" in loreto and "—" in loreto and ADVICE not in loreto
    hidden = next(r for r in by_reader.values() if "todas las regiones ocultas" in r)
    assert "Falló" in hidden and "3,5 s" in hidden
    assert "PE-UCA" not in section  # only in an older version
    assert "Se conservan 2 protecciones de versiones anteriores de los datos." in section


def test_a_failed_protection_says_to_run_the_command(world) -> None:
    _protection(counted.data_version(), _use([]), ProtectionState.FAILED)
    section = _section(world.client("admin").get(reverse("ops-status")).content.decode())
    assert '<strong class="warning">Falló</strong>' in section
    assert f"ejecute `{ADVICE}`" in section


def test_a_running_protection_past_the_task_timeout_is_flagged(world, settings) -> None:
    settings.AMPARO_TASK_TIMEOUT_MINUTES = 30
    version = counted.data_version()
    _protection(version, _use(["PE-LOR"]), ProtectionState.RUNNING)
    _protection(version, _use(["PE-UCA"]), ProtectionState.RUNNING)
    late = timezone.now() - timedelta(minutes=31)
    StoredProtection.objects.filter(
        audience=stored.audience_key(settings.AMPARO_DISCLOSURE_K, ["PE-LOR"], False)
    ).update(updated_at=late)
    section = _section(world.client("admin").get(reverse("ops-status")).content.decode())
    stuck, fresh = (
        next(r for r in section.split("<tr>") if code in r) for code in ("PE-LOR", "PE-UCA")
    )
    assert '<strong class="warning">En curso</strong>' in stuck and ADVICE in stuck
    assert "warning" not in fresh and ADVICE not in fresh


def test_a_reader_type_known_everywhere_or_no_longer_asked_for_is_described(world) -> None:
    version = counted.data_version()
    _protection(version, _use(["PE-LOR", "PE-UCA"], program_known=True), ProtectionState.DONE)
    _protection(version, "no-such-reader", ProtectionState.QUEUED)
    section = _section(world.client("admin").get(reverse("ops-status")).content.decode())
    assert "todas las regiones conocidas en detalle" in section
    assert "un tipo de lector que ninguna página pidió últimamente" in section
    assert "En espera" in section


def test_without_protections_the_section_says_so(world) -> None:
    section = _section(world.client("admin").get(reverse("ops-status")).content.decode())
    assert "Aún no hay ninguna protección guardada para los datos actuales." in section
    assert "Se conservan 0 protecciones" in section


def test_the_section_reads_in_english(world) -> None:
    _current_protections()
    client = world.client("admin")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    section = _section(client.get(reverse("ops-status")).content.decode())
    assert "Small-count protection" in client.get(reverse("ops-status")).content.decode()
    assert "donors and the public" in section and "every region hidden" in section
    assert "regions known in full: PE-LOR" in section
    assert "Done" in section and "Running" in section and "Failed" in section
    assert f"run `{ADVICE}`." in section
    assert "2 protections of older data versions are kept." in section


def test_the_query_count_does_not_grow_with_reader_types(
    world, django_assert_max_num_queries
) -> None:
    version = counted.data_version()
    _protection(version, _use(["R-first"]), ProtectionState.DONE, duration=1)
    client = world.client("admin")
    client.get(reverse("ops-status"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ops-status"))
    for n in range(12):
        _protection(version, _use([f"R-{n}"]), ProtectionState.DONE, duration=n)
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("ops-status"))
    assert _section(page.content.decode()).count("<tr>") == 1 + 13  # header, rows


@pytest.mark.parametrize("role", ["coordinator", "focal", "viewer", "outsider"])
def test_only_program_admins_see_the_protections(world, role) -> None:
    _current_protections()
    page = world.client(role).get(reverse("ops-status"))
    assert page.status_code == 403
    assert "Protección de cifras pequeñas" not in page.content.decode()


def test_signed_out_people_are_sent_to_sign_in(client) -> None:
    page = client.get(reverse("ops-status"))
    assert page.status_code == 302 and "Protección" not in page.content.decode()
