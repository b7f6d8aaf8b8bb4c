"""The programmes' page forms (the services check everything again; these only parse)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.enums import CertificationGrade, ProgrammeTier

from .enums import Stage, TieKind


class ApplyForm(forms.Form):
    call = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("project title"), max_length=200)
    field = forms.CharField(label=_("field"), max_length=20, help_text=_("A field code such as F03"))
    payee_account = forms.CharField(
        label=_("bank account for the award"),
        max_length=40,
        required=False,
        help_text=_("Where the award is paid if the application is approved (12 to 30 digits)."),
    )


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Note or reason"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    pledge = forms.BooleanField(
        label=_("I pledge that everything in this application is true and complete (诚信承诺)"),
        required=False,
    )


class DrawForm(forms.Form):
    ceremony = forms.TypedChoiceField(label=_("draw ceremony"), coerce=int)
    reason = forms.CharField(
        label=_("Reason for drawing again"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CeremonyForm(forms.Form):
    digits = forms.CharField(label=_("digits"), max_length=40)
    witnesses = forms.CharField(label=_("witnesses"), max_length=300)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _named_numbers(text: str, message: Any) -> tuple[tuple[str, int], ...]:
    """Lines of "name number" (the number last) into pairs; any other line is the field's error."""
    rows = []
    for line in _lines(text):
        name, _sep, number = line.rpartition(" ")
        if not name.strip() or not number.strip().lstrip("-").isdigit():
            raise forms.ValidationError(message, params={"line": line})
        rows.append((name.strip(), int(number)))
    return tuple(rows)


class CallForm(forms.Form):
    """The office opens a call (批次). The services check every setting again and name the field."""

    programme_code = forms.ChoiceField(label=_("programme"))
    code = forms.CharField(label=_("code"), max_length=40, help_text=_("Such as zjs-2026-1"))
    title = forms.CharField(label=_("title"), max_length=200)
    opens_on = forms.DateField(label=_("opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    rule = forms.CharField(
        label=_("eligibility rule"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('In the rule language, such as {"all": [{"fact": "age", "op": "<=", "value": 45}]}'),
    )
    criteria = forms.CharField(
        label=_("review criteria"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: the criterion, then its weight, such as “创新性 40”."),
    )
    extra_stages = forms.MultipleChoiceField(
        label=_("stages after the written review"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Formal check and written review always come first."),
    )
    places = forms.IntegerField(label=_("places"))
    budget = forms.DecimalField(label=_("budget"), max_digits=14, decimal_places=2)
    award_amount = forms.DecimalField(label=_("amount per award"), max_digits=12, decimal_places=2)
    instalments = forms.CharField(
        label=_("instalments"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="立项 100",
        help_text=_("One a line: the milestone, then its share in percent, such as “立项 50”."),
    )
    grade = forms.ChoiceField(label=_("certification grade"))
    tier = forms.ChoiceField(label=_("programme tier"), required=False)
    blind = forms.BooleanField(label=_("blind review"), required=False)
    panel_size = forms.IntegerField(label=_("panel size"), initial=5)
    conflict_years = forms.IntegerField(label=_("conflict window (years)"), initial=3, min_value=0)
    obligation_years = forms.IntegerField(label=_("service obligation (years)"), initial=5, min_value=0)
    materials = forms.CharField(
        label=_("materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: a key, then the name, such as “plan 项目计划书”."),
    )
    quotas = forms.CharField(
        label=_("nomination quotas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One a line: an enterprise's credit code or a park's or street's unit code, then places."
        ),
    )
    budget_code = forms.CharField(label=_("budget line code"), max_length=60, required=False)
    exclusion_group = forms.CharField(label=_("exclusion group"), max_length=60, required=False)

    def __init__(self, *args: Any, programmes: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["programme_code"].choices = list(programmes)  # type: ignore[attr-defined]
        self.fields["grade"].choices = CertificationGrade.choices  # type: ignore[attr-defined]
        self.fields["tier"].choices = [("", "—"), *ProgrammeTier.choices]  # type: ignore[attr-defined]
        self.fields["extra_stages"].choices = [  # type: ignore[attr-defined]
            (Stage.DEFENSE.value, Stage.DEFENSE.label),
            (Stage.SITE_VISIT.value, Stage.SITE_VISIT.label),
        ]

    def clean_rule(self) -> Any:
        try:
            return json.loads(self.cleaned_data["rule"])
        except ValueError:
            raise forms.ValidationError(_("The rule is not valid JSON.")) from None

    def clean_criteria(self) -> tuple[tuple[str, int], ...]:
        return _named_numbers(
            self.cleaned_data["criteria"], _("“%(line)s”: give the criterion, then its weight.")
        )

    def clean_instalments(self) -> tuple[tuple[int, str], ...]:
        rows = _named_numbers(
            self.cleaned_data["instalments"], _("“%(line)s”: give the milestone, then its share.")
        )
        return tuple((share, milestone) for milestone, share in rows)

    def clean_quotas(self) -> tuple[tuple[str, int], ...]:
        return _named_numbers(
            self.cleaned_data["quotas"], _("“%(line)s”: give the holder's code, then places.")
        )

    def clean_materials(self) -> tuple[tuple[str, str], ...]:
        rows = []
        for line in _lines(self.cleaned_data["materials"]):
            key, _sep, label = line.partition(" ")
            rows.append((key, label.strip()))
        return tuple(rows)

    def clean_extra_stages(self) -> tuple[str, ...]:
        return tuple(self.cleaned_data["extra_stages"])


class ExpertForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=12, help_text=_("E and three to eight digits"))
    name = forms.CharField(label=_("name"), max_length=100)
    fields_text = forms.CharField(
        label=_("field codes"), max_length=200, help_text=_("Separated by spaces or commas, such as F03 F04")
    )
    cap = forms.IntegerField(label=_("reviews per call at most"), initial=10)
    affiliations = forms.CharField(
        label=_("institution history"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: institution, from, to (empty while still there), such as “东南大学, 2010-09-01, ”."
        ),
    )

    def clean_fields_text(self) -> list[str]:
        return [f for f in self.cleaned_data["fields_text"].replace(",", " ").replace("，", " ").split() if f]

    def clean_affiliations(self) -> list[tuple[str, date, date | None]]:
        rows = []
        for line in _lines(self.cleaned_data["affiliations"]):
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                start = date.fromisoformat(parts[1])
                end = date.fromisoformat(parts[2]) if len(parts) > 2 and parts[2] else None
            except (IndexError, ValueError):
                raise forms.ValidationError(
                    _("“%(line)s”: give the institution, a start date and perhaps an end date (YYYY-MM-DD)."),
                    params={"line": line},
                ) from None
            rows.append((parts[0], start, end))
        return rows


class TieForm(forms.Form):
    expert = forms.TypedChoiceField(label=_("expert"), coerce=int)
    kind = forms.ChoiceField(label=_("kind"))
    person_name = forms.CharField(label=_("name"), max_length=100)
    on = forms.DateField(label=_("on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, experts: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = list(experts)  # type: ignore[attr-defined]
        self.fields["kind"].choices = TieKind.choices  # type: ignore[attr-defined]
