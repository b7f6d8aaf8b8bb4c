"""The stations' and events' forms (labels and messages in the user's language; the services check again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit

from .enums import ActivityKind, EventKind, StationKind
from .models import Station

REQUIRED = {"required": _("This field is required.")}


class StationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, error_messages=REQUIRED)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=StationKind.choices)
    country = forms.CharField(label=_("Country or region"), max_length=60, error_messages=REQUIRED)
    city = forms.CharField(label=_("City"), max_length=60, error_messages=REQUIRED)
    partner = forms.CharField(label=_("Partner organisation"), max_length=120, error_messages=REQUIRED)
    partner_unit = forms.ModelChoiceField(
        label=_("Partner's accounts unit"),
        queryset=OrgUnit.objects.filter(kind=UnitKind.EXTERNAL, is_active=True).order_by("code"),
        error_messages={"required": _("Choose the external unit the partner's accounts belong to.")},
    )
    transfer_agreement = forms.CharField(
        label=_("Cross-border transfer agreement"),
        max_length=120,
        required=False,
        help_text=_(
            "The standard contract's filing number (PIPL art. 38); required for an overseas station."
        ),
    )
    payee_account = forms.CharField(label=_("Reward account"), max_length=30, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class LeadForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("Station"), queryset=Station.objects.filter(active=True), required=False
    )
    name = forms.CharField(
        label=_("Full name"), max_length=100, error_messages={"required": _("Enter the person's name.")}
    )
    phone = forms.CharField(label=_("Mobile number"), max_length=25, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=120, required=False)
    country = forms.CharField(label=_("Country or region"), max_length=60, required=False)
    field = forms.CharField(label=_("Field of work"), max_length=100, required=False)
    contacted_on = forms.DateField(
        label=_("First contact"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter the day of the first contact."), "invalid": _("Enter a date.")},
    )
    consent = forms.BooleanField(
        label=_("The person consented separately to their data being provided to the station abroad"),
        required=False,
    )
    consent_ref = forms.CharField(
        label=_("Consent record (form number or file)"), max_length=120, required=False
    )


class ConsentForm(forms.Form):
    consent_ref = forms.CharField(
        label=_("Consent record (form number or file)"), max_length=120, required=False
    )
    granted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=(("1", _("Consent given")), ("0", _("Consent withdrawn"))),
        coerce=lambda v: v == "1",
    )


class MoveForm(forms.Form):
    action = forms.CharField(max_length=20)
    revision = forms.IntegerField(required=False)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"), choices=[c for c in ActivityKind.choices if c[0] != ActivityKind.MOVE]
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what happened.")},
    )


class LinkForm(forms.Form):
    talent_id = forms.UUIDField(
        label=_("Archive record"),
        error_messages={
            "required": _("Choose the archive record."),
            "invalid": _("Choose the archive record."),
        },
    )


class RateForm(forms.Form):
    for_grade = forms.ChoiceField(
        label=_("Grade"), required=False, choices=[("", _("Ungraded")), *[(g, g) for g in "ABCDE"]]
    )
    amount = forms.DecimalField(label=_("Reward (yuan)"), max_digits=12, decimal_places=2, min_value=1)
    policy_code = forms.CharField(label=_("Policy code"), max_length=80, error_messages=REQUIRED)


class EventForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=150, error_messages={"required": _("Enter a title.")}
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    venue = forms.CharField(
        label=_("Venue"), max_length=150, error_messages={"required": _("Enter the venue.")}
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={
            "required": _("Enter when the event starts."),
            "invalid": _("Enter a date and time."),
        },
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, initial=100)
    station = forms.ModelChoiceField(
        label=_("Station its attendees flow to"), queryset=Station.objects.filter(active=True), required=False
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    published = forms.BooleanField(label=_("Open for registration"), required=False, initial=True)


class RegisterForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"), max_length=100, error_messages={"required": _("Enter your name.")}
    )
    phone = forms.CharField(
        label=_("Mobile number"), max_length=25, error_messages={"required": _("Enter a mobile number.")}
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=200,
        help_text=_("Scan the attendee's QR with a scanner into this field, or type the code under it."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
        error_messages={"required": _("Scan or type the registration code.")},
    )


class EventLeadsForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("Station"), queryset=Station.objects.filter(active=True), required=False
    )
