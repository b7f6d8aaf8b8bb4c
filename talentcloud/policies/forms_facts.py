"""The forms of the office-defined facts' pages: a new fact, a value for one talent or enterprise, a sheet."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FactKind, Recorders, Target


class FactDefinitionForm(forms.Form):
    label = forms.CharField(label=_("name"), max_length=100)
    label_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    key = forms.CharField(
        label=_("key"),
        max_length=30,
        help_text=_("How rules name it: lower-case letters, digits and _ (first_home_in_district)."),
    )
    kind = forms.ChoiceField(label=_("kind"), choices=FactKind.choices)
    target = forms.ChoiceField(label=_("about"), choices=Target.choices)
    unit = forms.CharField(
        label=_("unit"), max_length=20, required=False, help_text=_("For a number: 分, 人, 万元 …")
    )
    choices = forms.CharField(
        label=_("choices"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For a choice, one a line: a code, its name, its English name (national 国家级 national)."
        ),
    )
    recorders = forms.ChoiceField(label=_("who may record it"), choices=Recorders.choices)
    must_verify = forms.BooleanField(label=_("a value counts once verified by the office"), required=False)


class ValueForm(forms.Form):
    who = forms.CharField(label=_("ID number or credit code"), max_length=30)
    value = forms.CharField(label=_("value"), max_length=100, required=False)
    valid_from = forms.DateField(label=_("valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a recognition with a validity; blank: open."),
    )

    def __init__(self, *args: Any, recognition: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if recognition:
            del self.fields["value"]
        else:
            del self.fields["valid_until"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "Columns: 证件号码 (or 统一社会信用代码), 值, 生效日期 — and 有效期至 for a recognition."
        ),
    )
