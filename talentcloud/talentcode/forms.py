"""The talent code's forms: the verifier's check, the office's revoke and verifier forms, the talent's photo
and report."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scene
from .selectors import external_units


class VerifyForm(forms.Form):
    scene = forms.ChoiceField(label=_("Scene"))
    token = forms.CharField(
        label=_("Talent code"),
        max_length=200,
        help_text=_("Scan the QR with the camera, or with a USB scanner into this field."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Scan or type the talent code.")},
    )

    def __init__(self, *args: Any, scenes: list[Scene], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scene = self.fields["scene"]
        assert isinstance(scene, forms.ChoiceField)
        scene.choices = [(s.code, s.display_name) for s in scenes]
        if len(scenes) == 1:
            self.fields["scene"].initial = scenes[0].code


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=500,
        error_messages={"required": _("Say why the code is revoked.")},
    )


class VerifierForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("External unit"), queryset=external_units())
    scenes = forms.ModelMultipleChoiceField(
        label=_("Scenes"),
        queryset=Scene.objects.filter(active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scene.")},
    )
    active = forms.BooleanField(label=_("May verify"), required=False, initial=True)


class SceneRuleForm(forms.Form):
    """A scene's rule in the rule language, as JSON (``{"all": [{"fact": "grade", "op": "in", "value":
    ["A", "B"]}]}``); the service checks it clause by clause."""

    rule = forms.CharField(
        label=_("Who is entitled (a rule in the rule language, JSON)"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "mono"}),
        error_messages={"required": _("Write the rule.")},
    )

    def clean_rule(self) -> Any:
        try:
            rule = json.loads(self.cleaned_data["rule"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("This is not JSON (line %(line)s, column %(column)s)."),
                params={"line": getattr(exc, "lineno", "?"), "column": getattr(exc, "colno", "?")},
            ) from exc
        return rule


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG or PNG, at most 300 KB)"), required=False)
    show_photo = forms.BooleanField(label=_("Show my photo to verifiers"), required=False)


class ReportForm(forms.Form):
    note = forms.CharField(label=_("What you know about it (optional)"), max_length=500, required=False)
