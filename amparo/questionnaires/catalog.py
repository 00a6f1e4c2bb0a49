"""Questionnaires from the starter catalog: created when missing, brought up to the catalog
unless users edited them (the rules of ``amparo/catalog/sync.py``)."""

from __future__ import annotations

from django.db import transaction

from amparo.assessment.models import Threat
from amparo.catalog import read_pack_file
from amparo.catalog.apply import CatalogKind, catalog_entries_apply
from amparo.catalog.sync import LoadCount
from amparo.questionnaires.models import Question, Questionnaire
from amparo.territory.models import Sector


def _catalog_question(entry: dict, threats: dict[str, Threat]) -> dict[str, object]:
    return {
        "kind": entry["kind"],
        "label_es": entry["label_es"],
        "label_en": entry["label_en"],
        "hint_es": entry.get("hint_es", ""),
        "hint_en": entry.get("hint_en", ""),
        "required": entry.get("required", False),
        "threat": threats.get(entry.get("threat") or ""),
        "rates": entry.get("rates") or "",
        "choices": entry.get("choices", []),
    }


@transaction.atomic
def questionnaires_catalog_load(*, pack: str, count: LoadCount) -> None:
    """Load the pack's questionnaires by code, by the catalog's rules
    (``amparo/catalog/sync.py``): questionnaires users edited or created are never
    overwritten, and are listed in ``count`` once per catalog change. Questions the catalog
    no longer has are left in place, since past rounds' answers refer to them."""
    sectors = {s.code: s for s in Sector.objects.all()}
    threats = {t.code: t for t in Threat.objects.all()}

    def create(entry: dict, **catalog: object) -> Questionnaire:
        questionnaire = Questionnaire.objects.create(
            code=entry["code"],
            sector=sectors[entry["sector"]],
            title_es=entry["title_es"],
            title_en=entry["title_en"],
            **catalog,
        )
        for order, q in enumerate(entry["questions"], start=1):
            Question.objects.create(
                questionnaire=questionnaire,
                order=order,
                name=q["name"],
                **_catalog_question(q, threats),
            )
        return questionnaire

    catalog_entries_apply(
        kind=CatalogKind(
            name="questionnaires",
            create=create,
            differs=lambda q, e: _catalog_update(q, e, threats, apply=False),
            update=lambda q, e: _catalog_update(q, e, threats, apply=True),
        ),
        entries=read_pack_file(pack, "questionnaires")["questionnaires"],
        rows={q.code: q for q in Questionnaire.objects.all()},
        count=count,
    )


def _catalog_update(
    questionnaire: Questionnaire, entry: dict, threats: dict[str, Threat], *, apply: bool
) -> bool:
    """Whether ``questionnaire`` differs from the catalog's ``entry``; with ``apply``, make
    it as the catalog says (its questions by name, in the catalog's order)."""
    differs = False
    titles = {"title_es": entry["title_es"], "title_en": entry["title_en"]}
    changed_titles = [k for k, v in titles.items() if getattr(questionnaire, k) != v]
    if changed_titles:
        differs = True
        if apply:
            for name in changed_titles:
                setattr(questionnaire, name, titles[name])
            questionnaire.save(update_fields=changed_titles)
    current = {q.name: q for q in questionnaire.questions.select_related("threat")}
    for order, q in enumerate(entry["questions"], start=1):
        values = {"order": order, **_catalog_question(q, threats)}
        question = current.get(q["name"])
        if question is None:
            differs = True
            if apply:
                Question.objects.create(questionnaire=questionnaire, name=q["name"], **values)
            continue
        changed = [k for k, v in values.items() if getattr(question, k) != v]
        if changed:
            differs = True
            if apply:
                for name in changed:
                    setattr(question, name, values[name])
                question.save(update_fields=changed)
    return differs
