"""Field questionnaires per sector, the submissions imported into a round (by jobs of the
import pipeline, ``amparo.imports``), and what the answers add up to. Submissions hold
answers about institutions, never about people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.assessment.models import Assessment, Threat
from amparo.catalog.models import CatalogSynced
from amparo.territory.models import BilingualTitle, Sector, english_active


class Questionnaire(BilingualTitle, CatalogSynced):
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="questionnaires", verbose_name=_("sector")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["sector__code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    CHOICE = "choice", _("Choice")
    INTEGER = "integer", _("Whole number")
    TEXT = "text", _("Text")


class Rates(models.TextChoices):
    LIKELIHOOD = "likelihood", _("Likelihood")
    IMPACT = "impact", _("Impact")


class Question(models.Model):
    """A question for non-specialist officials; a choice may suggest a rating of a threat."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.SlugField(_("field name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    label_es = models.CharField(_("question (Spanish)"), max_length=300)
    label_en = models.CharField(_("question (English)"), max_length=300)
    hint_es = models.CharField(_("hint (Spanish)"), max_length=300, blank=True)
    hint_en = models.CharField(_("hint (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    threat = models.ForeignKey(
        Threat, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    rates = models.CharField(_("suggests"), max_length=10, choices=Rates.choices, blank=True)
    # [{"name", "label_es", "label_en", "rating"}]; rating 1-5 (5 worst) or null
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "name"], name="question_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.label_en if english_active() else self.label_es

    def choice_label(self, name: str) -> str:
        for choice in self.choices:
            if choice["name"] == name:
                return choice["label_en"] if english_active() else choice["label_es"]
        return name


class QuestionnaireVersion(models.Model):
    """A questionnaire's questions as they were after a save in the app, numbered from 1
    (the first is the questionnaire as it was before its first edit in the app). The form
    version is the one the XLSForm of the questionnaire's sector carries."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    form_version = models.CharField(_("form version"), max_length=20)
    # [{"name", "kind", "label_es", ..., "threat": code or "", "choices": [...]}]
    questions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} v{self.number}"


class Submission(models.Model):
    """One filled-in form, keyed by its instance ID so a re-import adds nothing."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="submissions")
    instance_id = models.CharField(max_length=100)
    submitted_at = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=10)
    job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answers = models.JSONField()  # {"tur/question": "value"}

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "instance_id"], name="submission_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return self.instance_id


class AnswerTally(models.Model):
    """How often each answer was given to a question in a round (kept up to date by the
    import), so pages never scan the submissions."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="tallies")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    value = models.CharField(max_length=100)  # the choice name; "" for number and text
    count = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)  # the sum, for whole-number questions

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question", "value"], name="tally_once_per_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.value}: {self.count}"
