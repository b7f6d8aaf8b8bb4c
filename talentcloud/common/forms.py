"""Forms any app's pages use: the upload of an Excel file to import (read by ``sheets``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
