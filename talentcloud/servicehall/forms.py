import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import OrgUnit, User
from talentcloud.talents.enums import CertificationGrade, PyramidCategory

from .catalogue import MATERIAL_KINDS, label_of, lists_of_rule, rule_of_lists
from .enums import Decision, FieldType, LimitKind, RatingLevel
from .models import HallSettings, Service
from .recipients import eligible_handlers


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ReturnForm(forms.Form):
    """补正: tick each material slot to provide again and list any other item, one per line."""

    materials = forms.MultipleChoiceField(
        label=_("Materials to provide again"), required=False, widget=forms.CheckboxSelectMultiple
    )
    items = forms.CharField(
        label=_("Other items (one per line)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Documents the service has no slot for, or questions to answer."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        slots = [(m["key"], label_of(m)) for m in (case.version.materials if case is not None else [])]
        self.fields["materials"].choices = slots  # type: ignore[attr-defined]
        if not slots:
            del self.fields["materials"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("materials") or str(data.get("items", "")).strip()
        if not named and not str(data.get("note", "")).strip():
            self.add_error("items", _("Name at least one item the applicant should provide."))
        return data


class ConcludeForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.username)


class HandlerForm(forms.Form):
    """交办: the new handler is picked from those who may take the case (the lead department's active staff
    who handle cases), by name; the service checks it again."""

    handler = HandlerChoiceField(
        label=_("New handler"), queryset=User.objects.none(), to_field_name="username"
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            eligible = [u.pk for u in eligible_handlers(case)]
            field = self.fields["handler"]
            field.queryset = User.objects.filter(pk__in=eligible).order_by(  # type: ignore[attr-defined]
                "display_name", "username"
            )


class RateForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("How satisfied are you?"), choices=RatingLevel.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MaterialForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    upload = forms.FileField(label=_("File"))


class ServiceForm(forms.ModelForm):
    grades = forms.MultipleChoiceField(
        label=_("Certification grades that may apply"),
        choices=CertificationGrade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any talent."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Pyramid categories that may apply"),
        choices=PyramidCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags that may apply (any of)"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas; empty: any tags."),
    )

    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "name_en",
            "summary",
            "department",
            "co_departments",
            "joint_mode",
            "grades",
            "categories",
            "tags",
            "for_enterprises",
            "quota_per_year",
            "faq",
            "theme",
            "place",
            "phone",
            "fee",
            "legal_basis",
            "is_active",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "faq": forms.Textarea(attrs={"rows": 4}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = OrgUnit.objects.filter(kind="department").order_by("sort_order")
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["co_departments"].queryset = departments  # type: ignore[attr-defined]
        self.fields["co_departments"].required = False
        # The three inputs compile to the service's eligibility rule (ADR 0014); a rule they cannot show
        # (written another way) is kept as it is and the inputs are disabled.
        rule = self.instance.eligibility if self.instance.pk else {}
        lists = lists_of_rule(rule)
        self.rule_kept = rule if lists is None else None
        for name in ("grades", "categories", "tags"):
            if lists is None:
                self.fields[name].disabled = True
            else:
                initial = lists[name]
                self.initial[name] = "、".join(initial) if name == "tags" else initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.rule_kept is not None:
            data["eligibility"] = self.rule_kept
        else:
            tags = [t.strip() for t in re.split(r"[,，、;；]", data.get("tags") or "") if t.strip()]
            data["eligibility"] = rule_of_lists(data.get("grades"), data.get("categories"), tags)
        return data


class LimitForm(forms.Form):
    limit_kind = forms.ChoiceField(label=_("Time limit counted in"), choices=LimitKind.choices)
    limit_days = forms.IntegerField(label=_("Days"), required=False, min_value=1, max_value=365)
    limit_date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class FieldSpecForm(forms.Form):
    key = forms.CharField(label=_("Key (letters, digits, _)"), max_length=40)
    label = forms.CharField(label=_("Label (Chinese)"), max_length=100)
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False)
    type = forms.ChoiceField(label=_("Kind of answer"), choices=FieldType.choices)
    choices = forms.CharField(
        label=_("Choices (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    sensitive = forms.BooleanField(
        label=_("Sensitive (masked for staff lists, kept encrypted)"), required=False
    )
    help = forms.CharField(label=_("Help text"), max_length=200, required=False)

    def spec(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = [c.strip() for c in data.get("choices", "").splitlines() if c.strip()]
        return data


class MaterialSpecForm(forms.Form):
    key = forms.CharField(label=_("Key (letters, digits, _)"), max_length=40)
    label = forms.CharField(label=_("Label (Chinese)"), max_length=100)
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("File types"),
        choices=[(k, k.upper()) for k in MATERIAL_KINDS],
        widget=forms.CheckboxSelectMultiple,
        initial=list(MATERIAL_KINDS),
    )
    max_count = forms.IntegerField(label=_("At most (files)"), min_value=1, max_value=10, initial=2)
    max_mb = forms.IntegerField(label=_("At most (MB each)"), min_value=1, max_value=20, initial=5)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    help = forms.CharField(
        label=_("What it must show (for the service guide's example sheet)"), max_length=300, required=False
    )


class HallSettingsForm(forms.ModelForm):
    class Meta:
        model = HallSettings
        fields = ["unrated_after_days", "unrated_rule", "yellow_percent", "rectification_step_days"]


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the rating is false"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AppealDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
