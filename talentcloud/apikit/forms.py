"""Partial updates through the API use the same forms (and so the same checks and messages) as the pages."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext as _

from talentcloud.common.errors import ValidationFailed


def form_changes(
    form_class: type[forms.ModelForm], instance: Model, payload: dict[str, Any], **form_kwargs: Any
) -> dict[str, Any]:
    """Bind ``form_class`` to the record's current values overlaid with ``payload`` (only the fields sent),
    validate, and return the cleaned values of the fields that change. A field the form does not have, or
    a value that fails its checks, raises ``ValidationFailed`` naming the field. ``form_kwargs`` go to the
    form (``viewer=``: a form whose choice lists follow the viewer's scope)."""
    unknown = set(payload) - set(form_class.base_fields)
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be edited here.")] for name in sorted(unknown)}
        )
    instance = copy.copy(instance)  # validating a model form writes the values onto its instance
    current = form_class(instance=instance, **form_kwargs)
    data: dict[str, Any] = {}
    for name, field in current.fields.items():
        value = payload[name] if name in payload else current[name].value()
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        if isinstance(field, forms.BooleanField | forms.NullBooleanField) and value is None:
            value = ""
        data[name] = "" if value is None else value
    bound = form_class(data=data, instance=instance, **form_kwargs)
    if not bound.is_valid():
        raise ValidationFailed(
            fields={name: [str(e) for e in errors] for name, errors in bound.errors.items()}
        )
    return {name: bound.cleaned_data[name] for name in bound.changed_data if name in payload}
