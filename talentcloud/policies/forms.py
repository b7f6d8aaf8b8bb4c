"""The staff editor's forms: the policy's particulars, and its benefit (the rule is ``editor``'s rows)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentcloud.common.weburl import WEB_URL_MESSAGE, validate_web_url
from talentcloud.rules.facts import ENUM, FACTS
from talentcloud.servicehall.models import Service

from .editor import SEPARATORS
from .effects import all_effect_choices
from .engine import PERIODS
from .formulas import words as formula_words
from .models import Policy, parameter_label

MONEY, ENTITLEMENT = "money", "entitlement"
CODE = re.compile(r"[a-z0-9][-a-z0-9]*")


class PolicyForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("source"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[validate_web_url],
        error_messages={"invalid": WEB_URL_MESSAGE},
    )
    materials_text = forms.CharField(
        label=_("Required materials"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    excludes = forms.CharField(
        label=_("Not granted together with"),
        required=False,
        max_length=1000,
        help_text=_(
            "Codes of other policies, separated by commas: of this one and each of them, only the one giving "
            "more is granted (就高不重复), without joining a whole group."
        ),
    )
    service = forms.ModelChoiceField(
        label=_("Apply through"),
        queryset=Service.objects.order_by("sort_order", "code"),
        required=False,
        to_field_name="code",
    )

    class Meta:
        model = Policy
        fields = [
            "code",
            "target",
            "title",
            "title_en",
            "issuer",
            "document_number",
            "source_url",
            "effective_from",
            "effective_to",
            "exclusion_group",
            "group_priority",
            "excludes",
            "yearly_budget",
            "service",
            "on_match",
            "summary",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["code"]
        if self.instance.pk and not self.is_bound:
            self.initial["materials_text"] = "\n".join(str(m) for m in self.instance.materials or [])
            self.initial["excludes"] = ", ".join(self.instance.excludes or [])
        self.fields["exclusion_group"].help_text = _(
            "Policies sharing a group are not granted together; the best one is (就高不重复)."
        )

    def clean_excludes(self) -> list[str]:
        codes = [part for part in SEPARATORS.split(self.cleaned_data.get("excludes") or "") if part]
        wrong = [code for code in codes if not CODE.fullmatch(code)]
        if wrong:
            raise forms.ValidationError(
                _("Not a policy code: %(codes)s (lower-case letters, digits and hyphens).")
                % {"codes": "、".join(wrong)}
            )
        return list(dict.fromkeys(codes))

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("code", "materials_text")}
        data["materials"] = [
            line.strip() for line in self.cleaned_data.get("materials_text", "").splitlines() if line.strip()
        ]
        return data

    def _post_clean(self) -> None:  # the service layer saves; the form only reads and checks fields
        pass


class ParameterForm(forms.Form):
    """A parameter's new value from a date (whole numbers, as every parameter the rules name is)."""

    name = forms.ChoiceField(label=_("Parameter"))
    value = forms.IntegerField(label=_("New value"), min_value=-100000, max_value=100000000)
    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    source = forms.CharField(label=_("Source (文号 or link)"), max_length=200)

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["name"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(n, parameter_label(n)) for n in names]


def amount_facts() -> list[tuple[str, Any]]:
    return [(key, fact.label) for key, fact in FACTS.items() if fact.type == ENUM]


def figure_facts() -> list[tuple[str, Any]]:
    """The figures an amount may be computed from (revenue, R&D spend, staff, patents …)."""
    return [(key, fact.label) for key, fact in FACTS.items() if fact.value_sql is not None]


FORMULAS = (
    ("", _("one amount, or a table by a listed fact (above)")),
    ("percent", _("a percentage of a figure")),
    ("per", _("an amount per unit of a figure (per patent, per hire …)")),
)
KEPT = "kept"  # a formula the fields cannot show (a sum, bands, an uplift): kept as the library file wrote it


class BenefitForm(forms.Form):
    """The benefit. Whether it is complete is the engine's check (``validate_benefit``), shown on these
    fields, so the form and the API refuse the same things with the same words."""

    kind = forms.ChoiceField(
        label=_("Benefit"),
        choices=[(MONEY, _("Money")), (ENTITLEMENT, _("A service or entitlement"))],
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), required=False, min_value=0, decimal_places=2)
    amount_by = forms.ChoiceField(label=_("Amount depends on"), required=False)
    period = forms.ChoiceField(
        label=_("Paid"),
        required=False,
        choices=[
            ("month", _("per month")),
            ("year", _("per year")),
            ("once", _("once")),
            ("tranches", _("in yearly tranches")),
        ],
    )
    shares = forms.CharField(
        label=_("Yearly tranches (percent, separated by commas: 40,30,30)"), required=False, max_length=60
    )
    months = forms.IntegerField(label=_("For at most (months)"), required=False, min_value=1, max_value=120)
    years = forms.IntegerField(label=_("For at most (years)"), required=False, min_value=1, max_value=10)
    formula = forms.ChoiceField(label=_("Amount computed as"), required=False, choices=FORMULAS)
    figure = forms.ChoiceField(label=_("Figure"), required=False)
    percent = forms.DecimalField(label=_("Percentage"), required=False, min_value=0, decimal_places=2)
    per = forms.DecimalField(label=_("Amount per unit (yuan)"), required=False, min_value=0, decimal_places=2)
    max_units = forms.IntegerField(label=_("At most this many units"), required=False, min_value=0)
    floor = forms.DecimalField(label=_("At least (yuan)"), required=False, min_value=0, decimal_places=2)
    cap = forms.DecimalField(label=_("At most (yuan)"), required=False, min_value=0, decimal_places=2)
    kept = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("What is granted"), required=False, max_length=200)
    text_en = forms.CharField(label=_("What is granted (English)"), required=False, max_length=200)
    imputed_yearly = forms.DecimalField(
        label=_("Counted as worth a year (yuan; compared with money in an exclusion group)"),
        required=False,
        min_value=0,
        decimal_places=2,
    )
    effect = forms.ChoiceField(label=_("When granted, also"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "benefit")
        super().__init__(*args, **kwargs)
        effect_field = self.fields["effect"]
        assert isinstance(effect_field, forms.ChoiceField)
        effect_field.choices = [("", _("nothing more: the person is told")), *all_effect_choices()]
        by_field = self.fields["amount_by"]
        assert isinstance(by_field, forms.ChoiceField)
        by_field.choices = [("", _("nothing: one amount for everyone")), *amount_facts()]
        figure_field = self.fields["figure"]
        assert isinstance(figure_field, forms.ChoiceField)
        figure_field.choices = [("", "—"), *figure_facts()]
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ChoiceField)
        kept = self.data.get(self.add_prefix("kept")) if self.is_bound else self.initial.get("kept")
        self.kept_words = ""
        if kept:  # shown in words; the fields cannot change it
            formula_field = self.fields["formula"]
            assert isinstance(formula_field, forms.ChoiceField)
            try:
                self.kept_words = formula_words(json.loads(kept))
            except (ValueError, KeyError, TypeError):
                self.kept_words = ""
            formula_field.choices = [
                (KEPT, _("as the library file computes it: %(words)s") % {"words": self.kept_words}),
                *FORMULAS,
            ]
        by = self.data.get(self.add_prefix("amount_by")) if self.is_bound else self.initial.get("amount_by")
        fact = FACTS.get(str(by or ""))
        self.table_keys: list[str] = []
        if fact is not None and fact.type == ENUM:
            for key, label in fact.choices:
                self.fields[f"table_{key}"] = forms.DecimalField(
                    label=label, required=False, min_value=0, decimal_places=2
                )
                self.table_keys.append(key)

    @classmethod
    def for_benefit(cls, benefit: dict[str, Any]) -> BenefitForm:
        amount = benefit.get("amount")
        initial: dict[str, Any] = {
            "kind": benefit.get("kind", MONEY),
            "period": benefit.get("period", "month"),
            "months": benefit.get("months"),
            "years": benefit.get("years"),
            "text": benefit.get("text", ""),
            "text_en": benefit.get("text_en", ""),
            "imputed_yearly": benefit.get("imputed_yearly"),
            "effect": benefit.get("effect", ""),
        }
        simple = {"percent", "of", "per", "units", "max_units", "floor", "cap"}
        if isinstance(amount, dict) and "by" in amount:
            initial["amount_by"] = amount.get("by", "")
            for key, value in (amount.get("table") or {}).items():
                initial[f"table_{key}"] = value
        elif (
            isinstance(amount, dict)
            and "percent" in amount
            and set(amount) <= simple
            and isinstance(amount.get("of"), dict)
            and set(amount["of"]) == {"fact"}
        ):
            initial.update(formula="percent", figure=amount["of"]["fact"], percent=amount["percent"])
            initial.update({k: amount[k] for k in ("floor", "cap") if k in amount})
        elif isinstance(amount, dict) and "per" in amount and set(amount) <= simple:
            initial.update(formula="per", figure=amount["units"], per=amount["per"])
            initial.update({k: amount[k] for k in ("max_units", "floor", "cap") if k in amount})
        elif isinstance(amount, dict):
            initial.update(formula=KEPT, kept=json.dumps(amount, ensure_ascii=False))
        else:
            initial["amount"] = amount
        if benefit.get("period") == "tranches":
            initial["shares"] = ",".join(str(n) for n in benefit.get("shares") or [])
        return cls(initial=initial)

    def benefit(self) -> dict[str, Any]:
        """The benefit data these fields write (checked afterwards by the engine)."""
        data = self.cleaned_data
        if data.get("kind") == ENTITLEMENT:
            out: dict[str, Any] = {"kind": ENTITLEMENT, "text": data.get("text", "")}
            if data.get("text_en"):
                out["text_en"] = data["text_en"]
            if data.get("imputed_yearly") is not None:
                out["imputed_yearly"] = _number(data["imputed_yearly"])
            if data.get("effect"):
                out["effect"] = data["effect"]
            return out
        amount: Any
        bounds = {k: _number(data[k]) for k in ("floor", "cap") if data.get(k) is not None}
        if data.get("formula") == KEPT and data.get("kept"):
            try:
                amount = json.loads(data["kept"])
            except ValueError:
                amount = None
        elif data.get("formula") == "percent":
            amount = {"percent": _number(data.get("percent")), "of": {"fact": data.get("figure")}, **bounds}
        elif data.get("formula") == "per":
            amount = {"per": _number(data.get("per")), "units": data.get("figure"), **bounds}
            if data.get("max_units") is not None:
                amount["max_units"] = data["max_units"]
        elif data.get("amount_by"):
            amount = {
                "by": data["amount_by"],
                "table": {
                    k: _number(data.get(f"table_{k}"))
                    for k in self.table_keys
                    if data.get(f"table_{k}") is not None
                },
            }
        else:
            amount = _number(data.get("amount"))
        out = {"kind": MONEY, "amount": amount, "period": data.get("period") or "once"}
        if data.get("months") and out["period"] == "month":
            out["months"] = data["months"]
        if data.get("years") and out["period"] == "year":
            out["years"] = data["years"]
        if out["period"] == "tranches":
            parts = [p for p in re.split(r"[\s,，、]+", data.get("shares") or "") if p]
            out["shares"] = [int(p) if p.isdigit() else p for p in parts]  # the engine checks them
        return out

    def show_problems(self, problems: dict[str, list[str]]) -> None:
        """Put the engine's benefit problems (``benefit.amount.table.doctor`` …) on the fields."""
        for path, reasons in problems.items():
            if not path.startswith("benefit"):
                continue
            parts = path.split(".")
            if parts[1:3] == ["amount", "table"] and len(parts) == 4 and f"table_{parts[3]}" in self.fields:
                name = f"table_{parts[3]}"
            elif parts[1:3] == ["amount", "by"] or parts[1:3] == ["amount", "table"]:
                name = "amount_by"
            elif len(parts) > 2 and parts[1] == "amount" and parts[2] in ("percent", "per", "floor", "cap"):
                name = parts[2]
            elif len(parts) > 2 and parts[1] == "amount" and parts[2] in ("of", "units"):
                name = "figure"
            elif len(parts) > 2 and parts[1] == "amount" and parts[2] == "max_units":
                name = "max_units"
            elif len(parts) > 1 and parts[1] in self.fields:
                name = parts[1]
            else:
                name = "kind"
            for reason in reasons:
                if name not in self.errors or reason not in self.errors[name]:
                    self.add_error(name, reason)


def _number(value: Decimal | None) -> int | float | None:
    """Money as the rule data keeps it (YAML-friendly numbers); the engine reads it as Decimal."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


__all__ = ["PERIODS", "BenefitForm", "PolicyForm"]
