"""The XLSForm of a round's questionnaires: read from the database into the pure builder
(``xlsform.py``), and checked by pyxform before it is offered."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.assessment.models import Assessment
from amparo.questionnaires import xlsform
from amparo.questionnaires.models import Questionnaire
from amparo.territory.models import Region, Sector


def form_groups(questionnaires: list[Questionnaire]) -> tuple[xlsform.GroupSpec, ...]:
    """Each questionnaire as a group of the form, named after its sector's code."""
    return tuple(
        xlsform.GroupSpec(
            name=q.sector.code.lower(),
            label_es=q.title_es,
            label_en=q.title_en,
            questions=tuple(
                xlsform.QuestionSpec(
                    name=question.name,
                    kind=question.kind,
                    label_es=question.label_es,
                    label_en=question.label_en,
                    hint_es=question.hint_es,
                    hint_en=question.hint_en,
                    required=question.required,
                    choices=tuple(
                        xlsform.ChoiceSpec(c["name"], c["label_es"], c["label_en"])
                        for c in question.choices
                    ),
                )
                for question in q.questions.all()
            ),
        )
        for q in questionnaires
    )


def questionnaires_of(sectors: list[Sector]) -> list[Questionnaire]:
    """The questionnaires of ``sectors`` with their questions, in sector order."""
    return list(
        Questionnaire.objects.filter(sector__in=sectors)
        .select_related("sector")
        .prefetch_related("questions")
        .order_by("sector__code")
    )


def form_spec(*, sectors: list[Sector], assessment: Assessment | None) -> xlsform.FormSpec:
    """The XLSForm of ``sectors`` (one sector, or all of them in one form). With a round,
    its region and number travel as hidden fields; without, the interviewer picks the
    region and the round is chosen at import."""
    questionnaires = questionnaires_of(sectors)
    if not questionnaires:
        raise ValidationError(_("There is no questionnaire for these sectors."))
    scope = questionnaires[0].sector.code.lower() if len(questionnaires) == 1 else "all"
    title = (
        questionnaires[0].title_es if len(questionnaires) == 1 else "amparo · todos los sectores"
    )
    return xlsform.FormSpec(
        form_id=f"amparo_{scope}",
        title=title,
        groups=form_groups(questionnaires),
        region_code=assessment.region.code if assessment else None,
        round_number=assessment.number if assessment else None,
        regions=tuple(Region.objects.values_list("code", "name")),
    )


def xlsform_bytes(spec: xlsform.FormSpec) -> bytes:
    """The .xlsx file, checked by pyxform (the ODK reference converter) before it is
    offered: a questionnaire edited into an invalid form is refused here, not in the field."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    buffer = io.BytesIO()
    xlsform.write_xlsx(xlsform.build_sheets(spec), buffer)
    content = buffer.getvalue()
    warnings: list[str] = []
    try:
        convert(xlsform=io.BytesIO(content), warnings=warnings, file_type=".xlsx")
    except PyXFormError as error:
        raise ValidationError(
            _("The questionnaire is not a valid form: %(error)s") % {"error": error}
        ) from None
    if warnings:
        raise ValidationError(
            _("The questionnaire is not a valid form: %(error)s") % {"error": "; ".join(warnings)}
        )
    return content
