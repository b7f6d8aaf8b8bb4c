"""The programmes' page forms (the services check everything again; these only parse)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApplyForm(forms.Form):
    call = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("project title"), max_length=200)
    field = forms.CharField(label=_("field"), max_length=20, help_text=_("A field code such as F03"))
    payee_account = forms.CharField(
        label=_("bank account for the award"),
        max_length=40,
        required=False,
        help_text=_("Where the award is paid if the application is approved (12 to 30 digits)."),
    )


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Note or reason"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    pledge = forms.BooleanField(
        label=_("I pledge that everything in this application is true and complete (诚信承诺)"),
        required=False,
    )


class DrawForm(forms.Form):
    ceremony = forms.TypedChoiceField(label=_("draw ceremony"), coerce=int)
    reason = forms.CharField(
        label=_("Reason for drawing again"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CeremonyForm(forms.Form):
    digits = forms.CharField(label=_("digits"), max_length=40)
    witnesses = forms.CharField(label=_("witnesses"), max_length=300)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
