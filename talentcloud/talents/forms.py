from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.scope import place_choices, scoped_choices
from talentcloud.enterprises.models import Enterprise

from .enums import (
    ContactKind,
    Degree,
    DeletionOutcome,
    DocumentKind,
    ProgrammeLevel,
    QualificationKind,
    Relation,
    RightsRequestKind,
)
from .models import Talent, TalentProgramme
from .programmes import programmes
from .services.archive import SELF_FIELDS, STAFF_FIELDS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RightsRequestKind.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a correction: which data is wrong and what it should be."),
    )


class RightsAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the person"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deletion_outcome = forms.ChoiceField(
        label=_("For a deletion"), choices=[("", "—"), *DeletionOutcome.choices], required=False
    )


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    happened_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    summary = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NeedForm(forms.Form):
    title = forms.CharField(label=_("Need raised"), max_length=200, required=False)
    owner_department = forms.ModelChoiceField(
        label=_("Department in charge"),
        queryset=OrgUnit.objects.filter(kind="department", is_active=True).order_by("sort_order"),
        required=False,
    )
    details = forms.CharField(
        label=_("Details"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") and not data.get("owner_department"):
            self.add_error("owner_department", _("Choose the department that will reply."))
        if data.get("owner_department") and not data.get("title"):
            self.add_error("title", _("Say what the talent needs."))
        return data


NeedFormSet = forms.formset_factory(NeedForm, extra=2, max_num=5)


class NeedReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the talent"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TagsField(forms.CharField):
    """Tags typed as words separated by commas or 、; stored as a list."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "、".join(value)
        if isinstance(value, str) and value.startswith("["):
            return "、".join(json.loads(value))
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return list(dict.fromkeys(t.strip() for t in re.split(r"[,，、;；]", text) if t.strip()))[:20]


class TalentForm(forms.ModelForm):
    """Fields and their checks for a staff edit; the service decides what is saved. The employer and
    street lists offer only what the viewer may name (``accounts.scope``), and the record's current value."""

    tags = TagsField(label=_("Tags"), required=False, help_text=_("Separate tags with commas or 、"))

    def __init__(self, *args: Any, viewer: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        talent = self.instance
        employers = Enterprise.objects.order_by("name", "id")
        self.fields["employer"].queryset = scoped_choices(employers, viewer, talent.employer_id)  # type: ignore[attr-defined]
        self.fields["residence_street"].queryset = place_choices(  # type: ignore[attr-defined]
            viewer, "street", talent.residence_street_id
        )

    class Meta:
        model = Talent
        fields = [*STAFF_FIELDS, "tags"]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "arrived_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "graduated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "social_insurance_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "id_number": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }


class SelfProfileForm(forms.ModelForm):
    """What a talent may correct on their own record (on a phone)."""

    class Meta:
        model = Talent
        fields = list(SELF_FIELDS)
        widgets = {
            "graduated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "social_insurance_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }


class EducationForm(forms.Form):
    degree = forms.ChoiceField(label=_("Degree"), choices=Degree.choices)
    school = forms.CharField(label=_("School"), max_length=100)
    major = forms.CharField(label=_("Major"), max_length=100, required=False)
    graduated_on = forms.DateField(
        label=_("Graduated on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    full_time = forms.NullBooleanField(
        label=_("Full-time (全日制)"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )


class ContributionForm(forms.Form):
    months = forms.CharField(
        label=_("Months of social insurance paid in the district"),
        max_length=40,
        help_text=_("2024-01~2025-06, or 2024-01~ while still paid."),
    )


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QualificationKind.choices)
    programme = forms.ModelChoiceField(
        label=_("Talent programme (for a programme title)"),
        queryset=programmes(TalentProgramme.objects.filter(active=True)),
        to_field_name="code",
        required=False,
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    level = forms.CharField(label=_("Level or issuer"), max_length=100, required=False)
    year = forms.IntegerField(label=_("Year"), required=False)


class ProgrammeForm(forms.Form):
    """A programme of the register: its code only when it is new (rules name it; it never changes)."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens; rules name the programme by it."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=ProgrammeLevel.choices)
    issuer = forms.CharField(label=_("Run by"), max_length=100, required=False)
    active = forms.BooleanField(label=_("Active (new titles may name it)"), required=False, initial=True)

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["code"]


class FamilyForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    upload = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
