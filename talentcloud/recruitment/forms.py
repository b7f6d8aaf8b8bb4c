"""The recruitment pages' forms. Each only parses; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.enterprises.models import IndustryChain
from talentcloud.talents.enums import Degree

from . import shortage
from .enums import CutoffMode, SalaryKind
from .models import Major, Post, Skill
from .services import DemandInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DemandForm(forms.Form):
    post = forms.ModelChoiceField(label=_("post"), queryset=Post.objects.filter(active=True))
    title = forms.CharField(label=_("job title"), max_length=100, required=False)
    headcount = forms.IntegerField(label=_("headcount"), min_value=1, max_value=10_000)
    degree = forms.ChoiceField(label=_("minimum degree"), choices=Degree.choices)
    majors = forms.ModelMultipleChoiceField(label=_("majors"), queryset=Major.objects.all(), required=False)
    skills = forms.ModelMultipleChoiceField(
        label=_("skills"), queryset=Skill.objects.filter(active=True), required=False
    )
    experience_years = forms.IntegerField(
        label=_("years of experience"), min_value=0, max_value=50, initial=0
    )
    salary_kind = forms.ChoiceField(label=_("salary given as"), choices=SalaryKind.choices)
    salary_min = forms.IntegerField(
        label=_("salary from (yuan)"),
        min_value=0,
        required=False,
        help_text=_("Monthly or annual, as chosen."),
    )
    salary_max = forms.IntegerField(
        label=_("salary to (yuan)"), min_value=0, required=False, help_text=_("Leave empty for one figure.")
    )
    chain = forms.ModelChoiceField(
        label=_("industry chain"), queryset=IndustryChain.objects.all(), required=False
    )
    location = forms.CharField(label=_("work location"), max_length=100, required=False)
    deadline = forms.DateField(label=_("deadline"), widget=DATE)

    def to_input(self) -> DemandInput:
        d = self.cleaned_data
        return DemandInput(
            post=d["post"],
            title=d["title"],
            headcount=d["headcount"],
            degree=d["degree"],
            majors=list(d["majors"]),
            skills=list(d["skills"]),
            experience_years=d["experience_years"] or 0,
            salary_kind=d["salary_kind"],
            salary_min=d["salary_min"],
            salary_max=d["salary_max"],
            chain=d["chain"],
            location=d["location"],
            deadline=d["deadline"],
        )

    @staticmethod
    def initial_of(demand: Any) -> dict[str, Any]:
        return {
            "post": demand.post_id,
            "title": demand.title,
            "headcount": demand.headcount,
            "degree": demand.degree,
            "majors": list(demand.majors.all()),
            "skills": list(demand.skills.all()),
            "experience_years": demand.experience_years,
            "salary_kind": demand.salary_kind,
            "salary_min": demand.salary_min,
            "salary_max": demand.salary_max,
            "chain": demand.chain_id,
            "location": demand.location,
            "deadline": demand.deadline,
        }


class ReviewForm(forms.Form):
    action = forms.CharField(max_length=20)
    note = forms.CharField(
        label=_("note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    revision = forms.IntegerField(min_value=0)


class ProfileForm(forms.Form):
    post = forms.ModelChoiceField(label=_("post sought"), queryset=Post.objects.filter(active=True))
    degree = forms.ChoiceField(label=_("highest degree"), choices=Degree.choices)
    major = forms.ModelChoiceField(label=_("major"), queryset=Major.objects.all(), required=False)
    experience_years = forms.IntegerField(
        label=_("years of experience"), min_value=0, max_value=50, initial=0
    )
    open = forms.BooleanField(
        label=_("Count me as looking for work in the district"),
        required=False,
        help_text=_("Only with this ticked does your profile count as supply in the demand catalogue."),
    )


class SettingsForm(forms.Form):
    """Weights of the five dimensions and the star cut-offs; "preview" shows the moves, "save" keeps them."""

    cutoff_mode = forms.ChoiceField(label=_("star cut-offs"), choices=CutoffMode.choices)
    cutoffs = forms.CharField(
        label=_("cut-offs"),
        max_length=100,
        help_text=_(
            "Fixed: the least index for 5, 4, 3 and 2 stars (e.g. 80 65 50 35). "
            "Shares: posts at 5, 4, 3, 2 and 1 stars (e.g. 27 32 42 63 79)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in shortage.DIMENSIONS:
            self.fields[f"weight_{key}"] = forms.IntegerField(label=label, min_value=0, max_value=100)

    @staticmethod
    def initial_of(catalogue: Any) -> dict[str, Any]:
        initial = {f"weight_{k}": v for k, v in catalogue.weights.items()}
        initial["cutoff_mode"] = catalogue.cutoff_mode
        initial["cutoffs"] = " ".join(f"{c:g}" for c in catalogue.cutoffs)
        return initial

    def clean_cutoffs(self) -> list[float]:
        text = self.cleaned_data["cutoffs"].replace(",", " ").replace("，", " ").replace("/", " ")
        try:
            return [float(part) for part in text.split()]
        except ValueError:
            raise forms.ValidationError(_("Numbers separated by spaces.")) from None

    def values(self) -> tuple[dict[str, int], str, list[float]]:
        d = self.cleaned_data
        return {k: d[f"weight_{k}"] for k in shortage.DIMENSION_KEYS}, d["cutoff_mode"], d["cutoffs"]


class AdjustForm(forms.Form):
    post = forms.ModelChoiceField(label=_("post"), queryset=Post.objects.all())
    include = forms.TypedChoiceField(
        label=_("change"),
        choices=[("1", _("Add to the catalogue")), ("0", _("Remove from the catalogue"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("reason"), max_length=500)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
