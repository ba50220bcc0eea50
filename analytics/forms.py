import datetime

from django import forms
from django.utils import timezone

from analytics.models import AnalyticsSettings
from procurement.forms import CheckboxSelectMultiple, DsfrForm
from procurement.models import Organisation

FIRST_YEAR = 2015


def year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [(str(year), str(year)) for year in range(this_year + 1, FIRST_YEAR - 1, -1)]


class PeriodForm(DsfrForm):
    """A calendar year, or a period given by its two dates (both included)."""

    annee = forms.TypedChoiceField(label="Année", coerce=int, required=False, choices=())
    # One line of label each, without hint: the three fields stand level on a desktop.
    debut = forms.DateField(
        label="Ou une période libre, du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    fin = forms.DateField(
        label="au (inclus)", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, data=None, *args, **kwargs):
        this_year = str(timezone.localdate().year)
        if data is not None and not data.get("annee") and not (data.get("debut") or data.get("fin")):
            # No period chosen (another parameter only): the page shows the current year, the selector too.
            data = data.copy()
            data["annee"] = this_year
        super().__init__(data, *args, **kwargs)
        self.fields["annee"].choices = [("", "Choisir une année"), *year_choices()]
        if not self.is_bound:
            # The page shows the current year when none was chosen: the selector says so.
            self.initial.setdefault("annee", this_year)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("debut"), cleaned.get("fin")
        if (start is None) != (end is None):
            raise forms.ValidationError("Pour une période libre, indiquez la date de début et la date de fin.")
        if start and end and start > end:
            raise forms.ValidationError("La date de début doit précéder la date de fin.")
        if start and end and (end - start).days > 366 * 5:
            raise forms.ValidationError("Choisissez une période de cinq ans au plus.")
        return cleaned

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The chosen period; the current year when nothing (valid) was chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("debut") and data.get("fin"):
            return data["debut"], data["fin"]
        year = data.get("annee") or timezone.localdate().year
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class ComputeForm(PeriodForm):
    """What a recomputation covers; platform administrators may add other organisations (consolidated figures)."""

    organisations = forms.ModelMultipleChoiceField(
        label="Organisations à consolider",
        queryset=Organisation.objects.none(),
        required=False,
        # Checkboxes, not a multiple select: a long name wraps on a phone instead of being cut at the list's edge.
        widget=CheckboxSelectMultiple,
        help_text=(
            "Réservé aux administrateur·rices de la plateforme\u00a0; vide\u00a0: l'organisation courante seule."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_superuser:
            self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        else:
            del self.fields["organisations"]


class AnalyticsSettingsForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = AnalyticsSettings
        fields = ["secrecy_enabled", "secrecy_threshold"]
