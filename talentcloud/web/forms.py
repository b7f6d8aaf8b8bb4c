from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarOverrideForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    is_workday = forms.TypedChoiceField(
        label=_("The day is"),
        choices=[("0", _("a rest day (holiday)")), ("1", _("a working day (make-up day)"))],
        coerce=lambda v: v == "1",
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    source = forms.CharField(label=_("Source (notice number or link)"), max_length=200, required=False)
