from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .bankfiles import MAX_RETURN_BYTES


class DraftForm(forms.Form):
    due_by = forms.DateField(label=_("Lines due by"), widget=forms.DateInput(attrs={"type": "date"}))


class ReturnForm(forms.Form):
    return_file = forms.FileField(label=_("The bank's return file (CSV: key, status, note)"))

    def clean_return_file(self) -> str:
        upload = self.cleaned_data["return_file"]
        if upload.size > MAX_RETURN_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file must be UTF-8 CSV.")) from None
