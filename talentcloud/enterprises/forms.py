from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.forms import RegisterForm
from talentcloud.accounts.scope import place_choices

from .models import Enterprise

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    revenue = forms.DecimalField(label=_("Revenue (10k yuan)"), max_digits=14, decimal_places=2)
    rd_spend = forms.DecimalField(label=_("R&D spend (10k yuan)"), max_digits=14, decimal_places=2)
    staff = forms.IntegerField(label=_("Staff"), min_value=0)
    patents = forms.IntegerField(label=_("Patents"), min_value=0)
    funding_raised = forms.DecimalField(
        label=_("Funding raised (10k yuan)"), max_digits=14, decimal_places=2, initial=0
    )


class TagsField(forms.CharField):
    """Tags typed as one line, separated by 、 or commas."""

    def prepare_value(self, value: Any) -> Any:
        return "、".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = str(super().to_python(value) or "")
        return [t.strip()[:30] for t in text.replace("，", "、").replace(",", "、").split("、") if t.strip()]


class EnterpriseForm(forms.ModelForm):
    tags = TagsField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separate with 、 or commas.")
    )

    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "street", "park", "chain", "founded_on", "address", "tags"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, viewer: User | AnonymousUser, **kwargs: Any) -> None:
        """The park and street lists offer what ``viewer`` may name (``accounts.scope.place_choices``)
        and the record's current values."""
        super().__init__(*args, **kwargs)
        firm = self.instance
        for name in ("park", "street"):
            current = getattr(firm, f"{name}_id")
            self.fields[name].queryset = place_choices(viewer, name, current)  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """Uniqueness of the credit code is the service's check (it names the enterprise that has it)."""


class EnterpriseAccountForm(RegisterForm):
    credit_code = forms.CharField(label=_("Enterprise's unified social credit code"), max_length=18)
    as_admin = forms.BooleanField(
        label=_("I am the enterprise's administrator (legal representative or authorised by it)"),
        required=False,
        help_text=_(
            "An administrator is confirmed by the park or street staff and then confirms the HR staff."
        ),
    )


class JoinForm(forms.Form):
    credit_code = forms.CharField(label=_("Enterprise's unified social credit code"), max_length=18)
    as_admin = EnterpriseAccountForm.base_fields["as_admin"]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
