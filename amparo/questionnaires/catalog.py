"""Questionnaires from the starter catalog: created when missing, brought up to the catalog
unless users edited them."""

from __future__ import annotations

from django.db import transaction

from amparo.assessment.models import Threat
from amparo.catalog import entry_fingerprint, read_pack_file
from amparo.questionnaires.models import Question, Questionnaire
from amparo.territory.models import Sector
from amparo.territory.services import LoadCount


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
def questionnaires_catalog_load(*, pack: str, count: LoadCount, kept: list[str]) -> None:
    """Create the pack's missing questionnaires and bring the others up to the catalog. A
    questionnaire users edited is never overwritten: when the catalog entry changed since it
    was last loaded, its code is added to ``kept`` so the command can say so (once per
    catalog change, not on every load). Questions the catalog no longer has are left in
    place, since past rounds' answers refer to them."""
    sectors = {s.code: s for s in Sector.objects.all()}
    threats = {t.code: t for t in Threat.objects.all()}
    for entry in read_pack_file(pack, "questionnaires")["questionnaires"]:
        fingerprint = entry_fingerprint(entry)
        questionnaire = Questionnaire.objects.filter(code=entry["code"]).first()
        if questionnaire is None:
            questionnaire = Questionnaire.objects.create(
                code=entry["code"],
                sector=sectors[entry["sector"]],
                title_es=entry["title_es"],
                title_en=entry["title_en"],
                from_catalog=True,
                catalog_hash=fingerprint,
            )
            for order, q in enumerate(entry["questions"], start=1):
                Question.objects.create(
                    questionnaire=questionnaire,
                    order=order,
                    name=q["name"],
                    **_catalog_question(q, threats),
                )
            count.add("questionnaires", created=True, changed=False)
            continue
        if questionnaire.edited:
            catalog_changed = (
                questionnaire.catalog_hash != fingerprint
                if questionnaire.catalog_hash
                # Loaded before fingerprints were kept: compare with the content, once.
                else _catalog_update(questionnaire, entry, threats, apply=False)
            )
            if catalog_changed:
                kept.append(questionnaire.code)
        elif _catalog_update(questionnaire, entry, threats, apply=False):
            _catalog_update(questionnaire, entry, threats, apply=True)
            count.add("questionnaires", created=False, changed=True)
        if questionnaire.catalog_hash != fingerprint:
            questionnaire.catalog_hash = fingerprint
            questionnaire.save(update_fields=["catalog_hash"])


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
