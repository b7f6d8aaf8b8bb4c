from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.common.errors import DomainError

from .enums import UnitKind
from .models import OrgUnit, Role


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's field-level messages on the form fields they belong to."""
    if not error.fields:
        form.add_error(None, str(error.message))
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, str(message))


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=30)
    otp_code = forms.CharField(
        label=_("Current code from your authenticator app"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[A-Za-z0-9._-]{3,150}$",
        error_messages={"invalid": _("3 to 150 letters, digits, dots, dashes or underscores.")},
    )
    display_name = forms.CharField(label=_("Display name"), max_length=100)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.order_by("path"), required=False)
    roles = forms.ModelMultipleChoiceField(label=_("Roles"), queryset=Role.objects.order_by("code"))
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UserRolesForm(forms.Form):
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"), queryset=Role.objects.order_by("code"), widget=forms.CheckboxSelectMultiple
    )


class OrgUnitCreateForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Za-z0-9-]{2,40}$",
        error_messages={"invalid": _("2 to 40 letters, digits or dashes.")},
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("Kind"))
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=OrgUnit.objects.order_by("path"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)

        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(k.value, k.label) for k in UnitKind if k != UnitKind.DISTRICT]


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class RegisterForm(forms.Form):
    """A person's sign-up (a talent's, and the base of an enterprise account's): who they are, the phone code,
    the account. Checked by ``identity.person_verify``."""

    name = forms.CharField(label=_("Name (as on your ID card)"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"), max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.RegexField(
        label=_("Code sent to your phone"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
