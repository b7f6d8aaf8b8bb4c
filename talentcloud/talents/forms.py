from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import DeletionOutcome, RightsRequestKind


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RightsRequestKind.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a correction: which data is wrong and what it should be."),
    )


class RightsAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the person"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deletion_outcome = forms.ChoiceField(
        label=_("For a deletion"), choices=[("", "—"), *DeletionOutcome.choices], required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
