from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from talentcloud.common.validators import validate_mobile


class PreferenceForm(forms.Form):
    sms = forms.BooleanField(label=_("Also by SMS"), required=False)
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20)
    email = forms.BooleanField(label=_("Also by e-mail"), required=False)
    email_address = forms.EmailField(label=_("E-mail address"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("phone"):
            try:
                data["phone"] = validate_mobile(data["phone"])
            except ValidationError as exc:
                self.add_error("phone", exc)
        if data.get("sms") and not data.get("phone"):
            self.add_error("phone", _("Give the number for SMS."))
        if data.get("email") and not data.get("email_address"):
            self.add_error("email_address", _("Give the address for e-mail."))
        return data
