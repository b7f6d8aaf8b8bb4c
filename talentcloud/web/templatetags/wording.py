"""Punctuation that follows the reader's language: ``{% colon %}`` between a label and its value reads "："
in Chinese and ": " in English (an ASCII colon after Chinese text, "准予: …", is wrong)."""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def colon() -> str:
    return pgettext("label separator", ": ")
