"""``{{ name|parameter_label }}``: a dated parameter named in words on screen, never by its code."""

from __future__ import annotations

from django import template

from talentcloud.policies.models import parameter_label

register = template.Library()
register.filter("parameter_label", parameter_label)
