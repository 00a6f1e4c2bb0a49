"""Program admins edit questionnaires in the admin site; an edited questionnaire is kept
as users left it when the catalog is loaded again, and the command names it."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from amparo.questionnaires.models import Question, Questionnaire


@pytest.fixture
def staff(world, catalog):
    user = world.users["admin"]
    user.is_staff = user.is_superuser = True
    user.save()
    return world.client("admin")


def _question_form(question: Question, **changes) -> dict[str, object]:
    values = {
        "questionnaire": question.questionnaire_id,
        "order": question.order,
        "name": question.name,
        "kind": question.kind,
        "label_es": question.label_es,
        "label_en": question.label_en,
        "hint_es": question.hint_es,
        "hint_en": question.hint_en,
        "threat": question.threat_id or "",
        "rates": question.rates,
        "choices": json.dumps(question.choices),
        **changes,
    }
    if question.required:
        values["required"] = "on"
    return values


def _rated_question() -> Question:
    return Question.objects.filter(questionnaire__code="Q-TUR", kind="choice").first()


def test_a_program_admin_edits_a_question_and_the_questionnaire_is_marked_edited(staff) -> None:
    question = _rated_question()
    url = reverse("admin:questionnaires_question_change", args=[question.pk])
    assert staff.get(url).status_code == 200
    response = staff.post(url, _question_form(question, label_es="¿Nueva pregunta?"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.label_es == "¿Nueva pregunta?"
    assert question.questionnaire.edited


def test_the_questionnaire_page_lists_its_questions(staff) -> None:
    questionnaire = Questionnaire.objects.get(code="Q-TUR")
    url = reverse("admin:questionnaires_questionnaire_change", args=[questionnaire.pk])
    page = staff.get(url).content.decode()
    assert _rated_question().label_es[:40] in page


def test_choices_that_cannot_make_a_form_are_refused(staff) -> None:
    question = _rated_question()
    url = reverse("admin:questionnaires_question_change", args=[question.pk])
    bad_rating = [dict(c, rating=7) for c in question.choices]
    same_name = [dict(c, name="never") for c in question.choices]
    cases = {
        "La calificación de una opción": bad_rating,
        "Dos opciones tienen el mismo nombre": same_name,
        "necesita al menos dos opciones": question.choices[:1],
        "Las opciones son una lista": {"never": 5},
    }
    for message, choices in cases.items():
        response = staff.post(url, _question_form(question, choices=json.dumps(choices)))
        assert response.status_code == 200, choices  # the form again, with its error
        assert message in response.content.decode()
    question.refresh_from_db()
    assert not question.questionnaire.edited


def test_an_option_without_a_rating_is_accepted(staff) -> None:
    question = _rated_question()
    url = reverse("admin:questionnaires_question_change", args=[question.pk])
    choices = [dict(c, rating=None) if c["name"] == "dont_know" else c for c in question.choices]
    response = staff.post(url, _question_form(question, choices=json.dumps(choices)))
    assert response.status_code == 302


def test_others_cannot_open_the_admin_site(world, catalog) -> None:
    question = _rated_question()
    url = reverse("admin:questionnaires_question_change", args=[question.pk])
    for role in ("coordinator", "focal", "viewer", "outsider"):
        assert world.client(role).get(url).status_code == 404, role  # superusers only


def _catalog_changed(monkeypatch, code: str, title_en: str) -> None:
    """The next loads read a catalog whose questionnaire ``code`` has a new English title."""
    from amparo.questionnaires import catalog

    real = catalog.read_pack_file

    def changed(pack: str, name: str) -> dict:
        content = real(pack, name)
        for entry in content.get("questionnaires", []):
            if entry["code"] == code:
                entry["title_en"] = title_en
        return content

    monkeypatch.setattr(catalog, "read_pack_file", changed)


def test_a_catalog_load_keeps_edited_questionnaires_and_names_them(catalog, monkeypatch) -> None:
    edited, plain = Questionnaire.objects.order_by("code")[:2]
    for questionnaire in (edited, plain):
        question = questionnaire.questions.first()
        question.label_en = "changed by users"
        question.save()
    Questionnaire.objects.filter(pk=edited.pk).update(edited=True)
    _catalog_changed(monkeypatch, edited.code, "The catalog's new title")
    out = StringIO()
    call_command("load_catalog", stdout=out)
    assert edited.questions.filter(label_en="changed by users").exists()
    assert not plain.questions.filter(label_en="changed by users").exists()  # back as shipped
    assert f"catalog changed: {edited.code}" in out.getvalue()
    assert plain.code not in out.getvalue().split("catalog changed:")[1]
    edited.refresh_from_db()
    assert edited.title_en != "The catalog's new title"
    call_command("load_catalog", stdout=(again := StringIO()))
    assert "kept users' edits" not in again.getvalue()  # said once per catalog change


def test_an_edited_questionnaire_is_not_reported_while_the_catalog_stays_the_same(
    catalog,
) -> None:
    edited = Questionnaire.objects.order_by("code").first()
    question = edited.questions.first()
    question.label_en = "changed by users"
    question.save()
    Questionnaire.objects.filter(pk=edited.pk).update(edited=True)
    for _load in range(2):
        call_command("load_catalog", stdout=(out := StringIO()))
        assert "kept users' edits" not in out.getvalue()
    assert edited.questions.filter(label_en="changed by users").exists()


def test_a_questionnaire_loaded_before_fingerprints_is_compared_once(catalog) -> None:
    edited = Questionnaire.objects.order_by("code").first()
    question = edited.questions.first()
    question.label_en = "changed by users"
    question.save()
    Questionnaire.objects.filter(pk=edited.pk).update(edited=True, catalog_hash="")
    call_command("load_catalog", stdout=(out := StringIO()))
    assert f"catalog changed: {edited.code}" in out.getvalue()
    call_command("load_catalog", stdout=(again := StringIO()))
    assert "kept users' edits" not in again.getvalue()


def test_a_catalog_load_without_changes_changes_nothing(catalog) -> None:
    out = StringIO()
    call_command("load_catalog", stdout=out)
    assert "questionnaires" not in out.getvalue() and "kept" not in out.getvalue()
