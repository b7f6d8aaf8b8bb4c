"""The matching pages' forms. Each only parses; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.enterprises.models import IndustryChain
from talentcloud.recruitment.models import Skill


class DetailsForm(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("skills"), queryset=Skill.objects.filter(active=True), required=False
    )
    location = forms.CharField(
        label=_("preferred work location"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to be matched with posts anywhere."),
    )
    chain = forms.ModelChoiceField(
        label=_("preferred industry chain"),
        queryset=IndustryChain.objects.order_by("sort_order", "code"),
        required=False,
        help_text=_("Leave empty to be matched with posts in any chain."),
    )
    salary_floor = forms.IntegerField(
        label=_("least annual salary (yuan)"), min_value=0, max_value=100_000_000, required=False
    )
    summary = forms.CharField(
        label=_("about me"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Enterprises read this only after you accept their request for contact."),
    )


class ContactForm(forms.Form):
    profile_id = forms.IntegerField(min_value=1)


class AnswerForm(forms.Form):
    request_id = forms.IntegerField(min_value=1)
    accept = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
