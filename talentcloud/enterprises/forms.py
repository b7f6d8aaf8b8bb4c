from django import forms
from django.utils.translation import gettext_lazy as _


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    revenue = forms.DecimalField(label=_("Revenue (10k yuan)"), max_digits=14, decimal_places=2)
    rd_spend = forms.DecimalField(label=_("R&D spend (10k yuan)"), max_digits=14, decimal_places=2)
    staff = forms.IntegerField(label=_("Staff"), min_value=0)
    patents = forms.IntegerField(label=_("Patents"), min_value=0)
    funding_raised = forms.DecimalField(
        label=_("Funding raised (10k yuan)"), max_digits=14, decimal_places=2, initial=0
    )
