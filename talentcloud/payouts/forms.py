from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .bankfiles import MAX_RETURN_BYTES
from .enums import Cadence, RecoveryReason


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


class AwardForm(forms.Form):
    """The department's confirmation of a benefit as an award (amounts from the policy's formula)."""

    policy = forms.ChoiceField(label=_("Policy"))
    period_amount = forms.DecimalField(label=_("Amount per period (yuan)"), max_digits=14, decimal_places=3)
    periods = forms.IntegerField(label=_("Periods"), min_value=1, max_value=600)
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Cadence.choices)
    starts = forms.DateField(label=_("First period (month)"), widget=forms.DateInput(attrs={"type": "date"}))
    payee_account = forms.CharField(label=_("Payee account (社保卡 financial account)"), max_length=40)
    obligation_months = forms.IntegerField(label=_("Service obligation (months)"), min_value=0, initial=0)

    def __init__(self, *args: Any, policies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = policies  # type: ignore[attr-defined]


class ResumeForm(forms.Form):
    eligible_from = forms.DateField(
        label=_("Conditions hold again from (month)"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PayeeForm(forms.Form):
    payee_account = forms.CharField(label=_("New payee account"), max_length=40)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RecoveryForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RecoveryReason.choices)
    departed_on = forms.DateField(
        label=_("Left on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    instalments = forms.IntegerField(label=_("Instalments"), min_value=1, max_value=120, initial=1)
    bar_until = forms.DateField(
        label=_("Barred from new awards until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class OwnAccountForm(forms.Form):
    payee_account = forms.CharField(label=_("New payee account"), max_length=40)


class GrantsForm(forms.Form):
    """Choose a policy whose 免申即享 grants wait for the department's confirmation."""

    policy = forms.ChoiceField(label=_("Policy"))

    def __init__(self, *args: Any, policies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = policies  # type: ignore[attr-defined]


class ConfirmGrantsForm(forms.Form):
    """The people to confirm (ticked, or every one pending) and the first month the awards pay for."""

    everyone = forms.BooleanField(label=_("Every pending grant of this policy"), required=False)
    talents = forms.MultipleChoiceField(label=_("People"), required=False)
    starts = forms.DateField(label=_("First period (month)"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["talents"].choices = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("everyone") and not data.get("talents"):
            self.add_error("talents", _("Choose at least one person."))
        return data


class BudgetChangeForm(forms.Form):
    policy_code = forms.SlugField(label=_("Policy or programme code"), max_length=60)
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("New amount (yuan)"), min_value=0, max_digits=16, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class YearCloseForm(forms.Form):
    carry_over = forms.TypedChoiceField(
        label=_("Committed but unpaid amounts"),
        choices=[
            ("1", _("Carry over: the awards keep paying from this line")),
            ("0", _("Release: unpaid months are cancelled and lapse")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(label=_("I understand the uncommitted amount lapses and the line closes"))


class ReceiptForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=14, decimal_places=2)


class PlanForm(forms.Form):
    first_due = forms.DateField(
        label=_("First instalment due"), widget=forms.DateInput(attrs={"type": "date"})
    )
    instalments = forms.IntegerField(label=_("Instalments"), min_value=1, max_value=120)
