"""``amparo load-catalog`` follows the same rules for threats, controls, indicators and
questionnaires: loaded several times, with users' edits and new catalog versions in between,
it counts what it changed, lists a user's row once per catalog change and never overwrites
a row users edited or created."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import models

from amparo import catalog
from amparo.assessment import services as assessment_services
from amparo.assessment.models import Threat
from amparo.conftest import World
from amparo.indicators import services as indicator_services
from amparo.indicators.models import Indicator
from amparo.mitigation.models import Control
from amparo.questionnaires.models import Questionnaire
from amparo.questionnaires.services import questionnaire_mark_edited

USERS_TEXT = "Redacción del equipo"
CATALOG_TEXT = "Nueva redacción del catálogo"


def _threat_edit(world: World, threat: Threat) -> None:
    assessment_services.threat_save(threat=threat, title_es=USERS_TEXT)


def _threat_create(world: World, code: str) -> Threat:
    return assessment_services.threat_save(
        code=code, sector=world.sector, title_es=USERS_TEXT, title_en="Ours"
    )


def _control_edit(world: World, control: Control) -> None:
    # No page changes a control: an edit can only come from the database itself, marked.
    Control.objects.filter(pk=control.pk).update(title_es=USERS_TEXT, edited=True)


def _control_create(world: World, code: str) -> Control:
    return Control.objects.create(
        code=code, sector=world.sector, kind="policy", title_es=USERS_TEXT, title_en="Ours"
    )


def _indicator_edit(world: World, indicator: Indicator) -> None:
    indicator_services.indicator_save(
        indicator=indicator, by=world.users["admin"], name_es=USERS_TEXT
    )


def _indicator_create(world: World, code: str) -> Indicator:
    return indicator_services.indicator_save(
        indicator=None, by=world.users["admin"], code=code, name_es=USERS_TEXT,
        name_en="Ours", level="output", unit="count", direction="higher", aggregation="sum",
        frequency="yearly", disaggregations=[], caveat_es="", caveat_en="",
    )  # fmt: skip


def _questionnaire_edit(world: World, questionnaire: Questionnaire) -> None:
    # What the admin site does on a change.
    questionnaire.title_es = USERS_TEXT
    questionnaire.save()
    questionnaire_mark_edited(questionnaire=questionnaire)


def _questionnaire_create(world: World, code: str) -> Questionnaire:
    return Questionnaire.objects.create(
        code=code, sector=world.sector, title_es=USERS_TEXT, title_en="Ours"
    )


@dataclass(frozen=True)
class Kind:
    name: str  # the pack file, its list and the name the command counts under
    model: type[models.Model]
    text: str  # a text field both the catalog and users change
    edited: str  # the code of the entry users edit
    other: str  # the code of an entry nobody edits
    edit: Callable[[World, models.Model], None]  # as users change a catalog row
    create: Callable[[World, str], models.Model]  # users' own row with a given code


KINDS = [
    Kind("threats", Threat, "title_es", "TUR-01", "TUR-02", _threat_edit, _threat_create),
    Kind(
        "controls", Control, "title_es", "TUR-POL-01", "TUR-POL-02", _control_edit,
        _control_create,
    ),
    Kind(
        "indicators", Indicator, "name_es", "OUT-CODES-SIGNED", "OUT-ORDINANCES",
        _indicator_edit, _indicator_create,
    ),
    Kind(
        "questionnaires", Questionnaire, "title_es", "Q-TUR", "Q-EDU", _questionnaire_edit,
        _questionnaire_create,
    ),
]  # fmt: skip


class Pack:
    """A copy of the Peru pack that the loads read, changed between them like a new
    version of the catalog files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _edit(self, kind: Kind, change: Callable[[list[dict]], None]) -> None:
        path = self.folder / "pe" / f"{kind.name}.json"
        content = json.loads(path.read_text(encoding="utf-8"))
        change(content[kind.name])
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")

    def entry_change(self, kind: Kind, code: str, **changes: object) -> None:
        self._edit(
            kind, lambda entries: next(e for e in entries if e["code"] == code).update(changes)
        )

    def entry_remove(self, kind: Kind, code: str) -> dict:
        removed: list[dict] = []

        def remove(entries: list[dict]) -> None:
            removed.append(next(e for e in entries if e["code"] == code))
            entries.remove(removed[0])

        self._edit(kind, remove)
        return removed[0]

    def entry_add(self, kind: Kind, entry: dict) -> None:
        self._edit(kind, lambda entries: entries.append(entry))

    def size(self, kind: Kind) -> int:
        path = self.folder / "pe" / f"{kind.name}.json"
        return len(json.loads(path.read_text(encoding="utf-8"))[kind.name])


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Pack:
    shutil.copytree(catalog.CATALOG_DIR / "pe", tmp_path / "pe")
    monkeypatch.setattr(catalog, "CATALOG_DIR", tmp_path)
    return Pack(tmp_path)


@dataclass(frozen=True)
class Printed:
    created: dict[str, int]
    updated: dict[str, int]
    kept: list[str]
    clashes: dict[str, list[str]]


def _counts(text: str) -> dict[str, int]:
    return {} if text == "none" else {k: int(n) for k, n in re.findall(r"(\w+) (\d+)", text)}


def load() -> Printed:
    """Run ``amparo load-catalog`` and read back what it printed."""
    call_command("load_catalog", stdout=(out := StringIO()))
    text = out.getvalue()
    summary = re.search(r"created (.+); updated (.+)", text)
    kept = re.search(r"entries that the catalog changed: (.+?) \(review", text)
    clashes = re.findall(r"the catalog has (\w+) with the same code: (.+?) \(rename", text)
    return Printed(
        created=_counts(summary.group(1)),
        updated=_counts(summary.group(2)),
        kept=kept.group(1).split(", ") if kept else [],
        clashes={kind: codes.split(", ") for kind, codes in clashes},
    )


def _text(kind: Kind, code: str) -> str:
    return getattr(kind.model.objects.get(code=code), kind.text)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_users_edit_is_kept_and_listed_once_per_catalog_change(world, pack, kind) -> None:
    first = load()
    assert first.created[kind.name] == pack.size(kind)
    shipped = _text(kind, kind.other)
    kind.edit(world, kind.model.objects.get(code=kind.edited))

    # The catalog has not changed: nothing to say, nothing to write.
    assert load() == Printed(created={}, updated={}, kept=[], clashes={})
    assert _text(kind, kind.edited) == USERS_TEXT

    pack.entry_change(kind, kind.edited, **{kind.text: CATALOG_TEXT})
    pack.entry_change(kind, kind.other, **{kind.text: CATALOG_TEXT})
    assert load() == Printed(created={}, updated={kind.name: 1}, kept=[kind.edited], clashes={})
    assert _text(kind, kind.edited) == USERS_TEXT
    assert _text(kind, kind.other) == CATALOG_TEXT != shipped

    # Said once: the next load of the same catalog lists nothing.
    assert load() == Printed(created={}, updated={}, kept=[], clashes={})

    pack.entry_change(kind, kind.edited, **{kind.text: f"{CATALOG_TEXT} (2)"})
    assert load() == Printed(created={}, updated={}, kept=[kind.edited], clashes={})
    assert _text(kind, kind.edited) == USERS_TEXT
    assert kind.model.objects.get(code=kind.edited).from_catalog


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_catalog_code_never_overwrites_a_row_users_created(world, pack, kind) -> None:
    entry = pack.entry_remove(kind, kind.edited)
    load()
    mine = kind.create(world, kind.edited)

    # A new catalog version brings an entry with the code users already gave their row.
    pack.entry_add(kind, entry)
    first = load()
    assert first.clashes == {kind.name: [kind.edited]}
    # Other kinds may now refer to the row by its code (controls treating a threat).
    assert (first.created, first.kept, first.updated.get(kind.name)) == ({}, [], None)
    assert load() == Printed(created={}, updated={}, kept=[], clashes={})
    pack.entry_change(kind, kind.edited, **{kind.text: CATALOG_TEXT})
    assert load() == Printed(created={}, updated={}, kept=[], clashes={kind.name: [kind.edited]})

    row = kind.model.objects.get(code=kind.edited)
    assert row.pk == mine.pk and getattr(row, kind.text) == USERS_TEXT
    assert not row.from_catalog and not row.edited


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_row_changed_without_the_app_is_brought_back_to_the_catalog(world, pack, kind) -> None:
    load()
    kind.model.objects.filter(code=kind.other).update(**{kind.text: "changed in the database"})
    assert load() == Printed(created={}, updated={kind.name: 1}, kept=[], clashes={})
    assert _text(kind, kind.other) != "changed in the database"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_an_edit_from_before_fingerprints_were_kept_is_listed_once(world, pack, kind) -> None:
    load()
    kind.edit(world, kind.model.objects.get(code=kind.edited))
    kind.model.objects.filter(code=kind.edited).update(catalog_hash="")
    assert load().kept == [kind.edited]
    assert load().kept == []
    assert _text(kind, kind.edited) == USERS_TEXT


def test_the_command_names_each_kind_of_users_rows_it_left(world, pack) -> None:
    kinds = (KINDS[0], KINDS[2])  # threats and indicators
    entries = [pack.entry_remove(kind, kind.edited) for kind in kinds]
    load()
    for kind, entry in zip(kinds, entries, strict=True):
        kind.create(world, kind.edited)
        pack.entry_add(kind, entry)
    call_command("load_catalog", stdout=(out := StringIO()))
    assert (
        "left 1 users' threats as they are, the catalog has threats with the same code: "
        "TUR-01 (rename them to load the catalog's)" in out.getvalue()
    )
    assert (
        "left 1 users' indicators as they are, the catalog has indicators with the same "
        "code: OUT-CODES-SIGNED (rename them to load the catalog's)" in out.getvalue()
    )
