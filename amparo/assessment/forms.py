"""Forms of the threat assessment. Rating choices come from the round's matrix; threat
choices from the sectors the person may change."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amparo.assessment import scoring
from amparo.assessment.models import Assessment, Finding, RiskMatrix, RoundStatus, Threat
from amparo.assessment.services import MATRIX_SIZES
from amparo.concurrency import add_version_field
from amparo.territory.models import english_active


def _label(pair: list[str]) -> str:
    return pair[1] if english_active() else pair[0]


def rating_choices(labels: list[list[str]], *, blank: bool = False) -> list[tuple[str, str]]:
    choices = [(str(n), f"{n} · {_label(pair)}") for n, pair in enumerate(labels, start=1)]
    return [("", "—"), *choices] if blank else choices


class ThreatForm(forms.ModelForm):
    class Meta:
        model = Threat
        fields = [
            "sector",
            "code",
            "title_es",
            "title_en",
            "description_es",
            "description_en",
            "source",
            "verified",
        ]
        widgets = {
            "description_es": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.from_catalog:
            # The catalog finds its threats by code; a changed code or sector would make
            # the next catalog load create a duplicate.
            for name in ("code", "sector"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed for threats from the catalog.")


class RoundStartForm(forms.Form):
    clone_previous = forms.BooleanField(
        label=_("Start from the previous round's findings"), required=False, initial=True
    )
    matrix = forms.ModelChoiceField(
        queryset=RiskMatrix.objects.all(),
        required=False,
        label=_("Risk matrix"),
        help_text=_("Empty: the previous round's matrix, or the default."),
    )


class RoundMoveForm(forms.Form):
    to = forms.ChoiceField(choices=RoundStatus.choices)
    override_reason = forms.CharField(
        label=_("Reason to complete it anyway"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = [
            "threat",
            "inherent_likelihood",
            "inherent_impact",
            "current_controls",
            "residual_likelihood",
            "residual_impact",
            "evidence",
            "evidence_source",
            "confidence",
            "justification",
        ]
        widgets = {
            "current_controls": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "justification": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: object, assessment: Assessment, sectors: object, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        matrix = assessment.matrix
        threats = Threat.objects.filter(sector__in=sectors).select_related("sector")
        if not self.instance.pk:
            threats = threats.exclude(findings__assessment=assessment)
        else:
            threats = threats.filter(pk=self.instance.threat_id)
        self.fields["threat"].queryset = threats
        for name, labels, blank in (
            ("inherent_likelihood", matrix.likelihoods, False),
            ("inherent_impact", matrix.impacts, False),
            ("residual_likelihood", matrix.likelihoods, True),
            ("residual_impact", matrix.impacts, True),
        ):
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                choices=rating_choices(labels, blank=blank),
                coerce=int,
                empty_value=None,
                required=not blank,
            )
        self.fields["residual_likelihood"].help_text = _(
            "With the controls in place today. Leave both empty if not rated yet."
        )
        add_version_field(self)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        pair = (cleaned.get("residual_likelihood"), cleaned.get("residual_impact"))
        if (pair[0] is None) != (pair[1] is None):
            self.add_error(
                "residual_impact", _("Give both residual likelihood and impact, or neither.")
            )
        return cleaned


def validate_colour(value: str) -> None:
    """Refuse anything but ``#rrggbb`` (``scoring.is_colour``)."""
    if not scoring.is_colour(value):
        raise ValidationError(_("Write the colour as #rrggbb, e.g. #b71c1c."), code="invalid")


class MatrixCreateForm(forms.Form):
    """A new matrix: its names and size; labels, levels and grid are edited afterwards."""

    code = forms.SlugField(
        label=_("code"),
        max_length=40,
        help_text=_("Short, without spaces, e.g. 4x6-salud. It appears in addresses."),
    )
    name_es = forms.CharField(label=_("name (Spanish)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200)
    likelihood_levels = forms.TypedChoiceField(
        label=_("Likelihood levels"),
        choices=[(n, str(n)) for n in MATRIX_SIZES],
        coerce=int,
        initial=5,
    )
    impact_levels = forms.TypedChoiceField(
        label=_("Impact levels"),
        choices=[(n, str(n)) for n in MATRIX_SIZES],
        coerce=int,
        initial=5,
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if code == "new" or RiskMatrix.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Another matrix already has this code."))
        return code


class MatrixForm(forms.Form):
    """Names, level names and colours, and the grid of an existing matrix (its size
    stays)."""

    name_es = forms.CharField(label=_("name (Spanish)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200)

    def __init__(self, *args: object, matrix: RiskMatrix, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        level_choices = [
            (
                lv["code"],
                lv["name_en"] if english_active() else lv["name_es"],
            )
            for lv in matrix.levels
        ]
        for kind, word, labels in (
            ("likelihood", _("likelihood"), matrix.likelihoods),
            ("impact", _("impact"), matrix.impacts),
        ):
            for n, (es, en) in enumerate(labels, start=1):
                self.fields[f"{kind}_{n}_es"] = forms.CharField(
                    initial=es,
                    max_length=60,
                    label=_("%(kind)s %(n)s (Spanish)") % {"kind": word, "n": n},
                )
                self.fields[f"{kind}_{n}_en"] = forms.CharField(
                    initial=en,
                    max_length=60,
                    label=_("%(kind)s %(n)s (English)") % {"kind": word, "n": n},
                )
        for n, level in enumerate(matrix.levels, start=1):
            code = level["code"]
            self.fields[f"level_{n}_es"] = forms.CharField(
                initial=level["name_es"],
                max_length=40,
                label=_("level “%(code)s” (Spanish)") % {"code": code},
            )
            self.fields[f"level_{n}_en"] = forms.CharField(
                initial=level["name_en"],
                max_length=40,
                label=_("level “%(code)s” (English)") % {"code": code},
            )
            self.fields[f"level_{n}_colour"] = forms.CharField(
                initial=level["colour"],
                max_length=7,
                label=_("colour of “%(code)s”") % {"code": code},
                validators=[validate_colour],
                widget=forms.TextInput(attrs={"type": "color"}),
            )
        for li, row in enumerate(matrix.grid, start=1):
            for ii, code in enumerate(row, start=1):
                self.fields[f"cell_{li}_{ii}"] = forms.ChoiceField(
                    choices=level_choices,
                    initial=code,
                    label=_("likelihood %(l)s × impact %(i)s") % {"l": li, "i": ii},
                )
        self.fields["name_es"].initial, self.fields["name_en"].initial = (
            matrix.name_es,
            matrix.name_en,
        )

    def grid_rows(self) -> list[list[forms.BoundField]]:
        """Bound cell fields, highest likelihood first, for the template's grid."""
        size_l, size_i = len(self.matrix.likelihoods), len(self.matrix.impacts)
        return [
            [self[f"cell_{li}_{ii}"] for ii in range(1, size_i + 1)] for li in range(size_l, 0, -1)
        ]

    def spec(self):
        from amparo.assessment import scoring

        data = self.cleaned_data
        size_l, size_i = len(self.matrix.likelihoods), len(self.matrix.impacts)
        return scoring.MatrixSpec(
            likelihoods=tuple(
                (data[f"likelihood_{n}_es"], data[f"likelihood_{n}_en"])
                for n in range(1, size_l + 1)
            ),
            impacts=tuple(
                (data[f"impact_{n}_es"], data[f"impact_{n}_en"]) for n in range(1, size_i + 1)
            ),
            levels=tuple(
                scoring.LevelSpec(
                    code=level.code,
                    name_es=data[f"level_{n}_es"],
                    name_en=data[f"level_{n}_en"],
                    colour=data[f"level_{n}_colour"],
                    rank=level.rank,
                )
                for n, level in enumerate(self.matrix.spec().levels, start=1)
            ),
            grid=tuple(
                tuple(data[f"cell_{li}_{ii}"] for ii in range(1, size_i + 1))
                for li in range(1, size_l + 1)
            ),
        )
