"""The staff's certification form: the only form that sets a grade or tier."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.enums import CertificationGrade, ProgrammeTier

from .enums import Basis

NONE = [("", _("None"))]


class CertifyForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("certification grade"), choices=NONE + list(CertificationGrade.choices), required=False
    )
    tier = forms.ChoiceField(
        label=_("programme tier"), choices=NONE + list(ProgrammeTier.choices), required=False
    )
    basis = forms.ChoiceField(
        label=_("basis"),
        choices=[(Basis.DECISION, Basis.DECISION.label), (Basis.PROGRAMME, Basis.PROGRAMME.label)],
    )
    effective_from = forms.DateField(
        label=_("effective from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_to = forms.DateField(
        label=_("effective to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last valid day; three years from the start when left empty."),
    )
    document_number = forms.CharField(label=_("document number"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the grade or tier goes down."),
    )


class RuleForm(forms.Form):
    grade = forms.ChoiceField(label=_("certification grade"), choices=list(CertificationGrade.choices))
    tier = forms.ChoiceField(
        label=_("programme tier"), choices=NONE + list(ProgrammeTier.choices), required=False
    )
    label = forms.CharField(label=_("label"), max_length=200)
    rule = forms.JSONField(
        label=_("rule"),
        help_text=_(
            'In the rule language, e.g. {"all": [{"fact": "highest_degree", "op": "==", "value": "doctor"}]}'
        ),
    )
    issuer = forms.CharField(label=_("issuer"), max_length=200)
    document_number = forms.CharField(label=_("document number"), max_length=100, required=False)
    effective_from = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_to = forms.DateField(
        label=_("effective to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
