"""The campaigns pages' forms. Each only parses; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.enterprises.models import IndustryChain
from talentcloud.recruitment.enums import DemandState
from talentcloud.recruitment.models import Demand, Major
from talentcloud.talents.enums import Degree

from .enums import TargetGroup
from .models import Campaign
from .services import ApplyInput, CampaignInput, SessionInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DemandChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Demand) -> str:
        return f"{obj.enterprise.name} · {obj.post.name}{' · ' + obj.title if obj.title else ''}"


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    target = forms.ChoiceField(label=_("target group"), choices=TargetGroup.choices)
    majors = forms.ModelMultipleChoiceField(
        label=_("majors sought"), queryset=Major.objects.all(), required=False
    )
    chain = forms.ModelChoiceField(
        label=_("industry chain"), queryset=IndustryChain.objects.all(), required=False
    )
    starts_on = forms.DateField(label=_("starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("ends on"), widget=DATE)
    intro = forms.CharField(label=_("introduction"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    posts = DemandChoices(
        label=_("posts"),
        queryset=Demand.objects.filter(state=DemandState.OPEN).select_related("enterprise", "post"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def to_input(self) -> CampaignInput:
        data = self.cleaned_data
        return CampaignInput(
            title=data["title"],
            target=data["target"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            intro=data["intro"],
            majors=list(data["majors"]),
            chain=data["chain"],
            posts=list(data["posts"]),
        )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=Campaign.objects.all(), required=False)
    starts_at = forms.DateTimeField(label=_("opens at"), widget=WHEN)
    ends_at = forms.DateTimeField(label=_("closes at"), widget=WHEN)
    posts = DemandChoices(
        label=_("posts"),
        queryset=Demand.objects.filter(state=DemandState.OPEN).select_related("enterprise", "post"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def to_input(self) -> SessionInput:
        data = self.cleaned_data
        return SessionInput(
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            campaign=data["campaign"],
            posts=list(data["posts"]),
        )


class ApplyForm(forms.Form):
    degree = forms.ChoiceField(label=_("highest degree"), choices=Degree.choices)
    major = forms.ModelChoiceField(label=_("major"), queryset=Major.objects.all(), required=False)
    statement = forms.CharField(
        label=_("about me"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent = forms.BooleanField(
        label=_("I agree that the enterprise reads what I send with this application"), required=False
    )
    via = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def to_input(self) -> ApplyInput:
        data = self.cleaned_data
        return ApplyInput(
            degree=data["degree"],
            consent=bool(data["consent"]),
            major=data["major"],
            statement=data["statement"],
            via=data["via"],
        )


class InviteForm(forms.Form):
    slot_1 = forms.DateTimeField(label=_("interview time"), widget=WHEN, required=False)
    slot_2 = forms.DateTimeField(label=_("another time"), widget=WHEN, required=False)
    slot_3 = forms.DateTimeField(label=_("another time"), widget=WHEN, required=False)
    place = forms.CharField(label=_("place or link"), max_length=200, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
