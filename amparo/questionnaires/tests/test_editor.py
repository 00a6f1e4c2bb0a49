"""The questionnaire editor: every save converted by pyxform (refused with its message,
nothing saved), versions with what changed, the catalog keeping edited questionnaires,
and the pages for program admins only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from amparo.questionnaires import services
from amparo.questionnaires.models import Question, Questionnaire, QuestionnaireVersion

YES_NO = [
    {"name": "yes", "label_es": "Sí", "label_en": "Yes", "rating": 2},
    {"name": "no", "label_es": "No", "label_en": "No", "rating": 4},
]


@pytest.fixture
def q_tur(catalog) -> Questionnaire:
    return Questionnaire.objects.select_related("sector").get(code="Q-TUR")


def _values(question: Question, **changes: object) -> dict[str, object]:
    values = {
        field: getattr(question, field)
        for field in (
            "name",
            "kind",
            "label_es",
            "label_en",
            "hint_es",
            "hint_en",
            "order",
            "required",
            "threat",
            "rates",
            "choices",
        )
    }
    return {**values, **changes}


def _save(questionnaire, question, by, **changes):
    values = _values(question, **changes) if question else changes
    return services.question_save(questionnaire=questionnaire, question=question, by=by, **values)


def test_a_changed_label_is_a_new_version_with_the_change_named(q_tur, world) -> None:
    question = q_tur.questions.order_by("order").first()
    version = _save(q_tur, question, world.users["admin"], label_en="How many inspections?")
    assert version.number == 2
    first = QuestionnaireVersion.objects.get(questionnaire=q_tur, number=1)
    assert first.created_by is None  # as it was before the first edit
    assert first.form_version != version.form_version
    assert version.created_by == world.users["admin"]
    question.refresh_from_db()
    assert question.label_en == "How many inspections?"
    q_tur.refresh_from_db()
    assert q_tur.edited
    from amparo.questionnaires.queries import version_view

    shown = version_view(q_tur)
    assert shown.version == version
    assert [c.name for c in shown.diff.changed] == [question.name]
    assert shown.diff.changed[0].fields == ("label_en",)


def test_the_form_version_is_the_one_the_exported_form_carries(q_tur, world) -> None:
    from amparo.questionnaires import xlsform
    from amparo.questionnaires.form_export import form_spec

    question = q_tur.questions.first()
    version = _save(q_tur, question, world.users["admin"], hint_es="Otra pista")
    spec = form_spec(sectors=[q_tur.sector], assessment=None)
    assert version.form_version == xlsform.questions_version(spec.groups)


def test_saving_without_a_change_records_no_version(q_tur, world) -> None:
    question = q_tur.questions.first()
    assert _save(q_tur, question, world.users["admin"]) is None
    assert QuestionnaireVersion.objects.filter(questionnaire=q_tur).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "1st_question"}, "'name' value is invalid"),
        ({"label_es": "¿Cuántos ${nadie}?"}, "nadie"),
    ],
    ids=["name-starting-with-a-digit", "reference-to-no-question"],
)
def test_a_form_pyxform_would_not_convert_is_refused_with_its_message(
    q_tur, world, changes, message
) -> None:
    question = q_tur.questions.first()
    before = question.label_es, question.name
    with pytest.raises(ValidationError) as refused:
        _save(q_tur, question, world.users["admin"], **changes)
    text = " ".join(refused.value.messages)
    assert "no es un formulario válido" in text and message in text
    question.refresh_from_db()
    assert (question.label_es, question.name) == before
    q_tur.refresh_from_db()
    assert not q_tur.edited
    assert not QuestionnaireVersion.objects.filter(questionnaire=q_tur).exists()


def test_a_new_choice_question_is_added_to_the_form(q_tur, world) -> None:
    count = q_tur.questions.count()
    version = _save(
        q_tur,
        None,
        world.users["admin"],
        name="hostel_register",
        kind="choice",
        label_es="¿Llevan registro de huéspedes?",
        label_en="Do they keep a guest register?",
        order=count + 1,
        required=True,
        choices=[*YES_NO, {"name": "dk", "label_es": "No sé", "label_en": "Don't know"}],
    )
    from amparo.questionnaires.queries import version_view

    assert version_view(q_tur).diff.added == ("hostel_register",)
    added = q_tur.questions.get(name="hostel_register")
    assert added.choices[2]["rating"] is None
    assert version.questions[-1]["name"] == "hostel_register"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "choice", "choices": [{**YES_NO[0], "rating": 7}, YES_NO[1]]}, None),
        ({"kind": "yes_no", "choices": YES_NO[:1]}, None),
        ({"rates": "impact", "threat": None}, "rates"),
    ],
    ids=["rating-out-of-range", "one-option", "rating-without-threat"],
)
def test_invalid_questions_are_refused_before_pyxform(q_tur, world, changes, field) -> None:
    question = q_tur.questions.get(kind="integer", order=1)
    with pytest.raises(ValidationError) as refused:
        _save(q_tur, question, world.users["admin"], **changes)
    if field:
        assert field in refused.value.message_dict


def test_a_threat_of_another_sector_is_refused(q_tur, world) -> None:
    from amparo.assessment.models import Threat

    other = Threat.objects.exclude(sector=q_tur.sector).first()
    question = q_tur.questions.first()
    with pytest.raises(ValidationError) as refused:
        _save(q_tur, question, world.users["admin"], threat=other, rates="impact")
    assert "threat" in refused.value.message_dict


def test_text_and_number_questions_keep_no_options(q_tur, world) -> None:
    question = q_tur.questions.filter(kind="yes_no").first() or q_tur.questions.first()
    _save(q_tur, question, world.users["admin"], kind="text", choices=YES_NO)
    question.refresh_from_db()
    assert question.kind == "text" and question.choices == []


def test_a_catalog_load_keeps_the_edited_questionnaire(q_tur, world) -> None:
    question = q_tur.questions.first()
    _save(q_tur, question, world.users["admin"], label_es="Texto del equipo")
    call_command("load_catalog", stdout=StringIO())
    question.refresh_from_db()
    assert question.label_es == "Texto del equipo"


# Pages


def test_only_program_admins_open_the_editor(q_tur, world) -> None:
    question = q_tur.questions.first()
    urls = [
        reverse("questionnaire-list"),
        reverse("questionnaire-detail", args=[q_tur.code]),
        reverse("questionnaire-preview", args=[q_tur.code]),
        reverse("question-create", args=[q_tur.code]),
        reverse("question-edit", args=[q_tur.code, question.pk]),
    ]
    admin, coordinator = world.client("admin"), world.client("coordinator")
    for url in urls:
        assert admin.get(url).status_code == 200, url
        assert coordinator.get(url).status_code == 403, url
    assert admin.get(reverse("questionnaire-detail", args=["NOPE"])).status_code == 404


def _post_data(question: Question, **changes: object) -> dict[str, object]:
    values = _values(question, **changes)
    choices = values.pop("choices")
    data = {k: ("" if v is None else (v.pk if hasattr(v, "pk") else v)) for k, v in values.items()}
    if not data["required"]:
        data.pop("required")
    data.update(
        {
            "options-TOTAL_FORMS": str(len(choices) + 1),
            "options-INITIAL_FORMS": str(len(choices)),
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "30",
        }
    )
    for i, choice in enumerate(choices):
        for key in ("name", "label_es", "label_en"):
            data[f"options-{i}-{key}"] = choice[key]
        data[f"options-{i}-rating"] = choice.get("rating") or ""
    return data


def test_saving_on_the_page_shows_the_new_version_and_its_changes(q_tur, world) -> None:
    question = q_tur.questions.filter(kind="yes_no").first()
    client = world.client("admin")
    url = reverse("question-edit", args=[q_tur.code, question.pk])
    choices = [*question.choices, {"name": "dk", "label_es": "No sé", "label_en": "Don't know"}]
    data = _post_data(question, label_en="Changed in the app", choices=choices)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Versión 2 del formulario" in page
    assert question.name in page and "label_en" in page and "dk" in page
    question.refresh_from_db()
    assert question.label_en == "Changed in the app"
    assert question.choices[-1]["name"] == "dk"


def test_a_refused_save_on_the_page_shows_pyxforms_message(q_tur, world) -> None:
    question = q_tur.questions.first()
    client = world.client("admin")
    url = reverse("question-edit", args=[q_tur.code, question.pk])
    response = client.post(url, _post_data(question, label_es="Hola ${nadie}"))
    assert response.status_code == 422
    assert "nadie" in response.content.decode()
    question.refresh_from_db()
    assert "${nadie}" not in question.label_es


def test_a_new_question_from_the_page(q_tur, world) -> None:
    client = world.client("admin")
    data = {
        "order": "9",
        "name": "visits",
        "kind": "integer",
        "label_es": "¿Cuántas visitas?",
        "label_en": "How many visits?",
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "30",
    }
    response = client.post(reverse("question-create", args=[q_tur.code]), data)
    assert response.status_code == 302
    assert q_tur.questions.filter(name="visits", kind="integer").exists()


def test_the_preview_shows_both_languages_choices_and_hints(q_tur, world) -> None:
    response = world.client("admin").get(reverse("questionnaire-preview", args=[q_tur.code]))
    page = response.content.decode()
    for question in q_tur.questions.all():
        assert question.label_es in page.replace("&#x27;", "'")
        assert question.label_en.replace("'", "&#x27;") in page
        if question.hint_en:
            assert question.hint_en.replace("'", "&#x27;") in page
        for choice in question.choices:
            assert f'value="{choice["name"]}"' in page


def test_an_earlier_version_has_its_own_page(q_tur, world) -> None:
    question = q_tur.questions.first()
    _save(q_tur, question, world.users["admin"], hint_en="One")
    _save(q_tur, question, world.users["admin"], hint_en="Two")
    client = world.client("admin")
    detail = client.get(reverse("questionnaire-detail", args=[q_tur.code])).content.decode()
    assert reverse("questionnaire-version", args=[q_tur.code, 2]) in detail
    page = client.get(reverse("questionnaire-version", args=[q_tur.code, 2]))
    assert page.status_code == 200 and "hint_en" in page.content.decode()
    assert client.get(reverse("questionnaire-version", args=[q_tur.code, 9])).status_code == 404


def test_the_editor_pages_are_in_english_too(q_tur, world) -> None:
    client = world.client("admin")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("questionnaire-detail", args=[q_tur.code])).content.decode()
    assert "New question" in page and "Preview the form" in page


def test_the_editor_pages_read_a_bounded_number_of_queries(
    q_tur, world, django_assert_max_num_queries
) -> None:
    client = world.client("admin")
    question = q_tur.questions.first()
    for n in range(3):
        _save(q_tur, question, world.users["admin"], hint_es=f"pista {n}")
    for url in (
        reverse("questionnaire-list"),
        reverse("questionnaire-detail", args=[q_tur.code]),
        reverse("questionnaire-preview", args=[q_tur.code]),
        reverse("questionnaire-version", args=[q_tur.code, 2]),
        reverse("question-edit", args=[q_tur.code, question.pk]),
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_an_option_emptied_on_the_page_is_removed_and_named_in_the_changes(q_tur, world) -> None:
    question = q_tur.questions.filter(kind="choice").first()
    dropped = question.choices[-1]["name"]
    data = _post_data(question)
    last = len(question.choices) - 1
    for key in ("name", "label_es", "label_en", "rating"):
        data[f"options-{last}-{key}"] = ""
    client = world.client("admin")
    client.post(reverse("question-edit", args=[q_tur.code, question.pk]), data)
    question.refresh_from_db()
    assert dropped not in [c["name"] for c in question.choices]
    from amparo.questionnaires.queries import version_view

    (change,) = version_view(q_tur).diff.changed
    assert change.options_removed == (dropped,)


def test_an_option_rating_out_of_range_is_shown_on_the_form(q_tur, world) -> None:
    question = q_tur.questions.filter(kind="choice").first()
    data = _post_data(question)
    data["options-0-rating"] = "9"
    response = world.client("admin").post(
        reverse("question-edit", args=[q_tur.code, question.pk]), data
    )
    assert response.status_code == 422
    assert not QuestionnaireVersion.objects.exists()


def test_a_coordinator_cannot_save_a_question(q_tur, world) -> None:
    question = q_tur.questions.first()
    response = world.client("coordinator").post(
        reverse("question-edit", args=[q_tur.code, question.pk]),
        _post_data(question, label_es="Cambio no permitido"),
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.label_es != "Cambio no permitido"
    assert not QuestionnaireVersion.objects.exists()


def test_a_question_of_another_questionnaire_is_not_found(q_tur, world) -> None:
    other = Question.objects.exclude(questionnaire=q_tur).first()
    url = reverse("question-edit", args=[q_tur.code, other.pk])
    assert world.client("admin").get(url).status_code == 404


def test_the_rounds_questionnaire_page_links_program_admins_to_the_editor(round_lor, world) -> None:
    url = reverse("questionnaires", args=["PE-LOR", round_lor.pk])
    editor = f'href="{reverse("questionnaire-list")}"'
    assert editor in world.client("admin").get(url).content.decode()
    assert editor not in world.client("coordinator").get(url).content.decode()
